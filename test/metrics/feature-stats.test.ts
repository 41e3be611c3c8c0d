import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { decodeNpz } from '../../src/io/npy.ts';
import { PhiloxNoise } from '../../src/core/philox.ts';
import {
  accumulate,
  createStats,
  mergeStats,
  moments,
  momentsOf,
  STATS_BLOCK_ROWS,
  totalSums,
  type FeatureStats,
} from '../../src/metrics/feature-stats.ts';

// Reference vectors: scripts/reference/frechet_vectors.py (np.mean, np.cov with ddof 1)
const ref = decodeNpz(readFileSync(new URL('../fixtures/frechet-small.npz', import.meta.url)));

const bytesOf = (s: FeatureStats) => {
  const t = totalSums(s);
  return Buffer.concat([Buffer.from(t.sum.buffer), Buffer.from(t.outer.buffer)]);
};

function shard(data: Float64Array, dim: number, from: number, to: number): FeatureStats {
  const s = createStats(dim, from);
  accumulate(s, data.subarray(from * dim, to * dim), to - from);
  return s;
}

test('moments equal np.mean and np.cov (ddof 1) within 1e-12 relative to the largest entry', () => {
  const a = ref.f0_a;
  const m = momentsOf(a.data as Float64Array, a.shape[0], a.shape[1]);
  const mu = ref.mu0.data as Float64Array;
  const sigma = ref.sigma0.data as Float64Array;
  const scale = Math.max(...sigma.map(Math.abs));
  mu.forEach((v, i) => assert.ok(Math.abs(m.mu[i] - v) < 1e-12, `mu[${i}]`));
  sigma.forEach((v, i) => assert.ok(Math.abs(m.sigma[i] - v) < 1e-12 * scale, `sigma[${i}]`));
  assert.is(m.count, a.shape[0]);
});

test('shards merged in order give the same bytes as one pass, for splits inside and on block boundaries', () => {
  const dim = 5;
  const rows = 5 * STATS_BLOCK_ROWS + 37;
  // float64 values with full mantissas and a non-zero mean, so the order of additions shows in the last bits
  const data = Float64Array.from(new PhiloxNoise(11).gaussian(0, 'stats', rows * dim), (v) => v * Math.PI + 1 / 3);
  const whole = bytesOf(shard(data, dim, 0, rows));
  const splits = [
    [1],
    [STATS_BLOCK_ROWS],
    [37, 300],
    [2 * STATS_BLOCK_ROWS + 5, 2 * STATS_BLOCK_ROWS + 9, 4 * STATS_BLOCK_ROWS],
    [100, 101, 102, 103, 500, 640],
  ];
  for (const cuts of splits) {
    const edges = [0, ...cuts, rows];
    const parts = edges.slice(1).map((to, k) => shard(data, dim, edges[k], to));
    const merged = parts.reduce((a, b) => mergeStats(a, b));
    assert.is(merged.count, rows);
    assert.ok(bytesOf(merged).equals(whole), `split at ${cuts.join(', ')} is not bit-identical`);
  }
  // merging pairwise in a different grouping, ((a b) (c d)), gives the same bytes too
  const e = [0, 90, 333, 401, rows];
  const p = e.slice(1).map((to, k) => shard(data, dim, e[k], to));
  assert.ok(bytesOf(mergeStats(mergeStats(p[0], p[1]), mergeStats(p[2], p[3]))).equals(whole));
});

test('the bit-identity check can fail: the plain running sum differs from the tree sum in its last bits', () => {
  const dim = 3;
  const rows = 4 * STATS_BLOCK_ROWS;
  const data = Float64Array.from(new PhiloxNoise(12).gaussian(0, 'stats', rows * dim), (v) => v * Math.E + 7 / 3);
  const tree = totalSums(shard(data, dim, 0, rows)).sum;
  const running = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let i = 0; i < dim; i++) running[i] += data[r * dim + i];
  assert.ok(
    tree.some((v, i) => v !== running[i]),
    'expected the running sum to round differently',
  );
  tree.forEach((v, i) => assert.ok(Math.abs(v - running[i]) < 1e-9 * Math.abs(v)));
});

test('bad merges and bad rows are refused with the rows involved', () => {
  const a = createStats(2, 0);
  accumulate(a, [1, 2, 3, 4], 2);
  const b = createStats(2, 5);
  accumulate(b, [1, 2], 1);
  assert.throws(() => mergeStats(a, b), /second shard starts at row 5 but the first covers rows 0 to 1/);
  assert.throws(() => mergeStats(a, createStats(3, 2)), /dimension 2 and 3/);
  assert.throws(() => accumulate(a, [1, NaN], 1), /feature 1 of row 2 is NaN/);
  assert.throws(() => moments(createStats(2)), /at least 2 samples, got 0/);
});

test.run();
