/**
 * `pyramid-bench default`: the embedded default, i.e. `run suites/default.yaml --out runs/default` from the
 * harness's folder; further options go to `run`.
 */
import path from 'node:path';
import { SUITES_DIR } from '../suite/suite-files.ts';
import { runCommand } from './run.ts';
import type { Command } from './command.ts';

/** The `default` command. */
export const defaultCommand: Command = {
  name: 'default',
  usage: 'default [--out <dir>] [run options]',
  summary: 'run the embedded default suite (suites/default.yaml) into runs/default',
  async run(argv) {
    const out = argv.includes('--out') ? [] : ['--out', 'runs/default'];
    await runCommand.run([path.join(SUITES_DIR, 'default.yaml'), ...out, ...argv]);
  },
};
