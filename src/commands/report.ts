/**
 * `pyramid-bench report <run> [--out <dir>] [--formats png,svg,pdf] [--videos <n>]`: turns a results folder into
 * `report.html` and the files of `report/` (Markdown and LaTeX tables, CSV, charts, videos); see docs/reports.md.
 * `--out` refuses a folder holding another suite's report or results unless `--replace`.
 */
import { parseArgs } from 'node:util';
import { parseFormats } from '../report/formats.ts';
import { asUsage, integerOption, UsageError, type Command } from './command.ts';

/** The `report` command; its name, summary and usage are in `index.ts`. */
export const reportCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        formats: { type: 'string', default: 'png,svg,pdf' },
        videos: { type: 'string', default: '4' },
        replace: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1)
      throw new UsageError(
        `report takes one results folder, got ${positionals.length ? positionals.join(' ') : 'none'}; e.g. report runs/default`,
      );
    const formats = asUsage(() => parseFormats(values.formats!));
    // loaded here: chart.js and node-canvas are needed only by this command
    const { writeReport } = await import('../report/report.ts');
    const outcome = await writeReport(positionals[0], {
      out: values.out,
      formats,
      videos: integerOption(values.videos, 'videos', 0)!,
      replace: values.replace,
    });
    const out = outcome.out;
    process.stdout.write(`wrote ${outcome.files.length} files to ${out}: ${outcome.files.join(', ')}\n`);
    if (outcome.skipped.length) process.stdout.write(`not drawn:\n${outcome.skipped.map((s) => `  ${s}`).join('\n')}\n`);
    process.stdout.write(`open ${out}/report.html\n`);
  },
};
