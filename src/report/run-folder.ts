/**
 * A results folder as the report reads it: `results.json`, the provenance manifest (a run's, or a merge's
 * with each shard's), each method's per-sample rows (`samples/<method>.jsonl`) and the timed phase's repeats
 * (from the throughput state file).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readResults, type Results } from '../suite/contract/results.ts';
import { decodeStateFile, stateFilePath } from '../suite/contract/state-file.ts';
import type { MethodLatencies } from './latency-chart.ts';
import { metricKeyOf } from './values.ts';
import type { TimingRecord } from '../suite/contract/records.ts';
import { readSampleRows, sampleRowsFile, type SampleRow } from '../suite/contract/sample-rows.ts';
import type { Manifest } from '../suite/contract/manifest.ts';

/** What a report is made from. */
export interface RunFolder {
  readonly dir: string;
  readonly results: Results;
  /** The run's manifest, or shard 0's for a merged folder; null when absent. */
  readonly manifest: Manifest | null;
  /** For a merged folder: each shard's manifest as the merge recorded it. */
  readonly shardManifests: readonly Manifest[];
  /** Per-sample rows by method id (empty when the folder has none). */
  readonly samples: ReadonlyMap<string, readonly SampleRow[]>;
  /** Timed repeats by method (only methods with a timed phase). */
  readonly latencies: readonly MethodLatencies[];
}

/** The timed phase's record of a method, from its throughput state file (metric key `key`), or null. */
export function timingRecord(dir: string, slug: string, key = 'throughput'): TimingRecord | null {
  const file = stateFilePath(dir, slug, key, 'samples');
  if (!existsSync(file)) return null;
  return decodeStateFile(readFileSync(file), file).timing;
}

/** Reads a results folder; throws naming the folder when it has no readable results.json. */
export function readRunFolder(dir: string): RunFolder {
  if (!existsSync(path.join(dir, 'results.json')))
    throw new RangeError(`${dir} is not a results folder: it has no results.json (run \`pyramid-bench run <suite> --out ${dir}\` first)`);
  const results = readResults(dir);
  let manifest: Manifest | null = null;
  let shardManifests: Manifest[] = [];
  const file = path.join(dir, 'manifest.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { schema?: string; shards?: Manifest[] };
    if (parsed.schema === 'pyramid-bench/merge-manifest@1') {
      shardManifests = (parsed.shards ?? []).filter((m) => m && m.schema === 'pyramid-bench/manifest@1');
      manifest = shardManifests.find((m) => m.shard?.index === 0) ?? shardManifests[0] ?? null;
    } else if (parsed.schema === 'pyramid-bench/manifest@1') manifest = parsed as unknown as Manifest;
  }
  const samples = new Map<string, readonly SampleRow[]>();
  for (const m of results.methods) if (existsSync(sampleRowsFile(dir, m.slug, '.jsonl'))) samples.set(m.id, readSampleRows(dir, m.slug));
  const latencies: MethodLatencies[] = [];
  const key = metricKeyOf(results, 'throughput');
  for (const m of results.methods) {
    const timing = m.metrics[key] ? timingRecord(dir, m.slug, key) : null;
    if (timing)
      latencies.push({
        id: m.id,
        name: m.name,
        ms: timing.repeats.map((r) => r.wallSeconds * 1000),
        batch: timing.plan.batch,
        frames: timing.frames,
      });
  }
  return { dir, results, manifest, shardManifests, samples, latencies };
}
