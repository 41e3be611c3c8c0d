import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { centerCropRgb, resizeRgb, shorterSideSize } from '../../../src/vbench/video/resize.ts';

/** An RGB24 image with the same value in all channels. */
const image = (w: number, h: number, f: (x: number, y: number) => number) => {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.fill(f(x, y), (y * w + x) * 3, (y * w + x) * 3 + 3);
  return out;
};
const grey = (img: Float32Array | Uint8Array) => Array.from(img.filter((_, i) => i % 3 === 0));

test('bilinear 2x reduction is the 2x2 mean, kept as a float (VBench resizes float tensors)', () => {
  // source coordinate (o + 0.5) * 2 - 0.5 = 2 o + 0.5: weights 1/2, 1/2 on both axes
  const src = image(
    4,
    2,
    (x, y) =>
      [
        [0, 1, 10, 20],
        [2, 3, 30, 41],
      ][y][x],
  );
  // (0 + 1 + 2 + 3) / 4 = 1.5; (10 + 20 + 30 + 41) / 4 = 25.25 (torchvision on a uint8 tensor would round)
  assert.equal(grey(resizeRgb(src, 4, 2, 2, 1, 'bilinear')), [1.5, 25.25]);
});

test('bilinear 3 -> 2: source coordinates 0.25 and 1.75 (scale 1.5), by hand', () => {
  // values 0, 100, 200: 0.75 * 0 + 0.25 * 100 = 25; 0.25 * 100 + 0.75 * 200 = 175
  assert.equal(
    grey(
      resizeRgb(
        image(3, 1, (x) => 100 * x),
        3,
        1,
        2,
        1,
        'bilinear',
      ),
    ),
    [25, 175],
  );
});

test('both keep constants; bilinear reproduces a linear ramp; the same size is a copy', () => {
  const flat = image(7, 5, () => 77);
  for (const mode of ['bilinear', 'bicubic'] as const)
    assert.ok(
      resizeRgb(flat, 7, 5, 13, 3, mode).every((v) => Math.abs(v - 77) < 1e-4),
      `${mode} constant`,
    );
  // ramp 10 x on 12 px -> 24 px: output o samples source (o + 0.5) / 2 - 0.5, value 10 * that
  const up = grey(
    resizeRgb(
      image(12, 1, (x) => 10 * x),
      12,
      1,
      24,
      1,
      'bilinear',
    ),
  );
  for (let o = 1; o < 23; o++) assert.ok(Math.abs(up[o] - 10 * ((o + 0.5) / 2 - 0.5)) < 1e-4, `ramp at ${o}: ${up[o]}`);
  const src = image(5, 4, (x, y) => x * 9 + y);
  assert.equal(Array.from(resizeRgb(src, 5, 4, 5, 4, 'bicubic')), Array.from(src));
});

// Keys' kernel with A = -0.75: W(x) = 1.25 x^3 - 2.25 x^2 + 1 for |x| <= 1, -0.75 (x^3 - 5 x^2 + 8 x - 4) for 1 < |x| < 2
test('bicubic by hand: the ramp 0, 10, 20, 30 at source 1.75 is not reproduced exactly (A = -0.75 is not -0.5)', () => {
  // output 4 of 12 -> 24 samples 1.75: taps 0..3 at distances 1.75, 0.75, 0.25, 1.25 with weights
  // -0.03515625, 0.26171875, 0.87890625, -0.10546875: 10 * 0.26171875 + 20 * 0.87890625 - 30 * 0.10546875 = 17.03125
  const up = grey(
    resizeRgb(
      image(12, 1, (x) => 10 * x),
      12,
      1,
      24,
      1,
      'bicubic',
    ),
  );
  assert.ok(Math.abs(up[4] - 17.03125) < 1e-4, `${up[4]}`);
});

test('bicubic rings at a step and, on float tensors, the overshoot is kept, not clamped', () => {
  // 8 -> 32 px of 0 0 0 0 255 255 255 255. Output 13 samples 13.5 / 4 - 0.5 = 2.875: only tap 4 (distance
  // 1.125, W = -0.75 * 0.095703125 = -0.07177734375) is non-zero -> 255 * W = -18.30322265625. Output 18 samples
  // 4.125: taps 4, 5, 6 are 255, tap 3 (distance 1.125) is 0 -> 255 * (1 - W(1.125)) = 273.30322265625.
  const up = grey(
    resizeRgb(
      image(8, 1, (x) => (x < 4 ? 0 : 255)),
      8,
      1,
      32,
      1,
      'bicubic',
    ),
  );
  assert.ok(Math.abs(up[13] - -18.30322265625) < 1e-4, `${up[13]}`);
  assert.ok(Math.abs(up[18] - 273.30322265625) < 1e-4, `${up[18]}`);
});

test("torchvision's Resize(int) and CenterCrop sizes and offsets", () => {
  // shorter side -> 224, longer int(224 * long / short)
  assert.equal(shorterSideSize(640, 360, 224), [398, 224]);
  assert.equal(shorterSideSize(360, 640, 224), [224, 398]);
  assert.equal(shorterSideSize(256, 256, 224), [224, 224]);
  // crop offsets int(round((in - size) / 2)): 225 -> round(0.5) = 0; 227 -> round(1.5) = 2
  const src = image(227, 225, (x, y) => (x + 3 * y) % 256);
  const crop = centerCropRgb(src, 227, 225, 224);
  assert.ok(crop instanceof Uint8Array);
  assert.is(crop[0], 2);
  assert.is(crop[3 * 224], (2 + 3) % 256, 'second row starts at (2, 1)');
  assert.throws(() => centerCropRgb(src, 227, 225, 226), /smaller than the 226x226 crop/);
  assert.throws(() => resizeRgb(src, 227, 225, 0, 4, 'bilinear'), /output width 0/);
});

test.run();
