/**
 * The dense float64 kernels the Fréchet distance needs, behind one interface with two implementations: the
 * OpenBLAS/LAPACKE addon (`native/linalg.c`, built by `scripts/build-native.sh` into
 * `build/native/linalg.node`; LAPACK `dsyevd`, `dpotrf`, BLAS `dtrmm`, `dgemm`) and the TypeScript fallback in
 * `linalg.ts`. Both give the same numbers to rounding (the tests compare them); the addon is about 30x faster
 * at d = 2048 (docs/frechet-speed.md).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HARNESS_ROOT } from '../core/harness-root.ts';
import { cholesky, congruence, gramCross, lowRankCongruence, matmul, pivotedCholesky, symmetricEigen } from './linalg.ts';

/** Symmetric eigensolver, Cholesky, congruence and product on n x n row-major float64 matrices. */
export interface LinalgBackend {
  readonly name: 'openblas' | 'typescript';
  /** Eigenvalues of symmetric `a`, ascending. */
  eigenvalues(a: Float64Array, n: number): Float64Array;
  /** Eigenvalues (ascending) and eigenvectors as rows (row k pairs with values[k]). */
  eigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array };
  /** Lower Cholesky factor, or null when `a` is not numerically positive definite. */
  cholesky(a: Float64Array, n: number): Float64Array | null;
  /** L^T S L for lower-triangular L. */
  congruence(l: Float64Array, s: Float64Array, n: number): Float64Array;
  matmul(a: Float64Array, b: Float64Array, n: number): Float64Array;
  /** A B^T for row-major A (rowsA x dim) and B (rowsB x dim): the Gram matrix of dot products. */
  gramCross(a: Float64Array, rowsA: number, b: Float64Array, rowsB: number, dim: number): Float64Array;
  /**
   * Optional: F (n x rank) with F F^T = a to rounding (pivoted Cholesky) and a lower bound on a's smallest
   * eigenvalue. When present, the Fréchet distance of
   * two singular covariances takes tr sqrt(F^T S2 F) (rank x rank) instead of eigendecomposing S1 (n x n); the
   * TypeScript backend has it, the addon keeps `dsyevd` (whose numbers stored results hold).
   */
  lowRankFactor?(a: Float64Array, n: number): { factor: Float64Array; rank: number; lowerBound: number };
  /** With `lowRankFactor`: F^T S F for F (n x r). */
  lowRankCongruence?(f: Float64Array, r: number, s: Float64Array, n: number): Float64Array;
}

/** The TypeScript implementation (always available). */
export const typescriptLinalg: LinalgBackend = {
  name: 'typescript',
  eigenvalues: (a, n) => symmetricEigen(a, n, false).values,
  eigen: (a, n) => {
    const r = symmetricEigen(a, n, true);
    return { values: r.values, vectors: r.vectors! };
  },
  cholesky,
  congruence,
  matmul,
  gramCross,
  lowRankFactor: (a, n) => pivotedCholesky(a, n),
  lowRankCongruence,
};

/** The addon's exports: the backend's kernels and the OpenBLAS build it was linked with. */
type Addon = Omit<LinalgBackend, 'name'> & { config(): { openblas: string; threads: number } };

/** Where the addon is built. */
export const NATIVE_ADDON_PATH = path.join(HARNESS_ROOT, 'build', 'native', 'linalg.node');

let loaded: { addon: Addon | null; reason: string } | undefined;

function loadAddon(): { addon: Addon | null; reason: string } {
  if (loaded) return loaded;
  if (!existsSync(NATIVE_ADDON_PATH))
    loaded = { addon: null, reason: `${NATIVE_ADDON_PATH} is not built (run scripts/build-native.sh, which ./setup.sh runs)` };
  else {
    try {
      loaded = { addon: createRequire(import.meta.url)(NATIVE_ADDON_PATH) as Addon, reason: 'loaded' };
    } catch (error) {
      loaded = { addon: null, reason: `${NATIVE_ADDON_PATH} could not be loaded: ${(error as Error).message}` };
    }
  }
  return loaded;
}

/** The OpenBLAS backend, or null with the reason it is unavailable. */
export function openblasLinalg(): { backend: LinalgBackend | null; reason: string; config?: { openblas: string; threads: number } } {
  const { addon, reason } = loadAddon();
  if (!addon) return { backend: null, reason };
  const backend: LinalgBackend = {
    name: 'openblas',
    eigenvalues: (a, n) => addon.eigenvalues(a, n),
    eigen: (a, n) => addon.eigen(a, n),
    cholesky: (a, n) => addon.cholesky(a, n),
    congruence: (l, s, n) => addon.congruence(l, s, n),
    matmul: (a, b, n) => addon.matmul(a, b, n),
    gramCross: (a, ra, b, rb, dim) => addon.gramCross(a, ra, b, rb, dim),
  };
  return { backend, reason, config: addon.config() };
}

/** Which backend to use: the addon when built ('auto'), or one by name ('openblas' fails when it is absent). */
export type LinalgChoice = 'auto' | 'openblas' | 'typescript';

/** Resolves a backend choice (a backend object is returned as it is); 'openblas' throws with the reason when the addon is not available. */
export function linalgBackend(choice: LinalgChoice | LinalgBackend = 'auto'): LinalgBackend {
  if (typeof choice === 'object') return choice;
  if (choice === 'typescript') return typescriptLinalg;
  const native = openblasLinalg();
  if (native.backend) return native.backend;
  if (choice === 'openblas') throw new Error(`the OpenBLAS linear-algebra backend is not available: ${native.reason}`);
  return typescriptLinalg;
}
