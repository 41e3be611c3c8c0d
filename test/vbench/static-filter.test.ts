import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { VideoClip } from '../../src/vbench/video/clip.ts';
import { ClgFlowEstimator } from '../../src/vbench/flow/clg-flow.ts';
import { PairScorer } from '../../src/vbench/flow/pair-scores.ts';
import { isStatic, selectStatic, staticFilterParams, staticFilterVideo } from '../../src/vbench/static-filter.ts';
import { renderFrame, texture } from '../../src/data/synthetic-motion.ts';
import { bookkeeping as fixture } from '../helpers/vbench-bookkeeping.ts';

test('thresholds: thres = 3 min(H, W) / 256, count_num = round(2 T / 16)', () => {
  assert.equal(staticFilterParams(512, 768, 16), { thres: 6, countNum: 2 });
  // T = 4 -> round(0.5) = 0; T = 12 -> round(1.5) = 2; T = 20 -> round(2.5) = 2
  assert.equal(
    [4, 12, 20].map((t) => staticFilterParams(256, 256, t).countNum),
    [0, 2, 2],
  );
  // and Python's own values for two sizes and frame counts 1-48
  for (const c of fixture.static)
    assert.equal(
      staticFilterParams(c.height, c.width, c.frames),
      { thres: c.thres, countNum: c.countNum },
      `${c.height}x${c.width}, T = ${c.frames}`,
    );
});

test('check_static: at most count_num consecutive pairs above thres, and first<->last within thres * count_num * 2', () => {
  const p = { thres: 3, countNum: 2 };
  assert.is(isStatic([4, 4, 1, 1], 10, 12, p), true, 'two above thres is allowed; 12 = 3 * 2 * 2');
  assert.is(isStatic([4, 4, 4, 1], 0, 0, p), false, 'three above thres');
  assert.is(isStatic([1, 1, 1], 12.01, 0, p), false, 'first->last too far');
  assert.is(isStatic([1, 1, 1], 0, 12.5, p), false, 'last->first too far');
  // count_num = 0: any first<->last motion at all fails (limit 0)
  assert.is(isStatic([1], 0.1, 0, { thres: 3, countNum: 0 }), false);
  assert.is(isStatic([NaN], NaN, NaN, p), true, 'NaN never exceeds a threshold');
});

test('selection keeps static videos in sorted path order, at most n per prompt (0 = all)', () => {
  const v = (path: string, prompt: string, s: boolean) => ({ path, prompt, static: s });
  const items = [
    v('b-1.mp4', 'b', true),
    v('a-2.mp4', 'a', true),
    v('a-0.mp4', 'a', true),
    v('a-1.mp4', 'a', false),
    v('a-3.mp4', 'a', true),
  ];
  assert.equal(
    selectStatic(items, 2).map((i) => i.path),
    ['a-0.mp4', 'a-2.mp4', 'b-1.mp4'],
  );
  assert.equal(
    selectStatic(items, 0).map((i) => i.path),
    ['a-0.mp4', 'a-2.mp4', 'a-3.mp4', 'b-1.mp4'],
  );
  assert.throws(() => selectStatic(items, -1), /limit -1/);
});

function clip(size: number, frames: number, shift: (t: number) => [number, number]): VideoClip {
  const f = texture(21);
  return {
    id: 'c',
    width: size,
    height: size,
    fps: 8,
    frames: Array.from({ length: frames }, (_, t) => renderFrame(f, size, size, (x, y) => [x - shift(t)[0], y - shift(t)[1]])),
  };
}

test('with the CLG flow: a still clip is static; a panning clip and a clip that jumps back at the end are not', async () => {
  const est = new ClgFlowEstimator();
  const run = async (c: VideoClip) => staticFilterVideo(c, new PairScorer(est, c.frames, c.width, c.height));
  const still = await run(clip(96, 8, () => [0, 0]));
  assert.is(still.static, true);
  assert.equal(still.params, { thres: 1.125, countNum: 1 });
  const pan = await run(clip(96, 8, (t) => [2 * t, 0]));
  assert.is(pan.static, false, 'every consecutive pair moves 2 px > thres 1.125');
  // thres 1.125, count_num 1, first<->last limit 1.125 * 1 * 2 = 2.25
  const small = await run(clip(96, 8, (t) => (t === 7 ? [1.5, 0] : [0, 0])));
  assert.is(small.static, true, 'one pair above thres (1 <= count_num) and first<->last 1.5 <= 2.25');
  const jump = await run(clip(96, 8, (t) => (t >= 6 ? [3, 0] : [0, 0])));
  assert.is(jump.pairScores.filter((s) => s! > 1.125).length, 1);
  assert.is(jump.static, false, 'one pair above thres, but first<->last 3 > 2.25');
});

test.run();
