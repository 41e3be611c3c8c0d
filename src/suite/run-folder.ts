/**
 * Which suite a results folder belongs to. The owner is recorded in `.pyramid-bench-suite.json` when a run or a
 * merge claims the folder, before any sample is written, so a run killed before its results.json still says whose
 * samples, states and videos the folder holds. A folder holding another suite's results or claim (another name or
 * hash, or another set of shards) is refused before anything is written, unless the caller asks to replace it; replacing
 * removes every output the old suite left (results, manifest, report, per-sample files, states, videos), so
 * nothing stale stays beside the new results. The content-addressed store (`store/`) is kept: its entries are
 * keyed by what made them and cannot be read as another suite's.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { COST_TABLE_FILE } from '../analysis/cost-table.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import type { Results } from './contract/results.ts';

/** What a run or a merge is about to write into a folder. */
export interface FolderClaim {
  readonly suite: { readonly name: string; readonly hash: string };
  readonly shards: { readonly count: number; readonly included: readonly number[] };
}

/** The file that names the suite and shards a folder belongs to, written when a run or a merge claims it. */
export const OWNER_FILE = '.pyramid-bench-suite.json';

/** The files and folders a run, a merge and a report write into a results folder (the store aside). */
export const RUN_OUTPUTS: readonly string[] = [
  'results.json',
  'results.md',
  'manifest.json',
  COST_TABLE_FILE,
  'report.html',
  'report',
  'samples',
  'state',
  'videos',
  OWNER_FILE,
  // report/report.ts REPORT_OWNER_FILE: which suite report.html is of
  '.pyramid-bench-report.json',
];

function shardText(s: FolderClaim['shards']): string {
  if (s.count === 1) return 'the whole suite';
  return `shard${s.included.length > 1 ? 's' : ''} ${[...s.included].sort((a, b) => a - b).join(', ')} of ${s.count}`;
}

function claimText(c: FolderClaim): string {
  return `suite '${c.suite.name}' (hash ${c.suite.hash.slice(0, 12)}, ${shardText(c.shards)})`;
}

/**
 * Why the folder's results.json (or, before it is written, its owner file) is not `claim`'s, or null when it is
 * (a resumed or repeated run).
 */
function mismatch(file: string, claim: FolderClaim): string | null {
  let old: Pick<Results, 'suite' | 'shards'>;
  const unfinished = path.basename(file) === OWNER_FILE;
  try {
    old = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof old?.suite?.name !== 'string' || typeof old?.suite?.hash !== 'string' || !Array.isArray(old?.shards?.included))
      throw new Error('no suite or shards');
  } catch (error) {
    return `${file} cannot be read as ${unfinished ? "the folder's owner" : 'results'} (${(error as Error).message})`;
  }
  const same =
    old.suite.name === claim.suite.name &&
    old.suite.hash === claim.suite.hash &&
    old.shards.count === claim.shards.count &&
    [...old.shards.included].sort((a, b) => a - b).join(',') === [...claim.shards.included].sort((a, b) => a - b).join(',');
  if (same) return null;
  const shardsOfOne = old.suite.name === claim.suite.name && old.suite.hash === claim.suite.hash;
  // shards of one suite each go into their own folder and are joined by merge
  const what = unfinished ? `the unfinished outputs (no results.json yet; ${OWNER_FILE})` : 'the results';
  return `it holds ${what} of ${claimText(old as FolderClaim)}${shardsOfOne ? ' (run each shard into its own --out, then merge them)' : ''}`;
}

/** Why the folder holds outputs no owner file or results.json accounts for (left by an older version), or null. */
function unowned(out: string): string | null {
  const present = RUN_OUTPUTS.filter((name) => existsSync(path.join(out, name)));
  if (present.length === 0) return null;
  return `it holds ${present.join(', ')} of an unknown suite (neither results.json nor ${OWNER_FILE} says which)`;
}

/**
 * Checks that `out` holds no results or unfinished outputs of another suite or shard set than `claim`'s; with
 * `replace`, removes the outputs of whatever it holds (and says so through `log`); then records `claim` as the
 * folder's owner. Call it with the folder locked, before writing anything else.
 */
export function claimRunFolder(out: string, claim: FolderClaim, options: { replace: boolean; log: (line: string) => void }): void {
  const results = path.join(out, 'results.json');
  const owner = path.join(out, OWNER_FILE);
  const why = existsSync(results) ? mismatch(results, claim) : existsSync(owner) ? mismatch(owner, claim) : unowned(out);
  if (why && !options.replace)
    throw new Error(
      `${out}: ${why}; this is ${claimText(claim)}; use another --out, or --replace to remove the old results (${RUN_OUTPUTS.join(', ')})`,
    );
  if (options.replace) removeOutputs(out, why, options.log);
  mkdirSync(out, { recursive: true });
  writeFileAtomic(owner, `${JSON.stringify({ suite: claim.suite, shards: claim.shards }, null, 2)}\n`);
}

/** Removes every output of a run, a merge or a report from `out` (the store aside), and stray temp files. */
function removeOutputs(out: string, why: string | null, log: (line: string) => void): void {
  const present = RUN_OUTPUTS.filter((name) => existsSync(path.join(out, name)));
  // temp files of writes that were killed midway (io/atomic.ts names them .<file>.<pid>.<n>.tmp)
  const temps = existsSync(out) ? readdirSync(out).filter((name) => name.startsWith('.') && name.endsWith('.tmp')) : [];
  for (const name of [...present, ...temps]) rmSync(path.join(out, name), { recursive: true, force: true });
  if (present.length > 0) log(`--replace: removed ${present.join(', ')} from ${out}${why ? ` (${why})` : ''}`);
}
