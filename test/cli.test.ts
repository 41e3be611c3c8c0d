import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpz } from '../src/io/npy.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'pyramid-bench.js');
const dir = mkdtempSync(path.join(tmpdir(), 'cli-test-'));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });

for (const sampler of ['pyramid', 'full', 'cascade']) {
  test(`sample --sampler ${sampler} writes an .npz NumPy reads and prints the cost summary`, () => {
    const out = path.join(dir, `${sampler}.npz`);
    const r = cli('sample', '--model', 'analytic:tiny-video', '--sampler', sampler, '--n', '5', '--seed', '3', '--out', out, '--steps', '3,3,3');
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /NFE per sample \d+/);
    const npz = decodeNpz(readFileSync(out));
    assert.equal(npz.samples.shape, [5, 1, 3, 8, 8]);
    assert.equal(Array.from(npz.labels.data as BigInt64Array), [0n, 1n, 0n, 1n, 0n]);
    const py = execFileSync('python3', ['-c', 'import numpy as np,sys; d=np.load(sys.argv[1]); print(d["samples"].shape, d["samples"].dtype)', out]).toString().trim();
    assert.is(py, '(5, 1, 3, 8, 8) float32');
  });
}

test('sample is reproducible: the same seed writes the same bytes; --json prints one object', () => {
  const a = path.join(dir, 'a.npz');
  const b = path.join(dir, 'b.npz');
  cli('sample', '--model', 'analytic:tiny-image', '--n', '3', '--seed', '9', '--out', a, '--steps', '2,2,2');
  const r = cli('sample', '--model', 'analytic:tiny-image', '--n', '3', '--seed', '9', '--out', b, '--steps', '2,2,2', '--json');
  assert.ok(readFileSync(a).equals(readFileSync(b)));
  const json = JSON.parse(r.stdout);
  assert.is(json.cost.nfe, 6);
  assert.equal(json.shape, [3, 1, 1, 8, 8]);
});

test('bad input: an unknown preset, sampler or option, and bad settings exit non-zero with a message', () => {
  const out = path.join(dir, 'x.npz');
  let r = cli('sample', '--model', 'analytic:nope', '--out', out);
  assert.is(r.status, 1);
  assert.match(r.stderr, /Unknown analytic preset 'nope'. Available: moving-shapes, tiny-image, tiny-video/);
  r = cli('sample', '--model', 'analytic:tiny-image', '--sampler', 'ddim', '--out', out);
  assert.match(r.stderr, /Unknown sampler 'ddim'. Available: cascade, full, pyramid/);
  r = cli('sample', '--model', 'analytic:tiny-image', '--n', '0', '--out', out);
  assert.is(r.status, 2);
  assert.match(r.stderr, /--n is '0'; allowed: an integer >= 1/);
  r = cli('sample', '--model', 'tiny-image', '--out', out);
  assert.match(r.stderr, /has no backend/);
  r = cli('sample', '--model', 'analytic:tiny-image', '--out', out, '--class', '7');
  assert.match(r.stderr, /--class is 7; allowed: 0 to 1/);
  r = cli('sample', '--model', 'analytic:tiny-image', '--out', out, '--settings', '{"stepsPerStage":[0,1,1]}');
  assert.match(r.stderr, /pyramid settings.stepsPerStage\[0\]/);
  r = cli('frobnicate');
  assert.is(r.status, 2);
});

test.run();
