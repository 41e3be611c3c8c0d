import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpz, encodeNpz, npyArray, type NpyArray } from '../../../src/io/npy.ts';
import { type NetworkEntry, readManifest } from '../../../src/models/package/manifest.ts';
import { loadSession, releaseSession, runSession, type TensorValue } from '../../../src/models/onnx/runtime.ts';
import { hasTorch, torchMissing } from '../../helpers/torch.ts';

// python/pyramid_bench_models/shapes.py rebuilds training/model.py's PyramidDiT from the committed ONNX files; its
// velocities must match onnxruntime's on the same feeds (pyramid: every level, with history present and absent).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const python = '/usr/bin/python3';
const dir = mkdtempSync(path.join(tmpdir(), 'torch-shapes-test-'));
const tolerance = 1e-5;

/** A seeded uniform generator (mulberry32), so the feeds are the same on every run. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Feeds = Record<string, TensorValue>;

function floats(rand: () => number, dims: number[]): TensorValue {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = 2 * rand() - 1;
  return { type: 'float32', data, dims };
}

function ints(values: number[], dims: number[]): TensorValue {
  return { type: 'int64', data: BigInt64Array.from(values.map(BigInt)), dims };
}

/** One call's common inputs: x [B, 3, F, h, w], timesteps in [0, 1000], labels including the null label 6. */
function plain(rand: () => number, n: NetworkEntry, batch: number, frames: number, h: number, w: number): Feeds {
  const feeds: Feeds = {
    [n.inputs.x]: floats(rand, [batch, 3, frames, h, w]),
    [n.inputs.timestep]: { type: 'float32', data: Float32Array.from({ length: batch }, () => 1000 * rand()), dims: [batch] },
    [n.inputs.label as string]: ints(
      Array.from({ length: batch }, (_, i) => (i === 0 ? 6 : Math.floor(6 * rand()))),
      [batch],
    ),
  };
  if (n.inputs.lowRes) feeds[n.inputs.lowRes] = floats(rand, [batch, 3, frames, h, w]);
  return feeds;
}

/**
 * Pyramid calls: x at `level`, starting at `frame0`; per history level [first frame, frames given, frames counted]
 * (0 frames given = an empty level; counted < given = padded frames the layout masks out).
 */
function pyramidCall(rand: () => number, n: NetworkEntry, level: number, frame0: number, hist: [number, number, number][]): Feeds {
  const feeds = plain(rand, n, 2, 1, n.height / 2 ** level, n.width / 2 ** level);
  feeds[n.inputs.frame0 as string] = ints([frame0], [1]);
  feeds[n.inputs.level as string] = ints([level], [1]);
  (n.inputs.history ?? []).forEach((name, l) => {
    feeds[name] = floats(rand, [2, 3, hist[l][1], n.height / 2 ** l, n.width / 2 ** l]);
  });
  feeds[n.inputs.historyLayout as string] = ints(
    hist.flatMap(([first, , count]) => [first, count]),
    [hist.length, 2],
  );
  return feeds;
}

function calls(n: NetworkEntry, seed: number): Feeds[] {
  const rand = uniform(seed);
  if (n.role === 'pyramid')
    return [
      pyramidCall(rand, n, 2, 0, [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ]),
      pyramidCall(rand, n, 1, 2, [
        [0, 2, 2],
        [0, 0, 0],
        [1, 1, 1],
      ]),
      pyramidCall(rand, n, 0, 3, [
        [0, 0, 0],
        [1, 2, 2],
        [0, 1, 1],
      ]),
      pyramidCall(rand, n, 0, 4, [
        [2, 2, 2],
        [0, 2, 1],
        [0, 0, 0],
      ]),
    ];
  return [plain(rand, n, 2, 3, n.height, n.width), plain(rand, n, 1, 1, n.height, n.width)];
}

function npy(v: TensorValue): NpyArray {
  return npyArray(v.data as Float32Array | BigInt64Array, [...v.dims]);
}

for (const name of ['shapes-pyramid', 'shapes-pyramid-step1000', 'shapes-pyramid-step2000', 'shapes-full', 'shapes-cascade']) {
  test(`${name}: the PyTorch factory (manifest torch section) matches onnxruntime on every network (max rel. error < ${tolerance})`, async () => {
    if (!hasTorch) {
      torchMissing();
      return;
    }
    const pkg = path.join(root, 'checkpoints', name);
    const manifest = readManifest(pkg);
    assert.equal([manifest.torch?.module, manifest.torch?.factory], ['pyramid_bench_models.shapes', 'build']);
    for (const [i, n] of manifest.networks.entries()) {
      const feeds = calls(n, 17 + i);
      const session = await loadSession(path.join(pkg, n.file!), { threads: 1 }, () => undefined);
      const expected: TensorValue[] = [];
      for (const f of feeds) expected.push((await runSession(session, f, [n.output]))[n.output]);
      await releaseSession(session);
      const arrays: Record<string, NpyArray> = {};
      feeds.forEach((f, c) => {
        for (const [input, v] of Object.entries(f)) arrays[`c${c}.${input}`] = npy(v);
      });
      const feedsFile = path.join(dir, `${name}-${i}-feeds.npz`);
      const outFile = path.join(dir, `${name}-${i}-torch.npz`);
      writeFileSync(feedsFile, encodeNpz(arrays));
      execFileSync(python, [path.join(root, 'python/pyramid_bench_models/selfcheck.py'), pkg, n.file!, feedsFile, outFile], {
        stdio: 'pipe',
      });
      const got = decodeNpz(readFileSync(outFile), outFile);
      expected.forEach((want, c) => {
        const torch = got[`c${c}`];
        assert.equal(torch.shape, [...want.dims], `${name} ${n.role} call ${c}: shape`);
        const a = want.data as Float32Array;
        const b = torch.data as Float32Array;
        let diff = 0;
        let scale = 0;
        for (let k = 0; k < a.length; k++) {
          diff = Math.max(diff, Math.abs(a[k] - b[k]));
          scale = Math.max(scale, Math.abs(a[k]));
        }
        assert.ok(scale > 0, `${name} ${n.role} call ${c}: onnxruntime returned all zeros`);
        console.log(
          `  ${name} ${n.role} call ${c} [${want.dims.join(', ')}]: max |torch - onnx| / max |onnx| = ${(diff / scale).toExponential(2)}`,
        );
        assert.ok(diff / scale < tolerance, `${name} ${n.role} call ${c}: relative error ${diff / scale} >= ${tolerance}`);
      });
    }
  });
}

// Each case changes one thing in the graph shapes.py reads (or in the config) and expects its error message.
const broken: [string, string, string][] = [
  [
    'an unused folded constant',
    `g['initializers']['onnx::Add_9999'] = g['initializers']['onnx::Add_1533'] + 1`,
    `initializer 'onnx::Add_9999' [1, 1, 1, 96] matches no embedding row`,
  ],
  ['a missing role row', `del g['initializers']['onnx::Add_1533']`, 'the hist_0 tokens get folded embedding rows'],
  [
    'a level row that disagrees with level_embed',
    `g['initializers']['onnx::Add_1548'] = g['initializers']['onnx::Add_1548'] + 1`,
    'the folded level 1 row differs from model.level_embed.weight[1]',
  ],
  ['a missing parameter', `del g['initializers']['model.final_ada.bias']`, 'no initializer gives model parameter final_ada.bias'],
  [
    'a stray named initializer',
    `g['initializers']['model.extra.weight'] = g['initializers']['model.final.bias']`,
    `initializer 'model.extra.weight' is not a parameter of the model`,
  ],
  ['a config without heads', 'spec["config"] = {}', "torch config needs 'heads'"],
];

for (const [what, change, message] of broken) {
  test(`shapes.build fails loudly, naming the file, on ${what}`, () => {
    if (!hasTorch) {
      torchMissing();
      return;
    }
    const pkg = path.join(root, 'checkpoints/shapes-pyramid');
    const script = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(path.join(root, 'python'))})`,
      'from pyramid_bench_models import onnx_weights, shapes',
      `pkg = ${JSON.stringify(pkg)}`,
      'm = json.load(open(pkg + "/manifest.json"))',
      'n = m["networks"][0]',
      'spec = dict(package=m, directory=pkg, network=n, weights=[pkg + "/" + n["file"]], config=dict(n["torch"]["config"]))',
      'def changed(path):',
      '    g = onnx_weights.read_graph(path)',
      `    ${change.startsWith('spec') ? 'pass' : change}`,
      '    return g',
      'shapes.read_graph = changed',
      change.startsWith('spec') ? change : '',
      'shapes.build(spec)',
    ].join('\n');
    const run = spawnSync(python, ['-c', script], { encoding: 'utf8' });
    assert.is.not(run.status, 0, `${what}: shapes.build succeeded`);
    assert.ok(run.stderr.includes(message), `${what}: expected "${message}" in:\n${run.stderr}`);
    assert.ok(run.stderr.includes(path.join(pkg, 'pyramid.onnx')), `${what}: the error names the file:\n${run.stderr}`);
  });
}

test('the manifest refuses torch sections that are incomplete, malformed or point at a changed file', () => {
  const source = path.join(root, 'checkpoints/shapes-full');
  const edit = (change: (m: Record<string, unknown> & { networks: Record<string, unknown>[] }) => void): string => {
    const pkg = mkdtempSync(path.join(dir, 'manifest-'));
    const m = JSON.parse(readFileSync(path.join(source, 'manifest.json'), 'utf8'));
    change(m);
    writeFileSync(path.join(pkg, 'manifest.json'), JSON.stringify(m));
    writeFileSync(path.join(pkg, 'full.onnx'), readFileSync(path.join(source, 'full.onnx')));
    return pkg;
  };
  const ok = readManifest(edit(() => undefined));
  assert.equal(ok.networks[0].torch?.config, { heads: 4 });
  assert.throws(
    () =>
      readManifest(
        edit((m) => {
          delete m.torch;
        }),
      ),
    /has a torch section, but the manifest has no top-level torch/,
  );
  assert.throws(
    () =>
      readManifest(
        edit((m) => {
          delete m.networks[0].torch;
        }),
      ),
    /manifest.torch names a factory, but network 'full' has no torch section/,
  );
  assert.throws(
    () =>
      readManifest(
        edit((m) => {
          m.torch = { module: 'pyramid bench', factory: 'build' };
        }),
      ),
    /a Python module name/,
  );
  assert.throws(
    () =>
      readManifest(
        edit((m) => {
          (m.networks[0].torch as { weights: { sha256: string }[] }).weights[0].sha256 = '0'.repeat(64);
        }),
      ),
    /PyTorch weights \(full\) file full.onnx is corrupt or changed/,
  );
  assert.throws(
    () =>
      readManifest(
        edit((m) => {
          (m.networks[0].torch as { weights: { file: string }[] }).weights[0].file = '../full.onnx';
        }),
      ),
    /a file inside the package folder/,
  );
});

test.run();
