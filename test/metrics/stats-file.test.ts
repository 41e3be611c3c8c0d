import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpz } from '../../src/io/npy.ts';
import { isStatsFile, readStatsFile, writeStatsFile, type StatsMeta } from '../../src/metrics/stats-file.ts';
import { accumulate, createStats, mergeStats, moments, totalSums } from '../../src/metrics/feature-stats.ts';
import { PhiloxNoise } from '../../src/core/philox.ts';
import { OVERSIZED_STATS, writeOversizedStats } from '../helpers/oversized-stats.ts';
import { badInput } from '../helpers/case-ledger.ts';

// Files as pytorch-fid, clean-fid and guided-diffusion write them: scripts/reference/stats_files.py
const script = fileURLToPath(new URL('../../scripts/reference/stats_files.py', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'stats-files-'));
execFileSync('python3', [script, 'write', dir]);
const expected = decodeNpz(readFileSync(path.join(dir, 'expected.npz')));
const at = (name: string) => path.join(dir, name);
const near = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  assert.is(a.length, b.length, what);
  for (let i = 0; i < a.length; i++)
    assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};
const meta: StatsMeta = {
  format: 'pyramid-bench-stats',
  version: 1,
  extractor: { name: 'test-extractor', version: '3' },
  input: 'unit test',
};

test("reads pytorch-fid's .npz (savez_compressed, float64) exactly", () => {
  const s = readStatsFile(at('pytorch-fid.npz'));
  assert.is(s.format, 'pytorch-fid');
  assert.is(s.count, null);
  assert.equal(Array.from(s.mu), Array.from(expected.mu.data as Float64Array));
  assert.equal(Array.from(s.sigma), Array.from(expected.sigma.data as Float64Array));
  assert.ok(isStatsFile(at('pytorch-fid.npz')));
});

test("reads clean-fid's statistics (float32 mean) and KID features (moments within 1e-12 of np.cov)", () => {
  const s = readStatsFile(at('clean-fid.npz'));
  near(s.mu, expected.clean_mu.data as Float64Array, 0, 'mu');
  const kid = readStatsFile(at('clean-fid-kid.npz'));
  assert.is(kid.format, 'clean-fid-kid');
  assert.is(kid.count, 40);
  assert.is(kid.features!.length, 240);
  near(kid.mu, expected.mu.data as Float64Array, 1e-12, 'kid mu');
  near(kid.sigma, expected.sigma.data as Float64Array, 1e-12, 'kid sigma');
});

test('reads a guided-diffusion reference batch: mu/sigma beside arr_0, and the spatial mu_s/sigma_s', () => {
  const s = readStatsFile(at('adm.npz'));
  assert.is(s.format, 'adm');
  assert.equal(Array.from(s.mu), Array.from(expected.mu.data as Float64Array));
  assert.is(s.spatial!.dim, 3);
});

test('refuses files with the wrong keys, dtype, shape, symmetry or values, naming file, key, expected and found', () => {
  assert.throws(() => readStatsFile(at('bad-keys.npz')), /bad-keys\.npz: expected keys 'mu' and 'sigma' .*found: mu, covariance/);
  assert.throws(
    () => readStatsFile(at('bad-dtype.npz')),
    /bad-dtype\.npz: key 'sigma': expected float64 or float32 \[6, 6\] .*found <i8 \[6, 6\]/,
  );
  assert.throws(
    () => readStatsFile(at('bad-shape.npz')),
    /bad-shape\.npz: key 'sigma': expected float64 or float32 \[6, 6\] .*found <f8 \[5, 5\]/,
  );
  assert.throws(
    () => readStatsFile(at('bad-symmetry.npz')),
    /bad-symmetry\.npz: key 'sigma': expected a symmetric covariance, found entries \(0, 1\)/,
  );
  assert.throws(() => readStatsFile(at('bad-nan.npz')), /bad-nan\.npz: key 'mu': entry 2 is NaN/);
  assert.throws(
    () => readStatsFile(at('bad-adm.npz')),
    /bad-adm\.npz: key 'arr_0': expected uint8 images \[N, H, W, 3\].*found <f4 \[5, 8, 8, 3\]/,
  );
  assert.throws(() => readStatsFile(at('missing.npz')), /missing\.npz: cannot read as \.npz/);
});

const features = Float64Array.from(new PhiloxNoise(3).gaussian(0, 'f', 300 * 4), (v, i) => v + (i % 4));

test('writes every format; NumPy reads each with the keys, dtypes and values the other tools expect', () => {
  const s = createStats(4);
  accumulate(s, features, 300);
  const m = moments(s);
  const f32 = Float32Array.from(features);
  const images = { data: new Uint8Array(2 * 4 * 4 * 3).fill(9), count: 2, height: 4, width: 4 };
  const check = (format: string) => {
    const file = at(`ours-${format}.npz`);
    writeStatsFile(file, format as never, {
      mu: m.mu,
      sigma: m.sigma,
      count: m.count,
      meta,
      state: s,
      features: { data: f32, rows: 300, dim: 4 },
      images,
    });
    return JSON.parse(execFileSync('python3', [script, 'check', file, format]).toString());
  };
  const ours = check('pyramid-bench');
  assert.is(ours.count, 300);
  assert.equal(ours.meta.extractor, { name: 'test-extractor', version: '3' });
  assert.is(ours.dtypes.mu, 'float64');
  assert.ok(ours.sigma_symmetric);
  near(ours.mu, m.mu, 0, 'our mu');
  const pf = check('pytorch-fid');
  assert.equal(pf.keys, ['mu', 'sigma']);
  assert.equal([pf.dtypes.mu, pf.dtypes.sigma], ['float64', 'float64']);
  const cf = check('clean-fid');
  assert.equal([cf.dtypes.mu, cf.dtypes.sigma], ['float32', 'float64']);
  const kid = check('clean-fid-kid');
  assert.equal(kid.keys, ['feats']);
  assert.equal(kid.shapes.feats, [300, 4]);
  const adm = check('adm');
  assert.equal(adm.keys, ['arr_0', 'mu', 'sigma']);
  assert.is(adm.dtypes.arr_0, 'uint8');
  // and they read back
  for (const format of ['pyramid-bench', 'pytorch-fid', 'clean-fid', 'clean-fid-kid', 'adm'])
    near(
      readStatsFile(at(`ours-${format}.npz`)).mu,
      m.mu,
      format === 'pyramid-bench' || format === 'pytorch-fid' || format === 'adm' ? 0 : 1e-6,
      format,
    );
});

test('shards written to files and merged from them give the same bytes as one pass', () => {
  const whole = createStats(4);
  accumulate(whole, features, 300);
  const parts = [
    [0, 77],
    [77, 201],
    [201, 300],
  ].map(([from, to], k) => {
    const s = createStats(4, from);
    accumulate(s, features.subarray(from * 4, to * 4), to - from);
    const m = moments(s);
    writeStatsFile(at(`shard${k}.npz`), 'pyramid-bench', { mu: m.mu, sigma: m.sigma, count: m.count, meta, state: s });
    return readStatsFile(at(`shard${k}.npz`)).state!;
  });
  const merged = parts.reduce((a, b) => mergeStats(a, b));
  const t1 = totalSums(merged);
  const t2 = totalSums(whole);
  assert.ok(
    Buffer.from(t1.outer.buffer).equals(Buffer.from(t2.outer.buffer)) && Buffer.from(t1.sum.buffer).equals(Buffer.from(t2.sum.buffer)),
  );
});

test('formats that need features or images say so', () => {
  const s = createStats(4);
  accumulate(s, features, 300);
  const m = moments(s);
  assert.throws(
    () => writeStatsFile(at('x.npz'), 'clean-fid-kid', { mu: m.mu, sigma: m.sigma, count: m.count, meta }),
    /KID files hold every feature vector/,
  );
  assert.throws(
    () => writeStatsFile(at('x.npz'), 'adm', { mu: m.mu, sigma: m.sigma, count: m.count, meta }),
    /reference batches hold the images/,
  );
});

test('sizes this machine cannot hold are refused from the headers, naming the file and the key, before allocation', async () => {
  const files = writeOversizedStats(dir);
  for (const [i, c] of OVERSIZED_STATS.entries()) {
    const escaped = files[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await badInput('resource limits', c.what, () =>
      assert.throws(
        () => readStatsFile(files[i]),
        (error: Error) =>
          error.name === 'StatsFileError' &&
          new RegExp(`^${escaped}: key '${c.key}': .* needs [0-9.e+]+ GiB; allowed: at most [0-9.]+ GiB`).test(error.message) &&
          !error.message.includes('\n'),
        c.what,
      ),
    );
  }
});

test.run();
