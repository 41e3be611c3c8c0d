/** `pyramid-bench default`: the embedded default job (the analytic testbed comparison until the suite runner lands). */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import { analyticPreset } from '../models/analytic/presets.ts';
import { comparisonTable, defaultMethods, runAnalyticComparison } from '../bench/analytic-compare.ts';
import { integerOption, type Command } from './command.ts';

export const defaultCommand: Command = {
  name: 'default',
  usage: 'default [--out <dir>] [--samples <N>] [--steps <per stage>]',
  summary: 'run the embedded default job',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { out: { type: 'string', default: 'reports/default' }, samples: { type: 'string', default: '2000' }, steps: { type: 'string', default: '20' } },
      strict: true,
    });
    const samples = integerOption(values.samples, 'samples', 2)!;
    const steps = integerOption(values.steps, 'steps', 1)!;
    const preset = analyticPreset('tiny-video');
    const comparison = await runAnalyticComparison(preset, { samples, seed: 0, methods: defaultMethods(steps) }, (name) =>
      process.stderr.write(`[default] ${preset.name}: sampling with ${name}\n`),
    );
    const table = comparisonTable(comparison);
    writeFileAtomic(path.join(values.out!, 'analytic.json'), JSON.stringify(comparison, null, 2) + '\n');
    writeFileAtomic(path.join(values.out!, 'analytic.md'), table + '\n');
    process.stdout.write(table + '\n\nwrote ' + path.join(values.out!, 'analytic.json') + '\n');
  },
};
