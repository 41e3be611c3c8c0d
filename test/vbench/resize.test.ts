import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { centerCropRgb, resizeRgb, shorterSideSize } from '../../src/vbench/resize.ts';

/** An RGB24 image with the same value in all channels. */
const image = (w: number, h: number, f: (x: number, y: number) => number) => {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.fill(f(x, y), (y * w + x) * 3, (y * w + x) * 3 + 3);
  return out;
};
const grey = (img: Uint8Array) => Array.from(img.filter((_, i) => i % 3 === 0));

test('bilinear 2x reduction is the 2x2 mean, rounded half to even (torch.round)', () => {
  // source coordinate (o + 0.5) * 2 - 0.5 = 2 o + 0.5: weights 1/2, 1/2 on both axes
  const src = image(4, 2, (x, y) => [[0, 1, 10, 20], [2, 3, 30, 41]][y][x]);
  // means: (0 + 1 + 2 + 3) / 4 = 1.5 -> 2; (10 + 20 + 30 + 41) / 4 = 25.25 -> 25
  assert.equal(grey(resizeRgb(src, 4, 2, 2, 1, 'bilinear')), [2, 25]);
  const halves = image(2, 2, (x, y) => [[0, 1], [0, 0]][y][x]);
  // 0.25 -> 0; and a 2.5 mean rounds to 2
  assert.equal(grey(resizeRgb(halves, 2, 2, 1, 1, 'bilinear')), [0]);
  assert.equal(grey(resizeRgb(image(2, 2, (x, y) => [[2, 3], [2, 3]][y][x]), 2, 2, 1, 1, 'bilinear')), [2]);
});

test('bilinear and bicubic keep constants, reproduce linear ramps inside, and the same size is a copy', () => {
  const flat = image(7, 5, () => 77);
  for (const mode of ['bilinear', 'bicubic'] as const) {
    assert.ok(resizeRgb(flat, 7, 5, 13, 3, mode).every((v) => v === 77), `${mode} constant`);
    // ramp 10 x on 12 px -> 24 px: output x samples source (x + 0.5) / 2 - 0.5, value 10 * that
    const up = grey(resizeRgb(image(12, 1, (x) => 10 * x), 12, 1, 24, 1, mode));
    for (let o = 4; o < 20; o++) assert.ok(Math.abs(up[o] - 10 * ((o + 0.5) / 2 - 0.5)) <= 0.5, `${mode} ramp at ${o}: ${up[o]}`);
  }
  const src = image(5, 4, (x, y) => x * 9 + y);
  assert.equal(resizeRgb(src, 5, 4, 5, 4, 'bicubic'), src);
});

test('bicubic overshoot on a step is clamped to 0..255 (A = -0.75 rings)', () => {
  const step = image(8, 1, (x) => (x < 4 ? 0 : 255));
  const up = grey(resizeRgb(step, 8, 1, 32, 1, 'bicubic'));
  assert.ok(up.includes(0) && up.includes(255));
  // the cubic kernel with A = -0.75 undershoots before the edge: the clamp keeps it at 0 rather than wrapping
  assert.ok(up.slice(0, 14).every((v) => v === 0), `left side ${up.slice(0, 14)}`);
});

test("torchvision's Resize(int) and CenterCrop sizes", () => {
  // shorter side -> 224, longer int(224 * long / short)
  assert.equal(shorterSideSize(640, 360, 224), [398, 224]);
  assert.equal(shorterSideSize(360, 640, 224), [224, 398]);
  assert.equal(shorterSideSize(256, 256, 224), [224, 224]);
  // crop offsets int(round((in - size) / 2)): 225 -> round(0.5) = 0; 227 -> round(1.5) = 2
  const src = image(227, 225, (x, y) => (x + y) % 256);
  const crop = centerCropRgb(src, 227, 225, 224);
  assert.is(crop[0], (2 + 0) % 256);
  assert.throws(() => centerCropRgb(src, 227, 225, 226), /smaller than the 226x226 crop/);
  assert.throws(() => resizeRgb(src, 227, 225, 0, 4, 'bilinear'), /output width 0/);
});

test.run();
