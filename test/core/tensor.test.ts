import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Tensor,
  concatBatch,
  concatFrames,
  down2,
  down2Noise,
  sliceBatch,
  sliceFrames,
  upBilinear2,
  upNearest2,
} from '../../src/core/tensor.ts';

const arange = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

test('down2 averages each 2x2 block (hand-computed 4x4 plane)', () => {
  // plane 0..15 row-major: block (0,0) = mean(0,1,4,5) = 2.5; (0,1) = mean(2,3,6,7) = 4.5; (1,0) = 10.5; (1,1) = 12.5
  const t = new Tensor([1, 1, 1, 4, 4], arange(16));
  assert.equal(Array.from(down2(t).data), [2.5, 4.5, 10.5, 12.5]);
  assert.equal(down2(t).shape, [1, 1, 1, 2, 2]);
});

test('down2 works per plane over batch, channels and frames', () => {
  const t = new Tensor([2, 1, 2, 2, 2], Float32Array.from([1, 1, 1, 1, 2, 2, 2, 2, 3, 5, 7, 9, 0, 0, 0, 4]));
  assert.equal(Array.from(down2(t).data), [1, 2, 6, 1]);
});

test('down2Noise keeps i.i.d. unit noise unit-variance (block mean times 2)', () => {
  const t = new Tensor([1, 1, 1, 2, 2], Float32Array.from([1, -1, 3, 1]));
  assert.equal(Array.from(down2Noise(t).data), [2]);
});

test('upNearest2 copies each value into a 2x2 block', () => {
  const t = new Tensor([1, 1, 1, 2, 2], Float32Array.from([1, 2, 3, 4]));
  assert.equal(Array.from(upNearest2(t).data), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
});

test('Up(Down(y)) is the projection onto block-constant images: applying it twice changes nothing', () => {
  const t = new Tensor(
    [1, 2, 1, 4, 4],
    Float32Array.from({ length: 32 }, (_, i) => Math.sin(i * 1.7)),
  );
  const once = upNearest2(down2(t));
  const twice = upNearest2(down2(once));
  assert.equal(Array.from(twice.data), Array.from(once.data));
});

test('upBilinear2 matches PyTorch bilinear (align_corners=False) on a 2x2 input, by hand', () => {
  // 1-D weights: out0 = in0, out1 = 0.75 in0 + 0.25 in1, out2 = 0.25 in0 + 0.75 in1, out3 = in1
  const t = new Tensor([1, 1, 1, 2, 2], Float32Array.from([0, 4, 8, 12]));
  const rows = [
    [0, 1, 3, 4],
    [2, 3, 5, 6],
    [6, 7, 9, 10],
    [8, 9, 11, 12],
  ];
  assert.equal(Array.from(upBilinear2(t).data), rows.flat());
});

test('sliceFrames and concatFrames are inverse', () => {
  const t = new Tensor([2, 2, 3, 2, 2], arange(48));
  const parts = [sliceFrames(t, 0, 1), sliceFrames(t, 1, 3)];
  assert.equal(parts[1].shape, [2, 2, 2, 2, 2]);
  assert.equal(Array.from(concatFrames(parts).data), Array.from(t.data));
});

test('sliceBatch and concatBatch are inverse; sample() views one sample', () => {
  const t = new Tensor([3, 1, 1, 2, 2], arange(12));
  assert.equal(Array.from(concatBatch([sliceBatch(t, 0, 1), sliceBatch(t, 1, 3)]).data), Array.from(t.data));
  assert.equal(Array.from(t.sample(2)), [8, 9, 10, 11]);
});

test('bad shapes and odd sizes are refused with the values in the message', () => {
  assert.throws(() => new Tensor([1, 1, 1, 2, 2], new Float32Array(3)), /needs 4 values, got 3/);
  assert.throws(() => down2(new Tensor([1, 1, 1, 3, 4])), /must be even, got 3x4/);
  assert.throws(() => sliceFrames(new Tensor([1, 1, 2, 2, 2]), 1, 3), /\[1, 3\) is not a frame range/);
  assert.throws(() => concatFrames([new Tensor([1, 1, 1, 2, 2]), new Tensor([1, 1, 1, 4, 4])]), /does not match/);
});

test.run();
