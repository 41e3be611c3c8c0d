import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  averageRanks,
  bootstrapDraws,
  bootstrapInterval,
  contiguousGroups,
  jackknifeStderr,
  kendallTau,
  kendallTauExactP,
  mean,
  normalQuantile,
  percentile,
  percentileInterval,
  spearmanRho,
  wilsonInterval,
} from '../../src/core/statistics.ts';

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

test('Wilson intervals match scipy.stats.binomtest(k, n).proportion_ci(method=wilson) to 1e-9', () => {
  // scipy 1.17.1: binomtest(k, n).proportion_ci(confidence_level=level, method='wilson')
  const cases: [number, number, number, number, number][] = [
    [8, 10, 0.95, 0.4901624715366418, 0.9433178485456248],
    [0, 20, 0.95, 0, 0.16112515805281935],
    [20, 20, 0.95, 0.8388748419471808, 1],
    [62, 100, 0.95, 0.5220975529551107, 0.7090240074752127],
    [99, 100, 0.9, 0.9564182264659439, 0.9977659071665451],
    [1, 1, 0.95, 0.20654931437723745, 1],
  ];
  for (const [k, n, level, low, high] of cases) {
    const got = wilsonInterval(k, n, level);
    assert.ok(Math.abs(got.low - low) < 1e-9 && Math.abs(got.high - high) < 1e-9, `${k}/${n}: ${JSON.stringify(got)} vs [${low}, ${high}]`);
  }
  assert.throws(() => wilsonInterval(3, 2), /3 successes in 2 trials/);
  assert.throws(() => wilsonInterval(0, 0), /0 trials/);
  assert.throws(() => wilsonInterval(1, 2, 1), /level 1/);
});

test('contiguous groups partition the positions in order', () => {
  assert.equal(contiguousGroups(5, 2), [
    [0, 1],
    [2, 3, 4],
  ]);
  assert.equal(contiguousGroups(3, 10), [[0], [1], [2]]);
});

test('normal quantiles match scipy.stats.norm.ppf to 1e-9 relative', () => {
  // scipy.stats.norm.ppf([0.975, 0.95, 0.5, 0.001, 1e-10, 0.9999])
  const want: [number, number][] = [
    [0.975, 1.959963984540054],
    [0.95, 1.6448536269514722],
    [0.5, 0],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
    [0.9999, 3.719016485455709],
  ];
  for (const [p, q] of want)
    assert.ok(Math.abs(normalQuantile(p) - q) <= 1.2e-9 * Math.max(1, Math.abs(q)), `ppf(${p}) = ${normalQuantile(p)}, scipy ${q}`);
  assert.throws(() => normalQuantile(1), /normal quantile of 1; allowed: 0 < p < 1/);
});

test('bootstrap draws depend only on (n, seed): the same draws for every statistic that shares them', () => {
  const collect = (seed: number) => {
    const out: number[][] = [];
    bootstrapDraws(5, 3, seed, (idx, r) => out.push([r, ...idx]));
    return out;
  };
  assert.equal(collect(1), collect(1));
  assert.not.equal(collect(1), collect(2));
  assert.ok(collect(1).every(([, ...idx]) => idx.every((i) => i >= 0 && i < 5)));
  assert.equal(percentileInterval([1, 2, 3, 4, 5], 0.5), { low: 2, high: 4 });
});

test("Spearman's rho matches scipy.stats.spearmanr, ties by average ranks", () => {
  // scipy.stats.rankdata([10, 30, 20, 20]) = [1, 4, 2.5, 2.5]
  assert.equal(averageRanks([10, 30, 20, 20]), [1, 4, 2.5, 2.5]);
  // scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]).statistic = 0.8207826816681233 (scipy 1.17.1)
  assert.ok(Math.abs(spearmanRho([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) - 0.8207826816681233) < 1e-14);
  // ties on both sides: spearmanr([1, 2, 2, 3, 4, 4, 4], [3.1, 1.2, 5.5, 2.0, 2.0, 7.7, 0.3]).statistic = -0.1510509824098722
  const tied = spearmanRho([1, 2, 2, 3, 4, 4, 4], [3.1, 1.2, 5.5, 2.0, 2.0, 7.7, 0.3]);
  assert.ok(Math.abs(tied - -0.1510509824098722) < 1e-14, String(tied));
  // a strictly rising curve is exactly 1 (SciPy rounds to 0.9999999999999999), a falling one exactly -1
  assert.is(spearmanRho([0, 1, 2, 3, 4], [0.5, 0.7, 0.9, 1.5, 9]), 1);
  assert.is(spearmanRho([0, 1, 2, 3, 4], [5, 4, 3, 2, 1]), -1);
  // one tie in a rising curve is not a pass
  assert.ok(spearmanRho([0, 1, 2, 3, 4], [1, 2, 2, 3, 4]) < 1);
  assert.ok(Number.isNaN(spearmanRho([1, 2, 3], [7, 7, 7])));
  assert.throws(() => spearmanRho([1, 2], [1]), /paired/);
  assert.throws(() => spearmanRho([1, Number.NaN], [1, 2]), /NaN/);
});

test("Kendall's tau-b and its exact p-value match scipy.stats.kendalltau (1.15), ties included", () => {
  const close = (got: number, want: number, what: string) => assert.ok(Math.abs(got - want) < 1e-12, `${what}: ${got} vs ${want}`);
  // scipy.stats.kendalltau([1,2,3,4,5], [3,1,2,5,4]) = (0.4, p 0.48333)
  close(kendallTau([1, 2, 3, 4, 5], [3, 1, 2, 5, 4]), 0.4, 'tau, no ties');
  close(kendallTauExactP(5, 0.4), 0.48333333333333334, 'p, n 5');
  // ties in both lists: kendalltau([1,2,2,4,5,6], [3,1,2,5,4,4]) = 0.35714285714285715 (tau-b)
  close(kendallTau([1, 2, 2, 4, 5, 6], [3, 1, 2, 5, 4, 4]), 0.35714285714285715, 'tau-b with ties');
  // the default suite's two FD spaces (values rounded): -0.8, exact p 0.083333
  close(kendallTau([2.55, 2.9, 1.71, 1.23, 0.996], [1.3, 1.19, 1.71, 2.87, 2.29]), -0.8, 'reversed-ish');
  close(kendallTauExactP(5, -0.8), 0.08333333333333333, 'p of a negative tau');
  // kendalltau([1..8], [2,1,4,3,6,5,8,7], method='exact') = (0.7142857142857142, p 0.014136904761904762)
  close(kendallTau([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 4, 3, 6, 5, 8, 7]), 0.7142857142857142, 'tau, n 8');
  close(kendallTauExactP(8, 0.7142857142857142), 0.014136904761904762, 'p, n 8');
  close(kendallTauExactP(8, 0), 1, 'p of tau 0');
  close(kendallTauExactP(3, 1), 1 / 3, 'p, n 3');
  close(kendallTauExactP(2, 1), 1, 'p, n 2');
  assert.ok(Number.isNaN(kendallTau([1, 1, 1], [1, 2, 3])), 'a constant list has no order: NaN, as scipy');
  assert.throws(() => kendallTau([1, 2], [1, 2, 3]), /lists of 2 and 3 values/);
  assert.throws(() => kendallTau([1], [1]), /at least 2/);
  assert.throws(() => kendallTau([1, Number.NaN], [1, 2]), /not finite/);
  assert.throws(() => kendallTauExactP(1, 0), /n = 1; allowed/);
  assert.throws(() => kendallTauExactP(5, 2), /tau = 2; allowed/);
});

test.run();
