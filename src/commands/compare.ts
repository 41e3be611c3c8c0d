/** `pyramid-bench compare <dir A> <dir B>`: two results side by side; refused when their locked settings differ. */
import { parseArgs } from 'node:util';
import { compareResults, comparisonMarkdown } from '../bench/compare.ts';
import { readResults } from '../bench/results.ts';
import { UsageError, type Command } from './command.ts';

/** The `compare` command. */
export const compareCommand: Command = {
  name: 'compare',
  usage: 'compare <results dir A> <results dir B>',
  summary: 'compare two results folders value by value (refused, naming them, when locked settings differ)',
  async run(argv) {
    const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
    if (positionals.length !== 2) throw new UsageError(`compare takes two results folders, got ${positionals.length}`);
    const names: [string, string] = [positionals[0], positionals[1]];
    process.stdout.write(comparisonMarkdown(compareResults(readResults(names[0]), readResults(names[1]), names), names));
  },
};
