/**
 * `pyramid-bench slurm <suite.yaml> --shards N --out <dir>`: writes the Slurm job-array file that runs the suite as
 * N shards (`<out>/array.sbatch`, one array task per shard, requeued on failure or preemption and resumed from the
 * shared store) and the merge job that combines them once every task has succeeded (`<out>/merge.sbatch`);
 * `--submit` submits both, the merge with `--dependency=afterok:<array job id>` (docs/scaling.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../io/atomic.ts';
import { loadSuite, samplesPerMethod } from '../suite/suite-schema.ts';
import { chunkCount } from '../suite/contract/shard.ts';
import { argsOption } from './run.ts';
import { CommandFailure, integerOption, UsageError, type Command } from './command.ts';

/** What the two job files are written from; every path absolute. */
export interface SlurmJobOptions {
  /** The suite file. */
  readonly suite: string;
  /** Number of shards, one array task each. */
  readonly shards: number;
  /** The folder of the shards (`shard-<i>`), the merged results (`merged`), the logs (`logs`) and the job files. */
  readonly out: string;
  /** The sample store every shard shares (content-addressed, written by rename). */
  readonly store: string;
  /** The folder the jobs run in (relative paths in the suite resolve from it). */
  readonly workdir: string;
  /** The CLI's entry point (`bin/pyramid-bench.js`). */
  readonly bin: string;
  /** Suite arguments (`--arg name=value`), passed to every shard. */
  readonly args: Readonly<Record<string, string>>;
  /** Slurm partition, or null for the cluster's default. */
  readonly partition: string | null;
  /** Slurm time limit per job (e.g. `04:00:00`), or null for the partition's default. */
  readonly time: string | null;
  /** At most this many array tasks at once (`--array=0-(N-1)%K`), or null for no limit. */
  readonly maxRunning: number | null;
}

/** The two job files' text. */
export interface SlurmJobFiles {
  /** `array.sbatch`: the job array, task i running shard i/N. */
  readonly array: string;
  /** `merge.sbatch`: merges the N shard folders into `<out>/merged`. */
  readonly merge: string;
}

/** Slurm's time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS (sbatch(1), --time). */
const TIME = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d{1,2}|\d+-\d{1,2}:\d{1,2}|\d+-\d{1,2}:\d{1,2}:\d{1,2})$/;
const PARTITION = /^[A-Za-z0-9_.-]+$/;

/** Quotes a word for bash (single quotes; a quote inside becomes '\''). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Refuses a path that cannot stand in an `#SBATCH` line or a file name pattern: sbatch reads `%` as a pattern
 * (`%a`, `%j`) and does not take control characters or double quotes there.
 */
function checkPath(value: string, option: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  const bad = /[\u0000-\u001f\u007f"%\\]/.exec(value);
  if (bad)
    throw new UsageError(
      `${option} is ${JSON.stringify(value)}; it holds ${JSON.stringify(bad[0])}, which an #SBATCH line cannot carry; allowed: a path without control characters, '"', '%' or '\\'`,
    );
}

function header(lines: string[], options: SlurmJobOptions): string[] {
  const out = ['#!/bin/bash', ...lines];
  if (options.partition !== null) out.push(`#SBATCH --partition=${options.partition}`);
  if (options.time !== null) out.push(`#SBATCH --time=${options.time}`);
  return out;
}

/** The job array and the merge job for `options` (pure: writes nothing). */
export function slurmJobFiles(options: SlurmJobOptions): SlurmJobFiles {
  const { out, shards } = options;
  const node = (words: string[]) => `exec node ${words.map(shellQuote).join(' ')}`;
  const args = Object.entries(options.args).flatMap(([name, value]) => ['--arg', `${name}=${value}`]);
  const array = [
    ...header(
      [
        '#SBATCH --job-name=pyramid-bench',
        `#SBATCH --array=0-${shards - 1}${options.maxRunning === null ? '' : `%${options.maxRunning}`}`,
        '#SBATCH --requeue',
        '#SBATCH --open-mode=append',
        `#SBATCH --output="${out}/logs/shard-%a.log"`,
      ],
      options,
    ),
    '# shard i of the suite; a requeued task resumes from the store and computes nothing twice',
    'set -euo pipefail',
    `cd ${shellQuote(options.workdir)}`,
    `echo "pyramid-bench: shard \${SLURM_ARRAY_TASK_ID}/${shards} of job \${SLURM_ARRAY_JOB_ID}, start \${SLURM_RESTART_COUNT:-0}, on $(hostname)"`,
    `${node([options.bin, 'run', options.suite, ...args])} --shard "\${SLURM_ARRAY_TASK_ID}/${shards}" --out ${shellQuote(`${out}/shard-`)}"\${SLURM_ARRAY_TASK_ID}" --store ${shellQuote(options.store)}`,
    '',
  ].join('\n');
  const shardDirs = Array.from({ length: shards }, (_, i) => `${out}/shard-${i}`);
  const merge = [
    ...header(['#SBATCH --job-name=pyramid-bench-merge', `#SBATCH --output="${out}/logs/merge.log"`], options),
    '# submit with --dependency=afterok:<array job id>: runs once every shard has succeeded',
    'set -euo pipefail',
    `cd ${shellQuote(options.workdir)}`,
    node([options.bin, 'merge', ...shardDirs, '--out', `${out}/merged`]),
    '',
  ].join('\n');
  return { array, merge };
}

/** The job id in `sbatch --parsable`'s answer ("<id>" or "<id>;<cluster>"). */
export function parsableJobId(stdout: string): string {
  const id = stdout.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw new CommandFailure(`sbatch --parsable answered ${JSON.stringify(stdout.trim())}, not a job id`, 1);
  return id;
}

function sbatch(args: string[]): string {
  const r = spawnSync('sbatch', ['--parsable', ...args], { encoding: 'utf8' });
  if (r.error)
    throw new CommandFailure(
      `sbatch cannot be started (${(r.error as Error).message}); install Slurm's client (Debian: slurm-client) or submit the files yourself`,
      1,
    );
  if (r.status !== 0) throw new CommandFailure(`sbatch ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.trim()}`, 1);
  return parsableJobId(r.stdout);
}

/** The `slurm` command; its name, summary and usage are in `index.ts`. */
export const slurmCommand: Command = {
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        shards: { type: 'string' },
        out: { type: 'string' },
        store: { type: 'string' },
        partition: { type: 'string' },
        time: { type: 'string' },
        'max-running': { type: 'string' },
        arg: { type: 'string', multiple: true },
        submit: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1)
      throw new UsageError(
        `slurm takes one suite file, got ${positionals.length ? positionals.join(' ') : 'none'}; e.g. slurm suites/default.yaml --shards 4 --out runs/default`,
      );
    if (values.shards === undefined) throw new UsageError('--shards is required: the number of array tasks, e.g. --shards 4');
    if (!values.out) throw new UsageError('--out is required: the folder of the shards, the merged results and the job files');
    const shards = integerOption(values.shards, 'shards', 1)!;
    if (values.time !== undefined && !TIME.test(values.time))
      throw new UsageError(
        `--time is '${values.time}'; allowed: Slurm's formats minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS, e.g. 04:00:00`,
      );
    if (values.partition !== undefined && !PARTITION.test(values.partition))
      throw new UsageError(`--partition is '${values.partition}'; allowed: a partition name of letters, digits, '_', '.' and '-'`);
    const suite = path.resolve(positionals[0]);
    const out = path.resolve(values.out);
    const store = path.resolve(values.store ?? `${values.out}/store`);
    checkPath(out, '--out');
    checkPath(store, '--store');
    const loaded = loadSuite(suite);
    const samples = samplesPerMethod(loaded);
    const chunks = chunkCount(samples, loaded.suite.chunk);
    if (shards > chunks)
      throw new UsageError(
        `--shards is ${shards}, but suite ${positionals[0]} has ${chunks} chunks (${samples} samples in chunks of ${loaded.suite.chunk}); allowed: 1 to ${chunks} shards`,
      );
    const files = slurmJobFiles({
      suite,
      shards,
      out,
      store,
      workdir: process.cwd(),
      bin: fileURLToPath(new URL('../../bin/pyramid-bench.js', import.meta.url)),
      args: argsOption(values.arg),
      partition: values.partition ?? null,
      time: values.time ?? null,
      maxRunning: integerOption(values['max-running'], 'max-running', 1) ?? null,
    });
    mkdirSync(path.join(out, 'logs'), { recursive: true });
    writeFileAtomic(path.join(out, 'array.sbatch'), files.array);
    writeFileAtomic(path.join(out, 'merge.sbatch'), files.merge);
    process.stdout.write(`wrote ${out}/array.sbatch (${shards} array tasks) and ${out}/merge.sbatch\n`);
    if (!values.submit) {
      process.stdout.write(
        `submit with:\n  jobid=$(sbatch --parsable ${shellQuote(`${out}/array.sbatch`)}) && sbatch --dependency=afterok:$jobid ${shellQuote(`${out}/merge.sbatch`)}\n`,
      );
      return;
    }
    const arrayJob = sbatch([path.join(out, 'array.sbatch')]);
    const mergeJob = sbatch([`--dependency=afterok:${arrayJob}`, path.join(out, 'merge.sbatch')]);
    process.stdout.write(`array job ${arrayJob}\nmerge job ${mergeJob} (after ok:${arrayJob}; results in ${out}/merged)\n`);
  },
};
