import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shapesVideo } from '../../src/data/shapes.ts';
import { tensorToFrames } from '../../src/data/quantize.ts';
import { readManifest } from '../../src/features/manifest.ts';
import { openOnnxExtractor } from '../../src/features/onnx-extractor.ts';
import { openExtractor } from '../../src/features/registry.ts';
import { sha256Hex } from '../../src/core/hash.ts';

const config = { frames: 9, height: 32, width: 32 };
const clip = (index: number) => {
  const { values, meta } = shapesVideo(7, index, config);
  return { clip: { width: 32, height: 32, frames: tensorToFrames(values, 3, 9, 32, 32) }, label: meta.label };
};
const argmaxRows = (logits: Float32Array, classes: number) =>
  Array.from({ length: logits.length / classes }, (_, i) => {
    const row = Array.from(logits.subarray(i * classes, (i + 1) * classes));
    return row.indexOf(Math.max(...row));
  });

test('the shapes networks open by name with their pinned files and give 64 (frame) and 128 (two-stream clip) features', async () => {
  for (const [name, dim] of [
    ['shapes-frame-v1', 64],
    ['shapes-clip-v1', 128],
  ] as const) {
    const manifest = readManifest(path.join('extractors', `${name}.yaml`));
    assert.is(manifest.sha256, sha256Hex(readFileSync(manifest.model)), `${name}: the manifest pins the committed file`);
    const extractor = await openExtractor(name);
    try {
      assert.is(extractor.info.dim, dim);
      const clips = [0, 1].map((i) => clip(i).clip);
      const input = extractor.info.kind === 'image' ? clips.map((c) => ({ ...c, frames: [c.frames[0]] })) : clips;
      const features = await extractor.extract(input);
      assert.is(features.length, 2 * dim);
      assert.ok(features.every(Number.isFinite));
    } finally {
      await extractor.close();
    }
  }
});

test("the classifiers' logits name the class of held-out data clips (seed 7: neither training nor validation data)", async () => {
  const items = Array.from({ length: 24 }, (_, i) => clip(i));
  for (const name of ['shapes-frame-v1', 'shapes-clip-v1']) {
    const manifest = readManifest(path.join('extractors', `${name}.yaml`));
    const classifier = await openOnnxExtractor({ ...manifest, output: { name: 'logits', dim: 6, pool: 'none' } });
    try {
      const input = manifest.kind === 'image' ? items.map((x) => ({ ...x.clip, frames: [x.clip.frames[4]] })) : items.map((x) => x.clip);
      const predicted = argmaxRows(await classifier.extract(input), 6);
      assert.equal(
        predicted,
        items.map((x) => x.label),
        name,
      );
    } finally {
      await classifier.close();
    }
  }
});

test("the clip network's first 64 features are the frame network's averaged over the frames (the appearance stream)", async () => {
  const clips = [0, 1, 2].map((i) => clip(i).clip);
  const two = await openExtractor('shapes-clip-v1');
  const frame = await openExtractor('shapes-frame-v1');
  try {
    const both = await two.extract(clips);
    let worst = 0;
    for (const [i, c] of clips.entries()) {
      const perFrame = await frame.extract(c.frames.map((f) => ({ ...c, frames: [f] })));
      for (let k = 0; k < 64; k++) {
        let mean = 0;
        for (let t = 0; t < 9; t++) mean += perFrame[t * 64 + k] / 9;
        worst = Math.max(worst, Math.abs(both[i * 128 + k] - mean) / (1 + Math.abs(mean)));
      }
    }
    console.log(`  appearance stream vs the frame network averaged over frames: max relative difference ${worst.toExponential(2)}`);
    assert.ok(worst < 1e-5, String(worst));
  } finally {
    await two.close();
    await frame.close();
  }
});

test('a manifest whose sha256 does not match its file is refused, naming both hashes', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'shapes-extractors-'));
  copyFileSync('extractors/shapes-frame-v1.onnx', path.join(dir, 'net.onnx'));
  const text = readFileSync('extractors/shapes-frame-v1.yaml', 'utf8').replace('model: shapes-frame-v1.onnx', 'model: net.onnx');
  const wrong = text.replace(/^sha256: .*$/m, `sha256: ${'ab'.repeat(32)}`);
  writeFileSync(path.join(dir, 'wrong.yaml'), wrong);
  const found = sha256Hex(readFileSync(path.join(dir, 'net.onnx')));
  try {
    await openExtractor(path.join(dir, 'wrong.yaml'));
    assert.unreachable('a mismatched pin must be refused');
  } catch (error) {
    assert.match((error as Error).message, `has sha256 ${found}, but its manifest pins ${'ab'.repeat(32)}`);
  }
  writeFileSync(path.join(dir, 'bad.yaml'), text.replace(/^sha256: .*$/m, 'sha256: xyz'));
  assert.throws(() => readManifest(path.join(dir, 'bad.yaml')), /sha256.*64 lowercase hex digits/);
});

test.run();
