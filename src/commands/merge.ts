/** `pyramid-bench merge <dirs...> --out <dir>`: combines the results folders of a suite's shards exactly. */
import { parseArgs } from 'node:util';
import { mergeRuns } from '../bench/merge.ts';
import { resultsMarkdown } from '../bench/summary.ts';
import { UsageError, type Command } from './command.ts';

/** The `merge` command. */
export const mergeCommand: Command = {
  name: 'merge',
  usage: 'merge <shard dir> <shard dir>... --out <dir> [--partial]',
  summary: "combine shards' results folders into one (refuses differing locked settings, naming them)",
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' }, partial: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    if (!values.out) throw new UsageError('--out is required: the merged results folder');
    if (positionals.length === 0) throw new UsageError('give the shard results folders to merge, e.g. merge runs/s0 runs/s1 --out runs/all');
    const results = await mergeRuns(positionals, values.out, { partial: values.partial! });
    process.stdout.write(resultsMarkdown(results) + `\nmerged ${positionals.length} folders (shards ${results.shards.included.join(', ')} of ${results.shards.count}) into ${values.out}/results.json\n`);
  },
};
