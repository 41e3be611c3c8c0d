import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fdCommand } from '../../src/commands/fd.ts';
import { decodeNpz } from '../../src/io/npy.ts';
import { precisionRecall } from '../../src/metrics/precision-recall.ts';
import { rejects } from '../helpers/assert.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'pyramid-bench.js');
const dir = mkdtempSync(path.join(tmpdir(), 'fd-cli-'));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
const at = (f: string) => path.join(dir, f);
const extractor = ['--extractor', 'random-conv2d-v1'];

cli('stats', 'shapes:n=300,seed=0,size=16', ...extractor, '-o', at('a.npz'));
cli('stats', 'shapes:n=280,seed=1,size=16', ...extractor, '-o', at('b.npz'));

test("fd of two statistics files prints the value and both counts, and equals pytorch-fid's formula (SciPy sqrtm) on the same files within 1e-6", () => {
  const r = cli('fd', at('a.npz'), at('b.npz'));
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^FD [0-9.e-]+ {2}\(N1 = 300, N2 = 280, d = 256; lower is better\)/);
  const json = JSON.parse(cli('fd', at('a.npz'), at('b.npz'), '--json').stdout);
  assert.equal(json.counts, [300, 280]);
  const scipy = Number(
    execFileSync('python3', [
      '-c',
      'import numpy as np,sys; from scipy import linalg; a=np.load(sys.argv[1]); b=np.load(sys.argv[2]); c=np.real(linalg.sqrtm(a["sigma"]@b["sigma"])); d=a["mu"]-b["mu"]; print(repr(float(d@d+np.trace(a["sigma"])+np.trace(b["sigma"])-2*np.trace(c))))',
      at('a.npz'),
      at('b.npz'),
    ]).toString(),
  );
  // N barely above d = 256 makes the covariances ill-conditioned; the routes then agree to ~1e-8
  assert.ok(Math.abs(json.fd - scipy) <= 1e-6 * Math.abs(scipy), `${json.fd} vs SciPy ${scipy}`);
});

test('fd of an input and a statistics file extracts the input; --kid and --pr with two inputs', () => {
  const mixed = JSON.parse(cli('fd', 'shapes:n=280,seed=1,size=16', at('a.npz'), ...extractor, '--json').stdout);
  const files = JSON.parse(cli('fd', at('b.npz'), at('a.npz'), '--json').stdout);
  assert.is(mixed.fd, files.fd);
  const both = cli(
    'fd',
    'shapes:n=120,seed=0,size=16',
    'shapes:n=120,seed=1,size=16',
    ...extractor,
    '--kid',
    '--kid-subsets',
    '5',
    '--kid-subset-size',
    '100',
    '--pr',
    '--json',
  );
  assert.is(both.status, 0, both.stderr);
  const j = JSON.parse(both.stdout);
  assert.is(j.kid.subsets, 5);
  assert.ok(j.precision >= 0 && j.precision <= 1 && j.recall >= 0 && j.recall <= 1);
  assert.ok(typeof j.fd === 'number');
  // a guided-diffusion reference batch: FD from its stored mu/sigma, precision/recall from its arr_0 images
  assert.is(cli('stats', 'shapes:n=300,seed=0,size=16', ...extractor, '--format', 'adm', '-o', at('adm.npz')).status, 0);
  const adm = cli('fd', at('b.npz'), at('adm.npz'), ...extractor, '--pr', '--json');
  assert.is(adm.status, 2, 'b.npz holds no features');
  const withImages = JSON.parse(cli('fd', 'shapes:n=280,seed=1,size=16', at('adm.npz'), ...extractor, '--pr', '--json').stdout);
  assert.is(withImages.fd, files.fd);
  assert.ok(withImages.precision > 0 && withImages.recall > 0);
  assert.match(j.warnings[0], /120 feature vectors for dimension 256/);
});

test('FVD-style: video clips through random-conv3d-v1 (16 frames), from the shapes data set and from a sample file', async () => {
  const clips = at('clips.npz');
  assert.is(cli('data', 'shapes', '--n', '12', '--frames', '16', '--size', '16', '--seed', '3', '--out', clips).status, 0);
  const r = cli('fd', clips, 'shapes:n=12,frames=16,size=16,seed=4', '--extractor', 'random-conv3d-v1', '--json');
  assert.is(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal([j.dim, j.counts], [256, [12, 12]]);
  assert.ok(j.fd > 0);
  assert.match(j.warnings[0], /12 feature vectors for dimension 256/);
  // an image extractor refuses clips unless one frame is chosen
  await rejects(() => fdCommand.run([clips, clips, '--extractor', 'random-conv2d-v1']), /takes images, but input 0 is a clip of 16 frames/);
  assert.is(JSON.parse(cli('fd', clips, clips, '--extractor', 'random-conv2d-v1', '--frame', '3', '--json').stdout).meanTerm, 0);
});

test('precision/recall: a is the generated side, b the reference; clean-fid KID files carry the features', () => {
  // different set sizes, so precision (in 50ths) and recall (in 70ths) differ and a swap would show
  for (const [name, seed, n] of [
    ['gen', 7, 50],
    ['ref', 8, 70],
  ] as const) {
    assert.is(
      cli(
        'stats',
        `shapes:n=${n},seed=${seed},size=8`,
        '--extractor',
        'pixels-v1',
        '--format',
        'clean-fid-kid',
        '-o',
        at(`${name}-kid.npz`),
      ).status,
      0,
    );
  }
  const r = cli('fd', at('gen-kid.npz'), at('ref-kid.npz'), '--pr', '--kid', '--kid-subsets', '3', '--kid-subset-size', '50', '--json');
  assert.is(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const feats = (f: string) => {
    const a = decodeNpz(readFileSync(at(f))).feats;
    return { data: a.data as Float32Array, rows: a.shape[0], dim: a.shape[1] };
  };
  const expected = precisionRecall(feats('ref-kid.npz'), feats('gen-kid.npz'));
  assert.equal([j.precision, j.recall], [expected.precision, expected.recall]);
  assert.ok(j.precision !== j.recall);
  assert.is(j.kid.subsets, 3);
});

test('a small sample warns; mismatched extractors, missing features and bad options are refused with a message', async () => {
  const small = cli('fd', 'shapes:n=20,seed=0,size=16', 'shapes:n=20,seed=1,size=16', ...extractor);
  assert.match(small.stdout, /warning: sample 1 has 20 feature vectors for dimension 256/);
  // the refusals in process: the same command code without a process start each
  assert.is(cli('stats', 'shapes:n=50,size=8', '--extractor', 'pixels-v1', '-o', at('pixels.npz')).status, 0);
  await rejects(() => fdCommand.run([at('a.npz'), at('pixels.npz')]), /different extractors: .*random-conv2d-v1.*pixels-v1/);
  await rejects(() => fdCommand.run(['shapes:n=20', at('a.npz')]), /an input needs --extractor/);
  await rejects(() => fdCommand.run([at('a.npz'), at('b.npz'), '--kid']), /KID and precision\/recall need every feature vector/);
  await rejects(
    () => fdCommand.run([at('a.npz'), at('b.npz'), '--compat', 'tf']),
    /--compat is 'tf'; allowed: none, pytorch-fid, clean-fid/,
  );
  await rejects(() => fdCommand.run([at('a.npz')]), /fd takes two statistics files or inputs, got 1/);
});

test.run();
