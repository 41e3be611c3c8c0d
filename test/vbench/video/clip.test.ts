import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkClip, luma } from '../../../src/vbench/video/clip.ts';

test('checkClip accepts a well-formed clip and names what is wrong otherwise', () => {
  const frames = [new Uint8Array(2 * 3 * 3), new Uint8Array(2 * 3 * 3)];
  assert.is(checkClip({ id: 'ok', width: 2, height: 3, fps: 24, frames }).id, 'ok');
  assert.throws(() => checkClip({ id: 'v1', width: 0, height: 3, fps: null, frames }), /video v1: size 0x3/);
  assert.throws(() => checkClip({ id: 'v2', width: 2, height: 3, fps: 0, frames }), /video v2: fps 0/);
  assert.throws(() => checkClip({ id: 'v3', width: 2, height: 3, fps: null, frames: [] }), /video v3 has no frames/);
  assert.throws(
    () => checkClip({ id: 'v4', width: 2, height: 3, fps: null, frames: [new Uint8Array(5)] }),
    /video v4: frame 0 has 5 bytes; a 2x3 RGB24 frame has 18/,
  );
});

test('luma is BT.601: 0.299 R + 0.587 G + 0.114 B', () => {
  const y = luma(Uint8Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 10, 10), 4, 1);
  const expected = [0.299 * 255, 0.587 * 255, 0.114 * 255, 10];
  y.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-4, `${i}: ${v}`));
});

test.run();
