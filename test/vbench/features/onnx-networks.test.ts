import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSession } from '../../../src/models/onnx/runtime.ts';
import { OnnxAestheticScorer, OnnxEmbedder, OnnxMusiqScorer } from '../../../src/vbench/features/onnx-networks.ts';
import { CLIP_NORMALISATION, IMAGENET_NORMALISATION } from '../../../src/vbench/video/transforms.ts';
import { linearHeadGraph, poolEncoderGraph, sumScorerGraph, writeModel } from '../../helpers/onnx-graphs.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'onnx-nets-'));
const quiet = () => undefined;
const flat = (w: number, h: number, rgb: [number, number, number]) => {
  const f = new Uint8Array(w * h * 3);
  for (let p = 0; p < w * h; p++) f.set(rgb, 3 * p);
  return f;
};
const normalised = (rgb: number[], n: { mean: readonly number[]; std: readonly number[] }) =>
  rgb.map((v, c) => (v / 255 - n.mean[c]) / n.std[c]);

test('DINO- and CLIP-shaped embedders: per-frame features after the right transform, in batches', async () => {
  const session = await loadSession(writeModel(dir, 'enc.onnx', poolEncoderGraph()), {}, quiet);
  const frames = [flat(64, 40, [255, 128, 0]), flat(64, 40, [10, 20, 30]), flat(64, 40, [200, 200, 200])];
  for (const [transform, norm] of [
    ['dino', IMAGENET_NORMALISATION],
    ['clip', CLIP_NORMALISATION],
  ] as const) {
    const e = new OnnxEmbedder(session, transform, `test-${transform}`, { batch: 2 });
    assert.equal(e.backbone, { kind: 'network', name: `test-${transform}` });
    const out = await e.embed(frames, 64, 40);
    assert.is(out.length, 3);
    // a flat frame stays flat through any resize, so the pooled feature is the normalised colour (to the
    // stub's float32 average over ~50,000 pixels: relative error under 1e-3)
    out.forEach((f, i) => {
      const want = normalised(
        [
          [255, 128, 0],
          [10, 20, 30],
          [200, 200, 200],
        ][i],
        norm,
      );
      f.forEach((v, c) =>
        assert.ok(
          Math.abs(v - want[c]) < 1e-3 * Math.max(1, Math.abs(want[c])),
          `${transform} frame ${i} channel ${c}: ${v} vs ${want[c]}`,
        ),
      );
    });
  }
});

test('aesthetic scorer: head(normalise(clip features)) / 10 per frame', async () => {
  const encoder = new OnnxEmbedder(await loadSession(writeModel(dir, 'enc2.onnx', poolEncoderGraph()), {}, quiet), 'clip', 'clip-test');
  const head = await loadSession(writeModel(dir, 'head.onnx', linearHeadGraph([1, 2, 3], 0.5)), {}, quiet);
  const scorer = new OnnxAestheticScorer(encoder, head);
  const [s] = await scorer.score([flat(32, 32, [90, 160, 30])], 32, 32);
  const f = normalised([90, 160, 30], CLIP_NORMALISATION);
  const norm = Math.hypot(...f);
  const want = ((f[0] * 1 + f[1] * 2 + f[2] * 3) / norm + 0.5) / 10;
  // the stub pools ~50,000 float32 values: agree to 1e-3 relative (a wrong mean/std or head would be off by far more)
  assert.ok(Math.abs(s - want) < 1e-3 * Math.abs(want), `${s} vs ${want}`);
  assert.throws(() => new OnnxAestheticScorer(new OnnxEmbedder(encoder.session, 'dino', 'x'), head), /must use clip_transform/);
});

test("MUSIQ scorer: frames reach the model at the resize rule's size as 0-1 values (600x400 -> 512x341 in 'longer' mode)", async () => {
  const session = await loadSession(writeModel(dir, 'sum.onnx', sumScorerGraph()), {}, quiet);
  // white frames are 1.0 after /255, so the float32 sum counts the values exactly: 3 x 341 x 512
  const [longer] = await new OnnxMusiqScorer(session).score([flat(600, 400, [255, 255, 255])], 600, 400);
  assert.is(longer, 3 * 341 * 512);
  const [none] = await new OnnxMusiqScorer(session, 'None').score([flat(600, 400, [255, 255, 255])], 600, 400);
  assert.is(none, 3 * 600 * 400);
});

test('a quality model that does not return one score per frame is refused with its output shape', async () => {
  // the pooling encoder returns [1, 3] per frame
  const session = await loadSession(writeModel(dir, 'pool.onnx', poolEncoderGraph()), {}, quiet);
  await new OnnxMusiqScorer(session).score([flat(8, 8, [1, 1, 1])], 8, 8).then(
    () => assert.unreachable('expected an error'),
    (e: Error) => assert.match(e.message, /pool.onnx: output 'features' has shape \[1, 3\]; expected one score/),
  );
});

test.run();
