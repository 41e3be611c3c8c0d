import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { VideoClip } from '../../src/vbench/video/clip.ts';
import { meanAbsoluteDifference, temporalFlickeringScore, temporalFlickeringVideo } from '../../src/vbench/temporal-flickering.ts';

const flat = (w: number, h: number, v: number) => new Uint8Array(w * h * 3).fill(v);
const clip = (frames: Uint8Array[], w = 4, h = 3): VideoClip => ({ id: 'v', width: w, height: h, fps: 8, frames });

test('grey levels 10, 20, 20, 50: MAE 10, 0, 30 -> (255 - 40/3) / 255', () => {
  const r = temporalFlickeringVideo(clip([10, 20, 20, 50].map((v) => flat(4, 3, v))));
  assert.equal(r.pairMae, [10, 0, 30]);
  assert.ok(Math.abs(r.score - (255 - 40 / 3) / 255) < 1e-15);
});

test('MAE averages over pixels and channels: one pixel channel changed by 120 in a 2x2 frame -> 120 / 12', () => {
  const a = flat(2, 2, 100);
  const b = a.slice();
  b[4] = 220;
  assert.is(meanAbsoluteDifference(a, b), 10);
  assert.is(meanAbsoluteDifference(b, a), 10);
});

test('a static video scores exactly 1; a 0/255 strobe scores exactly 0', () => {
  assert.is(temporalFlickeringVideo(clip([7, 7, 7].map((v) => flat(4, 3, v)))).score, 1);
  assert.is(temporalFlickeringVideo(clip([0, 255, 0, 255].map((v) => flat(4, 3, v)))).score, 0);
});

test('the dimension is the plain mean over videos; no videos or one frame are errors', () => {
  assert.is(temporalFlickeringScore([0.9, 1, 0.8]), 0.9);
  assert.throws(() => temporalFlickeringScore([]), /no videos/);
  assert.throws(() => temporalFlickeringVideo(clip([flat(4, 3, 1)])), /has 1 frame; at least 2/);
});

test.run();
