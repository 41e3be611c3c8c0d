import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { everyNth, middleFrameIndices, roundHalfEven, subsampleInterval } from '../../../src/vbench/video/frame-sampling.ts';
import { bookkeeping as fixture } from '../../helpers/vbench-bookkeeping.ts';

test("roundHalfEven is Python 3's round: halves go to the even neighbour", () => {
  assert.equal([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5].map(roundHalfEven), [0, 2, 2, 4, -0, -2, -2]);
  assert.equal([0.49, 0.51, 2.4999, 2.5001, 7].map(roundHalfEven), [0, 1, 2, 3, 7]);
  assert.throws(() => roundHalfEven(NaN), /not a finite number/);
});

test('middle sampling: 4 of 10 frames -> bounds int(linspace(0, 10, 5)) = 0 2 5 7 10 -> middles 0 3 5 8', () => {
  // ranges (0,1) (2,4) (5,6) (7,9); (a + b) // 2
  assert.equal(middleFrameIndices(4, 10), [0, 3, 5, 8]);
});

test('middle sampling truncates linspace in float64: 3 of 49 frames -> bounds 0 16 32 49 -> 7 23 40', () => {
  // 49 / 3 = 16.333...: 16.33 -> 16, 32.67 -> 32; ranges (0,15) (16,31) (32,48)
  assert.equal(middleFrameIndices(3, 49), [7, 23, 40]);
  assert.equal(
    middleFrameIndices(16, 16),
    Array.from({ length: 16 }, (_, i) => i),
  );
});

test('middle sampling pads with the last index when the video is shorter than asked', () => {
  assert.equal(middleFrameIndices(8, 5), [0, 1, 2, 3, 4, 4, 4, 4]);
  assert.equal(middleFrameIndices(3, 1), [0, 0, 0]);
  assert.throws(() => middleFrameIndices(4, 0), /video length 0/);
  assert.throws(() => middleFrameIndices(0, 10), /numFrames 0/);
});

test('fps subsampling interval is max(1, round(fps / 8)) with Python rounding', () => {
  // 24 -> 3; 8 -> 1; 12 -> round(1.5) = 2; 20 -> round(2.5) = 2; 30 -> round(3.75) = 4; 4 -> max(1, round(0.5) = 0) = 1; 60 -> round(7.5) = 8
  assert.equal([24, 8, 12, 20, 30, 4, 60, 1].map(subsampleInterval), [3, 1, 2, 2, 4, 1, 8, 1]);
  assert.throws(() => subsampleInterval(0), /fps 0 must be/);
  assert.throws(() => subsampleInterval(NaN), /fps NaN must be/);
});

test('everyNth keeps items start, start + n, ...', () => {
  const items = [0, 1, 2, 3, 4, 5, 6];
  assert.equal(everyNth(items, 3), [0, 3, 6]);
  assert.equal(everyNth(items, 2, 1), [1, 3, 5]);
  assert.equal(everyNth(items, 1), items);
  assert.throws(() => everyNth(items, 0), /interval 0/);
});

test('middle sampling and the fps stride agree with NumPy / Python on every fixture case', () => {
  for (const c of fixture.middle)
    assert.equal(middleFrameIndices(c.numFrames, c.videoLength), c.indices, `${c.numFrames} of ${c.videoLength}`);
  for (const c of fixture.fps) assert.is(subsampleInterval(c.fps), c.interval, `fps ${c.fps}`);
});

test.run();
