/**
 * `pyramid-bench compare <run A> <run B> [<run C> ...]`: every run against the first, value by value, with
 * paired bootstrap intervals of the differences (samples paired by seed, index and condition); refused, naming
 * each difference, when locked settings differ. `--out` writes the comparison's files and the curves across runs
 * (checkpoints), holding the folder's lock (io/folder-lock.ts) as run, merge and report do; `--fail-if` conditions
 * make it a regression gate (exit status 3 when one holds).
 */
import { parseArgs } from 'node:util';
import { compareRuns, comparisonMarkdown, loadRun } from '../analysis/compare.ts';
import { evaluateGate, parseGate } from '../analysis/gate.ts';
import { DEFAULT_PAIRED } from '../analysis/paired-compare.ts';
import { lockFolder } from '../io/folder-lock.ts';
import { parseFormats } from '../report/formats.ts';
import { asUsage, CommandFailure, integerOption, UsageError, type Command } from './command.ts';

/** Exit status of `compare` when a `--fail-if` condition holds. */
export const GATE_EXIT_STATUS = 3;

function level(text: string): number {
  const v = Number(text);
  if (!(v > 0 && v < 1)) throw new UsageError(`--level is '${text}'; allowed: a number between 0 and 1, e.g. 0.95`);
  return v;
}

/** The `compare` command; its name, summary and usage are in `index.ts`. */
export const compareCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        labels: { type: 'string' },
        out: { type: 'string' },
        formats: { type: 'string', default: 'png,svg,pdf' },
        json: { type: 'boolean', default: false },
        resamples: { type: 'string', default: String(DEFAULT_PAIRED.resamples) },
        'distance-resamples': { type: 'string', default: String(DEFAULT_PAIRED.distanceResamples) },
        level: { type: 'string', default: String(DEFAULT_PAIRED.level) },
        seed: { type: 'string', default: String(DEFAULT_PAIRED.seed) },
        'fail-if': { type: 'string', multiple: true },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length < 2)
      throw new UsageError(`compare takes at least two results folders (the first is the baseline), got ${positionals.length}`);
    const labels = values.labels?.split(',').map((s) => s.trim());
    if (labels && labels.length !== positionals.length)
      throw new UsageError(`--labels has ${labels.length} labels for ${positionals.length} results folders`);
    const conditions = asUsage(() => (values['fail-if'] ?? []).map(parseGate));
    const formats = asUsage(() => parseFormats(values.formats!));
    const options = {
      resamples: integerOption(values.resamples, 'resamples', 1)!,
      distanceResamples: integerOption(values['distance-resamples'], 'distance-resamples', 1)!,
      level: level(values.level!),
      seed: integerOption(values.seed, 'seed', 0)!,
    };
    // the output folder is ours from here to the last file written: another writer is refused before any work
    const note = (line: string) => process.stderr.write(`[compare] ${line}\n`);
    const lock = values.out ? lockFolder(values.out, ['pyramid-bench', 'compare', ...argv].join(' '), note) : null;
    try {
      await compareInto(positionals, labels, conditions, formats, options, values);
    } finally {
      lock?.release();
    }
  },
};

/** Compares the runs, prints the comparison, writes `--out`'s files and applies the gate. */
async function compareInto(
  positionals: string[],
  labels: string[] | undefined,
  conditions: ReturnType<typeof parseGate>[],
  formats: ReturnType<typeof parseFormats>,
  options: Parameters<typeof compareRuns>[1],
  values: { out?: string; json?: boolean },
): Promise<void> {
  const runs = positionals.map((dir, i) => loadRun(dir, labels?.[i]));
  const named = runs.map((r) => r.label);
  const twice = named.find((l, i) => named.indexOf(l) !== i);
  if (twice !== undefined)
    throw new UsageError(
      `two runs are labelled '${twice}'${labels ? '' : ' (their folders have the same name)'}; give distinct labels with --labels a,b,...`,
    );
  const comparison = compareRuns(runs, options);
  const methodNames = new Map(runs.flatMap((r) => r.results.methods.map((m) => [m.id, m.name] as const)));
  // a condition naming a value or method the runs do not have is a usage error, before anything is printed or written
  const failures = asUsage(() => evaluateGate(conditions, comparison, methodNames));
  process.stdout.write(values.json ? `${JSON.stringify(comparison, null, 2)}\n` : comparisonMarkdown(comparison));
  if (values.out) {
    // loaded here: chart.js and node-canvas are needed only for --out
    const { writeComparison } = await import('../report/comparison.ts');
    const files = writeComparison(comparison, values.out, formats, methodNames);
    process.stderr.write(`wrote ${files.length} files to ${values.out}: ${files.join(', ')}\n`);
  }
  if (failures.length > 0)
    throw new CommandFailure(`regression gate failed (${failures.length}):\n  ${failures.join('\n  ')}`, GATE_EXIT_STATUS);
  if (conditions.length > 0) process.stderr.write(`regression gate passed: ${conditions.map((c) => `'${c.text}'`).join(', ')}\n`);
}
