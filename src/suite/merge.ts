/**
 * `merge`: combines the results folders of a suite's shards into one. It refuses folders whose locked
 * settings, suite hash, methods or shard count differ (naming what differs), or that repeat or miss a shard, then
 * reads every state file, puts the chunk states in chunk order and finalizes each metric with the same code as a
 * single run, so the merged numbers equal a single run's (wall-clock measurements aside).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson, hashValue } from '../core/hash.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { insideFolder } from '../io/safe-path.ts';
import { lockFolder } from '../io/folder-lock.ts';
import { finalizeMethod, methodContext, type MetricStates } from './contract/finalize.ts';
import { suiteMetrics } from './metrics/index.ts';
import type { SampleSetKind } from './contract/plugin.ts';
import { referenceSetsOf } from './contract/plugin.ts';
import { harnessInfo } from './provenance.ts';
import {
  assertComparable,
  differences,
  readResults,
  writeResults,
  type MethodMeta,
  type MethodResult,
  type Results,
} from './contract/results.ts';
import { decodeStateFile, stateFilePath, writeMethodStates } from './contract/state-file.ts';
import { resultsMarkdown } from '../analysis/summary.ts';
import { readSampleRows, writeSampleRows } from './contract/sample-rows.ts';
import type { MetricEntry } from './contract/plugin.ts';
import { claimRunFolder } from './run-folder.ts';

function metaOf(m: MethodResult): MethodMeta {
  const { samples: _s, metrics: _m, resolved: _r, ...meta } = m;
  return { ...meta, resolved: null };
}

/** Checks that shard results belong together; returns the shard indices in folder order. */
function checkShards(all: readonly { dir: string; results: Results }[], partial: boolean): number[] {
  const [first, ...rest] = all;
  for (const r of rest) {
    assertComparable(first.results, r.results, 'merge', [first.dir, r.dir]);
    if (r.results.suite.hash !== first.results.suite.hash)
      throw new RangeError(
        `cannot merge ${first.dir} and ${r.dir}: the suite changed between them (hash ${first.results.suite.hash.slice(0, 12)} vs ${r.results.suite.hash.slice(0, 12)})`,
      );
    if (r.results.shards.count !== first.results.shards.count)
      throw new RangeError(
        `cannot merge ${first.dir} and ${r.dir}: they were cut into ${first.results.shards.count} and ${r.results.shards.count} shards`,
      );
    const a = first.results.methods.map(metaOf);
    const b = r.results.methods.map(metaOf);
    const diff = differences(a, b);
    if (diff.length > 0) throw new RangeError(`cannot merge ${first.dir} and ${r.dir}: their methods differ:\n  ${diff.join('\n  ')}`);
  }
  const seen = new Map<number, string>();
  for (const { dir, results } of all) {
    for (const s of results.shards.included) {
      if (seen.has(s)) throw new RangeError(`shard ${s} is in both ${seen.get(s)} and ${dir}`);
      seen.set(s, dir);
    }
  }
  const count = first.results.shards.count;
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0 && !partial)
    throw new RangeError(
      `shards ${missing.join(', ')} of ${count} are missing; give every shard's folder, or --partial for results over the shards given`,
    );
  return [...seen.keys()].sort((x, y) => x - y);
}

/** How to merge. */
export interface MergeOptions {
  /** Merge the shards given even when some are missing. */
  readonly partial: boolean;
  /** Replace another suite's (or shard set's) results in `out` instead of refusing (default false). */
  readonly replace?: boolean;
  /** The command, for the lock of `out` (default 'pyramid-bench merge'). */
  readonly command?: string;
  readonly log?: (line: string) => void;
}

/** Refuses an output folder that is one of the inputs (compared by real path, links followed). */
function assertNotAnInput(dirs: readonly string[], out: string): void {
  if (!existsSync(out)) return;
  const real = realpathSync(out);
  for (const dir of dirs)
    if (existsSync(dir) && realpathSync(dir) === real)
      throw new RangeError(
        `merge --out ${out} is the input folder ${dir} (${real}); merging into an input would overwrite that shard: give another --out`,
      );
}

/**
 * Merges shard folders `dirs` into `out`, which it locks while it writes (io/folder-lock.ts); refuses an `out`
 * that is one of `dirs` (before anything is written) or that holds another suite's results (unless `replace`).
 * Returns the merged results.
 */
export async function mergeRuns(dirs: readonly string[], out: string, options: MergeOptions): Promise<Results> {
  if (dirs.length === 0) throw new RangeError('merge needs at least one results folder');
  assertNotAnInput(dirs, out);
  const all = dirs.map((dir) => ({ dir, results: readResults(dir) }));
  const included = checkShards(all, options.partial);
  const first = all[0].results;
  const metrics: MetricEntry[] = first.locked.metrics.map((m) => {
    const plugin = suiteMetrics.get(m.name);
    if (plugin.version !== m.version)
      throw new RangeError(
        `metric '${m.name}' is version ${plugin.version} in this harness; the shards were made with version ${m.version}`,
      );
    return { key: m.id ?? m.name, plugin, options: m.options, optionsHash: hashValue(m.options) };
  });
  const log = options.log ?? (() => undefined);
  const lock = lockFolder(out, options.command ?? 'pyramid-bench merge', log);
  try {
    claimRunFolder(
      out,
      { suite: { name: first.suite.name, hash: first.suite.hash }, shards: { count: first.shards.count, included } },
      { replace: options.replace ?? false, log },
    );
    return await mergeInto(all, metrics, included, dirs, out);
  } finally {
    lock.release();
  }
}

async function mergeInto(
  all: readonly { dir: string; results: Results }[],
  metrics: readonly MetricEntry[],
  included: number[],
  dirs: readonly string[],
  out: string,
): Promise<Results> {
  const first = all[0].results;
  const shard0 = all.find((a) => a.results.shards.included.includes(0))?.results ?? first;
  const devices = [...new Map(all.flatMap((a) => a.results.devices).map((d) => [canonicalJson(d), d])).values()];
  // each shard's times are its own machine's: the merge counts every shard's machine as its own
  const byShard = [...all].sort((a, b) => Math.min(...a.results.shards.included) - Math.min(...b.results.shards.included));
  const machines = [...new Map(byShard.flatMap((a) => a.results.machines ?? []).map((m) => [m.id, m])).values()];
  const methods: MethodResult[] = [];
  for (const m of first.methods) {
    const states: Record<string, MetricStates & { sets: Record<SampleSetKind, { chunk: number; state: unknown }[]> }> = {};
    for (const metric of metrics) {
      const sets: Record<SampleSetKind, { chunk: number; state: unknown }[]> = { samples: [], reference: [], second: [] };
      let timing: MetricStates['timing'] = null;
      for (const { dir } of all) {
        for (const set of ['samples', ...referenceSetsOf(metric)] as SampleSetKind[]) {
          const file = stateFilePath(dir, m.slug, metric.key, set);
          if (!existsSync(file)) throw new RangeError(`${file} is missing; ${dir} is not a complete results folder`);
          const decoded = decodeStateFile(readFileSync(file), file);
          if (decoded.optionsHash !== metric.optionsHash)
            throw new RangeError(`${file}: made with other options of metric '${metric.key}'`);
          for (const c of decoded.chunks) sets[set].push({ chunk: c.chunk, state: metric.plugin.decode(c.state) });
          timing ??= decoded.timing;
        }
      }
      states[metric.key] = { sets, timing };
    }
    const rows = all.flatMap(({ dir }) => readSampleRows(dir, m.slug));
    const resolved = all.map((a) => a.results.methods.find((x) => x.id === m.id)!.resolved).find((r) => r !== null) ?? null;
    methods.push(
      await finalizeMethod(
        { ...metaOf(m), resolved },
        rows.length,
        methodContext(m, first.locked, shard0.device, machines),
        metrics,
        states,
        included.length < first.shards.count,
      ),
    );
    writeSampleRows(out, m.slug, rows);
    writeMethodStates(out, m.slug, metrics, states);
    copyVideos(dirs, out, m.slug);
  }
  const chunks = [...new Set(all.flatMap((a) => a.results.chunks.included))].sort((a, b) => a - b);
  const results: Results = {
    ...first,
    shards: { count: first.shards.count, included },
    partial: included.length < first.shards.count,
    chunks: { ...first.chunks, included: chunks },
    device: shard0.device,
    devices,
    machines,
    methods,
  };
  writeResults(out, results);
  writeFileAtomic(path.join(out, 'results.md'), resultsMarkdown(results));
  const manifests = dirs.map((dir) => {
    const file = path.join(dir, 'manifest.json');
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { missing: file };
  });
  writeFileAtomic(
    path.join(out, 'manifest.json'),
    `${JSON.stringify({ schema: 'pyramid-bench/merge-manifest@1', harness: harnessInfo(), mergedAt: new Date().toISOString(), folders: dirs, shards: manifests }, null, 2)}\n`,
  );
  return results;
}

/** Copies each shard's videos of a method into the merged folder (their names do not overlap: each sample is in one shard). */
function copyVideos(dirs: readonly string[], out: string, slug: string): void {
  const keys: Record<string, string> = {};
  const to = insideFolder(out, ['videos', slug], `videos of method '${slug}'`);
  for (const dir of dirs) {
    const from = insideFolder(dir, ['videos', slug], `videos of method '${slug}'`);
    if (!existsSync(from)) continue;
    const index = path.join(from, 'keys.json');
    const shardKeys = existsSync(index) ? (JSON.parse(readFileSync(index, 'utf8')) as Record<string, string>) : {};
    for (const name of readdirSync(from)) {
      if (name === 'keys.json' || name.startsWith('.')) continue;
      if (name in keys) throw new RangeError(`video ${name} of ${slug} is in more than one shard folder`);
      mkdirSync(to, { recursive: true });
      copyFileSync(path.join(from, name), path.join(to, name));
      keys[name] = shardKeys[name] ?? '';
    }
  }
  if (Object.keys(keys).length > 0) writeFileAtomic(path.join(to, 'keys.json'), `${JSON.stringify(keys, Object.keys(keys).sort(), 2)}\n`);
}
