import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { decodeNpz } from '../../src/io/npy.ts';
import { kernelInceptionDistance, polynomialMmd } from '../../src/metrics/kid.ts';
import { openblasLinalg, typescriptLinalg } from '../../src/metrics/native-linalg.ts';

// Reference: scripts/reference/kid_prc_vectors.py (torch-fidelity's and clean-fid's KID code in NumPy float64)
const ref = decodeNpz(readFileSync(new URL('../fixtures/kid-prc.npz', import.meta.url)));
const real = { data: ref.real.data as Float64Array, rows: ref.real.shape[0], dim: ref.real.shape[1] };
const gen = { data: ref.gen.data as Float64Array, rows: ref.gen.shape[0], dim: ref.gen.shape[1] };
const backends = [typescriptLinalg, ...(openblasLinalg().backend ? [openblasLinalg().backend!] : [])];
const close = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs ${b}`);

for (const backend of backends) {
  test(`torch-fidelity protocol (RandomState(2020), 10 subsets of 50): every subset's MMD within 1e-10 relative (${backend.name})`, () => {
    const r = kernelInceptionDistance(real, gen, { subsets: 10, subsetSize: 50, backend });
    const expected = ref.kid_tf_subsets.data as Float64Array;
    expected.forEach((v, i) => close(r.perSubset[i], v, 1e-10, `subset ${i}`));
    const [mean, std] = ref.kid_tf.data as Float64Array;
    close(r.kid, mean, 1e-10, 'mean');
    close(r.std, std, 1e-9, 'std');
  });

  test(`clean-fid protocol (np.random.seed(123), m = min(N1, N2, 1000)): within 1e-10 relative (${backend.name})`, () => {
    const r = kernelInceptionDistance(real, gen, { protocol: 'clean-fid', subsets: 10, seed: 123, backend });
    assert.is(r.subsetSize, 250);
    close(r.kid, (ref.kid_cf.data as Float64Array)[0], 1e-10, 'kid');
  });
}

test('the MMD of a set with itself is negative (the cross term keeps its diagonal); closed form for 2 points', () => {
  // x = (1), (-1) with d = 1: k(x,x) = 8, k(x,-x) = 0. X = Y: [sum_{i!=j} kxx * 2] / 2 - 2 (8 + 0 + 0 + 8) / 4 = 0 - 8
  const x = Float64Array.from([1, -1]);
  assert.is(polynomialMmd(x, x, 2, 1, typescriptLinalg), -8);
});

test('bad sizes are refused with the sizes involved', () => {
  assert.throws(() => kernelInceptionDistance(real, gen), /subset size 1000 is larger than a feature set \(set 1: 300 rows, set 2: 250\)/);
  assert.throws(
    () => kernelInceptionDistance(real, { ...gen, dim: 16, data: gen.data.subarray(0, 16 * 250) }),
    /dimensions differ: 32 and 16/,
  );
  assert.throws(() => kernelInceptionDistance(real, gen, { protocol: 'x' as never }), /allowed: torch-fidelity, clean-fid/);
});

test.run();
