/**
 * Mean and covariance of feature rows under integer weights, as a bootstrap resample needs them: a resample
 * that draws row i w_i times has mean m + (1/n) sum_i w_i y_i and unbiased covariance
 * (sum_i w_i y_i y_i^T - n (mu - m)(mu - m)^T) / (n - 1), with y_i = x_i - m centred on the full set's mean m
 * (centring keeps the subtraction well conditioned). The weighted sum of outer products is one matrix product
 * Y^T W Y (the linear-algebra backend's `gramCross`, OpenBLAS `dgemm` when built), so a resample costs
 * O(n d^2) in BLAS rather than in TypeScript loops. With every weight 1 it equals `momentsOf` to rounding.
 */
import type { Moments } from './feature-stats.ts';
import { linalgBackend, type LinalgBackend } from './native-linalg.ts';

/** Feature rows prepared for repeated weighted moments. */
export class WeightedMoments {
  /** Rows n and feature dimension d. */
  readonly rows: number;
  readonly dim: number;
  private readonly centre: Float64Array;
  /** Centred features transposed: d rows of n values. */
  private readonly columns: Float64Array;
  private readonly scaled: Float64Array;
  private readonly backend: LinalgBackend;

  /** @param features rows x dim values, row-major (any numeric array); at least 2 rows. */
  constructor(features: ArrayLike<number>, rows: number, dim: number, backend: LinalgBackend = linalgBackend()) {
    if (!Number.isInteger(rows) || rows < 2) throw new RangeError(`weighted moments need at least 2 rows, got ${rows}`);
    if (features.length !== rows * dim)
      throw new RangeError(`weighted moments: ${features.length} values are not ${rows} rows x ${dim} features`);
    this.rows = rows;
    this.dim = dim;
    this.backend = backend;
    this.centre = new Float64Array(dim);
    for (let i = 0; i < rows; i++) for (let k = 0; k < dim; k++) this.centre[k] += features[i * dim + k];
    for (let k = 0; k < dim; k++) this.centre[k] /= rows;
    this.columns = new Float64Array(dim * rows);
    for (let i = 0; i < rows; i++) for (let k = 0; k < dim; k++) this.columns[k * rows + i] = features[i * dim + k] - this.centre[k];
    this.scaled = new Float64Array(dim * rows);
  }

  /**
   * Moments of the multiset that holds row i `weights[i]` times (weights >= 0, summing to n >= 2); `count` is that
   * sum. Throws on a negative or fractional weight.
   */
  moments(weights: ArrayLike<number>): Moments {
    const { rows, dim, columns, scaled } = this;
    if (weights.length !== rows) throw new RangeError(`weighted moments: ${weights.length} weights for ${rows} rows`);
    let n = 0;
    for (let i = 0; i < rows; i++) {
      const w = weights[i];
      if (!Number.isInteger(w) || w < 0) throw new RangeError(`weighted moments: weight ${i} is ${w}; allowed: integers >= 0`);
      n += w;
    }
    if (n < 2) throw new RangeError(`weighted moments: the weights sum to ${n}; a covariance needs at least 2`);
    const shift = new Float64Array(dim);
    for (let k = 0; k < dim; k++) {
      let s = 0;
      for (let i = 0; i < rows; i++) {
        const v = weights[i] * columns[k * rows + i];
        scaled[k * rows + i] = v;
        s += v;
      }
      shift[k] = s / n;
    }
    const outer = this.backend.gramCross(scaled, dim, columns, dim, rows);
    const sigma = new Float64Array(dim * dim);
    for (let a = 0; a < dim; a++) {
      for (let b = a; b < dim; b++) {
        // the product's two triangles may round differently: average them so sigma is exactly symmetric
        const v = ((outer[a * dim + b] + outer[b * dim + a]) / 2 - n * shift[a] * shift[b]) / (n - 1);
        sigma[a * dim + b] = v;
        sigma[b * dim + a] = v;
      }
    }
    const mu = Float64Array.from(shift, (s, k) => this.centre[k] + s);
    return { count: n, mu, sigma };
  }

  /** Weights (counts per row) of a resample given as row positions with repetition. */
  weightsOf(positions: ArrayLike<number>): Int32Array {
    const w = new Int32Array(this.rows);
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i];
      if (!(p >= 0 && p < this.rows)) throw new RangeError(`weighted moments: position ${p} is outside rows 0..${this.rows - 1}`);
      w[p]++;
    }
    return w;
  }
}
