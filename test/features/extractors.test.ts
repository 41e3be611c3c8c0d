import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GraphBuilder } from '../../src/models/onnx/builder.ts';
import { openExtractor, extractors } from '../../src/features/registry.ts';
import { readManifest } from '../../src/features/manifest.ts';
import { randomNetworkOnnx } from '../../src/features/random-conv.ts';
import { rejects } from '../helpers/assert.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'extractors-'));
const image = (w: number, h: number, f: (p: number, c: number) => number) => ({
  width: w,
  height: h,
  frames: [Uint8Array.from({ length: w * h * 3 }, (_, i) => f(Math.floor(i / 3), i % 3))],
});

// a network whose features are the per-channel means of its input: GlobalAveragePool then Flatten
function channelMeanNetwork(file: string, layout: 'NCHW' | 'NHWC'): void {
  const g = new GraphBuilder('channel-mean');
  let x = g.input('pixels', 'float32', layout === 'NCHW' ? ['batch', 3, 4, 4] : ['batch', 4, 4, 3]);
  if (layout === 'NHWC') x = g.op('Transpose', [x], { perm: [0, 3, 1, 2] });
  g.output(g.op('Flatten', [g.op('GlobalAveragePool', [x])], { axis: 1 }), 'means', 'float32', ['batch', 3]);
  writeFileSync(file, g.toBytes());
}

for (const layout of ['NCHW', 'NHWC'] as const) {
  test(`a manifest-described ONNX network (${layout}): range and per-channel mean/std applied as declared, output checked`, async () => {
    channelMeanNetwork(path.join(dir, `mean-${layout}.onnx`), layout);
    const manifestFile = path.join(dir, `mean-${layout}.yaml`);
    writeFileSync(
      manifestFile,
      [
        `name: channel-mean`,
        `version: "1"`,
        `kind: image`,
        `model: mean-${layout}.onnx`,
        `input:`,
        `  layout: ${layout}`,
        `  height: 4`,
        `  width: 4`,
        `  range: [-1, 1]`,
        `  mean: [0, 0.5, 0]`,
        `  std: [1, 1, 2]`,
        `resize: none`,
        `output:`,
        `  name: means`,
        `  dim: 3`,
        `batch: 1`,
      ].join('\n'),
    );
    const e = await openExtractor(manifestFile);
    // channel c of pixel p: (p * 16 + c * 80) mod 256; per channel: mean of 2x/255 - 1, then (v - mean_c) / std_c
    const img = image(4, 4, (p, c) => (p * 16 + c * 80) % 256);
    const f = await e.extract([img, img]);
    const expected = [0, 1, 2].map((c) => {
      let s = 0;
      for (let p = 0; p < 16; p++) s += (2 * ((p * 16 + c * 80) % 256)) / 255 - 1;
      return (s / 16 - [0, 0.5, 0][c]) / [1, 1, 2][c];
    });
    for (let i = 0; i < 6; i++) assert.ok(Math.abs(f[i] - expected[i % 3]) < 1e-6, `feature ${i}: ${f[i]} vs ${expected[i % 3]}`);
    await rejects(() => e.extract([image(5, 4, () => 0)]), /input is 4x5 but the network takes 4x4/);
    await e.close();
  });
}

test('manifests are validated with the field and the value; a wrong output dimension is caught at run time', async () => {
  const bad = path.join(dir, 'bad.json');
  writeFileSync(
    bad,
    JSON.stringify({
      name: 'x',
      version: '1',
      kind: 'video',
      model: 'mean-NCHW.onnx',
      input: { layout: 'NCHW', height: 4, width: 4 },
      resize: 'bicubic',
      output: { dim: 3 },
    }),
  );
  assert.throws(() => readManifest(bad), /bad\.json\.resize: .*got "bicubic"/);
  const mismatch = path.join(dir, 'mismatch.json');
  writeFileSync(
    mismatch,
    JSON.stringify({
      name: 'x',
      version: '1',
      kind: 'video',
      model: 'mean-NCHW.onnx',
      input: { layout: 'NCHW', height: 4, width: 4 },
      resize: 'none',
      output: { dim: 3 },
    }),
  );
  assert.throws(() => readManifest(mismatch), /mismatch\.json\.input\.layout: a video network needs one of NCTHW, NTHWC, NTCHW/);
  assert.throws(() => readManifest(mismatch), /input\.frames: a video network needs the number of frames/);
  const wrongDim = path.join(dir, 'wrong-dim.json');
  writeFileSync(
    wrongDim,
    JSON.stringify({
      name: 'x',
      version: '1',
      kind: 'image',
      model: 'mean-NCHW.onnx',
      input: { layout: 'NCHW', height: 4, width: 4 },
      resize: 'none',
      output: { dim: 5 },
    }),
  );
  const e = await openExtractor(wrongDim);
  await rejects(() => e.extract([image(4, 4, () => 1)]), /output 'means' has shape \[1, 3\]; the manifest says 5 features per input/);
  await e.close();
  await rejects(
    () => openExtractor('inception'),
    /Unknown feature extractor 'inception'. Available: pixels-v1, random-conv2d-v1, random-conv3d-8f-v1, random-conv3d-v1, shapes-clip-v1, shapes-frame-v1; or a manifest file/,
  );
  const missing = path.join(dir, 'missing-model.json');
  writeFileSync(
    missing,
    JSON.stringify({
      name: 'x',
      version: '1',
      kind: 'image',
      model: 'nope.onnx',
      input: { layout: 'NCHW', height: 4, width: 4 },
      resize: 'none',
      output: { dim: 3 },
    }),
  );
  await rejects(() => openExtractor(missing), /ONNX file .*nope\.onnx does not exist \(see docs\/feature-extractors\.md/);
  // a folder (or a device, a FIFO) named as the network is refused when the manifest is read
  mkdirSync(path.join(dir, 'folder.onnx'));
  const folder = path.join(dir, 'folder-model.json');
  writeFileSync(
    folder,
    JSON.stringify({
      name: 'x',
      version: '1',
      kind: 'image',
      model: 'folder.onnx',
      input: { layout: 'NCHW', height: 4, width: 4 },
      resize: 'none',
      output: { dim: 3 },
    }),
  );
  assert.throws(
    () => readManifest(folder),
    /^feature manifest .*folder-model.json: model .*folder.onnx is not a regular file; allowed: an ONNX file$/,
  );
});

test('built-in random networks: the same ONNX bytes every time, names that say what they are, features deterministic', async () => {
  for (const name of ['random-conv2d-v1', 'random-conv3d-v1', 'random-conv3d-8f-v1'] as const) {
    const a = createHash('sha256').update(randomNetworkOnnx(name)).digest('hex');
    const b = createHash('sha256').update(randomNetworkOnnx(name)).digest('hex');
    assert.is(a, b);
  }
  assert.ok(extractors.names().every((n) => !/inception|i3d|dino/i.test(n)));
  const e2 = await openExtractor('random-conv2d-v1');
  const img = image(32, 32, (p, c) => (p * 7 + c * 50) % 256);
  const f1 = await e2.extract([img]);
  const f2 = await e2.extract([img]);
  assert.is(f1.length, 256);
  assert.ok(Buffer.from(f1.buffer).equals(Buffer.from(f2.buffer)));
  assert.ok(f1.some((v) => v !== 0));
  await rejects(
    () => e2.extract([{ width: 32, height: 32, frames: [img.frames[0], img.frames[0]] }]),
    /takes images, but input 0 is a clip of 2 frames/,
  );
  await e2.close();
  const e3 = await openExtractor('random-conv3d-v1');
  await rejects(
    () => e3.extract([{ width: 32, height: 32, frames: Array(8).fill(img.frames[0]) }]),
    /the clip has 8 frames; the network takes 16 frames/,
  );
  const clip = {
    width: 32,
    height: 32,
    frames: Array.from({ length: 16 }, (_, t) => image(32, 32, (p, c) => (p * 7 + c * 50 + t * 9) % 256).frames[0]),
  };
  assert.is((await e3.extract([clip])).length, 256);
  await e3.close();
  // the short-clip variant reads the first 8 frames: a 9-frame clip and its first 8 frames give the same features
  const e8 = await openExtractor('random-conv3d-8f-v1');
  const nine = { ...clip, frames: clip.frames.slice(0, 9) };
  const eight = { ...clip, frames: clip.frames.slice(0, 8) };
  assert.equal(Array.from(await e8.extract([nine])), Array.from(await e8.extract([eight])));
  await e8.close();
});

test('pixels-v1: values u / 127.5 - 1 in [C, T, H, W] order; one size only; refuses large inputs', async () => {
  const e = await openExtractor('pixels-v1');
  const f = await e.extract([image(2, 1, (p, c) => [0, 255][p] * (c === 1 ? 1 : 0) + (c === 2 ? 51 : 0))]);
  // channels R: 0, 0; G: 0 -> -1, 255 -> 1; B: 51 -> -0.6
  assert.equal(
    Array.from(f).map((v) => Math.round(v * 1e6) / 1e6),
    [-1, -1, -1, 1, -0.6, -0.6],
  );
  await rejects(() => e.extract([image(2, 2, () => 0)]), /input 0 is 1 frame\(s\) of 2x2, but the first input was 1 of 1x2/);
  const big = await openExtractor('pixels-v1');
  await rejects(() => big.extract([image(100, 100, () => 0)]), /give 30000 features; at most 12288/);
});

test.run();
