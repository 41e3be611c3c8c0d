/**
 * The Fréchet distance between Gaussians fitted to two feature sets (Heusel et al., 2017, eq. 6; pytorch-fid
 * `calculate_frechet_distance`): |mu1 - mu2|^2 + tr S1 + tr S2 - 2 tr sqrt(S1 S2). The trace term is computed in
 * the symmetric form tr sqrt(A S2 A), A = S1^(1/2), from a symmetric eigensolver, in float64, with no complex
 * arithmetic (`../shared/docs/frechet.md` section 1, recommended algorithm).
 */
import { assertSymmetric, matmul, psdSqrt, symmetricEigen } from './linalg.ts';
import type { Moments } from './feature-stats.ts';

/** A Fréchet distance with its parts and any warnings. */
export interface FrechetResult {
  readonly fd: number;
  /** |mu1 - mu2|^2. */
  readonly meanTerm: number;
  /** tr S1 + tr S2 - 2 tr sqrt(S1 S2). */
  readonly covarianceTerm: number;
  readonly traceSqrt: number;
  readonly warnings: readonly string[];
}

/** Fréchet distance between N(mu1, sigma1) and N(mu2, sigma2); sigma are d x d row-major. */
export function frechetDistance(mu1: Float64Array, sigma1: Float64Array, mu2: Float64Array, sigma2: Float64Array): FrechetResult {
  const d = mu1.length;
  if (mu2.length !== d) throw new RangeError(`mean vectors differ in length: ${d} and ${mu2.length}`);
  assertSymmetric(sigma1, d, 'sigma1');
  assertSymmetric(sigma2, d, 'sigma2');
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (mu1[i] - mu2[i]) ** 2;
  let trace1 = 0;
  let trace2 = 0;
  for (let i = 0; i < d; i++) {
    trace1 += sigma1[i * d + i];
    trace2 += sigma2[i * d + i];
  }
  // tr sqrt(S1 S2) = sum of sqrt of the eigenvalues of the PSD matrix A S2 A, A = S1^(1/2)
  const a = psdSqrt(sigma1, d);
  const m = matmul(matmul(a, sigma2, d), a, d);
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const s = (m[i * d + j] + m[j * d + i]) / 2;
      m[i * d + j] = s;
      m[j * d + i] = s;
    }
  }
  const { values } = symmetricEigen(m, d, false);
  let traceSqrt = 0;
  for (const v of values) traceSqrt += Math.sqrt(Math.max(v, 0));
  const covarianceTerm = trace1 + trace2 - 2 * traceSqrt;
  return { fd: meanTerm + covarianceTerm, meanTerm, covarianceTerm, traceSqrt, warnings: [] };
}

/** Fréchet distance between two sets of moments; warns when either sample is smaller than the dimension. */
export function frechetFromMoments(a: Moments, b: Moments): FrechetResult {
  const r = frechetDistance(a.mu, a.sigma, b.mu, b.sigma);
  const d = a.mu.length;
  const warnings = [a, b].flatMap((m, i) =>
    m.count < d ? [`sample ${i + 1} has ${m.count} feature vectors for dimension ${d}: its covariance is singular and the distance is biased upward`] : [],
  );
  return { ...r, warnings };
}
