/**
 * The suite runner: for each method and each chunk of this shard, the samples (store or generation), then each
 * metric's chunk state for the samples and, where a metric needs them, for the two reference sets (each state
 * cached in the store under the hash of its inputs); then the timed phase (shard 0), then the state files,
 * results.json, the per-sample files and the manifest. Killed and restarted with the same command, it reads back
 * every finished sample, state and timing, so it recomputes nothing and writes the same results.
 */
import path from 'node:path';
import { hashValue } from '../core/hash.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { insideFolder } from '../io/safe-path.ts';
import { lockFolder } from '../io/folder-lock.ts';
import { COST_TABLE_FILE, costTable } from '../analysis/cost-table.ts';
import { finalizeMethod, type MetricStates } from './contract/finalize.ts';
import { chunkSamples, referenceSamples } from './generate.ts';
import type { SampleChunk, SampleSetKind } from './contract/plugin.ts';
import { referenceSetsOf } from './contract/plugin.ts';
import { samplesNpz, VideoWriter } from './outputs.ts';
import type { MethodPlan, RunPlan } from './plan.ts';
import { Progress, type ProgressOutput } from './progress.ts';
import { buildManifest } from './provenance.ts';
import { RESULTS_SCHEMA, writeResults, type MethodResult, type Results } from './contract/results.ts';
import { SampleStore } from './contract/sample-store.ts';
import { chunkPositions, chunkRange, shardChunks, type Shard } from './contract/shard.ts';
import { decodeStateFile, encodeStateFile, writeMethodStates } from './contract/state-file.ts';
import { resultsMarkdown } from '../analysis/summary.ts';
import { measureTiming } from './timing.ts';
import type { TimingPlan, TimingRecord } from './contract/records.ts';
import { sampleRow, writeSampleRows, type SampleRow } from './contract/sample-rows.ts';
import type { MetricEntry } from './contract/plugin.ts';
import type { Manifest } from './contract/manifest.ts';
import { claimRunFolder } from './run-folder.ts';

/** How to run. */
export interface RunOptions {
  readonly out: string;
  /** Store folder (default `<out>/store`); several runs may share one. */
  readonly storeRoot?: string;
  readonly shard: Shard;
  readonly progress: ProgressOutput;
  readonly log: (line: string) => void;
  /** The command line, for the manifest and the folder's lock. */
  readonly command: readonly string[];
  /** Replace another suite's (or shard set's) results in `out` instead of refusing (default false). */
  readonly replace?: boolean;
}

/** What a run produced. */
export interface RunOutcome {
  readonly results: Results;
  readonly manifest: Manifest;
}

function stateKey(run: RunPlan, plan: MethodPlan, metric: MetricEntry, set: SampleSetKind, chunk: number, inputs: unknown): string {
  const { suite } = run.loaded;
  const context = { shape: plan.context.shape, playbackFps: plan.context.playbackFps };
  return hashValue({
    metric: metric.plugin.name,
    version: metric.plugin.version,
    options: metric.optionsHash,
    identity: metric.plugin.stateIdentity?.(metric.options) ?? null,
    suite: { name: suite.name, version: suite.version },
    context,
    set,
    chunk,
    inputs,
  });
}

/** A chunk state from the store, or computed by `make` and stored. */
async function cachedState(
  store: SampleStore,
  key: string,
  metric: MetricEntry,
  plan: MethodPlan,
  set: SampleSetKind,
  chunk: number,
  make: () => SampleChunk,
): Promise<unknown> {
  const stored = store.readState(key, (bytes, where) => metric.plugin.decode(decodeStateFile(bytes, where).chunks[0].state));
  if (stored !== null) return stored;
  const state = await metric.plugin.chunkState(make(), metric.options, plan.context);
  store.writeState(
    key,
    encodeStateFile({
      metric: metric.plugin.name,
      version: metric.plugin.version,
      set,
      optionsHash: metric.optionsHash,
      chunks: [{ chunk, state: metric.plugin.encode(state) }],
      timing: null,
    }),
  );
  return state;
}

/**
 * Runs `run` (a planned suite) for one shard and writes the results folder, which it locks for the time it runs
 * (io/folder-lock.ts) and refuses when it holds another suite's or shard set's results (unless `replace`). It
 * borrows the plan's model sets: `planRun`'s caller closes them (`closePlan`), also when this throws.
 */
export async function runSuite(run: RunPlan, options: RunOptions): Promise<RunOutcome> {
  const lock = lockFolder(options.out, options.command.join(' ') || 'runSuite', options.log);
  try {
    return await runShard(run, options);
  } finally {
    lock.release();
  }
}

async function runShard(run: RunPlan, options: RunOptions): Promise<RunOutcome> {
  const started = new Date();
  const { suite } = run.loaded;
  const store = new SampleStore(options.storeRoot ?? path.join(options.out, 'store'), options.log);
  const chunks = shardChunks(run.chunks, options.shard);
  if (chunks.length === 0) {
    throw new RangeError(
      `shard ${options.shard.index}/${options.shard.count} has no chunks: suite '${suite.name}' has ${run.chunks} chunks of ${suite.chunk} samples; use at most ${run.chunks} shards`,
    );
  }
  claimRunFolder(
    options.out,
    { suite: { name: suite.name, hash: run.loaded.hash }, shards: { count: options.shard.count, included: [options.shard.index] } },
    { replace: options.replace ?? false, log: options.log },
  );
  const positions = chunkPositions(chunks, suite.chunk, run.samples);
  const toGenerate = run.methods.reduce((n, m) => n + positions.filter((p) => !store.hasSample(m.keys[p])).length, 0);
  options.log(
    `suite ${suite.name} v${suite.version}: ${run.methods.length} methods x ${run.samples} samples; shard ${options.shard.index}/${options.shard.count} has ${chunks.length} of ${run.chunks} chunks (${positions.length} samples per method); ${toGenerate} samples to generate, ${run.methods.length * positions.length - toGenerate} in the store (${store.root})`,
  );
  const progress = new Progress(toGenerate, options.progress);
  const methods: MethodResult[] = [];
  for (const plan of run.methods) {
    methods.push(await runMethod(run, plan, chunks, store, progress, options));
  }
  progress.finish();
  const results: Results = {
    schema: RESULTS_SCHEMA,
    harness: run.harness,
    suite: { name: suite.name, version: suite.version, description: suite.description, hash: run.loaded.hash },
    locked: run.locked,
    shards: { count: options.shard.count, included: [options.shard.index] },
    partial: options.shard.count > 1,
    chunks: { size: suite.chunk, total: run.chunks, included: chunks },
    device: run.device,
    devices: [run.device],
    machines: [run.fingerprint],
    methods,
  };
  writeResults(options.out, results);
  if (suite.outputs.costTable) writeFileAtomic(path.join(options.out, COST_TABLE_FILE), `${JSON.stringify(costTable(), null, 2)}\n`);
  writeFileAtomic(path.join(options.out, 'results.md'), resultsMarkdown(results));
  const manifest = await buildManifest({
    loaded: run.loaded,
    methods: run.methods.map((m) => m.method),
    shard: options.shard,
    machine: run.machine,
    device: run.device,
    store: { root: store.root, counts: store.counts },
    started,
    finished: new Date(),
    command: options.command,
  });
  writeFileAtomic(path.join(options.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { results, manifest };
}

async function runMethod(
  run: RunPlan,
  plan: MethodPlan,
  chunks: readonly number[],
  store: SampleStore,
  progress: Progress,
  options: RunOptions,
): Promise<MethodResult> {
  const { suite } = run.loaded;
  const states: Record<string, { sets: Record<SampleSetKind, { chunk: number; state: unknown }[]>; timing: TimingRecord | null }> = {};
  for (const m of run.metrics) states[m.key] = { sets: { samples: [], reference: [], second: [] }, timing: null };
  const rows: SampleRow[] = [];
  const videoSpec = suite.outputs.videos;
  const videos = videoSpec
    ? new VideoWriter(
        insideFolder(options.out, ['videos', plan.meta.slug], `videos of method '${plan.method.id}'`),
        videoSpec.format,
        videoSpec.naming,
        suite.playbackFps,
      )
    : null;
  const npzRows: { item: (typeof plan.items)[number]; values: Float32Array }[] = [];
  let resolved: Readonly<Record<string, unknown>> | null = null;
  for (const c of chunks) {
    const [a, b] = chunkRange(c, suite.chunk, run.samples);
    const items = plan.items.slice(a, b);
    const keys = plan.keys.slice(a, b);
    const got = await chunkSamples(store, plan, items, keys, suite.seed, suite.batch, run.fingerprint, (n) =>
      progress.advance(n, plan.method.id),
    );
    resolved ??= got.records[0].resolved;
    got.records.forEach((record, i) => rows.push(sampleRow(plan.method.id, items[i], record)));
    const references = new Map<SampleSetKind, SampleChunk>();
    const referenceChunk = (set: SampleSetKind): SampleChunk => {
      let chunk = references.get(set);
      if (!chunk) {
        chunk = { set, chunk: c, items, samples: referenceSamples(plan, items, set === 'reference' ? 0 : 1), records: null };
        references.set(set, chunk);
      }
      return chunk;
    };
    for (const metric of run.metrics) {
      const own = await cachedState(store, stateKey(run, plan, metric, 'samples', c, keys), metric, plan, 'samples', c, () => ({
        set: 'samples',
        chunk: c,
        items,
        samples: got.samples,
        records: got.records,
      }));
      states[metric.key].sets.samples.push({ chunk: c, state: own });
      for (const set of referenceSetsOf(metric)) {
        const inputs = { reference: plan.reference!.key, items: items.map((i) => [i.index, i.conditionKey]) };
        const state = await cachedState(store, stateKey(run, plan, metric, set, c, inputs), metric, plan, set, c, () =>
          referenceChunk(set),
        );
        states[metric.key].sets[set].push({ chunk: c, state });
      }
    }
    if (videos) {
      const limit = videoSpec!.count === 'all' ? Infinity : videoSpec!.count;
      for (let i = 0; i < items.length; i++)
        if (items[i].index < limit) await videos.write(items[i], keys[i], got.samples.sample(i), plan.method.shape);
      videos.save();
    }
    if (suite.outputs.samples === 'npz') items.forEach((item, i) => npzRows.push({ item, values: got.samples.sample(i).slice() }));
  }
  if (options.shard.index === 0) {
    for (const metric of run.metrics) {
      const timingPlan = metric.plugin.timing?.(metric.options) ?? null;
      if (timingPlan) states[metric.key].timing = await timedPhase(run, plan, metric, timingPlan, store, options);
    }
  }
  writeMethodStates(options.out, plan.meta.slug, run.metrics, states);
  writeSampleRows(options.out, plan.meta.slug, rows);
  if (npzRows.length > 0)
    writeFileAtomic(
      insideFolder(options.out, ['samples', `${plan.meta.slug}.npz`], `samples of method '${plan.method.id}'`),
      samplesNpz(npzRows, plan.method.shape),
    );
  options.log(`${plan.method.id}: ${rows.length} samples; computing ${run.metrics.map((m) => m.key).join(', ')}`);
  const metricStates: Record<string, MetricStates> = states;
  return finalizeMethod({ ...plan.meta, resolved }, rows.length, plan.context, run.metrics, metricStates, options.shard.count > 1);
}

/** The timed phase of a method for one metric, read back from the store when this machine already measured it. */
async function timedPhase(
  run: RunPlan,
  plan: MethodPlan,
  metric: MetricEntry,
  timingPlan: TimingPlan,
  store: SampleStore,
  options: RunOptions,
): Promise<TimingRecord> {
  const { suite } = run.loaded;
  const m = plan.method;
  const key = hashValue({
    timing: metric.key,
    version: metric.plugin.version,
    plan: timingPlan,
    suite: { name: suite.name, version: suite.version },
    method: {
      harness: run.harness.version,
      model: m.modelHash,
      sampler: m.sampler,
      settings: m.parsedSettings,
      guidance: m.guidance,
      frames: m.frames,
      seed: suite.seed,
      items: plan.keys.slice(0, timingPlan.batch),
    },
    machine: { cpu: run.machine.cpuModel, cores: run.machine.cores, gpus: run.machine.gpus, device: run.device },
  });
  const stored = store.readTiming<TimingRecord>(key);
  if (stored) return stored;
  options.log(`timing ${m.id}: ${timingPlan.warmup} warm-up and ${timingPlan.repeats} timed generations of ${timingPlan.batch} video(s)`);
  const record = await measureTiming(m, plan.items, suite.seed, timingPlan);
  store.writeTiming(key, record);
  return record;
}
