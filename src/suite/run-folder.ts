/**
 * Which suite a results folder belongs to. A folder holding another suite's results (another name or hash, or
 * another set of shards) is refused before anything is written, unless the caller asks to replace it; replacing
 * removes every output the old suite left (results, manifest, report, per-sample files, states, videos), so
 * nothing stale stays beside the new results. The content-addressed store (`store/`) is kept: its entries are
 * keyed by what made them and cannot be read as another suite's.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { COST_TABLE_FILE } from '../analysis/cost-table.ts';
import type { Results } from './contract/results.ts';

/** What a run or a merge is about to write into a folder. */
export interface FolderClaim {
  readonly suite: { readonly name: string; readonly hash: string };
  readonly shards: { readonly count: number; readonly included: readonly number[] };
}

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
];

function shardText(s: FolderClaim['shards']): string {
  if (s.count === 1) return 'the whole suite';
  return `shard${s.included.length > 1 ? 's' : ''} ${[...s.included].sort((a, b) => a - b).join(', ')} of ${s.count}`;
}

function claimText(c: FolderClaim): string {
  return `suite '${c.suite.name}' (hash ${c.suite.hash.slice(0, 12)}, ${shardText(c.shards)})`;
}

/** Why the folder's results.json is not `claim`'s, or null when it is (a resumed or repeated run). */
function mismatch(file: string, claim: FolderClaim): string | null {
  let old: Pick<Results, 'suite' | 'shards'>;
  try {
    old = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof old?.suite?.name !== 'string' || !Array.isArray(old?.shards?.included)) throw new Error('no suite or shards');
  } catch (error) {
    return `${file} cannot be read as results (${(error as Error).message})`;
  }
  const same =
    old.suite.name === claim.suite.name &&
    old.suite.hash === claim.suite.hash &&
    old.shards.count === claim.shards.count &&
    [...old.shards.included].sort((a, b) => a - b).join(',') === [...claim.shards.included].sort((a, b) => a - b).join(',');
  if (same) return null;
  const shardsOfOne = old.suite.name === claim.suite.name && old.suite.hash === claim.suite.hash;
  // shards of one suite each go into their own folder and are joined by merge
  return `it holds the results of ${claimText(old as FolderClaim)}${shardsOfOne ? ' (run each shard into its own --out, then merge them)' : ''}`;
}

/**
 * Checks that `out` holds no results of another suite or shard set than `claim`'s; with `replace`, removes the
 * outputs of whatever it holds (and says so through `log`). Call it with the folder locked, before writing.
 */
export function claimRunFolder(out: string, claim: FolderClaim, options: { replace: boolean; log: (line: string) => void }): void {
  const file = path.join(out, 'results.json');
  const why = existsSync(file) ? mismatch(file, claim) : null;
  if (why && !options.replace)
    throw new Error(
      `${out}: ${why}; this is ${claimText(claim)}; use another --out, or --replace to remove the old results (${RUN_OUTPUTS.join(', ')})`,
    );
  if (!options.replace) return;
  const present = RUN_OUTPUTS.filter((name) => existsSync(path.join(out, name)));
  // temp files of writes that were killed midway (io/atomic.ts names them .<file>.<pid>.<n>.tmp)
  const temps = existsSync(out) ? readdirSync(out).filter((name) => name.startsWith('.') && name.endsWith('.tmp')) : [];
  for (const name of [...present, ...temps]) rmSync(path.join(out, name), { recursive: true, force: true });
  if (present.length > 0) options.log(`--replace: removed ${present.join(', ')} from ${out}${why ? ` (${why})` : ''}`);
}
