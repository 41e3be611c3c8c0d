/**
 * Streaming feature statistics: a count, float64 sums of the features and of their outer products. Shards and
 * resumed runs merge by adding sums, so a merged result equals one pass bit for bit when shards are added in
 * the same order (StyleGAN2-ADA `metric_utils.FeatureStats` keeps the same sums). Mean and unbiased covariance
 * (divide by N - 1, as `np.cov`) come out at the end.
 */

/** Sums over N feature vectors of dimension d. */
export interface FeatureStats {
  readonly dim: number;
  count: number;
  /** Sum of features, length d. */
  readonly sum: Float64Array;
  /** Sum of outer products, d x d row-major (only the upper triangle is accumulated until `finalize`). */
  readonly sumOuter: Float64Array;
}

/** Empty statistics for dimension d. */
export function createStats(dim: number): FeatureStats {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`feature dimension ${dim} must be an integer >= 1`);
  return { dim, count: 0, sum: new Float64Array(dim), sumOuter: new Float64Array(dim * dim) };
}

/** Adds `rows` feature vectors stored row-major in `features` (rows x d). Refuses non-finite values. */
export function accumulate(stats: FeatureStats, features: ArrayLike<number>, rows: number): void {
  const d = stats.dim;
  if (features.length !== rows * d) throw new RangeError(`accumulate: ${features.length} values for ${rows} rows of dimension ${d}`);
  const x = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < d; i++) {
      const v = features[r * d + i];
      if (!Number.isFinite(v)) throw new RangeError(`accumulate: feature ${i} of row ${r} is ${v}; features must be finite`);
      x[i] = v;
      stats.sum[i] += v;
    }
    for (let i = 0; i < d; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      const row = i * d;
      for (let j = i; j < d; j++) stats.sumOuter[row + j] += xi * x[j];
    }
    stats.count += 1;
  }
}

/** a + b (new object); dimensions must agree. */
export function mergeStats(a: FeatureStats, b: FeatureStats): FeatureStats {
  if (a.dim !== b.dim) throw new RangeError(`cannot merge statistics of dimension ${a.dim} and ${b.dim}`);
  const out = createStats(a.dim);
  out.count = a.count + b.count;
  for (let i = 0; i < a.sum.length; i++) out.sum[i] = a.sum[i] + b.sum[i];
  for (let i = 0; i < a.sumOuter.length; i++) out.sumOuter[i] = a.sumOuter[i] + b.sumOuter[i];
  return out;
}

/** Mean and unbiased covariance (N - 1), both float64. */
export interface Moments {
  readonly count: number;
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
}

/** mu = sum / N; sigma = (sumOuter - N mu mu^T) / (N - 1). Needs N >= 2. */
export function moments(stats: FeatureStats): Moments {
  const { dim: d, count: n } = stats;
  if (n < 2) throw new RangeError(`covariance needs at least 2 samples, got ${n}`);
  const mu = Float64Array.from(stats.sum, (s) => s / n);
  const sigma = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = (stats.sumOuter[i * d + j] - n * mu[i] * mu[j]) / (n - 1);
      sigma[i * d + j] = v;
      sigma[j * d + i] = v;
    }
  }
  return { count: n, mu, sigma };
}

/** Moments of rows x d features in one call. */
export function momentsOf(features: ArrayLike<number>, rows: number, dim: number): Moments {
  const s = createStats(dim);
  accumulate(s, features, rows);
  return moments(s);
}
