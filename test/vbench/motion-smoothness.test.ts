import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { VideoClip } from '../../src/vbench/video/clip.ts';
import { ClgFlowEstimator } from '../../src/vbench/flow/clg-flow.ts';
import { FlowInterpolator } from '../../src/vbench/interpolation/flow-interpolator.ts';
import { BlendInterpolator, type FrameInterpolator } from '../../src/vbench/interpolation/interpolator.ts';
import { motionSmoothnessScore, motionSmoothnessVideo, quantiseTruncate } from '../../src/vbench/motion-smoothness.ts';
import { rejects } from '../helpers/assert.ts';
import { renderFrame, texture } from '../../src/data/synthetic-motion.ts';

const flat = (w: number, h: number, v: number) => new Uint8Array(w * h * 3).fill(v);
const clip = (frames: Uint8Array[], w: number, h: number): VideoClip => ({ id: 'v', width: w, height: h, fps: 8, frames });

test("quantisation is tensor2img's: clip to [0, 255], then truncate", () => {
  assert.equal(Array.from(quantiseTruncate(Float32Array.of(-3, 0.99, 1, 127.5, 254.999, 255, 300))), [0, 0, 1, 127, 254, 255, 255]);
  assert.throws(() => quantiseTruncate(Float32Array.of(NaN)), /NaN/);
});

test('even frames at 100, odd frames at 130, blend interpolator: every prediction is 100 -> (255 - 30) / 255', async () => {
  const frames = Array.from({ length: 16 }, (_, t) => flat(6, 4, t % 2 === 0 ? 100 : 130));
  const r = await motionSmoothnessVideo(clip(frames, 6, 4), new BlendInterpolator());
  // 8 even frames -> 7 predictions, compared with odd frames 1..13 (frame 15 unused)
  assert.equal(r.frameMae, new Array(7).fill(30));
  assert.is(r.score, 225 / 255);
});

test('a linear fade (grey 10 t) is predicted exactly by the blend: score 1; a half-level blend is truncated down', async () => {
  const fade = Array.from({ length: 5 }, (_, t) => flat(4, 4, 10 * t));
  assert.is((await motionSmoothnessVideo(clip(fade, 4, 4), new BlendInterpolator())).score, 1);
  // 0 and 1 blend to 0.5 -> truncated to 0; real middle frame 1 -> MAE 1
  const halves = [flat(4, 4, 0), flat(4, 4, 1), flat(4, 4, 1)];
  assert.equal((await motionSmoothnessVideo(clip(halves, 4, 4), new BlendInterpolator())).frameMae, [1]);
});

test('frames are padded to a multiple of 16 for the interpolator and unpadded after (20 x 12 -> 32 x 16)', async () => {
  const sizes: [number, number][] = [];
  const spy: FrameInterpolator = {
    name: 'spy',
    kind: 'substitute',
    async interpolate(a, b, w, h) {
      sizes.push([w, h]);
      return new BlendInterpolator().interpolate(a, b, w, h);
    },
  };
  const frames = Array.from({ length: 5 }, (_, t) => flat(20, 12, 3 * t));
  const r = await motionSmoothnessVideo(clip(frames, 20, 12), spy);
  assert.equal(sizes, [
    [32, 16],
    [32, 16],
  ]);
  assert.is(r.score, 1);
});

test('too few frames and a wrong-sized prediction are errors; the dimension is the mean over videos', async () => {
  await rejects(
    () => motionSmoothnessVideo(clip([flat(4, 4, 0), flat(4, 4, 0)], 4, 4), new BlendInterpolator()),
    /has 2 frames; at least 3/,
  );
  const broken: FrameInterpolator = { name: 'broken', kind: 'substitute', interpolate: async () => new Float32Array(3) };
  await rejects(
    () => motionSmoothnessVideo(clip([flat(4, 4, 0), flat(4, 4, 0), flat(4, 4, 0)], 4, 4), broken),
    /broken: returned 3 values for a 16x16 RGB frame/,
  );
  assert.is(motionSmoothnessScore([0.5, 1]), 0.75);
});

test('flow-warp interpolation: exact on a still clip, and far closer than the blend on a translating texture', async () => {
  const f = texture(31);
  const size = 128;
  const moving = Array.from({ length: 5 }, (_, t) => renderFrame(f, size, size, (x, y) => [x - 3 * t, y - 2 * t]));
  const still = Array.from({ length: 3 }, () => moving[0]);
  const flow = new FlowInterpolator(new ClgFlowEstimator());
  assert.is(flow.name, 'flow-warp:clg-pyramid');
  assert.is((await motionSmoothnessVideo(clip(still, size, size), flow)).score, 1);
  const withFlow = await motionSmoothnessVideo(clip(moving, size, size), flow);
  const withBlend = await motionSmoothnessVideo(clip(moving, size, size), new BlendInterpolator());
  // kept frames are (6, 4) px apart: the blend misses by ~18 grey levels of MAE, warping by about one
  // (borders, where content enters the frame, and truncation's half-level bias)
  assert.ok(
    withFlow.frameMae.every((m) => m < 1.5),
    `flow-warp MAE ${withFlow.frameMae}`,
  );
  assert.ok(
    withBlend.frameMae.every((m) => m > 10),
    `blend MAE ${withBlend.frameMae}`,
  );
});

test.run();
