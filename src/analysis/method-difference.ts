/**
 * The difference between two methods of one run on one value, with a paired bootstrap interval: the methods'
 * samples are paired by seed and index (sample i of every method has the same seed and condition), each resample
 * draws the same pairs for both methods and recomputes the metric on each side from its per-sample rows
 * (`resampled-metrics.ts`), and the interval is the percentile interval of the replicated differences (Efron &
 * Tibshirani 1993, ch. 16). `paired-compare.ts` does the same for one method in two runs; the findings
 * (`findings.ts`) ask for it only where two methods' own intervals overlap, since a distance costs a refit of
 * means and covariances per resample (200 resamples of two methods' 264 samples at d = 256: 3.5 to 10 s on the
 * project's shared 2-core machine).
 */
import { existsSync } from 'node:fs';
import { bootstrapDraws, percentileInterval } from '../core/statistics.ts';
import type { MethodResult, Results } from '../suite/contract/results.ts';
import { readSampleRows, sampleRowsFile } from '../suite/contract/sample-rows.ts';
import type { PairedDifference, PairedTest } from './findings.ts';
import { DEFAULT_PAIRED, pairSamples, type PairedOptions } from './paired-compare.ts';
import { sampleStatistic } from './resampled-metrics.ts';

/** The interval of `other - best` at `level`, over `n` sample pairs, and how it was made (findings' `PairedDifference`). */
export type MethodDifference = PairedDifference;

/**
 * The paired bootstrap interval of b - a for value `key` of metric `metric` (its key in the results), methods a
 * and b of the results folder `dir`; or why there is none (no per-sample rows or states, a value that does not
 * reproduce from them, samples that cannot be paired).
 */
export function pairedMethodDifference(
  dir: string,
  results: Results,
  metric: string,
  key: string,
  a: MethodResult,
  b: MethodResult,
  options: PairedOptions = DEFAULT_PAIRED,
): MethodDifference | { reason: string } {
  const va = a.metrics[metric]?.values.find((v) => v.key === key)?.value;
  const vb = b.metrics[metric]?.values.find((v) => v.key === key)?.value;
  if (va === null || va === undefined || vb === null || vb === undefined) return { reason: `a method has no ${metric} ${key}` };
  for (const m of [a, b])
    if (!existsSync(sampleRowsFile(dir, m.slug, '.jsonl'))) return { reason: `no per-sample rows for ${m.id} (samples/${m.slug}.jsonl)` };
  const rowsA = readSampleRows(dir, a.slug);
  const rowsB = readSampleRows(dir, b.slug);
  let pairs: [number, number][];
  try {
    pairs = pairSamples(rowsA, rowsB, `methods '${a.id}' and '${b.id}'`).pairs;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { reason: error.message };
  }
  if (pairs.length < 2) return { reason: `${pairs.length} sample pairs` };
  const source = (method: MethodResult) => ({
    dir,
    method,
    locked: results.locked,
    device: results.device,
    machines: results.machines ?? [],
    metric,
  });
  const sa = sampleStatistic(source(a));
  if ('reason' in sa) return sa;
  const sb = sampleStatistic(source(b));
  if ('reason' in sb) return sb;
  if (!sa.keys.includes(key) || !sb.keys.includes(key)) return { reason: `${metric} ${key} is not recomputable from per-sample rows` };
  // per-sample rows of the states and of samples/<method>.jsonl are the same samples in the same order
  if (sa.rows !== rowsA.length || sb.rows !== rowsB.length)
    return { reason: `the states hold ${sa.rows} and ${sb.rows} samples, the sample lists ${rowsA.length} and ${rowsB.length}` };
  const distance = sa.cost === 'distance' || sb.cost === 'distance';
  const resamples = distance ? options.distanceResamples : options.resamples;
  const replicates: number[] = [];
  const pa = new Int32Array(pairs.length);
  const pb = new Int32Array(pairs.length);
  bootstrapDraws(pairs.length, resamples, options.seed, (idx) => {
    for (let i = 0; i < idx.length; i++) {
      pa[i] = pairs[idx[i]][0];
      pb[i] = pairs[idx[i]][1];
    }
    replicates.push(sb.evaluate(pb)[key] - sa.evaluate(pa)[key]);
  });
  const interval = percentileInterval(replicates, options.level);
  const difference = vb - va;
  // a distance on resamples (which repeat samples) is biased upward: the replicates give the spread, the full samples the location
  const shift = distance ? difference - replicates.reduce((x, y) => x + y, 0) / replicates.length : 0;
  return {
    difference,
    low: interval.low + shift,
    high: interval.high + shift,
    level: options.level,
    n: pairs.length,
    basis: `paired bootstrap over ${pairs.length} samples (by seed and index), ${resamples} resamples, seed ${options.seed}${distance ? ', recentred on the observed difference' : ''}`,
  };
}

/** The findings' paired test (`findings.ts`) on the results folder `dir` that holds `results`. */
export function pairedTestOf(dir: string, results: Results, options: PairedOptions = DEFAULT_PAIRED): PairedTest {
  return ({ metric, key, best, other }) => pairedMethodDifference(dir, results, metric, key, best, other, options);
}
