import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { decodeNpz } from '../../src/io/npy.ts';
import { pillowCoefficients, resizePlane, resizeRgb } from '../../src/features/resize.ts';

// Reference: scripts/reference/pillow_resize.py (Pillow's BICUBIC on mode 'F', clipped, as clean-fid)
const ref = decodeNpz(readFileSync(new URL('../fixtures/pillow-resize.npz', import.meta.url)));
const pillow = Buffer.from(ref.pillow_version.data as Uint8Array).toString();

for (const k of [0, 1, 2, 3]) {
  test(`clean-bicubic equals Pillow ${pillow} bit for bit (case ${k}: ${ref[`in${k}`].shape.join('x')} -> ${ref[`out${k}`].shape.join('x')})`, () => {
    const [h, w] = ref[`in${k}`].shape;
    const [oh, ow] = ref[`out${k}`].shape;
    const src = Float32Array.from(ref[`in${k}`].data as Uint8Array);
    const out = resizePlane(src, h, w, oh, ow, 'clean-bicubic');
    const expected = ref[`out${k}`].data as Float32Array;
    let worst = 0;
    for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i] - expected[i]));
    assert.is(worst, 0, `largest difference ${worst}`);
  });
}

test('Pillow coefficients: weights sum to 1; a 2x downsample of a 4-pixel row uses the widened kernel', () => {
  const c = pillowCoefficients(4, 2); // scale 2: support 4, centres 1 and 3
  assert.equal(Array.from(c.first), [0, 0]);
  assert.equal(Array.from(c.count), [4, 4]);
  for (const w of c.weights) assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-15);
  // centre 1: taps at offsets (x + 0.5 - 1) / 2 = -0.25, 0.25, 0.75, 1.25 -> symmetric pair of equal weights
  assert.ok(Math.abs(c.weights[0][0] - c.weights[0][1]) < 1e-15);
});

test('bilinear legacy modes: hand values for a 2x upsample of [0, 100] and a 2x downsample', () => {
  const row = Float32Array.from([0, 100]);
  // TF1 (source = i / 2): positions 0, 0.5, 1, 1.5 -> 0, 50, 100, 100 (clamped)
  assert.equal(Array.from(resizePlane(row, 1, 2, 1, 4, 'legacy-tensorflow-bilinear')), [0, 50, 100, 100]);
  // PyTorch (source = (i + 0.5) / 2 - 0.5, clamped at 0): 0, 0.25, 0.75, 1.25 -> 0, 25, 75, 100
  assert.equal(Array.from(resizePlane(row, 1, 2, 1, 4, 'legacy-pytorch-bilinear')), [0, 25, 75, 100]);
  const four = Float32Array.from([0, 40, 80, 120]);
  // downsample 4 -> 2: TF samples 0 and 2 (no antialias); PyTorch samples 0.5 and 2.5
  assert.equal(Array.from(resizePlane(four, 1, 4, 1, 2, 'legacy-tensorflow-bilinear')), [0, 80]);
  assert.equal(Array.from(resizePlane(four, 1, 4, 1, 2, 'legacy-pytorch-bilinear')), [20, 100]);
});

test('constant images stay constant in every mode; none refuses a size change', () => {
  const rgb = new Uint8Array(5 * 7 * 3).fill(77);
  for (const method of ['clean-bicubic', 'legacy-tensorflow-bilinear', 'legacy-pytorch-bilinear'] as const) {
    const out = resizeRgb(rgb, 5, 7, 11, 3, method);
    assert.ok(
      out.every((v) => Math.abs(v - 77) < 1e-4),
      method,
    );
  }
  assert.throws(() => resizePlane(new Float32Array(4), 2, 2, 3, 3, 'none'), /input is 2x2 but the network takes 3x3/);
  assert.throws(() => resizePlane(new Float32Array(4), 2, 2, 3, 3, 'lanczos' as never), /allowed: clean-bicubic/);
});

test.run();
