import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { VideoClip } from '../../src/vbench/video/clip.ts';
import { dynamicDegreeParams, dynamicDegreeScore, dynamicDegreeVideo, isDynamic } from '../../src/vbench/dynamic-degree.ts';
import { ClgFlowEstimator } from '../../src/vbench/flow/clg-flow.ts';
import { PairScorer } from '../../src/vbench/flow/pair-scores.ts';
import { renderFrame, texture } from '../../src/data/synthetic-motion.ts';
import { bookkeeping as fixture } from '../helpers/vbench-bookkeeping.ts';

test('thresholds scale with resolution and kept frames: thres = 6 min(H, W) / 256, count = round(4 N / 16)', () => {
  assert.equal(dynamicDegreeParams(256, 256, 16), { thres: 6, countNum: 4 });
  assert.equal(dynamicDegreeParams(320, 512, 8), { thres: 7.5, countNum: 2 });
  // Python rounding: N = 6 -> round(1.5) = 2, N = 10 -> round(2.5) = 2, N = 2 -> round(0.5) = 0
  assert.equal(
    [6, 10, 2].map((n) => dynamicDegreeParams(128, 128, n).countNum),
    [2, 2, 0],
  );
  // and Python's own values for two sizes and kept-frame counts 1-32
  for (const c of fixture.dynamic)
    assert.equal(
      dynamicDegreeParams(c.height, c.width, c.kept),
      { thres: c.thres, countNum: c.countNum },
      `${c.height}x${c.width}, N = ${c.kept}`,
    );
});

test('check_move: dynamic once count_num scores exceed thres; count_num 0 makes any video with one pair dynamic', () => {
  const p = { thres: 6, countNum: 2 };
  assert.is(isDynamic([7, 1, 6, 6.1], p), true);
  assert.is(isDynamic([7, 6, 6, 1], p), false, 'equal to thres does not count');
  assert.is(isDynamic([0], { thres: 6, countNum: 0 }), true);
  assert.is(isDynamic([], { thres: 6, countNum: 0 }), false);
  assert.is(isDynamic([NaN, NaN], { thres: 1, countNum: 1 }), false);
  assert.is(dynamicDegreeScore([true, false, true, true]), 0.75);
});

/** A textured clip translating by (vx, vy) px per frame. */
function movingClip(size: number, frames: number, vx: number, vy: number, fps: number | null): VideoClip {
  const f = texture(11);
  return {
    id: `moving-${size}`,
    width: size,
    height: size,
    fps,
    frames: Array.from({ length: frames }, (_, t) => renderFrame(f, size, size, (x, y) => [x - vx * t, y - vy * t])),
  };
}

const estimator = new ClgFlowEstimator();

for (const size of [128, 256]) {
  test(`at ${size}x${size}: a static clip is not dynamic, a clip moving 1.5 thres per frame is`, async () => {
    const thres = (6 * size) / 256;
    const still = movingClip(size, 8, 0, 0, 8);
    const moving = movingClip(size, 8, 1.2 * thres, 0.9 * thres, 8);
    const a = await dynamicDegreeVideo(still, new PairScorer(estimator, still.frames, size, size));
    const b = await dynamicDegreeVideo(moving, new PairScorer(estimator, moving.frames, size, size));
    assert.is(a.dynamic, false);
    assert.ok(
      a.pairScores.every((s) => s === 0),
      'identical frames: zero flow',
    );
    assert.is(b.dynamic, true);
    b.pairScores.forEach((s) => assert.ok(Math.abs(s! - 1.5 * thres) < 0.05 * thres, `pair score ${s} vs ${1.5 * thres}`));
    assert.equal(b.params, { thres, countNum: 2 });
    assert.is(dynamicDegreeScore([a.dynamic, b.dynamic]), 0.5);
  });
}

test('fps subsampling decides: 1.5 px per frame at 128 (thres 3) is not dynamic at 8 fps, but is at 24 fps (every 3rd frame, 4.5 px)', async () => {
  const slow8 = movingClip(128, 13, 1.2, 0.9, 8);
  const slow24 = { ...slow8, fps: 24 };
  const r8 = await dynamicDegreeVideo(slow8, new PairScorer(estimator, slow8.frames, 128, 128));
  const r24 = await dynamicDegreeVideo(slow24, new PairScorer(estimator, slow24.frames, 128, 128));
  assert.is(r8.interval, 1);
  assert.is(r8.dynamic, false);
  assert.is(r24.interval, 3);
  assert.equal(r24.keptFrames, [0, 3, 6, 9, 12]);
  assert.equal(r24.params.countNum, 1);
  assert.is(r24.dynamic, true);
});

test.run();
