/**
 * Kernel Inception Distance (Bińkowski et al., 2018): the unbiased MMD^2 with the polynomial kernel
 * k(x, y) = (x.y / d + 1)^3, averaged over random subsets, as torch-fidelity `metric_kid.py`
 * (`kid_features_to_metric`, `mmd2` with mmd_est="unbiased") and clean-fid `fid.py` (`kernel_distance`) compute
 * it: per subset of m rows from each set,
 *   MMD^2_u = [sum_{i != j} k(x_i, x_j) + sum_{i != j} k(y_i, y_j)] / (m (m - 1)) - 2 sum_{i, j} k(x_i, y_j) / m^2
 * (the cross term keeps its diagonal). Subsets are drawn with NumPy's legacy RandomState exactly as each library
 * draws them, so a seed reproduces their subsets; the arithmetic is float64 (theirs is float32: expect
 * differences of ~1e-5 relative, frechet.md section 5).
 */
import { NumpyRandomState } from '../core/mt19937.ts';
import { linalgBackend, type LinalgBackend, type LinalgChoice } from './native-linalg.ts';

/** Row-major features: rows x dim. */
export interface FeatureMatrix {
  readonly data: Float32Array | Float64Array;
  readonly rows: number;
  readonly dim: number;
}

/**
 * Subset protocol. `torch-fidelity`: subset size fixed (default 1000; error when a set is smaller), per subset
 * set 1 then set 2 drawn from `RandomState(seed)` (default seed 2020). `clean-fid`: m = min(N1, N2, subsetSize),
 * per subset set 2 then set 1 drawn (clean-fid calls them feats2 and feats1), from the global NumPy stream that
 * the user seeded (`np.random.seed(seed)`).
 */
export type KidProtocol = 'torch-fidelity' | 'clean-fid';

/** KID settings; defaults are torch-fidelity's (100 subsets of 1000, seed 2020). */
export interface KidOptions {
  readonly protocol?: KidProtocol;
  /** Number of subsets (default 100, both libraries). */
  readonly subsets?: number;
  /** Rows per subset (default 1000, both libraries). */
  readonly subsetSize?: number;
  /** RandomState seed (default 2020, torch-fidelity's `rng_seed`). */
  readonly seed?: number;
  readonly backend?: LinalgChoice | LinalgBackend;
}

/** KID with its spread over subsets. */
export interface KidResult {
  /** Mean MMD^2_u over subsets (lower is better; can be slightly negative; often quoted x 1e3). */
  readonly kid: number;
  /** Standard deviation over subsets (ddof 0, as torch-fidelity's np.std). */
  readonly std: number;
  readonly subsets: number;
  readonly subsetSize: number;
  readonly perSubset: Float64Array;
  readonly protocol: KidProtocol;
  readonly seed: number;
}

function gather(f: FeatureMatrix, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * f.dim);
  rows.forEach((r, i) => {
    for (let k = 0; k < f.dim; k++) out[i * f.dim + k] = f.data[r * f.dim + k];
  });
  return out;
}

/** Sums of (g / d + 1)^3 over a Gram matrix: all entries, and the diagonal (square matrices). */
function kernelSums(gram: Float64Array, m: number, d: number): { all: number; diagonal: number } {
  let all = 0;
  let diagonal = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const k = (gram[i * m + j] / d + 1) ** 3;
      all += k;
      if (i === j) diagonal += k;
    }
  }
  return { all, diagonal };
}

/** Unbiased MMD^2 with the cubic polynomial kernel between two m x d subsets. */
export function polynomialMmd(x: Float64Array, y: Float64Array, m: number, d: number, backend: LinalgBackend = linalgBackend()): number {
  if (m < 2) throw new RangeError(`MMD needs subsets of at least 2 rows, got ${m}`);
  const xx = kernelSums(backend.gramCross(x, m, x, m, d), m, d);
  const yy = kernelSums(backend.gramCross(y, m, y, m, d), m, d);
  const xy = kernelSums(backend.gramCross(x, m, y, m, d), m, d);
  return (xx.all - xx.diagonal + yy.all - yy.diagonal) / (m * (m - 1)) - (2 * xy.all) / (m * m);
}

/** KID between feature sets 1 and 2 (torch-fidelity: set 1 real, set 2 generated; the value is symmetric in law). */
export function kernelInceptionDistance(features1: FeatureMatrix, features2: FeatureMatrix, options: KidOptions = {}): KidResult {
  const protocol = options.protocol ?? 'torch-fidelity';
  if (protocol !== 'torch-fidelity' && protocol !== 'clean-fid')
    throw new RangeError(`KID protocol '${protocol}' is not known; allowed: torch-fidelity, clean-fid`);
  const subsets = options.subsets ?? 100;
  const requested = options.subsetSize ?? 1000;
  const seed = options.seed ?? 2020;
  if (features1.dim !== features2.dim) throw new RangeError(`KID: feature dimensions differ: ${features1.dim} and ${features2.dim}`);
  if (!Number.isInteger(subsets) || subsets < 1) throw new RangeError(`KID subsets ${subsets} must be an integer >= 1`);
  if (!Number.isInteger(requested) || requested < 2) throw new RangeError(`KID subset size ${requested} must be an integer >= 2`);
  let m = requested;
  if (protocol === 'torch-fidelity') {
    if (features1.rows < m || features2.rows < m) {
      throw new RangeError(
        `KID subset size ${m} is larger than a feature set (set 1: ${features1.rows} rows, set 2: ${features2.rows}); pass a smaller subset size (torch-fidelity refuses this too)`,
      );
    }
  } else m = Math.min(features1.rows, features2.rows, requested);
  const backend = linalgBackend(options.backend);
  const rng = new NumpyRandomState(seed);
  const d = features1.dim;
  const perSubset = new Float64Array(subsets);
  for (let s = 0; s < subsets; s++) {
    let x: Float64Array;
    let y: Float64Array;
    if (protocol === 'torch-fidelity') {
      x = gather(features1, rng.choiceWithoutReplacement(features1.rows, m));
      y = gather(features2, rng.choiceWithoutReplacement(features2.rows, m));
    } else {
      y = gather(features2, rng.choiceWithoutReplacement(features2.rows, m));
      x = gather(features1, rng.choiceWithoutReplacement(features1.rows, m));
    }
    perSubset[s] = polynomialMmd(x, y, m, d, backend);
  }
  let mean = 0;
  for (const v of perSubset) mean += v;
  mean /= subsets;
  let variance = 0;
  for (const v of perSubset) variance += (v - mean) ** 2;
  return { kid: mean, std: Math.sqrt(variance / subsets), subsets, subsetSize: m, perSubset, protocol, seed };
}
