/**
 * `pyramid-bench run <suite.yaml> --out <dir>`: runs a suite (or one shard of it) and writes results.json, the
 * per-sample files, the state files and the manifest, prints the headline table and what the run found (a sentence
 * per question, `analysis/findings.ts`), then (for a whole run, unless `--no-report`) the report
 * (`report.html` and `report/`, as `pyramid-bench report` writes it); `--dry-run` prints the plan and its
 * estimated time from a short calibration instead.
 */
import { parseArgs } from 'node:util';
import { loadSuite } from '../suite/suite-schema.ts';
import { closePlan, planRun, type RunPlan } from '../suite/plan.ts';
import { runSuite } from '../suite/runner.ts';
import { WHOLE, parseShard, type Shard } from '../suite/contract/shard.ts';
import { stderrProgress } from '../suite/progress.ts';
import { headlineMarkdown } from '../analysis/summary.ts';
import { findings } from '../analysis/findings.ts';
import { pairedTestOf } from '../analysis/method-difference.ts';
import { dryRun } from '../suite/calibrate.ts';
import { lockFolder } from '../io/folder-lock.ts';
import { asUsage, integerOption, UsageError, type Command } from './command.ts';

/** Parses repeated `--arg name=value` options. */
export function argsOption(values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--arg is '${v}'; allowed: name=value, e.g. --arg model=onnx:checkpoints/t2v`);
    const name = v.slice(0, eq);
    if (name in out) throw new UsageError(`--arg ${name} is given twice`);
    out[name] = v.slice(eq + 1);
  }
  return out;
}

/** The `run` command; its name, summary and usage are in `index.ts`. */
export const runCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        shard: { type: 'string' },
        store: { type: 'string' },
        arg: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean', default: false },
        'no-report': { type: 'boolean', default: false },
        replace: { type: 'boolean', default: false },
        calibrate: { type: 'string', default: '2' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1)
      throw new UsageError(
        `run takes one suite file, got ${positionals.length ? positionals.join(' ') : 'none'}; e.g. run suites/default.yaml --out runs/default`,
      );
    const shard = values.shard ? parseShardOption(values.shard) : WHOLE;
    const loaded = loadSuite(positionals[0]);
    const plan = await planRun(loaded, argsOption(values.arg));
    // the plan's model sets are ours: closed when the run ends, also when it throws
    try {
      if (values['dry-run']) {
        process.stdout.write(
          await dryRun(plan, {
            shard,
            storeRoot: values.store ?? (values.out ? `${values.out}/store` : null),
            calibrationSamples: integerOption(values.calibrate, 'calibrate', 1)!,
          }),
        );
        return;
      }
      if (!values.out) throw new UsageError('--out is required: the results folder, e.g. --out runs/default');
      const command = ['pyramid-bench', 'run', ...argv];
      const log = (line: string) => process.stderr.write(`[run] ${line}\n`);
      // the folder is ours from the run to its report (runSuite and writeReport take the same lock again)
      const lock = lockFolder(values.out, command.join(' '), log);
      try {
        await runAndReport(plan, values.out, shard, values, command, log);
      } finally {
        lock.release();
      }
    } finally {
      await closePlan(plan);
    }
  },
};

/** Runs the suite into `out` (locked by the caller) and, for a whole run, writes its report. */
async function runAndReport(
  plan: RunPlan,
  out: string,
  shard: Shard,
  values: { store?: string; replace?: boolean; 'no-report'?: boolean },
  command: string[],
  log: (line: string) => void,
): Promise<void> {
  const { results, manifest } = await runSuite(plan, {
    out,
    storeRoot: values.store,
    shard,
    progress: stderrProgress(),
    log,
    command,
    replace: values.replace,
  });
  const counts = manifest.store.counts;
  process.stdout.write(
    `${results.suite.name} v${results.suite.version}${results.partial ? ` (shard ${shard.index}/${shard.count}: partial)` : ''}, ${results.methods[0]?.samples ?? 0} samples per method (full tables: ${out}/results.md)\n\n${headlineMarkdown(results)}\n\n`,
  );
  // the same findings open the report, which is handed them rather than testing the same pairs again
  const found = findings(results, { paired: pairedTestOf(out, results) });
  process.stdout.write(`Findings:\n${found.items.map((f) => `- ${f.text}`).join('\n')}\n(${found.criterion})\n\n`);
  process.stdout.write(
    `store: samples ${counts.samples.hits} read back, ${counts.samples.writes} generated; metric states ${counts.states.hits} read back, ${counts.states.writes} computed; timings ${counts.timings.hits} read back, ${counts.timings.writes} measured\n` +
      `wall time ${manifest.wallSeconds.toFixed(1)} s on ${manifest.device.name}\n` +
      `wrote ${out}/results.json, results.md, manifest.json, samples/, state/\n`,
  );
  // a shard's results are partial: its report comes after the merge
  if (!values['no-report'] && shard.count === 1) {
    const { writeReport, DEFAULT_REPORT } = await import('../report/report.ts');
    const report = await writeReport(out, { ...DEFAULT_REPORT, findings: found });
    process.stdout.write(
      `wrote ${out}/report.html and ${report.files.length - 1} files under ${out}/report/ (pyramid-bench report ${out} writes them again)\n`,
    );
  }
}

function parseShardOption(text: string) {
  return asUsage(() => parseShard(text));
}
