/**
 * Summary statistics for results: percentiles (NumPy's default linear interpolation, `numpy.percentile`),
 * seeded percentile-bootstrap intervals (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13;
 * resampling indices drawn from Philox, so the same seed gives the same interval), and the delete-one-group
 * jackknife standard error (ibid., ch. 11, eq. 11.5).
 */
import { PhiloxNoise } from '../core/philox.ts';

/** The q-th percentile (0..100) of `values` with linear interpolation between order statistics (NumPy's default). */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile ${q} is outside [0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  const position = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
}

/** Arithmetic mean. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of no values');
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** A two-sided interval with its level and how it was made. */
export interface BootstrapInterval {
  readonly low: number;
  readonly high: number;
  /** Coverage, e.g. 0.95. */
  readonly level: number;
  readonly resamples: number;
  readonly seed: number;
}

/**
 * Percentile bootstrap: `resamples` times, draw n indices with replacement (Philox, purpose "bootstrap", stream
 * = resample number) and evaluate `statistic` on them; the interval is the (1-level)/2 and (1+level)/2
 * percentiles of those values.
 */
export function bootstrapInterval(n: number, statistic: (indices: Int32Array) => number, options: { resamples: number; level: number; seed: number }): BootstrapInterval {
  const { resamples, level, seed } = options;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bootstrap needs at least one observation, got ${n}`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrap resamples ${resamples}; allowed: an integer >= 1`);
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap level ${level}; allowed: between 0 and 1`);
  const noise = new PhiloxNoise(seed);
  const values: number[] = [];
  const indices = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    const u = noise.uniform(r, 'bootstrap', n);
    for (let i = 0; i < n; i++) indices[i] = Math.min(n - 1, Math.floor(u[i] * n));
    values.push(statistic(indices));
  }
  const tail = ((1 - level) / 2) * 100;
  return { low: percentile(values, tail), high: percentile(values, 100 - tail), level, resamples, seed };
}

/**
 * Delete-one-group jackknife standard error from the G leave-one-group-out estimates:
 * sqrt((G - 1) / G * sum_g (theta_g - mean theta)^2). Needs G >= 2.
 */
export function jackknifeStderr(leaveOneOut: readonly number[]): number {
  const G = leaveOneOut.length;
  if (G < 2) throw new RangeError(`jackknife needs at least 2 groups, got ${G}`);
  const m = mean(leaveOneOut);
  return Math.sqrt(((G - 1) / G) * leaveOneOut.reduce((a, t) => a + (t - m) ** 2, 0));
}

/** Splits positions 0..n-1 into `groups` contiguous groups of near-equal size (group g: [floor(g n / G), floor((g+1) n / G))). */
export function contiguousGroups(n: number, groups: number): number[][] {
  const G = Math.min(groups, n);
  return Array.from({ length: G }, (_, g) => {
    const start = Math.floor((g * n) / G);
    const end = Math.floor(((g + 1) * n) / G);
    return Array.from({ length: end - start }, (_, i) => start + i);
  });
}
