import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { noPadding, padAmounts, padReplicate, unpad } from '../../../src/vbench/video/padding.ts';

test('padAmounts follows InputPadder: nothing for multiples, the odd pixel on the bottom/right', () => {
  assert.ok(noPadding(padAmounts(256, 256, 8)));
  // 250 -> 256: 6 = 3 + 3
  assert.equal(padAmounts(250, 250, 8), { left: 3, right: 3, top: 3, bottom: 3 });
  // height 33 -> 48 (15 = 7 + 8), width 17 -> 32 (15 = 7 + 8)
  assert.equal(padAmounts(33, 17, 16), { left: 7, right: 8, top: 7, bottom: 8 });
  assert.throws(() => padAmounts(8, 8, 0), /multiple 0/);
});

test('replicate padding copies edge pixels and unpad restores the image exactly', () => {
  // 2 x 3 image, one channel: rows [1 2 3], [4 5 6]
  const img = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const pads = { left: 1, right: 2, top: 1, bottom: 0 };
  const padded = padReplicate(img, 3, 2, 1, pads);
  assert.equal(Array.from(padded), [1, 1, 2, 3, 3, 3, 1, 1, 2, 3, 3, 3, 4, 4, 5, 6, 6, 6]);
  assert.equal(Array.from(unpad(padded, 6, 3, 1, pads)), Array.from(img));
  const rgb = Uint8Array.from({ length: 5 * 7 * 3 }, (_, i) => i % 251);
  const p = padAmounts(5, 7, 8);
  const back = unpad(padReplicate(rgb, 7, 5, 3, p), 8, 8, 3, p);
  assert.ok(back instanceof Uint8Array);
  assert.equal(Array.from(back), Array.from(rgb));
});

test('size mismatches are refused with the sizes named', () => {
  assert.throws(() => padReplicate(new Uint8Array(5), 2, 2, 1, { left: 1, right: 0, top: 0, bottom: 0 }), /5 values for 2x2x1/);
  assert.throws(() => unpad(new Uint8Array(4), 2, 2, 1, { left: 1, right: 1, top: 0, bottom: 0 }), /leave nothing/);
});

test.run();
