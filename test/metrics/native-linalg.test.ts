import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhiloxNoise } from '../../src/core/philox.ts';
import { linalgBackend, openblasLinalg, typescriptLinalg } from '../../src/metrics/native-linalg.ts';
import { mul, transpose } from '../helpers/dense.ts';

// A random SPD matrix G G^T / k + 0.1 I (n x n) and a random rectangular matrix.
function spd(n: number, seed: number): Float64Array {
  const g = Float64Array.from(new PhiloxNoise(seed).gaussian(0, 'spd', n * n));
  const s = mul(g, transpose(g, n, n), n, n, n);
  for (let i = 0; i < n * n; i++) s[i] /= n;
  for (let i = 0; i < n; i++) s[i * n + i] += 0.1;
  return s;
}
const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('TypeScript kernels against brute force: Cholesky reconstructs, congruence = L^T S L, gramCross = A B^T', () => {
  const n = 17;
  const a = spd(n, 1);
  const l = typescriptLinalg.cholesky(a, n)!;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) assert.is(l[i * n + j], 0);
  assert.ok(maxDiff(mul(l, transpose(l, n, n), n, n, n), a) < 1e-13);
  const s = spd(n, 2);
  assert.ok(maxDiff(typescriptLinalg.congruence(l, s, n), mul(mul(transpose(l, n, n), s, n, n, n), l, n, n, n)) < 1e-12);
  const x = Float64Array.from(new PhiloxNoise(3).gaussian(0, 'x', 5 * 7));
  const y = Float64Array.from(new PhiloxNoise(4).gaussian(0, 'y', 3 * 7));
  assert.ok(maxDiff(typescriptLinalg.gramCross(x, 5, y, 3, 7), mul(x, transpose(y, 3, 7), 5, 7, 3)) < 1e-14);
  // not positive definite: null, as dpotrf reports
  assert.is(typescriptLinalg.cholesky(Float64Array.from([1, 2, 2, 1]), 2), null);
});

const native = openblasLinalg();
test(`the OpenBLAS addon agrees with the TypeScript kernels (${native.backend ? `built: ${native.config!.openblas}` : `not built: ${native.reason}`})`, () => {
  if (!native.backend) {
    // without the addon, 'auto' falls back and 'openblas' says why
    assert.is(linalgBackend('auto').name, 'typescript');
    assert.throws(() => linalgBackend('openblas'), /OpenBLAS linear-algebra backend is not available/);
    return;
  }
  const b = native.backend;
  const n = 40;
  const a = spd(n, 5);
  const s = spd(n, 6);
  assert.ok(maxDiff(b.cholesky(a, n)!, typescriptLinalg.cholesky(a, n)!) < 1e-13);
  assert.is(b.cholesky(Float64Array.from([1, 2, 2, 1]), 2), null);
  const l = typescriptLinalg.cholesky(a, n)!;
  assert.ok(maxDiff(b.congruence(l, s, n), typescriptLinalg.congruence(l, s, n)) < 1e-12);
  assert.ok(maxDiff(b.matmul(a, s, n), typescriptLinalg.matmul(a, s, n)) < 1e-12);
  assert.ok(maxDiff(b.eigenvalues(a, n), typescriptLinalg.eigenvalues(a, n)) < 1e-12);
  const e = b.eigen(a, n);
  // A v = lambda v for the rows of `vectors`
  for (let k = 0; k < n; k += 7) {
    const v = e.vectors.subarray(k * n, (k + 1) * n);
    const av = mul(a, Float64Array.from(v), n, n, 1);
    assert.ok(
      maxDiff(
        av,
        Float64Array.from(v, (x) => x * e.values[k]),
      ) < 1e-12,
      `eigenpair ${k}`,
    );
  }
  assert.throws(() => b.matmul(new Float64Array(3), a, n), /matmul: a and b must be Float64Arrays of n\*n values/);
});

test.run();
