import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tensor } from '../../../src/core/tensor.ts';
import { buildHistory, historyLayout, videoUnits } from '../../../src/samplers/pyramid/temporal-pyramid.ts';

test('units: the first frame alone, then framesPerUnit frames each', () => {
  assert.equal(
    videoUnits(5, 1).map((u) => [u.firstFrame, u.frames]),
    [
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
    ],
  );
  assert.equal(
    videoUnits(5, 2).map((u) => [u.firstFrame, u.frames]),
    [
      [0, 1],
      [1, 2],
      [3, 2],
    ],
  );
  assert.equal(videoUnits(1, 4).length, 1);
  assert.throws(() => videoUnits(4, 2), /frames is 4; with framesPerUnit 2 allowed: 1 \+ a multiple of 2/);
});

// Expected layouts traced by hand through Pyramid-Flow `generate` (commit 3040d71), 3 stages, as
// [stage whose resolution, first frame, frames], oldest first.
const layout = (unit: number, stage: number, generated: number, fpu: number) =>
  historyLayout(unit, stage, generated, fpu).map((s) => [s.stage, s.firstFrame, s.frames]);

test("history of the second unit: the first frame at each stage's own resolution", () => {
  assert.equal(layout(1, 0, 1, 1), [[0, 0, 1]]);
  assert.equal(layout(1, 1, 1, 1), [[1, 0, 1]]);
  assert.equal(layout(1, 2, 1, 1), [[2, 0, 1]]);
});

test('history compresses one stage per unit back, then everything older at stage 0', () => {
  assert.equal(layout(2, 2, 2, 1), [
    [1, 0, 1],
    [2, 1, 1],
  ]);
  assert.equal(layout(2, 1, 2, 1), [
    [0, 0, 1],
    [1, 1, 1],
  ]);
  assert.equal(layout(2, 0, 2, 1), [
    [0, 0, 1],
    [0, 1, 1],
  ]);
  assert.equal(layout(4, 2, 4, 1), [
    [0, 0, 2],
    [1, 2, 1],
    [2, 3, 1],
  ]);
  assert.equal(layout(7, 2, 7, 1), [
    [0, 0, 5],
    [1, 5, 1],
    [2, 6, 1],
  ]);
});

test('with two frames per unit, slices reaching before frame 0 are clipped as Python slicing does', () => {
  // generated = 3 (frame 0, then unit 1 = frames 1-2): newest unit at stage 2, the frame before at stage 1
  assert.equal(layout(2, 2, 3, 2), [
    [1, 0, 1],
    [2, 1, 2],
  ]);
  assert.equal(layout(3, 2, 5, 2), [
    [0, 0, 1],
    [1, 1, 2],
    [2, 3, 2],
  ]);
});

test("buildHistory takes each slice down to its stage's resolution", () => {
  const frames = new Tensor(
    [1, 1, 3, 4, 4],
    Float32Array.from({ length: 48 }, (_, i) => Math.floor(i / 16)),
  );
  const h = buildHistory(frames, historyLayout(3, 2, 3, 1), 3);
  assert.equal(
    h.map((e) => [e.level, e.firstFrame, e.tensor.frames, e.tensor.height]),
    [
      [2, 0, 1, 1],
      [1, 1, 1, 2],
      [0, 2, 1, 4],
    ],
  );
  assert.equal(Array.from(h[0].tensor.data), [0]);
  assert.equal(Array.from(h[1].tensor.data), [1, 1, 1, 1]);
});

test.run();
