/**
 * Metric values recomputed on resampled samples, for paired bootstrap comparisons (`paired-compare.ts`): a
 * method's chunk states (the `state/` files of a results folder) cut into one row per sample, in index order,
 * and a statistic that gives the metric's values for any multiset of those rows.
 *
 *  - `cost`, `throughput` (bulk values): the rows' costs and generation times, put back into one chunk state and
 *    handed to the metric's own `finalize`, so the numbers are the metric's by construction.
 *  - `vbench/<dimension>`: the rows' per-video details aggregated by the dimension's own `score`.
 *  - `shapes-class-accuracy`, `shapes-motion`: the rows' logits and labels, or tracker measurements, put back into
 *    one chunk state for the metric's own `finalize` (without the reference set: its ceiling is not compared).
 *  - distances whose states are feature rows (`{rows, dim, features}`, e.g. `fd-pixel`) and that report `fd`:
 *    the Fréchet distance from the resample's weighted moments (`WeightedMoments`) to the moments of the whole
 *    reference set, which stays fixed (both runs share it: the reference is a locked setting); `fdOverFloor` is
 *    that over the reported floor, and `fdFloor` (reference against reference) is constant.
 *  - the timed phase (`throughput` latency and per-stage time): its repeats, which are not samples (see
 *    `latencyStatistic`).
 *
 * Each statistic is checked on all its rows against the reported values; a key that does not reproduce its
 * reported value (relative difference above 1e-6) is left out, and its comparison falls back to the reported
 * uncertainties.
 */
import { existsSync, readFileSync } from 'node:fs';
import { FRECHET_COMPAT, frechetFromMoments, type FrechetOptions } from '../metrics/frechet.ts';
import { momentsOf } from '../metrics/feature-stats.ts';
import { WeightedMoments } from '../metrics/weighted-moments.ts';
import { methodContext } from '../suite/contract/finalize.ts';
import { suiteMetrics } from '../suite/metrics/index.ts';
import type { CostState } from '../suite/metrics/cost.ts';
import { referenceSetsOf, type MetricPlugin, type MetricValue } from '../suite/contract/plugin.ts';
import type { ThroughputState } from '../suite/metrics/throughput.ts';
import type { ClassAccuracyState } from '../suite/metrics/shapes-class-accuracy.ts';
import type { MotionState } from '../suite/metrics/shapes-motion.ts';
import { score as vbenchDimensionScore, type VbenchOptions, type VbenchState } from '../suite/metrics/vbench-dimension.ts';
import type { ComputableDimension } from '../vbench/dimensions.ts';
import type { LockedSettings, MethodResult } from '../suite/contract/results.ts';
import { decodeStateFile, stateFilePath } from '../suite/contract/state-file.ts';
import { mean, percentile } from '../core/statistics.ts';
import type { DeviceInfo } from '../models/contract/device.ts';
import type { MachineFingerprint, TimingRecord } from '../suite/contract/records.ts';

/** A metric's values as a function of a multiset of rows. */
export interface ResampledStatistic {
  /** Rows, in index order (one per sample, or one per timed repeat). */
  readonly rows: number;
  /** Value keys it recomputes (those that reproduce their reported values). */
  readonly keys: readonly string[];
  /** 'distance': every evaluation refits means and covariances (costly: its own resample budget); 'cheap' otherwise. */
  readonly cost: 'cheap' | 'distance';
  /** What the rows are, for messages ("samples", "timed repeats"). */
  readonly unit: string;
  /** The values for the rows at `positions` (with repetition; null: every row once), by key. */
  evaluate(positions: ArrayLike<number> | null): Record<string, number>;
}

/** Where a method's states are and how its metric was configured. */
export interface MetricSource {
  /** Results folder. */
  readonly dir: string;
  readonly method: MethodResult;
  readonly locked: LockedSettings;
  readonly device: DeviceInfo;
  /** The machines whose generations count as the run's own (`Results.machines`; none for older results). */
  readonly machines: readonly MachineFingerprint[];
  /** The metric's key in `method.metrics` (its id when the suite gives one, else its name). */
  readonly metric: string;
}

/** The locked entry of the metric whose key (id, else name) is `key`, or undefined. */
export function metricEntry(locked: LockedSettings, key: string): LockedSettings['metrics'][number] | undefined {
  return locked.metrics.find((m) => (m.id ?? m.name) === key);
}

/** Each state's per-row records, concatenated over chunks in chunk order. */
function concatenated<S, T>(states: readonly unknown[], take: (state: S) => readonly T[]): T[] {
  return states.flatMap((s) => [...take(s as S)]);
}

function pick<T>(rows: readonly T[], positions: ArrayLike<number> | null): T[] {
  return positions === null ? [...rows] : Array.from(positions, (p) => rows[p]);
}

function valuesByKey(values: readonly MetricValue[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) if (v.value !== null && Number.isFinite(v.value)) out[v.key] = v.value;
  return out;
}

/** Reads and decodes one sample set's chunk states, in chunk order; null when the file is absent. */
function readStates(
  source: MetricSource,
  plugin: MetricPlugin,
  set: 'samples' | 'reference',
): { states: unknown[]; timing: TimingRecord | null } | null {
  const file = stateFilePath(source.dir, source.method.slug, source.metric, set);
  if (!existsSync(file)) return null;
  const decoded = decodeStateFile(readFileSync(file), file);
  const chunks = [...decoded.chunks].sort((a, b) => a.chunk - b.chunk);
  return { states: chunks.map((c) => plugin.decode(c.state)), timing: decoded.timing };
}

function isFeatureState(s: unknown): s is { rows: number; dim: number; features: Float32Array | Float64Array } {
  const x = s as { rows?: unknown; dim?: unknown; features?: unknown };
  return (
    typeof x?.rows === 'number' && typeof x?.dim === 'number' && (x.features instanceof Float32Array || x.features instanceof Float64Array)
  );
}

/** The Fréchet distance of resampled feature rows to the fixed reference moments (with the metric's `compat` numerics, if any). */
function distanceStatistic(
  samples: readonly { rows: number; dim: number; features: Float32Array | Float64Array }[],
  reference: readonly { rows: number; dim: number; features: Float32Array | Float64Array }[],
  reported: Record<string, number>,
  compat: FrechetOptions,
): Omit<ResampledStatistic, 'keys'> {
  const dim = samples[0].dim;
  const join = (states: typeof samples) => {
    const rows = states.reduce((a, s) => a + s.rows, 0);
    const out = new Float64Array(rows * dim);
    let o = 0;
    for (const s of states) {
      out.set(s.features, o);
      o += s.features.length;
    }
    return { rows, out };
  };
  const own = join(samples);
  const ref = join(reference);
  const weighted = new WeightedMoments(own.out, own.rows, dim);
  const referenceMoments = momentsOf(ref.out, ref.rows, dim);
  const floor = reported.fdFloor;
  return {
    rows: own.rows,
    cost: 'distance',
    unit: 'samples',
    evaluate(positions) {
      const weights = positions === null ? new Int32Array(own.rows).fill(1) : weighted.weightsOf(positions);
      const fd = frechetFromMoments(weighted.moments(weights), referenceMoments, compat).fd;
      const out: Record<string, number> = { fd };
      // the floor is the distance between the two reference sets: the same in every resample and in both runs
      if (floor !== undefined) out.fdFloor = floor;
      if (floor !== undefined && floor > 0) out.fdOverFloor = fd / floor;
      return out;
    },
  };
}

/** Keys whose statistic on every row reproduces the reported value (relative difference <= 1e-6). */
function reproducedKeys(statistic: Omit<ResampledStatistic, 'keys'>, reported: Record<string, number>): string[] {
  const all = statistic.evaluate(null);
  return Object.keys(all)
    .filter((k) => k in reported && Math.abs(all[k] - reported[k]) <= 1e-6 * Math.max(Math.abs(reported[k]), 1e-12))
    .sort();
}

function withKeys(statistic: Omit<ResampledStatistic, 'keys'>, reported: Record<string, number>): ResampledStatistic | { reason: string } {
  const keys = reproducedKeys(statistic, reported);
  if (keys.length === 0) return { reason: 'recomputed on its rows, no value reproduces the reported one' };
  return { ...statistic, keys };
}

/**
 * The per-sample statistic of one metric of one method, or why there is none (the metric is not known to this
 * harness, its states are missing, or its state has no per-sample form).
 */
export function sampleStatistic(source: MetricSource): ResampledStatistic | { reason: string } {
  const { metric, method } = source;
  const entry = metricEntry(source.locked, metric);
  if (!entry) return { reason: `metric '${metric}' is not in the locked settings` };
  if (!suiteMetrics.has(entry.name)) return { reason: `metric '${entry.name}' is not known to this harness` };
  const plugin = suiteMetrics.get(entry.name);
  const read = readStates(source, plugin, 'samples');
  if (!read || read.states.length === 0) return { reason: `no state file ${stateFilePath(source.dir, method.slug, metric, 'samples')}` };
  const reported = valuesByKey(method.metrics[metric]?.values ?? []);
  const options = entry.options;
  const context = methodContext(method, source.locked, source.device, source.machines);
  const viaFinalize = <R>(rows: readonly R[], rebuild: (rows: R[]) => unknown): Omit<ResampledStatistic, 'keys'> | { reason: string } => {
    const finalize = (positions: ArrayLike<number> | null) =>
      plugin.finalize({ options, method: context, chunks: [0], states: { samples: [rebuild(pick(rows, positions))] }, timing: null });
    // resampling calls finalize thousands of times: only a synchronous one will do
    if (!Array.isArray(finalize(null))) return { reason: `metric '${metric}' finalizes asynchronously` };
    return {
      rows: rows.length,
      cost: 'cheap',
      unit: 'samples',
      evaluate: (positions) => valuesByKey(finalize(positions) as MetricValue[]),
    };
  };
  const checked = (statistic: Omit<ResampledStatistic, 'keys'> | { reason: string }) =>
    'reason' in statistic ? statistic : withKeys(statistic, reported);
  if (entry.name === 'cost')
    return checked(
      viaFinalize(
        concatenated(read.states, (s: CostState) => s.costs),
        (costs) => ({ costs }),
      ),
    );
  if (entry.name === 'throughput') {
    const machineInfo = Object.assign({}, ...(read.states as ThroughputState[]).map((s) => s.machineInfo));
    const rows = concatenated(read.states, (s: ThroughputState) =>
      s.frames.map((f, i) => ({ f, g: s.generationSeconds[i], m: s.machines[i], b: s.batchSizes[i] })),
    );
    return checked(
      viaFinalize(
        rows,
        (r): ThroughputState => ({
          frames: r.map((x) => x.f),
          generationSeconds: r.map((x) => x.g),
          machines: r.map((x) => x.m),
          batchSizes: r.map((x) => x.b),
          machineInfo,
        }),
      ),
    );
  }
  if (entry.name === 'shapes-class-accuracy') {
    // per sample: its class logits and the class it was made for; the reference's ceiling is left out (constant)
    const rows = concatenated(read.states, (s: ClassAccuracyState) =>
      Array.from({ length: s.rows }, (_, i) => ({ logits: s.logits.subarray(i * 6, i * 6 + 6), label: s.labels[i] })),
    );
    return checked(
      viaFinalize(
        rows,
        (r): ClassAccuracyState => ({
          rows: r.length,
          logits: Float64Array.from(r.flatMap((x) => [...x.logits])),
          labels: Float64Array.from(r, (x) => x.label),
        }),
      ),
    );
  }
  if (entry.name === 'shapes-motion') {
    const first = read.states[0] as MotionState;
    const rows = concatenated(read.states, (s: MotionState) =>
      Array.from({ length: s.rows }, (_, i) => [s.framesFound[i], s.residual[i], s.areaRange[i], s.speed[i]] as const),
    );
    return checked(
      viaFinalize(
        rows,
        (r): MotionState => ({
          rows: r.length,
          frames: first.frames,
          scale: first.scale,
          framesFound: Float64Array.from(r, (x) => x[0]),
          residual: Float64Array.from(r, (x) => x[1]),
          areaRange: Float64Array.from(r, (x) => x[2]),
          speed: Float64Array.from(r, (x) => x[3]),
        }),
      ),
    );
  }
  if (entry.name.startsWith('vbench/')) {
    const id = entry.name.slice('vbench/'.length) as ComputableDimension;
    const videos = concatenated(read.states, (s: VbenchState) => s.videos);
    const statistic: Omit<ResampledStatistic, 'keys'> = {
      rows: videos.length,
      cost: 'cheap',
      unit: 'samples',
      evaluate: (positions) =>
        valuesByKey([{ key: id, value: vbenchDimensionScore(id, pick(videos, positions), options as VbenchOptions) } as MetricValue]),
    };
    return withKeys(statistic, reported);
  }
  if (isFeatureState(read.states[0]) && referenceSetsOf({ plugin, options }).includes('reference') && 'fd' in reported) {
    const reference = readStates(source, plugin, 'reference');
    if (!reference) return { reason: `no reference state file ${stateFilePath(source.dir, method.slug, metric, 'reference')}` };
    if (!read.states.every(isFeatureState) || !reference.states.every(isFeatureState)) return { reason: 'states are not all feature rows' };
    const compat = FRECHET_COMPAT[(options as { compat?: keyof typeof FRECHET_COMPAT } | null)?.compat ?? 'none'] ?? {};
    return withKeys(distanceStatistic(read.states, reference.states, reported, compat), reported);
  }
  return {
    reason: `metric '${metric}' has no per-sample form here (a distance to a reference file has no reference samples to hold fixed)`,
  };
}

/**
 * Latency and per-stage time of the timed phase (`throughput`) as a statistic of its repeats: p50/p90/p99 and mean
 * latency and mean model time per stage, as `throughput` reports them. Repeats are not samples: two runs' repeats
 * are not paired, so a comparison resamples each run's repeats independently.
 */
export function latencyStatistic(source: MetricSource): ResampledStatistic | { reason: string } {
  if (metricEntry(source.locked, source.metric)?.name !== 'throughput') return { reason: 'not the throughput metric' };
  const read = readStates(source, suiteMetrics.get('throughput'), 'samples');
  const timing = read?.timing ?? null;
  if (!timing || timing.repeats.length === 0) return { reason: 'no timed phase in this run (it runs in shard 0)' };
  const repeats = timing.repeats;
  const statistic: Omit<ResampledStatistic, 'keys'> = {
    rows: repeats.length,
    cost: 'cheap',
    unit: 'timed repeats',
    evaluate(positions) {
      const chosen = pick(repeats, positions);
      const ms = chosen.map((r) => r.wallSeconds * 1000);
      const out: Record<string, number> = {
        'latencyMs.p50': percentile(ms, 50),
        'latencyMs.p90': percentile(ms, 90),
        'latencyMs.p99': percentile(ms, 99),
        'latencyMs.mean': mean(ms),
      };
      for (const stage of Object.keys(chosen[0].stageSeconds))
        out[`stage${stage}.modelMs`] = mean(chosen.map((r) => r.stageSeconds[stage] * 1000));
      if (chosen.some((r) => r.decodeSeconds > 0)) out.decodeMs = mean(chosen.map((r) => r.decodeSeconds * 1000));
      return out;
    },
  };
  return withKeys(statistic, valuesByKey(source.method.metrics[source.metric]?.values ?? []));
}
