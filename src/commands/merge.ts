/**
 * `pyramid-bench merge <dirs...> --out <dir>`: combines the results folders of a suite's shards exactly, then
 * writes the report of the merged results (unless `--no-report`).
 */
import { parseArgs } from 'node:util';
import { mergeRuns } from '../suite/merge.ts';
import { resultsMarkdown } from '../analysis/summary.ts';
import { UsageError, type Command } from './command.ts';

/** The `merge` command; its name, summary and usage are in `index.ts`. */
export const mergeCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        partial: { type: 'boolean', default: false },
        replace: { type: 'boolean', default: false },
        'no-report': { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (!values.out) throw new UsageError('--out is required: the merged results folder');
    if (positionals.length === 0)
      throw new UsageError('give the shard results folders to merge, e.g. merge runs/s0 runs/s1 --out runs/all');
    const results = await mergeRuns(positionals, values.out, {
      partial: values.partial!,
      replace: values.replace,
      command: ['pyramid-bench', 'merge', ...argv].join(' '),
      log: (line) => process.stderr.write(`[merge] ${line}\n`),
    });
    process.stdout.write(
      `${resultsMarkdown(results)}\nmerged ${positionals.length} folders (shards ${results.shards.included.join(', ')} of ${results.shards.count}) into ${values.out}/results.json\n`,
    );
    if (!values['no-report']) {
      const { writeReport, DEFAULT_REPORT } = await import('../report/report.ts');
      const report = await writeReport(values.out, DEFAULT_REPORT);
      process.stdout.write(`wrote ${values.out}/report.html and ${report.files.length - 1} files under ${values.out}/report/\n`);
    }
  },
};
