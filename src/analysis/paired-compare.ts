/**
 * Paired comparison of two results folders of the same suite: for each method both have, its samples are paired
 * by seed, index and condition (sample i has the same initial noise and condition in both runs), and every value
 * that has a per-sample form (`resampled-metrics.ts`) gets the difference b - a with a seeded paired bootstrap
 * interval: each resample draws the same pairs for both runs and recomputes the metric on each side (Efron &
 * Tibshirani 1993, ch. 16; the percentile interval of the replicated differences). The timed phase's latencies
 * are resampled per run independently (repeats are not paired). Other values fall back to a normal
 * approximation from their reported uncertainties, or, for exact quantities, to the exact difference.
 */
import { canonicalJson } from '../core/hash.ts';
import type { Direction, MetricValue } from '../suite/contract/plugin.ts';
import { latencyStatistic, metricEntry, sampleStatistic, type ResampledStatistic } from './resampled-metrics.ts';
import { assertComparable, type MethodResult, type Results } from '../suite/contract/results.ts';
import { bootstrapDraws, normalQuantile, percentileInterval } from '../core/statistics.ts';
import { readSampleRows, type SampleRow } from '../suite/contract/sample-rows.ts';

/** A results folder as a comparison reads it. */
export interface LoadedRun {
  readonly dir: string;
  /** Name shown in tables and charts (the folder name unless given). */
  readonly label: string;
  readonly results: Results;
}

/** How to resample. */
export interface PairedOptions {
  /** Resamples for values that are cheap to recompute (means, ratios, VBench aggregates, latency percentiles). */
  readonly resamples: number;
  /** Resamples for distribution distances, which refit means and covariances every time (e.g. FD). */
  readonly distanceResamples: number;
  /** Interval coverage, e.g. 0.95. */
  readonly level: number;
  /** Seed of the resampling (Philox): the same seed gives the same intervals. */
  readonly seed: number;
}

/** Defaults of `PairedOptions`. */
export const DEFAULT_PAIRED: PairedOptions = { resamples: 1000, distanceResamples: 200, level: 0.95, seed: 0 };

/** One value of one method, in run a and run b. */
export interface ValueDifference {
  readonly method: string;
  /** Metric name and value key, e.g. "fd-pixel" and "fd". */
  readonly metric: string;
  readonly key: string;
  readonly unit: string;
  readonly direction: Direction;
  readonly measured: boolean;
  readonly a: number | null;
  readonly b: number | null;
  /** b - a, or null when either is missing. */
  readonly difference: number | null;
  /** (b - a) / |a|, or null when a is 0 or missing. */
  readonly relative: number | null;
  /** Interval of b - a at `level`, or null when none can be given. */
  readonly interval: { readonly low: number; readonly high: number; readonly level: number } | null;
  /** The interval excludes 0 (a real change at that level); null without an interval. */
  readonly significant: boolean | null;
  /** 'better' or 'worse' by the value's direction when significant, 'changed' for direction none, else 'same'. */
  readonly verdict: 'better' | 'worse' | 'changed' | 'same' | 'unknown';
  /** How the interval was made (paired bootstrap over n samples, R resamples, seed; or the fallback). */
  readonly basis: string;
  /** Pairs (samples) or repeats the interval rests on; null for fallbacks. */
  readonly n: number | null;
}

/** The comparison of run b with run a. */
export interface PairedComparison {
  readonly a: string;
  readonly b: string;
  readonly values: readonly ValueDifference[];
  /** Methods in only one of the runs. */
  readonly onlyA: readonly string[];
  readonly onlyB: readonly string[];
  /** Per method: sample pairs, and whether every paired sample has the same store key in both (identical samples). */
  readonly pairs: Readonly<Record<string, { readonly count: number; readonly identical: boolean }>>;
}

/** The standard error a reported uncertainty implies (an interval's half-width over z), or null. */
export function impliedStderr(v: MetricValue): number | null {
  const u = v.uncertainty;
  if (u.kind === 'stderr') return u.stderr;
  if (u.kind === 'interval') return (u.high - u.low) / (2 * normalQuantile(0.5 + u.level / 2));
  return null;
}

function verdictOf(direction: Direction, difference: number | null, significant: boolean | null): ValueDifference['verdict'] {
  if (difference === null || significant === null) return 'unknown';
  if (!significant) return 'same';
  if (direction === 'none') return 'changed';
  return (direction === 'lower') === difference < 0 ? 'better' : 'worse';
}

function difference(
  method: string,
  metric: string,
  a: MetricValue,
  b: MetricValue,
  interval: ValueDifference['interval'],
  basis: string,
  n: number | null,
): ValueDifference {
  const diff = a.value !== null && b.value !== null ? b.value - a.value : null;
  const significant = interval === null || diff === null ? null : interval.low > 0 || interval.high < 0;
  return {
    method,
    metric,
    key: a.key,
    unit: a.unit,
    direction: a.direction,
    measured: a.measured || b.measured,
    a: a.value,
    b: b.value,
    difference: diff,
    relative: diff !== null && a.value !== 0 ? diff / Math.abs(a.value!) : null,
    interval,
    significant,
    verdict: verdictOf(a.direction, diff, significant),
    basis,
    n,
  };
}

/** The fallback: exact difference for exact values, else a normal approximation from the reported uncertainties. */
function unpaired(method: string, metric: string, a: MetricValue, b: MetricValue, level: number, why: string): ValueDifference {
  if (a.value === null || b.value === null)
    return difference(method, metric, a, b, null, `not compared: ${a.value === null ? 'a' : 'b'} has no value`, null);
  if (a.uncertainty.kind === 'exact' && b.uncertainty.kind === 'exact') {
    const d = b.value - a.value;
    return difference(method, metric, a, b, { low: d, high: d, level }, 'exact on both sides (a count or planned cost)', null);
  }
  const se = [impliedStderr(a), impliedStderr(b)];
  if (se[0] === null || se[1] === null)
    return difference(
      method,
      metric,
      a,
      b,
      null,
      `no interval: ${why}; and a side has no uncertainty (${a.uncertainty.kind}/${b.uncertainty.kind})`,
      null,
    );
  const half = normalQuantile(0.5 + level / 2) * Math.hypot(se[0], se[1]);
  const d = b.value - a.value;
  return difference(
    method,
    metric,
    a,
    b,
    { low: d - half, high: d + half, level },
    `normal approximation from the reported uncertainties, unpaired (${why})`,
    null,
  );
}

/** Pairs of row positions (a, b) of the samples both runs have, by seed and index, in index order. */
export function pairSamples(
  rowsA: readonly SampleRow[],
  rowsB: readonly SampleRow[],
  where: string,
): { pairs: [number, number][]; identical: boolean } {
  const byKey = new Map<string, number>();
  rowsB.forEach((r, i) => byKey.set(`${r.seed}/${r.index}`, i));
  const pairs: [number, number][] = [];
  let identical = true;
  rowsA.forEach((r, i) => {
    const j = byKey.get(`${r.seed}/${r.index}`);
    if (j === undefined) return;
    const other = rowsB[j];
    if (other.condition !== r.condition)
      throw new RangeError(
        `${where}: sample ${r.index} (seed ${r.seed}) has condition '${r.condition}' in one run and '${other.condition}' in the other; they cannot be paired`,
      );
    if (other.key !== r.key) identical = false;
    pairs.push([i, j]);
  });
  return { pairs, identical };
}

/** Replicated differences b* - a* of every shared key, over shared draws of pairs. */
function pairedReplicates(
  sa: ResampledStatistic,
  sb: ResampledStatistic,
  pairs: readonly [number, number][],
  keys: readonly string[],
  resamples: number,
  seed: number,
): Record<string, number[]> {
  const out: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  const pa = new Int32Array(pairs.length);
  const pb = new Int32Array(pairs.length);
  bootstrapDraws(pairs.length, resamples, seed, (idx) => {
    for (let i = 0; i < idx.length; i++) {
      pa[i] = pairs[idx[i]][0];
      pb[i] = pairs[idx[i]][1];
    }
    const va = sa.evaluate(pa);
    const vb = sb.evaluate(pb);
    for (const k of keys) out[k].push(vb[k] - va[k]);
  });
  return out;
}

/** Replicated differences from independent draws of each run's rows (seed for a, seed + 1 for b). */
function independentReplicates(
  sa: ResampledStatistic,
  sb: ResampledStatistic,
  keys: readonly string[],
  resamples: number,
  seed: number,
): Record<string, number[]> {
  const ra: Record<string, number>[] = [];
  bootstrapDraws(sa.rows, resamples, seed, (idx) => ra.push(sa.evaluate(idx)));
  const out: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  bootstrapDraws(sb.rows, resamples, seed + 1, (idx, r) => {
    const vb = sb.evaluate(idx);
    for (const k of keys) out[k].push(vb[k] - ra[r][k]);
  });
  return out;
}

function rowsOf(run: LoadedRun, method: MethodResult): SampleRow[] {
  return readSampleRows(run.dir, method.slug);
}

/** Compares run b with run a (same locked settings: refused otherwise, naming each difference). */
export function pairedComparison(a: LoadedRun, b: LoadedRun, options: PairedOptions = DEFAULT_PAIRED): PairedComparison {
  assertComparable(a.results, b.results, 'compare', [a.dir, b.dir]);
  const all: ValueDifference[] = [];
  const pairsByMethod: Record<string, { count: number; identical: boolean }> = {};
  for (const ma of a.results.methods) {
    const mb = b.results.methods.find((m) => m.id === ma.id);
    if (!mb) continue;
    const rowsA = rowsOf(a, ma);
    const rowsB = rowsOf(b, mb);
    const { pairs, identical } = pairSamples(rowsA, rowsB, `method '${ma.id}'`);
    pairsByMethod[ma.id] = { count: pairs.length, identical };
    for (const [metric, ra] of Object.entries(ma.metrics)) {
      const rb = mb.metrics[metric];
      if (!rb) continue;
      const shared = ra.values.filter((v) => rb.values.some((w) => w.key === v.key));
      const valueB = (key: string) => rb.values.find((w) => w.key === key)!;
      const done = new Set<string>();
      const values: ValueDifference[] = [];
      const source = (run: LoadedRun, method: MethodResult) => ({
        dir: run.dir,
        method,
        locked: run.results.locked,
        device: run.results.device,
        machines: run.results.machines ?? [],
        metric,
      });
      // identical samples: a deterministic value cannot differ
      if (identical && pairs.length > 0) {
        for (const v of shared.filter(
          (x) =>
            !x.measured && !valueB(x.key).measured && x.value !== null && canonicalJson(x.value) === canonicalJson(valueB(x.key).value),
        )) {
          values.push(
            difference(
              ma.id,
              metric,
              v,
              valueB(v.key),
              { low: 0, high: 0, level: options.level },
              'identical samples (the same store keys in both runs)',
              pairs.length,
            ),
          );
          done.add(v.key);
        }
      }
      const level = options.level;
      const attempts: { make: (run: LoadedRun, m: MethodResult) => ResampledStatistic | { reason: string }; paired: boolean }[] = [
        { make: (run, m) => sampleStatistic(source(run, m)), paired: true },
      ];
      if (metricEntry(a.results.locked, metric)?.name === 'throughput')
        attempts.push({ make: (run, m) => latencyStatistic(source(run, m)), paired: false });
      const reasons: string[] = [];
      for (const { make, paired } of attempts) {
        if (shared.every((v) => done.has(v.key))) break;
        const sa = make(a, ma);
        const sb = make(b, mb);
        if ('reason' in sa || 'reason' in sb) {
          reasons.push(('reason' in sa ? sa : (sb as { reason: string })).reason);
          continue;
        }
        if (paired && pairs.length < 2) {
          reasons.push(`${pairs.length} paired samples`);
          continue;
        }
        // per-sample rows of the states and of samples/<method>.jsonl are the same samples in the same order
        if (paired && (sa.rows !== rowsA.length || sb.rows !== rowsB.length)) {
          reasons.push(`the states hold ${sa.rows} and ${sb.rows} samples, the sample lists ${rowsA.length} and ${rowsB.length}`);
          continue;
        }
        const keys = sa.keys.filter((k) => sb.keys.includes(k) && !done.has(k) && shared.some((v) => v.key === k));
        if (keys.length === 0) continue;
        const distance = sa.cost === 'distance' || sb.cost === 'distance';
        const resamples = distance ? options.distanceResamples : options.resamples;
        const replicates = paired
          ? pairedReplicates(sa, sb, pairs, keys, resamples, options.seed)
          : independentReplicates(sa, sb, keys, resamples, options.seed);
        const basis = paired
          ? `paired bootstrap over ${pairs.length} samples (by seed and index), ${resamples} resamples, seed ${options.seed}${distance ? '; percentile interval recentred on the observed difference (a distance on resamples, which repeat samples, is biased upward)' : ''}`
          : `bootstrap over each run's ${sa.unit} (${sa.rows} and ${sb.rows}, not paired), ${resamples} resamples, seeds ${options.seed} and ${options.seed + 1}`;
        for (const k of keys) {
          const v = shared.find((x) => x.key === k)!;
          const interval = percentileInterval(replicates[k], level);
          if (distance && v.value !== null && valueB(k).value !== null) {
            // the replicates give the spread, the full samples the location
            const shift = valueB(k).value! - v.value - replicates[k].reduce((x, y) => x + y, 0) / replicates[k].length;
            interval.low += shift;
            interval.high += shift;
          }
          values.push(
            difference(ma.id, metric, v, valueB(k), { ...interval, level }, basis, paired ? pairs.length : Math.min(sa.rows, sb.rows)),
          );
          done.add(k);
        }
      }
      for (const v of shared)
        if (!done.has(v.key))
          values.push(unpaired(ma.id, metric, v, valueB(v.key), level, reasons.join('; ') || 'not recomputable from per-sample rows'));
      // in the order the metric reports its values
      all.push(...shared.map((v) => values.find((x) => x.key === v.key)!));
    }
  }
  const ids = (r: Results) => r.methods.map((m) => m.id);
  return {
    a: a.label,
    b: b.label,
    values: all,
    onlyA: ids(a.results).filter((id) => !ids(b.results).includes(id)),
    onlyB: ids(b.results).filter((id) => !ids(a.results).includes(id)),
    pairs: pairsByMethod,
  };
}
