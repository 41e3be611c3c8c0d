import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PhiloxNoise } from '../../../src/core/philox.ts';
import { Tensor } from '../../../src/core/tensor.ts';
import { GraphBuilder } from '../../../src/models/onnx/builder.ts';
import { fileSha256 } from '../../../src/models/package/manifest.ts';
import { loadOnnxPackage } from '../../../src/models/onnx/package.ts';
import { samplers } from '../../../src/samplers/index.ts';
import { rejects } from '../../helpers/assert.ts';
import { writeToyPackage } from '../../helpers/toy-package.ts';
import { badInput } from '../../helpers/case-ledger.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'package-test-'));
const quiet = { threads: 1, report: () => undefined };
let counter = 0;
const fresh = () => path.join(dir, `p${counter++}`);

test('a toy package loads; the full sampler runs through onnxruntime and the Euler steps integrate v = x / 2 exactly', async () => {
  const models = await loadOnnxPackage(writeToyPackage(fresh()), quiet);
  assert.is(models.provider, 'cpu');
  const s = samplers.get('full');
  const items = [{ index: 0, condition: { kind: 'class' as const, label: 1 } }];
  const r = await s.sample(
    models,
    { items, guidance: { firstFrame: 1, video: 1 }, settings: s.parseSettings({ steps: 2 }, models) },
    new PhiloxNoise(1),
  );
  // x_{r'} = x_r + (r' - r) x_r / 2 over ratios [1, 0.001, 0]: x_0 = x_1 (1 - 0.999/2)(1 - 0.001/2)
  const x0 = new PhiloxNoise(1).gaussian(0, 'initial', 3 * 3 * 64);
  const factor = (1 - 0.999 / 2) * (1 - 0.001 / 2);
  r.samples.data.forEach((v, i) => assert.ok(Math.abs(v - x0[i] * factor) < 1e-5));
  assert.is(r.cost.flopsPerSample !== null, true);
});

test('a manifest with a bad field is refused with the field path and what is allowed', async () => {
  await rejects(
    () => loadOnnxPackage(writeToyPackage(fresh(), { manifest: (m) => (m.kind = 'pyramids') }), quiet),
    /manifest.kind: .*"pyramid"/,
  );
  await rejects(
    () => loadOnnxPackage(writeToyPackage(fresh(), { manifest: (m) => delete m.sample.channels }), quiet),
    /manifest.sample.channels: .*missing/,
  );
  await rejects(
    () => loadOnnxPackage(writeToyPackage(fresh(), { manifest: (m) => (m.networks[0].file = '../escape.onnx') }), quiet),
    /a file inside the package folder/,
  );
  await rejects(() => loadOnnxPackage(writeToyPackage(fresh(), { manifest: (m) => (m.extra = 1) }), quiet), /Unrecognized key/);
  const notJson = fresh();
  writeToyPackage(notJson);
  writeFileSync(path.join(notJson, 'manifest.json'), '{ nope');
  await rejects(() => loadOnnxPackage(notJson, quiet), /manifest.json is not valid JSON/);
  await rejects(() => loadOnnxPackage(dir, quiet), /is not a model package: manifest.json is missing/);
});

test('a network file that is a link, in a linked folder, outside the package or not a regular file is refused before it is hashed', async () => {
  // a secret outside the package: the old check printed its sha256 (a hash oracle)
  const secret = path.join(dir, 'secret.txt');
  writeFileSync(secret, 'secret');
  const linked = writeToyPackage(fresh());
  renameSync(path.join(linked, 'net.onnx'), path.join(linked, 'real.onnx'));
  symlinkSync(secret, path.join(linked, 'net.onnx'));
  await badInput('paths', 'a package network linked to a file outside', () =>
    rejects(
      () => loadOnnxPackage(linked, quiet),
      /^package .*: network \(full\) file: "net.onnx" resolves to .*secret.txt, outside .*; allowed: a path inside the folder$/,
    ),
  );
  // a link even to a file inside the package is refused: package files are regular files
  const inner = writeToyPackage(fresh());
  renameSync(path.join(inner, 'net.onnx'), path.join(inner, 'real.onnx'));
  symlinkSync('real.onnx', path.join(inner, 'net.onnx'));
  await badInput('paths', 'a package network linked to a file inside', () =>
    rejects(
      () => loadOnnxPackage(inner, quiet),
      /^package .*: network \(full\) file net.onnx is a symbolic link; allowed: a regular file inside the package folder$/,
    ),
  );
  const viaFolder = writeToyPackage(fresh(), { manifest: (m) => (m.networks[0].file = 'sub/secret.txt') });
  symlinkSync(dir, path.join(viaFolder, 'sub'));
  await badInput('paths', 'a package network through a linked folder', () =>
    rejects(
      () => loadOnnxPackage(viaFolder, quiet),
      /^package .*: network \(full\) file: "sub\/secret.txt" resolves to .*secret.txt, outside .*; allowed: a path inside the folder$/,
    ),
  );
  const folder = writeToyPackage(fresh(), { manifest: (m) => (m.networks[0].file = 'sub') });
  mkdirSync(path.join(folder, 'sub'));
  await badInput('paths', 'a package network that is a folder', () =>
    rejects(() => loadOnnxPackage(folder, quiet), /network \(full\) file sub is not a regular file; allowed: a regular file inside/),
  );
  const up = writeToyPackage(fresh(), { manifest: (m) => (m.networks[0].file = '../secret.txt') });
  await badInput('paths', 'a package network named ../', () =>
    rejects(() => loadOnnxPackage(up, quiet), /networks\[0\]\.file: a file inside the package folder \(no absolute paths, no \.\.\)/),
  );
  for (const bad of [() => loadOnnxPackage(linked, quiet), () => loadOnnxPackage(viaFolder, quiet)])
    await bad().then(
      () => assert.unreachable('loaded'),
      (e: Error) => assert.not.ok(e.message.includes(fileSha256(secret)), "the error must not print the linked file's hash"),
    );
});

test('a missing or corrupt network file gets its own error', async () => {
  const missing = writeToyPackage(fresh(), { manifest: (m) => (m.networks[0].file = 'gone.onnx') });
  await rejects(() => loadOnnxPackage(missing, quiet), /network \(full\) file gone.onnx is missing/);
  const changed = writeToyPackage(fresh());
  writeFileSync(path.join(changed, 'net.onnx'), Buffer.concat([readFileSync(path.join(changed, 'net.onnx')), Buffer.from([0])]));
  await rejects(() => loadOnnxPackage(changed, quiet), /net.onnx is corrupt or changed: sha256 [0-9a-f]{64}, the manifest says/);
  // garbage whose hash the manifest agrees with: onnxruntime refuses it
  const garbage = writeToyPackage(fresh());
  writeFileSync(path.join(garbage, 'net.onnx'), 'not a model');
  const m = JSON.parse(readFileSync(path.join(garbage, 'manifest.json'), 'utf8'));
  m.networks[0].sha256 = fileSha256(path.join(garbage, 'net.onnx'));
  writeFileSync(path.join(garbage, 'manifest.json'), JSON.stringify(m));
  await rejects(() => loadOnnxPackage(garbage, quiet), /net.onnx could not be loaded by onnxruntime/);
});

test('inputs that do not match the manifest are refused naming the file, the input, what was expected and found', async () => {
  await rejects(
    () => loadOnnxPackage(writeToyPackage(fresh(), { xName: 'sample' }), quiet),
    /net.onnx: the manifest names input 'x' \(x \(noisy state\)\), but the network has no such input/,
  );
  await rejects(
    () => loadOnnxPackage(writeToyPackage(fresh(), { kind: 'pyramid', fixedSpatial: true }), quiet),
    /net.onnx: input 'x' \(x \(noisy state\)\): dimension 3 is fixed at 8, but must be dynamic \(the pyramid runs its stages at 2x2, 4x4, 8x8\)/,
  );
  // a network whose label input is float32
  const wrongType = writeToyPackage(fresh());
  const g = new GraphBuilder('bad-label');
  const x = g.input('x', 'float32', ['batch', 3, 'frames', 'height', 'width']);
  g.input('timestep', 'float32', ['batch']);
  g.input('label', 'float32', ['batch']);
  g.output(g.op('Neg', [x]), 'velocity', 'float32', ['batch', 3, 'frames', 'height', 'width']);
  writeFileSync(path.join(wrongType, 'net.onnx'), g.toBytes());
  const m = JSON.parse(readFileSync(path.join(wrongType, 'manifest.json'), 'utf8'));
  m.networks[0].sha256 = fileSha256(path.join(wrongType, 'net.onnx'));
  writeFileSync(path.join(wrongType, 'manifest.json'), JSON.stringify(m));
  await rejects(
    () => loadOnnxPackage(wrongType, quiet),
    /input 'label' \(label \(class\)\): expected int64 \[dynamic\], found float32 \[batch\]/,
  );
  const extra = writeToyPackage(fresh(), { body: (g2, i) => g2.op('Add', [i.x, g2.input('bias', 'float32', [1])]) });
  await rejects(() => loadOnnxPackage(extra, quiet), /input\(s\) 'bias' float32 \[1\] are not described by the manifest/);
});

test('a network that returns NaN gets a clear error from the sampler, not a crash', async () => {
  const nan = writeToyPackage(fresh(), {
    body: (g, i) => g.op('Mul', [i.x, g.op('Sqrt', [g.initializer(null, 'float32', [], Float32Array.from([-1]))])]),
  });
  const models = await loadOnnxPackage(nan, quiet);
  const s = samplers.get('full');
  await rejects(
    () =>
      s.sample(
        models,
        {
          items: [{ index: 0, condition: { kind: 'class', label: 0 } }],
          guidance: { firstFrame: 1, video: 1 },
          settings: s.parseSettings({ steps: 2 }, models),
        },
        new PhiloxNoise(0),
      ),
    /net.onnx: the network returned NaN at output value 0 \(row 0\) for flow \{"kind":"full"\}, ratio 1, timestep 1000/,
  );
});

test('the pyramid sampler feeds history per level (unused levels empty: layout count 0); text packages map prompts and the negative prompt', async () => {
  // velocity = x * 0 + mean of the history layout counts, so we can see what the network received
  const pyr = writeToyPackage(fresh(), {
    kind: 'pyramid',
    body: (g, i) => {
      const counts = g.op('Cast', [g.op('ReduceSum', [i.historyLayout], { keepdims: 0 })], { to: 1 });
      return g.op('Add', [
        g.op('Mul', [i.x, g.initializer(null, 'float32', [], Float32Array.from([0]))]),
        g.op('Div', [counts, g.initializer(null, 'float32', [], Float32Array.from([1000]))]),
      ]);
    },
  });
  const models = await loadOnnxPackage(pyr, quiet);
  const call = (history: { level: number; firstFrame: number; frames: number }[]) =>
    models.pyramid!.predict({
      x: new Tensor([1, 3, 1, 8, 8]),
      flow: { kind: 'pyramid', stage: 2 },
      ratio: 0.5,
      timestep: 100,
      conditions: [{ kind: 'class', label: 0 }],
      history: history.map((h) => ({
        level: h.level,
        firstFrame: h.firstFrame,
        tensor: new Tensor([1, 3, h.frames, 8 / 2 ** h.level, 8 / 2 ** h.level]),
      })),
      firstFrame: 3,
    });
  // layout rows (first, count) per level: level 0 (2, 1), level 1 (1, 1), level 2 (0, 1): sum 6
  const v = await call([
    { level: 2, firstFrame: 0, frames: 1 },
    { level: 1, firstFrame: 1, frames: 1 },
    { level: 0, firstFrame: 2, frames: 1 },
  ]);
  assert.ok(Math.abs(v.data[0] - 0.006) < 1e-7, `layout sum seen ${v.data[0] * 1000}`);
  assert.is((await call([])).data[0], 0);
  await rejects(
    () =>
      call([
        { level: 2, firstFrame: 0, frames: 1 },
        { level: 2, firstFrame: 2, frames: 1 },
      ]),
    /history at level 2 is not contiguous/,
  );
  const s = samplers.get('pyramid');
  const r = await s.sample(
    models,
    {
      items: [{ index: 0, condition: { kind: 'class', label: 0 } }],
      guidance: { firstFrame: 2, video: 1 },
      settings: s.parseSettings({ stepsPerStage: [1, 1, 1], videoStepsPerStage: [1, 1, 1] }, models),
    },
    new PhiloxNoise(0),
  );
  assert.equal(r.samples.shape, [1, 3, 3, 8, 8]);
  const text = writeToyPackage(fresh(), {
    text: true,
    body: (g, i) =>
      g.op('Add', [
        g.op('Mul', [i.x, g.initializer(null, 'float32', [], Float32Array.from([0]))]),
        g.op('Reshape', [
          g.op('ReduceMean', [i.text], { axes: [1, 2], keepdims: 0 }),
          g.initializer(null, 'int64', [5], BigInt64Array.from([-1n, 1n, 1n, 1n, 1n])),
        ]),
      ]),
  });
  // an embedding table with the negative prompt and one prompt
  const { encodeNpz, npyArray } = await import('../../../src/io/npy.ts');
  const prompts = new TextEncoder().encode(JSON.stringify(['bad', 'a red disk']));
  writeFileSync(
    path.join(text, 'emb.npz'),
    encodeNpz({
      prompts: npyArray(prompts, [prompts.length]),
      embeddings: npyArray(Float32Array.from([...Array(8).fill(-1), ...Array(8).fill(3)]), [2, 4, 2]),
    }),
  );
  const m = JSON.parse(readFileSync(path.join(text, 'manifest.json'), 'utf8'));
  m.conditioning.embeddings = 'emb.npz';
  writeFileSync(path.join(text, 'manifest.json'), JSON.stringify(m));
  const tm = await loadOnnxPackage(text, quiet);
  const cond = await tm.conditioner!.encode('a red disk');
  const tv = await tm.full!.predict({
    x: new Tensor([2, 3, 3, 8, 8]),
    flow: { kind: 'full' },
    ratio: 1,
    timestep: 1000,
    conditions: [{ kind: 'unconditional' }, cond],
    history: [],
    firstFrame: 0,
  });
  assert.is(tv.data[0], -1);
  assert.is(tv.data[tv.data.length - 1], 3);
  await rejects(() => tm.conditioner!.encode('unknown prompt'), /no embedding for prompt 'unknown prompt'/);
});

test('a latent package: the decoder turns 4-channel latents into RGB, and the sample command writes both', async () => {
  const pkg = writeToyPackage(fresh(), { channels: 4 });
  // decoder: a 1x1x1 convolution taking the first three latent channels (times 2) to RGB
  const g = new GraphBuilder('decoder');
  const z = g.input('latent', 'float32', ['batch', 4, 'frames', 'height', 'width']);
  const w = new Float32Array(3 * 4);
  for (let c = 0; c < 3; c++) w[c * 4 + c] = 2;
  g.output(g.op('Conv', [z, g.initializer('w', 'float32', [3, 4, 1, 1, 1], w)]), 'pixels', 'float32', [
    'batch',
    3,
    'frames',
    'height',
    'width',
  ]);
  writeFileSync(path.join(pkg, 'decoder.onnx'), g.toBytes());
  const m = JSON.parse(readFileSync(path.join(pkg, 'manifest.json'), 'utf8'));
  m.decoder = { file: 'decoder.onnx', sha256: fileSha256(path.join(pkg, 'decoder.onnx')), input: 'latent', output: 'pixels', fps: 24 };
  writeFileSync(path.join(pkg, 'manifest.json'), JSON.stringify(m));
  const models = await loadOnnxPackage(pkg, quiet);
  const latents = new Tensor(
    [1, 4, 3, 8, 8],
    Float32Array.from({ length: 4 * 3 * 64 }, (_, i) => i / 1000),
  );
  const pixels = await models.decoder!.decode(latents);
  assert.equal(pixels.shape, [1, 3, 3, 8, 8]);
  assert.ok(Math.abs(pixels.data[5] - 2 * latents.data[5]) < 1e-6);
  assert.is(models.decoder!.fps, 24);
  const { spawnSync } = await import('node:child_process');
  const out = path.join(dir, 'latent.npz');
  const r = spawnSync(
    process.execPath,
    ['bin/pyramid-bench.js', 'sample', '--model', pkg, '--sampler', 'full', '--n', '2', '--steps', '2', '--out', out],
    { encoding: 'utf8' },
  );
  assert.is(r.status, 0, r.stderr);
  const { decodeNpz } = await import('../../../src/io/npy.ts');
  const npz = decodeNpz(readFileSync(out));
  assert.equal(npz.samples.shape, [2, 3, 3, 8, 8]);
  assert.equal(npz.latents.shape, [2, 4, 3, 8, 8]);
});

test('on CPU with several threads, calls below smallCallValues run on a single-threaded session of the same network, with the same values', async () => {
  const pkg = writeToyPackage(fresh());
  const x = new PhiloxNoise(5).gaussian(0, 'x', 2 * 3 * 3 * 64);
  const call = (rows: number) => ({
    x: new Tensor([rows, 3, 3, 8, 8], x.slice(0, rows * 3 * 3 * 64)),
    flow: { kind: 'full' as const },
    ratio: 0.5,
    timestep: 500,
    conditions: Array.from({ length: rows }, () => ({ kind: 'class' as const, label: 1 })),
    history: [],
    firstFrame: 0,
  });
  const two = await loadOnnxPackage(pkg, { ...quiet, threads: 2, smallCallValues: 1000 });
  const net = two.velocityModels[0];
  const small = await net.predict(call(1)); // 576 values + timestep + label: below 1000
  const large = await net.predict(call(2)); // 1152 values: the multi-threaded session
  assert.equal([net.runStats.calls, net.runStats.singleThreadCalls], [2, 1]);
  const one = await loadOnnxPackage(pkg, { ...quiet, threads: 1 });
  assert.equal(Array.from(small.data), Array.from((await one.velocityModels[0].predict(call(1))).data));
  assert.equal(Array.from(large.data), Array.from((await one.velocityModels[0].predict(call(2))).data));
  assert.is(one.velocityModels[0].runStats.singleThreadCalls, 0, 'one thread: no second session');
  const off = await loadOnnxPackage(pkg, { ...quiet, threads: 2, smallCallValues: 0 });
  await off.velocityModels[0].predict(call(1));
  assert.is(off.velocityModels[0].runStats.singleThreadCalls, 0, 'smallCallValues 0 turns it off');
});

test.run();
