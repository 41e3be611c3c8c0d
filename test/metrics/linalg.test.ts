import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhiloxNoise } from '../../src/core/philox.ts';
import { readFileSync } from 'node:fs';
import { decodeNpz } from '../../src/io/npy.ts';
import { momentsOf } from '../../src/metrics/feature-stats.ts';
import { frechetFromMoments } from '../../src/metrics/frechet.ts';
import { matmul, pivotedCholesky, psdSqrt, symmetricEigen } from '../../src/metrics/linalg.ts';
import { typescriptLinalg } from '../../src/metrics/native-linalg.ts';

function randomSymmetric(n: number, seed: number): Float64Array {
  const g = new PhiloxNoise(seed).gaussian(0, 'sym', n * n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = g[i * n + j] + g[j * n + i];
  return a;
}

for (const n of [1, 2, 3, 10, 64]) {
  test(`symmetric eigensolver: A v = lambda v and V orthonormal to 1e-12 (n = ${n})`, () => {
    const a = randomSymmetric(n, n);
    const { values, vectors } = symmetricEigen(a, n);
    const v = vectors!;
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j] * v[k * n + j];
        assert.ok(Math.abs(s - values[k] * v[k * n + i]) < 1e-11, `residual at eigenpair ${k}`);
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += v[k * n + j] * v[l * n + j];
        assert.ok(Math.abs(dot - (k === l ? 1 : 0)) < 1e-12);
      }
    }
    for (let k = 1; k < n; k++) assert.ok(values[k] >= values[k - 1], 'ascending');
  });
}

test('known spectra: a diagonal matrix, the 1-2-1 tridiagonal matrix (2 - 2 cos(k pi / (n + 1))), a repeated eigenvalue', () => {
  assert.equal(Array.from(symmetricEigen(Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 2]), 3).values), [-1, 2, 3]);
  const n = 12;
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    t[i * n + i] = 2;
    if (i + 1 < n) t[i * n + i + 1] = t[(i + 1) * n + i] = -1;
  }
  const values = symmetricEigen(t, n, false).values;
  for (let k = 1; k <= n; k++) assert.ok(Math.abs(values[k - 1] - (2 - 2 * Math.cos((k * Math.PI) / (n + 1)))) < 1e-13);
  const ones = Float64Array.from({ length: 16 }, () => 1); // eigenvalues 0, 0, 0, 4
  const v = symmetricEigen(ones, 4).values;
  assert.ok(Math.abs(v[3] - 4) < 1e-13 && Math.abs(v[0]) < 1e-13);
});

test('psdSqrt squares back to the matrix (rank-deficient PSD, n = 30)', () => {
  const n = 30;
  const g = new PhiloxNoise(4).gaussian(0, 'x', n * 20);
  const s = new Float64Array(n * n);
  for (let r = 0; r < 20; r++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] += g[r * n + i] * g[r * n + j];
  const root = psdSqrt(s, n);
  const back = matmul(root, root, n);
  let err = 0;
  for (let i = 0; i < n * n; i++) err = Math.max(err, Math.abs(back[i] - s[i]));
  assert.ok(err < 1e-10, `max error ${err}`);
});

// N = 40 < d = 256: scripts/reference/frechet_rank_deficient.py (np.linalg.eigvalsh of np.cov)
const deficient = decodeNpz(readFileSync(new URL('../fixtures/frechet-rank-deficient.npz', import.meta.url)));
const sigma256 = momentsOf(deficient.eig_a.data as Float64Array, 40, 256).sigma;

test('rank-deficient covariance (N = 40, d = 256): eigenvalues within 1e-12 of the largest of NumPy eigvalsh', () => {
  const expected = deficient.eig_values.data as Float64Array;
  for (const vectors of [false, true]) {
    const { values } = symmetricEigen(sigma256, 256, vectors);
    const largest = expected[255];
    values.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-12 * largest, `${i}: ${v} vs ${expected[i]}`));
  }
});

test('pivoted Cholesky of the rank-39 covariance: rank 39, F F^T = S to 1e-13 of max |S|, a PSD bound above -1e-12', () => {
  const { factor, rank, lowerBound } = pivotedCholesky(sigma256, 256);
  assert.is(rank, 39);
  let scale = 0;
  let error = 0;
  for (let i = 0; i < 256; i++) {
    for (let j = 0; j < 256; j++) {
      let ff = 0;
      for (let k = 0; k < rank; k++) ff += factor[i * rank + k] * factor[j * rank + k];
      scale = Math.max(scale, Math.abs(sigma256[i * 256 + j]));
      error = Math.max(error, Math.abs(ff - sigma256[i * 256 + j]));
    }
  }
  assert.ok(error <= 1e-13 * scale, `error ${error} of ${scale}`);
  assert.ok(lowerBound > -1e-12 * scale && lowerBound <= 0, `bound ${lowerBound}`);
  // an indefinite matrix gives a negative bound
  assert.ok(pivotedCholesky(Float64Array.from([1, 2, 2, 1]), 2).lowerBound <= -1);
});

test('the TypeScript backend takes the rank-r factor route at N < d (no n x n eigendecomposition), agreeing with its eigen route', () => {
  const a = { ...momentsOf(deficient.eig_a.data as Float64Array, 40, 256), count: 40 };
  const half = (deficient.eig_a.data as Float64Array).subarray(0, 30 * 256);
  const b = {
    ...momentsOf(
      half.map((v, i) => v * 1.1 + (i % 7) * 0.01),
      30,
      256,
    ),
    count: 30,
  };
  const fast = frechetFromMoments(a, b, { backend: typescriptLinalg });
  const eigen = frechetFromMoments(a, b, { backend: typescriptLinalg, route: 'eigen' });
  assert.is(fast.route, 'factor(sigma1)');
  assert.is(eigen.route, 'eigen(sigma1)');
  assert.ok(Math.abs(fast.fd - eigen.fd) <= 1e-7 * eigen.fd, `${fast.fd} vs ${eigen.fd}`);
});

test.run();
