import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bootstrapInterval, contiguousGroups, jackknifeStderr, mean, percentile } from '../../src/bench/statistics.ts';

test('percentiles interpolate linearly between order statistics, as numpy.percentile', () => {
  // numpy.percentile([1, 2, 3, 4], [0, 25, 50, 90, 99, 100]) = [1, 1.75, 2.5, 3.7, 3.97, 4]
  const xs = [4, 1, 3, 2];
  const got = [0, 25, 50, 90, 99, 100].map((q) => percentile(xs, q));
  const want = [1, 1.75, 2.5, 3.7, 3.97, 4];
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) < 1e-12, `q ${i}: ${g} vs ${want[i]}`));
  assert.throws(() => percentile([], 50), /no values/);
  assert.throws(() => percentile([1], 101), /outside/);
});

test('the jackknife standard error of the mean equals s / sqrt(n) (Efron & Tibshirani eq. 11.5)', () => {
  const xs = [2.1, 3.5, 0.7, 4.4, 1.9, 3.3];
  const n = xs.length;
  const m = mean(xs);
  const s = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1));
  const leaveOut = xs.map((_, i) => mean(xs.filter((__, j) => j !== i)));
  assert.ok(Math.abs(jackknifeStderr(leaveOut) - s / Math.sqrt(n)) < 1e-12);
  assert.throws(() => jackknifeStderr([1]), /at least 2 groups/);
});

test('the bootstrap is reproducible from its seed, and brackets the mean of a symmetric sample', () => {
  const xs = Array.from({ length: 40 }, (_, i) => i);
  const stat = (idx: Int32Array) => mean(Array.from(idx, (i) => xs[i]));
  const a = bootstrapInterval(xs.length, stat, { resamples: 400, level: 0.9, seed: 7 });
  const b = bootstrapInterval(xs.length, stat, { resamples: 400, level: 0.9, seed: 7 });
  const c = bootstrapInterval(xs.length, stat, { resamples: 400, level: 0.9, seed: 8 });
  assert.equal(a, b);
  assert.is.not(a.low, c.low);
  assert.ok(a.low < 19.5 && a.high > 19.5 && a.high - a.low < 15, JSON.stringify(a));
});

test('contiguous groups partition the positions in order', () => {
  assert.equal(contiguousGroups(5, 2), [[0, 1], [2, 3, 4]]);
  assert.equal(contiguousGroups(3, 10), [[0], [1], [2]]);
});

test.run();
