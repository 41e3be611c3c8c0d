/**
 * Summary statistics for results: percentiles (NumPy's default linear interpolation, `numpy.percentile`),
 * seeded percentile-bootstrap intervals (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13;
 * resampling indices drawn from Philox, so the same seed gives the same interval), the delete-one-group
 * jackknife standard error (ibid., ch. 11, eq. 11.5), the Wilson score interval of a proportion (Wilson, "Probable
 * inference, the law of succession, and statistical inference", JASA 1927; scipy.stats.binomtest's
 * `proportion_ci(method='wilson')`), Kendall's rank correlation with its exact p-value, and Spearman's rank
 * correlation (`scipy.stats.spearmanr`).
 */
import { PhiloxNoise } from './philox.ts';

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

/** The median: the 50th percentile (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Arithmetic mean. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of no values');
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Ranks 1..n of `values` in the order given, tied values sharing the mean of the ranks they span
 * (`scipy.stats.rankdata(method='average')`): [10, 30, 20, 20] -> [1, 4, 2.5, 2.5].
 */
export function averageRanks(values: readonly number[]): number[] {
  values.forEach((v, i) => {
    if (Number.isNaN(v)) throw new RangeError(`ranks: value ${i} is NaN; allowed: numbers (infinities rank at the ends)`);
  });
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end++;
    // positions start..end-1 hold equal values: ranks start+1..end, averaged
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Spearman's rank correlation rho of paired observations: the Pearson correlation of their average ranks
 * (Spearman, 1904; `scipy.stats.spearmanr`, ties by average ranks), in [-1, 1]. It is 1 exactly when y rises
 * strictly with x. NaN when either side is constant (no ranking to correlate), as SciPy returns.
 */
export function spearmanRho(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new RangeError(`Spearman's rho needs paired observations: ${x.length} x values, ${y.length} y values`);
  if (x.length < 2) throw new RangeError(`Spearman's rho needs at least 2 pairs, got ${x.length}`);
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const m = (x.length + 1) / 2; // the mean of the ranks 1..n, ties or not
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (rx[i] - m) * (ry[i] - m);
    sxx += (rx[i] - m) ** 2;
    syy += (ry[i] - m) ** 2;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  // identical rankings give sxy = sxx = syy exactly (sums of halves and integers), so rho is exactly 1
  return sxy / Math.sqrt(sxx * syy);
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
 * The bootstrap's resampling indices: for r = 0 .. resamples - 1, n indices drawn uniformly with replacement
 * (Philox, purpose "bootstrap", stream = r), handed to `visit` (the array is reused between calls). The same
 * (n, seed) always gives the same draws, so statistics computed on them are reproducible and several statistics
 * (or two paired runs) can share one set of draws.
 */
export function bootstrapDraws(n: number, resamples: number, seed: number, visit: (indices: Int32Array, resample: number) => void): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bootstrap needs at least one observation, got ${n}`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrap resamples ${resamples}; allowed: an integer >= 1`);
  const noise = new PhiloxNoise(seed);
  const indices = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    const u = noise.uniform(r, 'bootstrap', n);
    for (let i = 0; i < n; i++) indices[i] = Math.min(n - 1, Math.floor(u[i] * n));
    visit(indices, r);
  }
}

/** The (1 - level) / 2 and (1 + level) / 2 percentiles of bootstrap replicates: the percentile interval. */
export function percentileInterval(replicates: readonly number[], level: number): { low: number; high: number } {
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap level ${level}; allowed: between 0 and 1`);
  const tail = ((1 - level) / 2) * 100;
  return { low: percentile(replicates, tail), high: percentile(replicates, 100 - tail) };
}

/**
 * Percentile bootstrap: `resamples` times, draw n indices with replacement (`bootstrapDraws`) and evaluate
 * `statistic` on them; the interval is the (1-level)/2 and (1+level)/2 percentiles of those values.
 */
export function bootstrapInterval(
  n: number,
  statistic: (indices: Int32Array) => number,
  options: { resamples: number; level: number; seed: number },
): BootstrapInterval {
  const { resamples, level, seed } = options;
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap level ${level}; allowed: between 0 and 1`);
  const values: number[] = [];
  bootstrapDraws(n, resamples, seed, (indices) => values.push(statistic(indices)));
  return { ...percentileInterval(values, level), level, resamples, seed };
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

/**
 * The p-quantile of the standard normal distribution (P. J. Acklam's rational approximation with its tail
 * formula, relative error below 1.2e-9), e.g. normalQuantile(0.975) = 1.959964.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile of ${p}; allowed: 0 < p < 1`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * The Wilson score interval of a proportion, `successes` of `n` at `level` (e.g. 0.95), as scipy.stats.binomtest
 * `proportion_ci(method='wilson')` computes it: (p + z^2 / 2n -/+ z sqrt(p (1 - p) / n + z^2 / 4n^2)) / (1 + z^2 / n),
 * z the (1 + level) / 2 normal quantile. It stays inside [0, 1] and keeps its width at 0 and n successes, where
 * the normal approximation collapses to a point (Brown, Cai & DasGupta, Statistical Science 2001, recommend it).
 */
export function wilsonInterval(successes: number, n: number, level = 0.95): { low: number; high: number } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Wilson interval of ${n} trials; allowed: an integer >= 1`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n)
    throw new RangeError(`Wilson interval of ${successes} successes in ${n} trials; allowed: an integer from 0 to ${n}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`Wilson interval level ${level}; allowed: between 0 and 1`);
  const z = normalQuantile((1 + level) / 2);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // at 0 and n successes the closed form is exactly 0 and 1 up to rounding
  return { low: successes === 0 ? 0 : Math.max(0, centre - half), high: successes === n ? 1 : Math.min(1, centre + half) };
}

/**
 * Kendall's rank correlation tau-b between two paired lists (Kendall 1945, "The treatment of ties in ranking
 * problems"; SciPy's `scipy.stats.kendalltau`, variant 'b'): (concordant - discordant) pairs over
 * sqrt((n0 - tiesA)(n0 - tiesB)), n0 = n(n-1)/2. 1: the same order, -1: the reverse. NaN when either list is
 * constant (no order to compare), as SciPy gives. O(n^2): meant for rankings of a few methods.
 */
export function kendallTau(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`kendallTau: lists of ${a.length} and ${b.length} values; allowed: the same length`);
  if (a.length < 2) throw new RangeError(`kendallTau: ${a.length} pairs; allowed: at least 2`);
  if (![...a, ...b].every(Number.isFinite)) throw new RangeError('kendallTau: a value is not finite');
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const s = Math.sign(a[i] - a[j]) * Math.sign(b[i] - b[j]);
      if (a[i] === a[j]) tiesA++;
      if (b[i] === b[j]) tiesB++;
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
    }
  }
  const n0 = (a.length * (a.length - 1)) / 2;
  const denominator = Math.sqrt((n0 - tiesA) * (n0 - tiesB));
  return denominator === 0 ? Number.NaN : (concordant - discordant) / denominator;
}

/**
 * The exact two-sided p-value of Kendall's tau for n untied pairs under independence: the share of the n!
 * orderings whose |concordant - discordant| is at least the observed one, from the distribution of inversion
 * counts (the Mahonian numbers, built by the recurrence over n; SciPy's `kendalltau(method='exact')`). n from 2
 * to 60; the counts are float64, exact up to n = 18 and rounded relative to their size beyond.
 */
export function kendallTauExactP(n: number, tau: number): number {
  if (!Number.isInteger(n) || n < 2 || n > 60) throw new RangeError(`kendallTauExactP: n = ${n}; allowed: an integer from 2 to 60`);
  if (!(tau >= -1 && tau <= 1)) throw new RangeError(`kendallTauExactP: tau = ${tau}; allowed: -1 to 1`);
  const pairs = (n * (n - 1)) / 2;
  // counts[k]: orderings of the first m items with k inversions (discordant pairs)
  let counts = [1];
  for (let m = 2; m <= n; m++) {
    const next = new Array<number>(counts.length + m - 1).fill(0);
    for (let k = 0; k < counts.length; k++) for (let j = 0; j < m; j++) next[k + j] += counts[k];
    counts = next;
  }
  const total = counts.reduce((x, y) => x + y, 0);
  // S = concordant - discordant = pairs - 2 inversions
  const observed = Math.round(Math.abs(tau) * pairs);
  let extreme = 0;
  for (let k = 0; k <= pairs; k++) if (Math.abs(pairs - 2 * k) >= observed) extreme += counts[k];
  return Math.min(1, extreme / total);
}
