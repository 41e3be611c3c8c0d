/**
 * Paired comparison of two runs: samples paired by seed and index, paired bootstrap intervals reproduced by an
 * independent computation from the state files, identical samples giving exactly zero, pairing narrowing the
 * interval, reproducibility from the seed, and the refusal of runs whose locked settings differ.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadRun } from '../../src/analysis/compare.ts';
import { pairedComparison, pairSamples, type ValueDifference } from '../../src/analysis/paired-compare.ts';
import { sampleStatistic } from '../../src/analysis/resampled-metrics.ts';
import { decodeStateFile, stateFilePath } from '../../src/suite/contract/state-file.ts';
import { bootstrapDraws, percentileInterval } from '../../src/core/statistics.ts';
import { momentsOf } from '../../src/metrics/feature-stats.ts';
import { frechetFromMoments } from '../../src/metrics/frechet.ts';
import { featureFdRun, reportRun, scratch } from '../helpers/report-runs.ts';
import type { SampleRow } from '../../src/suite/contract/sample-rows.ts';

const options = { resamples: 300, distanceResamples: 60, level: 0.9, seed: 5 };
const find = (values: readonly ValueDifference[], method: string, key: string) =>
  values.find((v) => v.method === method && `${v.metric}.${v.key}` === key)!;

test('samples pair by seed and index; identical store keys are noticed; a condition mismatch is refused', () => {
  const row = (index: number, key: string, condition = `class:${index % 2}`): SampleRow => ({
    method: 'm',
    index,
    condition,
    label: null,
    prompt: null,
    repeat: null,
    seed: 0,
    key,
    nfe: 1,
    tokensPerSample: 1,
    flopsPerSample: 1,
    generationSeconds: 0,
  });
  const a = [row(0, 'k0'), row(1, 'k1'), row(2, 'k2')];
  assert.equal(pairSamples(a, [row(2, 'k2'), row(0, 'k0')], 'm'), {
    pairs: [
      [0, 1],
      [2, 0],
    ],
    identical: true,
  });
  assert.is(pairSamples(a, [row(1, 'other')], 'm').identical, false);
  assert.throws(
    () => pairSamples(a, [row(1, 'k1', 'class:7')], 'method m'),
    /method m: sample 1 \(seed 0\) has condition 'class:1' in one run and 'class:7' in the other/,
  );
});

test('a changed method gets paired bootstrap intervals; its FD interval is reproduced from the state files', async () => {
  const a = loadRun(await reportRun('a'));
  const b = loadRun(await reportRun('cascade3', { cascadeSteps: 3 }));
  const c = pairedComparison(a, b, options);
  assert.equal(c.pairs.cascade, { count: 48, identical: false });
  assert.equal(c.pairs['pyramid [steps=2]'], { count: 48, identical: true });
  const fd = find(c.values, 'cascade', 'fd-pixel.fd');
  assert.match(fd.basis, /^paired bootstrap over 48 samples .* 60 resamples, seed 5; percentile interval recentred/);
  // independently: expand the resampled rows, fit their moments, take the distance to the whole reference
  const features = (dir: string, set: 'samples' | 'reference') => {
    const file = decodeStateFile(readFileSync(stateFilePath(dir, 'cascade', 'fd-pixel', set)), set);
    const parts = [...file.chunks].sort((x, y) => x.chunk - y.chunk).map((ch) => ch.state);
    const dim = (parts[0].json as { dim: number }).dim;
    return { dim, data: Float64Array.from(parts.flatMap((p) => Array.from(p.arrays.features))) };
  };
  const [sa, sb, ref] = [features(a.dir, 'samples'), features(b.dir, 'samples'), features(a.dir, 'reference')];
  const refMoments = momentsOf(ref.data, ref.data.length / ref.dim, ref.dim);
  const fdOf = (x: { dim: number; data: Float64Array }, idx: Int32Array) => {
    const rows = new Float64Array(idx.length * x.dim);
    idx.forEach((p, i) => rows.set(x.data.subarray(p * x.dim, (p + 1) * x.dim), i * x.dim));
    return frechetFromMoments(momentsOf(rows, idx.length, x.dim), refMoments).fd;
  };
  const replicates: number[] = [];
  bootstrapDraws(48, 60, 5, (idx) => replicates.push(fdOf(sb, idx) - fdOf(sa, idx)));
  const shift = fd.difference! - replicates.reduce((x, y) => x + y, 0) / replicates.length;
  const want = percentileInterval(replicates, 0.9);
  assert.ok(
    Math.abs(fd.interval!.low - (want.low + shift)) < 1e-9 && Math.abs(fd.interval!.high - (want.high + shift)) < 1e-9,
    `${JSON.stringify(fd.interval)} vs ${JSON.stringify(want)} + ${shift}`,
  );
  assert.ok(fd.interval!.low <= fd.difference! && fd.difference! <= fd.interval!.high);
  // cost is exact per sample: the interval is the difference itself
  const nfe = find(c.values, 'cascade', 'cost.nfe');
  assert.equal([nfe.difference, nfe.interval!.low, nfe.interval!.high, nfe.verdict], [3, 3, 3, 'worse']);
  // latency: the timed repeats of each run, resampled independently
  assert.match(
    find(c.values, 'cascade', 'throughput.latencyMs.p50').basis,
    /bootstrap over each run's timed repeats \(4 and 4, not paired\)/,
  );
});

test('identical samples differ by exactly 0; pairing gives a narrower interval than the unpaired approximation', async () => {
  const a = loadRun(await reportRun('a'));
  const b = loadRun(await reportRun('cascade3', { cascadeSteps: 3 }));
  const c = pairedComparison(a, b, options);
  for (const v of c.values.filter((x) => x.method === 'pyramid [steps=4]' && !x.measured)) {
    assert.equal([v.difference, v.interval?.low, v.interval?.high, v.significant], [0, 0, 0, false], v.key);
  }
  // the same noise in both runs: the samples of a pair are correlated, so their differences vary less than either
  const paired = find(c.values, 'cascade', 'vbench/motion_smoothness.motion_smoothness');
  const va = a.results.methods.find((m) => m.id === 'cascade')!.metrics['vbench/motion_smoothness'].values[0];
  const vb = b.results.methods.find((m) => m.id === 'cascade')!.metrics['vbench/motion_smoothness'].values[0];
  const half = (v: typeof va) => (v.uncertainty.kind === 'interval' ? (v.uncertainty.high - v.uncertainty.low) / 2 : NaN);
  const unpairedWidth = 2 * Math.hypot(half(va), half(vb));
  assert.ok(
    paired.interval!.high - paired.interval!.low < 0.75 * unpairedWidth,
    `paired ${paired.interval!.high - paired.interval!.low} vs unpaired ${unpairedWidth}`,
  );
});

test('the same seed gives the same intervals; another seed other intervals', async () => {
  const a = loadRun(await reportRun('a'));
  const b = loadRun(await reportRun('cascade3', { cascadeSteps: 3 }));
  const one = pairedComparison(a, b, options).values.map((v) => v.interval);
  assert.equal(
    pairedComparison(a, b, options).values.map((v) => v.interval),
    one,
  );
  assert.not.equal(
    pairedComparison(a, b, { ...options, seed: 6 }).values.map((v) => v.interval),
    one,
  );
});

test('each per-sample statistic reproduces its reported value on all samples', async () => {
  const a = loadRun(await reportRun('a'));
  for (const method of a.results.methods) {
    for (const metric of Object.keys(method.metrics)) {
      const s = sampleStatistic({
        dir: a.dir,
        method,
        locked: a.results.locked,
        device: a.results.device,
        machines: a.results.machines ?? [],
        metric,
      });
      assert.ok(!('reason' in s), `${method.id} ${metric}: ${'reason' in s ? s.reason : ''}`);
      if ('reason' in s) continue;
      const all = s.evaluate(null);
      for (const key of s.keys) {
        const reported = method.metrics[metric].values.find((v) => v.key === key)!.value!;
        assert.ok(
          Math.abs(all[key] - reported) <= 1e-9 * Math.max(1e-12, Math.abs(reported)),
          `${method.id} ${metric}.${key}: ${all[key]} vs ${reported}`,
        );
      }
      if (metric === 'fd-pixel') assert.equal(s.keys, ['fd', 'fdFloor', 'fdOverFloor']);
    }
  }
});

test('the extractor-feature fd metric (states of feature rows) gets the same paired bootstrap', async () => {
  const a = loadRun(await featureFdRun('fd-2', 2));
  const b = loadRun(await featureFdRun('fd-3', 3));
  const method = a.results.methods[0];
  const s = sampleStatistic({
    dir: a.dir,
    method,
    locked: a.results.locked,
    device: a.results.device,
    machines: a.results.machines ?? [],
    metric: 'fd',
  });
  assert.ok(!('reason' in s) && s.cost === 'distance', JSON.stringify(s));
  if ('reason' in s) return;
  assert.equal(s.keys, ['fd', 'fdFloor', 'fdOverFloor']);
  const fd = find(pairedComparison(a, b, options).values, 'cascade', 'fd.fd');
  assert.match(fd.basis, /^paired bootstrap over 320 samples .* 60 resamples, seed 5; percentile interval recentred/);
  assert.ok(fd.interval!.low <= fd.difference! && fd.difference! <= fd.interval!.high);
});

test('runs whose locked settings differ are refused, naming the difference', async () => {
  const a = await reportRun('a');
  const other = scratch('seed');
  cpSync(a, other, { recursive: true });
  const file = path.join(other, 'results.json');
  const results = JSON.parse(readFileSync(file, 'utf8'));
  results.locked.seed = 1;
  writeFileSync(file, JSON.stringify(results));
  assert.throws(
    () => pairedComparison(loadRun(a), loadRun(other), options),
    /cannot compare .* their locked settings differ:\n {2}seed: 0 vs 1/,
  );
});

test.run();
