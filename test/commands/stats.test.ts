import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpz, encodeNpz } from '../../src/io/npy.ts';
import { statsCommand } from '../../src/commands/stats.ts';
import { rejects } from '../helpers/assert.ts';
import { writeOversizedStats } from '../helpers/oversized-stats.ts';
import { badInput } from '../helpers/case-ledger.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'pyramid-bench.js');
const dir = mkdtempSync(path.join(tmpdir(), 'stats-cli-'));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
const at = (f: string) => path.join(dir, f);

test('stats writes our format: NumPy reads mu, sigma, count and the extractor; --json prints one object', () => {
  const r = cli('stats', 'shapes:n=200,seed=0,size=16', '--extractor', 'random-conv2d-v1', '-o', at('a.npz'), '--json');
  assert.is(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal([summary.count, summary.dim, summary.extractor.name], [200, 256, 'random-conv2d-v1']);
  const py = execFileSync('python3', [
    '-c',
    'import numpy as np,sys,json; d=np.load(sys.argv[1]); print(json.dumps([int(d["count"]), list(d["sigma"].shape), json.loads(bytes(d["meta"]))["extractor"]["name"]]))',
    at('a.npz'),
  ]).toString();
  assert.equal(JSON.parse(py), [200, [256, 256], 'random-conv2d-v1']);
});

test('shards (--start/--count) merged with stats --merge equal one pass bit for bit', () => {
  assert.is(cli('stats', 'shapes:n=300,seed=1,size=16', '--extractor', 'pixels-v1', '-o', at('whole.npz')).status, 0);
  assert.is(cli('stats', 'shapes:n=300,seed=1,size=16', '--extractor', 'pixels-v1', '--count', '170', '-o', at('s1.npz')).status, 0);
  assert.is(cli('stats', 'shapes:n=300,seed=1,size=16', '--extractor', 'pixels-v1', '--start', '170', '-o', at('s2.npz')).status, 0);
  const r = cli('stats', '--merge', at('s1.npz'), at('s2.npz'), '-o', at('merged.npz'));
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /300 feature vectors of dimension 768 merged from 2 shards/);
  const a = decodeNpz(readFileSync(at('whole.npz')));
  const b = decodeNpz(readFileSync(at('merged.npz')));
  for (const key of ['mu', 'sigma', 'state_node_outer'])
    assert.ok(Buffer.from(a[key].data.buffer).equals(Buffer.from(b[key].data.buffer)), key);
  // out of order is refused
  const bad = cli('stats', '--merge', at('s2.npz'), at('s1.npz'), '-o', at('bad.npz'));
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /second shard starts at row 0 but the first covers rows 170 to 299/);
});

test('stats --merge refuses a shard whose streaming state holds NaN, naming the file and key, and writes nothing', () =>
  badInput('numbers', 'a statistics shard holding NaN (stats --merge)', async () => {
    assert.is(cli('stats', 'shapes:n=300,seed=1,size=16', '--extractor', 'pixels-v1', '--count', '170', '-o', at('n1.npz')).status, 0);
    assert.is(cli('stats', 'shapes:n=300,seed=1,size=16', '--extractor', 'pixels-v1', '--start', '170', '-o', at('n2.npz')).status, 0);
    for (const key of ['state_head', 'state_tail', 'state_node_sum', 'state_node_outer']) {
      const arrays = decodeNpz(readFileSync(at('n2.npz')));
      if (arrays[key].data.length === 0) continue;
      (arrays[key].data as Float64Array)[1] = Number.NaN;
      writeFileSync(at('tampered.npz'), encodeNpz(arrays));
      await rejects(
        () => statsCommand.run(['--merge', at('n1.npz'), at('tampered.npz'), '-o', at('nan-merged.npz')]),
        new RegExp(`tampered.npz: key '${key}': entry 1 is NaN; statistics must be finite`),
      );
      assert.not.ok(existsSync(at('nan-merged.npz')), key);
    }
  }));

test('other formats: pytorch-fid and clean-fid files hold what those tools write', () => {
  assert.is(cli('stats', 'shapes:n=50,size=8', '--extractor', 'pixels-v1', '--format', 'pytorch-fid', '-o', at('pf.npz')).status, 0);
  assert.equal(Object.keys(decodeNpz(readFileSync(at('pf.npz')))).sort(), ['mu', 'sigma']);
  assert.is(cli('stats', 'shapes:n=50,size=8', '--extractor', 'pixels-v1', '--format', 'clean-fid-kid', '-o', at('kid.npz')).status, 0);
  assert.equal(decodeNpz(readFileSync(at('kid.npz'))).feats.shape, [50, 192]);
});

test('bad command lines say what is allowed (usage errors exit 2)', async () => {
  const r = cli('stats', 'shapes:n=5', '-o', at('x.npz'));
  assert.is(r.status, 2);
  assert.match(r.stderr, /--extractor is required/);
  // the rest in process: the same command code without a process start each
  await rejects(
    () => statsCommand.run(['shapes:n=5', '--extractor', 'pixels-v1', '--format', 'tf', '-o', at('x.npz')]),
    /--format is 'tf'; allowed: pyramid-bench, pytorch-fid, clean-fid, clean-fid-kid, adm/,
  );
  await rejects(
    () => statsCommand.run(['shapes:n=5', '--extractor', 'inception-v3', '-o', at('x.npz')]),
    /Unknown feature extractor 'inception-v3'/,
  );
  await rejects(() => statsCommand.run(['a', 'b', '--extractor', 'pixels-v1', '-o', at('x.npz')]), /stats takes one input, got 2/);
  await rejects(() => statsCommand.run(['--merge', at('a.npz'), '-o', at('x.npz')]), /--merge needs at least two statistics files/);
});

test('sizes this machine cannot hold are refused before extraction or reading, naming the option or the file and key', async () => {
  await badInput('resource limits', 'stats --format adm of 100000 images of 512x512', async () => {
    await rejects(
      () => statsCommand.run(['shapes:n=100000,size=512', '--extractor', 'pixels-v1', '--format', 'adm', '-o', at('adm.npz')]),
      /^--format adm: keeping 100000 inputs of .* as 512x512 RGB images \(arr_0\) needs 73\.2 GiB; allowed: at most/,
    );
    assert.not.ok(existsSync(at('adm.npz')));
  });
  const [sigma, , feats] = writeOversizedStats(dir);
  await badInput('resource limits', 'stats --merge of a 100000x100000 covariance', async () => {
    await rejects(() => statsCommand.run(['--merge', sigma, feats, '-o', at('m.npz')]), /pf-sigma\.npz: key 'sigma': .* needs 74\.5 GiB/);
    assert.not.ok(existsSync(at('m.npz')));
  });
  await badInput('resource limits', 'fd of KID features of 1e6 dimensions (the CLI)', () => {
    const r = cli('fd', feats, sigma);
    assert.is(r.status, 1);
    assert.match(
      r.stderr,
      /^pyramid-bench: .*kid-feats\.npz: key 'feats': the 1000000x1000000 float64 covariance .* needs 7\.45e\+3 GiB; allowed: at most [0-9.]+ GiB[^\n]*\n$/m,
    );
    assert.not.match(r.stderr, /\n\s+at /);
  });
});

test.run();
