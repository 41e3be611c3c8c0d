/**
 * Improved precision and recall (Kynkäänniemi et al., NeurIPS 2019), as torch-fidelity `metric_prc.py`
 * computes it: each point of a set gets the radius of its k-th nearest neighbour in its own set (itself
 * excluded: `kthvalue(k + 1)` over distances that include the zero self-distance); precision is the fraction of
 * generated points within the radius of some real point (distance <= radius), recall the fraction of real
 * points within the radius of some generated point; F = 2PR / max(P + R, 1e-5). Distances are Euclidean in
 * float64; squared distances are compared (same order), from |x|^2 + |y|^2 - 2 x.y in row blocks so that only
 * one block of the distance matrix is held at a time.
 */
import { linalgBackend, type LinalgBackend, type LinalgChoice } from './native-linalg.ts';
import type { FeatureMatrix } from './kid.ts';
import { kthLargest } from '../core/select.ts';

/** Precision/recall settings (torch-fidelity's defaults: k = 3). */
export interface PrecisionRecallOptions {
  /** k of the k-NN radius (default 3, as torch-fidelity and the paper; dgm-eval uses 5). */
  readonly neighborhood?: number;
  /** Rows per block of the distance computation (memory: block x N float64). */
  readonly blockRows?: number;
  readonly backend?: LinalgChoice | LinalgBackend;
}

/** Precision, recall (fractions in [0, 1]) and their F-score. */
export interface PrecisionRecallResult {
  /** Fraction of generated samples inside the real manifold (higher is better). */
  readonly precision: number;
  /** Fraction of real samples inside the generated manifold (higher is better). */
  readonly recall: number;
  readonly fScore: number;
  readonly neighborhood: number;
}

function squaredNorms(f: FeatureMatrix): Float64Array {
  const out = new Float64Array(f.rows);
  for (let r = 0; r < f.rows; r++) {
    let s = 0;
    for (let k = 0; k < f.dim; k++) s += f.data[r * f.dim + k] ** 2;
    out[r] = s;
  }
  return out;
}

function rowsOf(f: FeatureMatrix, start: number, end: number): Float64Array {
  return Float64Array.from(f.data.subarray(start * f.dim, end * f.dim));
}

/** Squared distances from rows [start, end) of `a` to every row of `b`, (end - start) x b.rows. */
function squaredDistanceBlock(
  a: FeatureMatrix,
  aNorms: Float64Array,
  start: number,
  end: number,
  b: FeatureMatrix,
  bAll: Float64Array,
  bNorms: Float64Array,
  backend: LinalgBackend,
): Float64Array {
  const rows = end - start;
  const gram = backend.gramCross(rowsOf(a, start, end), rows, bAll, b.rows, a.dim);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < b.rows; j++) gram[i * b.rows + j] = Math.max(aNorms[start + i] + bNorms[j] - 2 * gram[i * b.rows + j], 0);
  }
  return gram;
}

/** Squared k-NN radius of every row within its own set (self excluded). */
export function kthNeighbourRadii(f: FeatureMatrix, k: number, blockRows = 1024, backend: LinalgBackend = linalgBackend()): Float64Array {
  if (!Number.isInteger(k) || k < 1 || k >= f.rows)
    throw new RangeError(`k-NN radius: k = ${k} needs an integer in [1, ${f.rows - 1}] for a set of ${f.rows} rows`);
  const norms = squaredNorms(f);
  const all = Float64Array.from(f.data);
  const radii = new Float64Array(f.rows);
  const row = new Float64Array(f.rows);
  for (let start = 0; start < f.rows; start += blockRows) {
    const end = Math.min(f.rows, start + blockRows);
    const block = squaredDistanceBlock(f, norms, start, end, f, all, norms, backend);
    for (let i = 0; i < end - start; i++) {
      row.set(block.subarray(i * f.rows, (i + 1) * f.rows));
      row[start + i] = 0; // the self-distance, exactly
      radii[start + i] = kthLargest(row, f.rows - k); // the (k + 1)-th smallest including self
    }
  }
  return radii;
}

/** Fraction of rows of `query` within the radius of at least one row of `manifold`. */
function coverage(query: FeatureMatrix, manifold: FeatureMatrix, radii: Float64Array, blockRows: number, backend: LinalgBackend): number {
  const qNorms = squaredNorms(query);
  const mNorms = squaredNorms(manifold);
  const mAll = Float64Array.from(manifold.data);
  let inside = 0;
  for (let start = 0; start < query.rows; start += blockRows) {
    const end = Math.min(query.rows, start + blockRows);
    const block = squaredDistanceBlock(query, qNorms, start, end, manifold, mAll, mNorms, backend);
    for (let i = 0; i < end - start; i++) {
      const off = i * manifold.rows;
      for (let j = 0; j < manifold.rows; j++) {
        if (block[off + j] <= radii[j]) {
          inside++;
          break;
        }
      }
    }
  }
  return inside / query.rows;
}

/** Precision and recall of generated features against real features. */
export function precisionRecall(
  real: FeatureMatrix,
  generated: FeatureMatrix,
  options: PrecisionRecallOptions = {},
): PrecisionRecallResult {
  if (real.dim !== generated.dim)
    throw new RangeError(`precision/recall: feature dimensions differ: real ${real.dim}, generated ${generated.dim}`);
  const k = options.neighborhood ?? 3;
  const blockRows = options.blockRows ?? 1024;
  const backend = linalgBackend(options.backend);
  const realRadii = kthNeighbourRadii(real, k, blockRows, backend);
  const generatedRadii = kthNeighbourRadii(generated, k, blockRows, backend);
  const precision = coverage(generated, real, realRadii, blockRows, backend);
  const recall = coverage(real, generated, generatedRadii, blockRows, backend);
  return { precision, recall, fScore: (2 * precision * recall) / Math.max(precision + recall, 1e-5), neighborhood: k };
}
