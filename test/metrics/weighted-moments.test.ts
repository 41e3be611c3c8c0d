import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { momentsOf } from '../../src/metrics/feature-stats.ts';
import { typescriptLinalg } from '../../src/metrics/native-linalg.ts';
import { WeightedMoments } from '../../src/metrics/weighted-moments.ts';
import { PhiloxNoise } from '../../src/core/philox.ts';

const rows = 37;
const dim = 6;
// features with a large common offset, where an uncentred sum of squares would lose digits
const features = Float64Array.from(new PhiloxNoise(3).gaussian(0, 'features', rows * dim), (x, i) => 1000 + x * (1 + (i % dim)));

function close(a: Float64Array, b: Float64Array, tol: number, what: string) {
  assert.is(a.length, b.length);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${x} vs ${b[i]}`));
}

test('with every weight 1 the moments are those of the rows (momentsOf)', () => {
  const want = momentsOf(features, rows, dim);
  for (const backend of [undefined, typescriptLinalg]) {
    const got = new WeightedMoments(features, rows, dim, backend).moments(new Int32Array(rows).fill(1));
    assert.is(got.count, rows);
    close(got.mu, want.mu, 1e-12, 'mu');
    close(got.sigma, want.sigma, 1e-9, 'sigma');
  }
});

test('integer weights give the moments of the multiset that repeats each row that often', () => {
  const weighted = new WeightedMoments(features, rows, dim);
  const positions = Int32Array.from({ length: rows }, (_, i) => (i * 7 + 3) % 11);
  const expanded = new Float64Array(positions.length * dim);
  positions.forEach((p, i) => expanded.set(features.subarray(p * dim, (p + 1) * dim), i * dim));
  const want = momentsOf(expanded, positions.length, dim);
  const got = weighted.moments(weighted.weightsOf(positions));
  assert.is(got.count, positions.length);
  close(got.mu, want.mu, 1e-12, 'mu');
  close(got.sigma, want.sigma, 1e-9, 'sigma');
  // exactly symmetric, as the Fréchet distance requires
  for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) assert.is(got.sigma[a * dim + b], got.sigma[b * dim + a]);
});

test('bad weights and shapes are refused with the value', () => {
  const weighted = new WeightedMoments(features, rows, dim);
  assert.throws(() => weighted.moments(new Int32Array(rows - 1)), /36 weights for 37 rows/);
  assert.throws(
    () => weighted.moments(Float64Array.from({ length: rows }, (_, i) => (i === 2 ? 0.5 : 1))),
    /weight 2 is 0.5; allowed: integers >= 0/,
  );
  assert.throws(() => weighted.moments(Int32Array.from({ length: rows }, (_, i) => (i === 0 ? 1 : 0))), /sum to 1/);
  assert.throws(() => weighted.weightsOf([0, 37]), /position 37 is outside rows 0..36/);
  assert.throws(() => new WeightedMoments(features, rows, dim + 1), /not 37 rows x 7 features/);
});

test.run();
