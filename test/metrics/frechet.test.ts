import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { decodeNpz } from '../../src/io/npy.ts';
import { accumulate, createStats, mergeStats, moments, momentsOf } from '../../src/metrics/feature-stats.ts';
import { frechetDistance, frechetFromMoments } from '../../src/metrics/frechet.ts';

// Reference vectors: scripts/reference/frechet_vectors.py (NumPy np.cov, SciPy sqrtm, as pytorch-fid)
const ref = decodeNpz(readFileSync(new URL('../fixtures/frechet-small.npz', import.meta.url)));
const features = (key: string) => {
  const a = ref[key];
  return { data: a.data as Float64Array, rows: a.shape[0], dim: a.shape[1] };
};

for (const i of [0, 1, 2]) {
  test(`Fréchet distance matches pytorch-fid's (NumPy/SciPy) within 1e-9 relative (case ${i})`, () => {
    const a = features(`f${i}_a`);
    const b = features(`f${i}_b`);
    const fd = frechetFromMoments(momentsOf(a.data, a.rows, a.dim), momentsOf(b.data, b.rows, b.dim)).fd;
    const expected = (ref[`fd${i}`].data as Float64Array)[0];
    assert.ok(Math.abs(fd - expected) <= 1e-9 * Math.abs(expected), `${fd} vs ${expected}`);
  });
}

test('moments equal np.mean and np.cov (ddof 1) within 1e-12', () => {
  const a = features('f0_a');
  const m = momentsOf(a.data, a.rows, a.dim);
  const mu = ref.mu0.data as Float64Array;
  const sigma = ref.sigma0.data as Float64Array;
  mu.forEach((v, i) => assert.ok(Math.abs(m.mu[i] - v) < 1e-12));
  sigma.forEach((v, i) => assert.ok(Math.abs(m.sigma[i] - v) < 1e-12));
});

test('statistics merged from shards equal one pass within 1e-12', () => {
  const a = features('f1_a');
  const whole = createStats(a.dim);
  accumulate(whole, a.data, a.rows);
  const first = createStats(a.dim);
  const second = createStats(a.dim);
  accumulate(first, a.data.subarray(0, 137 * a.dim), 137);
  accumulate(second, a.data.subarray(137 * a.dim), a.rows - 137);
  const merged = moments(mergeStats(first, second));
  const direct = moments(whole);
  for (let i = 0; i < merged.sigma.length; i++) assert.ok(Math.abs(merged.sigma[i] - direct.sigma[i]) < 1e-12);
  assert.is(mergeStats(first, second).count, a.rows);
});

test('identical inputs give 0, a mean shift gives |shift|^2, scaled identity covariances give the closed form', () => {
  const d = 4;
  const eye = (s: number) => Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? s : 0));
  const mu = new Float64Array(d);
  const shifted = Float64Array.from({ length: d }, () => 0.5);
  assert.ok(Math.abs(frechetDistance(mu, eye(2), mu, eye(2)).fd) < 1e-12);
  assert.ok(Math.abs(frechetDistance(mu, eye(1), shifted, eye(1)).fd - d * 0.25) < 1e-12);
  // tr(aI) + tr(bI) - 2 tr(sqrt(ab) I) = d (sqrt a - sqrt b)^2
  assert.ok(Math.abs(frechetDistance(mu, eye(4), mu, eye(1)).fd - d * (2 - 1) ** 2) < 1e-12);
});

test('a sample smaller than the dimension gets a warning; bad covariances are refused', () => {
  const a = features('f2_a');
  const small = momentsOf(a.data.subarray(0, 2 * a.dim), 2, a.dim);
  const r = frechetFromMoments(small, momentsOf(a.data, a.rows, a.dim));
  assert.match(r.warnings.join(' '), /sample 1 has 2 feature vectors for dimension 3/);
  const mu = new Float64Array(2);
  assert.throws(() => frechetDistance(mu, Float64Array.from([1, 0.5, 0, 1]), mu, Float64Array.from([1, 0, 0, 1])), /sigma1: not symmetric: entries \(0, 1\) = 0.5 and \(1, 0\) = 0/);
  assert.throws(() => frechetDistance(mu, Float64Array.from([1, NaN, NaN, 1]), mu, Float64Array.from([1, 0, 0, 1])), /entry \(0, 1\) is NaN/);
});

test.run();
