/**
 * `pyramid-bench default`: the embedded default, i.e. `run suites/default.yaml --out runs/default` from the
 * harness's folder; further options go to `run`.
 */
import path from 'node:path';
import { SUITES_DIR } from '../suite/suite-files.ts';
import { runCommand } from './run.ts';
import type { Command } from './command.ts';

/** The `default` command; its name, summary and usage are in `index.ts`. */
export const defaultCommand: Command = {
  async run(argv) {
    const out = argv.includes('--out') ? [] : ['--out', 'runs/default'];
    await runCommand.run([path.join(SUITES_DIR, 'default.yaml'), ...out, ...argv]);
  },
};
