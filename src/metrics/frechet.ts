/**
 * The Fréchet distance between Gaussians fitted to two feature sets (Heusel et al., 2017, eq. 6; pytorch-fid
 * `calculate_frechet_distance`, clean-fid `frechet_distance`): |mu1 - mu2|^2 + tr S1 + tr S2 - 2 tr sqrt(S1 S2),
 * in float64 with no complex arithmetic (`../shared/docs/frechet.md` section 1).
 *
 * tr sqrt(S1 S2) is the sum of the square roots of the eigenvalues of S1 S2. With S1 = L L^T (Cholesky), S1 S2
 * is similar to the symmetric PSD matrix L^T S2 L, whose eigenvalues a symmetric eigensolver gives; when S1 is
 * not positive definite the roles swap (S2 = L L^T, L^T S1 L), and when neither is, A = S1^(1/2) from an
 * eigendecomposition gives A S2 A (the form frechet.md recommends), or, on a backend with a low-rank factor
 * (the TypeScript one), S1 = F F^T (pivoted Cholesky, F: d x r) gives the r x r matrix F^T S2 F. All three are the same quantity in exact
 * arithmetic; full-rank cases agree with SciPy's `sqrtm` route to ~1e-13 relative.
 */
import { assertSymmetric, psdSqrt } from './linalg.ts';
import { linalgBackend, type LinalgBackend, type LinalgChoice } from './native-linalg.ts';
import type { Moments } from './feature-stats.ts';

/** How the distance treats singular products; presets match the reference implementations' failure paths. */
export interface FrechetOptions {
  /**
   * pytorch-fid/TTUR/ADM/clean-fid retry with (S1 + eps I)(S2 + eps I) inside the root only when `sqrtm(S1 S2)`
   * is not finite (`fid_score.py` `calculate_frechet_distance`). SciPy's sqrtm returns finite values for the
   * singular products of N < d (no offset there); so does the symmetric form here for every finite PSD input,
   * so the retry happens only when the root overflows. The trace terms keep the unoffset covariances.
   */
  readonly offsetOnSingular?: number;
  /**
   * pytorch-fid raises "Imaginary component" when |Im diag sqrtm(S1 S2)| > 1e-3. Here: error when a negative
   * eigenvalue lambda of the symmetric product has sqrt(|lambda|) above this tolerance (otherwise negatives,
   * which are round-off, count as 0).
   */
  readonly imaginaryTolerance?: number;
  /** Force the eigendecomposition route (A = S1^(1/2)) instead of Cholesky; for checks. */
  readonly route?: 'auto' | 'eigen';
  /** Linear-algebra backend: the OpenBLAS addon when built (auto), or one by name. */
  readonly backend?: LinalgChoice | LinalgBackend;
  /** Where the two Gaussians came from (file paths, "the samples"), for errors; default sigma1 and sigma2. */
  readonly sources?: readonly [string, string];
}

/**
 * How far below zero a covariance's eigenvalues may lie, relative to its largest: covariances are PSD, and
 * float64 moments (or float32-stored files) of rank-deficient features round to about -1e-13 (-1e-7) of it.
 * A covariance with an eigenvalue below -PSD_TOLERANCE * lambda_max is refused (docs/metrics.md).
 */
export const PSD_TOLERANCE = 1e-6;

/**
 * Throws when symmetric `sigma` has an eigenvalue below -PSD_TOLERANCE x its largest, with that ratio and
 * `what`. A lower bound on the smallest eigenvalue (`lowerBound`, from a pivoted Cholesky) or a Cholesky factor
 * of sigma + PSD_TOLERANCE max_i(sigma_ii) I proves the bound cheaply (lambda_max >= max_i sigma_ii); only when
 * neither does are the eigenvalues computed (or `values`, already known, used).
 */
function assertPsd(sigma: Float64Array, d: number, what: string, backend: LinalgBackend, values?: Float64Array, lowerBound?: number): void {
  let maxDiagonal = 0;
  for (let i = 0; i < d; i++) maxDiagonal = Math.max(maxDiagonal, sigma[i * d + i]);
  if (lowerBound !== undefined && maxDiagonal > 0 && lowerBound >= -PSD_TOLERANCE * maxDiagonal) return;
  if (!values && maxDiagonal > 0 && backend.cholesky(withOffset(sigma, d, PSD_TOLERANCE * maxDiagonal), d)) return;
  const w = values ?? backend.eigenvalues(sigma, d);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of w) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo < -PSD_TOLERANCE * Math.max(hi, 0) || (hi <= 0 && lo < 0)) {
    throw new RangeError(
      `${what}: the covariance is not positive semi-definite: its most negative eigenvalue is ${lo}, ${hi > 0 ? `${lo / hi} of the largest (${hi})` : 'and none is positive'}; allowed: >= -${PSD_TOLERANCE} of the largest`,
    );
  }
}

/** The failure handling of each reference implementation (frechet.md section 1). */
export const FRECHET_COMPAT: Readonly<Record<'none' | 'pytorch-fid' | 'clean-fid', FrechetOptions>> = {
  none: {},
  'pytorch-fid': { offsetOnSingular: 1e-6, imaginaryTolerance: 1e-3 },
  // clean-fid `fid.py` `frechet_distance` (01ff748) has the same retry and the same imaginary-part check
  'clean-fid': { offsetOnSingular: 1e-6, imaginaryTolerance: 1e-3 },
};

/** A Fréchet distance with its parts and any warnings. */
export interface FrechetResult {
  /** The distance (squared feature units; lower is better). */
  readonly fd: number;
  /** |mu1 - mu2|^2. */
  readonly meanTerm: number;
  /** tr S1 + tr S2 - 2 tr sqrt(S1 S2). */
  readonly covarianceTerm: number;
  readonly traceSqrt: number;
  /** Which factorisation gave the trace term. */
  readonly route: 'cholesky(sigma1)' | 'cholesky(sigma2)' | 'eigen(sigma1)' | 'factor(sigma1)' | 'eigen(sigma1 + eps)';
  readonly backend: LinalgBackend['name'];
  readonly warnings: readonly string[];
}

function symmetrize(m: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const s = (m[i * d + j] + m[j * d + i]) / 2;
      m[i * d + j] = s;
      m[j * d + i] = s;
    }
  }
}

function withOffset(s: Float64Array, d: number, eps: number): Float64Array {
  const out = Float64Array.from(s);
  for (let i = 0; i < d; i++) out[i * d + i] += eps;
  return out;
}

/** Sum of the roots of the symmetric product's positive eigenvalues, and the root of its most negative one. */
function rootTrace(product: Float64Array, d: number, backend: LinalgBackend) {
  symmetrize(product, d);
  const values = backend.eigenvalues(product, d);
  let traceSqrt = 0;
  let largestImaginary = 0;
  for (const v of values) {
    if (v > 0) traceSqrt += Math.sqrt(v);
    else largestImaginary = Math.max(largestImaginary, Math.sqrt(-v));
  }
  return { traceSqrt, largestImaginary };
}

/** tr sqrt(S1 S2) and how it was computed. */
function traceSqrtProduct(
  sigma1: Float64Array,
  sigma2: Float64Array,
  d: number,
  options: FrechetOptions,
  backend: LinalgBackend,
  warnings: string[],
) {
  const [source1, source2] = options.sources ?? ['sigma1', 'sigma2'];
  let product: Float64Array;
  let size = d;
  let route: FrechetResult['route'];
  const l1 = options.route === 'eigen' ? null : backend.cholesky(sigma1, d);
  const l2 = l1 || options.route === 'eigen' ? null : backend.cholesky(sigma2, d);
  // a Cholesky factor proves its covariance positive definite; the other one is checked (PSD_TOLERANCE)
  if (l1) {
    assertPsd(sigma2, d, source2, backend);
    product = backend.congruence(l1, sigma2, d);
    route = 'cholesky(sigma1)';
  } else if (l2) {
    assertPsd(sigma1, d, source1, backend);
    product = backend.congruence(l2, sigma1, d);
    route = 'cholesky(sigma2)';
  } else if (backend.lowRankFactor && backend.lowRankCongruence && options.route !== 'eigen') {
    // S1 = F F^T (F: d x r): the nonzero eigenvalues of S1 S2 = F (F^T S2) are those of F^T S2 F (r x r)
    const { factor, rank, lowerBound } = backend.lowRankFactor(sigma1, d);
    assertPsd(sigma1, d, source1, backend, undefined, lowerBound);
    assertPsd(sigma2, d, source2, backend, undefined, backend.lowRankFactor(sigma2, d).lowerBound);
    product = backend.lowRankCongruence(factor, rank, sigma2, d);
    size = rank;
    route = 'factor(sigma1)';
  } else {
    const e1 = backend.eigen(sigma1, d);
    assertPsd(sigma1, d, source1, backend, e1.values);
    assertPsd(sigma2, d, source2, backend);
    const a = psdSqrt(sigma1, d, { eigen: () => e1, matmul: backend.matmul });
    product = backend.matmul(backend.matmul(a, sigma2, d), a, d);
    route = 'eigen(sigma1)';
  }
  let { traceSqrt, largestImaginary } = rootTrace(product, size, backend);
  if (!Number.isFinite(traceSqrt) && options.offsetOnSingular !== undefined) {
    // pytorch-fid/clean-fid: only when sqrtm(S1 S2) is not finite, retry with (S1 + eps I)(S2 + eps I)
    const eps = options.offsetOnSingular;
    warnings.push(
      `the root of the product is not finite: it uses (sigma1 + ${eps} I)(sigma2 + ${eps} I), as pytorch-fid does when sqrtm fails`,
    );
    const a = psdSqrt(withOffset(sigma1, d, eps), d, backend);
    ({ traceSqrt, largestImaginary } = rootTrace(backend.matmul(backend.matmul(a, withOffset(sigma2, d, eps), d), a, d), d, backend));
    route = 'eigen(sigma1 + eps)';
  }
  if (options.imaginaryTolerance !== undefined && largestImaginary > options.imaginaryTolerance) {
    throw new RangeError(
      `Imaginary component ${largestImaginary}: the product sigma1 sigma2 has a negative eigenvalue whose root exceeds ${options.imaginaryTolerance} (pytorch-fid raises here)`,
    );
  }
  return { traceSqrt, route };
}

/** Fréchet distance between N(mu1, sigma1) and N(mu2, sigma2); sigma are d x d row-major, float64. */
export function frechetDistance(
  mu1: Float64Array,
  sigma1: Float64Array,
  mu2: Float64Array,
  sigma2: Float64Array,
  options: FrechetOptions = {},
): FrechetResult {
  const d = mu1.length;
  if (mu2.length !== d) throw new RangeError(`mean vectors differ in length: ${d} and ${mu2.length}`);
  for (const [m, what] of [
    [mu1, 'mu1'],
    [mu2, 'mu2'],
  ] as const) {
    const bad = m.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new RangeError(`${what}: entry ${bad} is ${m[bad]}; all entries must be finite`);
  }
  assertSymmetric(sigma1, d, 'sigma1');
  assertSymmetric(sigma2, d, 'sigma2');
  const backend = linalgBackend(options.backend);
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (mu1[i] - mu2[i]) ** 2;
  let trace1 = 0;
  let trace2 = 0;
  for (let i = 0; i < d; i++) {
    trace1 += sigma1[i * d + i];
    trace2 += sigma2[i * d + i];
  }
  const warnings: string[] = [];
  const { traceSqrt, route } = traceSqrtProduct(sigma1, sigma2, d, options, backend, warnings);
  const covarianceTerm = trace1 + trace2 - 2 * traceSqrt;
  let fd = meanTerm + covarianceTerm;
  // a distance is >= 0: within the PSD tolerance of the traces a negative value is rounding (equal Gaussians)
  if (fd < 0) {
    if (-fd > PSD_TOLERANCE * (trace1 + trace2))
      throw new RangeError(
        `Fréchet distance came out ${fd} (mean term ${meanTerm}, tr S1 ${trace1}, tr S2 ${trace2}, tr sqrt(S1 S2) ${traceSqrt}); a distance cannot be negative`,
      );
    fd = 0;
  }
  return { fd, meanTerm, covarianceTerm, traceSqrt, route, backend: backend.name, warnings };
}

/** Mean and covariance with the sample count when known (reference files from pytorch-fid or ADM carry none). */
export type GaussianStats = Pick<Moments, 'mu' | 'sigma'> & { readonly count: number | null };

/** Fréchet distance between two sets of moments; warns when a covariance must be singular (N <= d: rank <= N - 1 < d). */
export function frechetFromMoments(a: GaussianStats, b: GaussianStats, options: FrechetOptions = {}): FrechetResult {
  const r = frechetDistance(a.mu, a.sigma, b.mu, b.sigma, options);
  const d = a.mu.length;
  const small = [a, b].flatMap((m, i) =>
    m.count !== null && m.count <= d
      ? [
          `sample ${i + 1} has ${m.count} feature vectors for dimension ${d}: its covariance is singular and the distance is biased upward (TTUR recommends N >= 10000 at d = 2048)`,
        ]
      : [],
  );
  return { ...r, warnings: [...small, ...r.warnings] };
}
