import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  blurSeparable,
  expandFlow,
  gaussianKernel,
  gradients,
  reduce2,
  reducedSize,
  warpBicubic,
} from '../../../src/vbench/flow/image-ops.ts';

const grid = (w: number, h: number, f: (x: number, y: number) => number) =>
  Float32Array.from({ length: w * h }, (_, i) => f(i % w, Math.floor(i / w)));
const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('Gaussian kernels are normalised and symmetric; blurs keep constants and (in the interior) linear ramps', () => {
  for (const [sigma, radius] of [
    [0.7, undefined],
    [0.8, 2],
    [1.2, undefined],
    [2, 1],
  ] as const) {
    const k = gaussianKernel(sigma, radius);
    close(
      k.reduce((a, b) => a + b, 0),
      1,
      1e-6,
      `sum sigma ${sigma}`,
    );
    for (let i = 0; i < k.length; i++) assert.is(k[i], k[k.length - 1 - i]);
    const w = 17;
    const h = 13;
    const out = blurSeparable(
      grid(w, h, () => 42),
      w,
      h,
      k,
      new Float32Array(w * h),
      new Float32Array(w * h),
    );
    out.forEach((v) => close(v, 42, 1e-4, 'constant'));
    const ramp = blurSeparable(
      grid(w, h, (x, y) => 3 * x - 2 * y),
      w,
      h,
      k,
      new Float32Array(w * h),
      new Float32Array(w * h),
    );
    const r = (k.length - 1) / 2;
    for (let y = r; y < h - r; y++) for (let x = r; x < w - r; x++) close(ramp[y * w + x], 3 * x - 2 * y, 1e-4, `ramp at ${x},${y}`);
  }
  assert.throws(() => gaussianKernel(0), /sigma 0/);
});

test('fourth-order differences are exact for cubics away from the border', () => {
  const w = 12;
  const h = 10;
  const f = (x: number, y: number) => 0.01 * x ** 3 - 0.2 * x * y + 0.05 * y ** 3;
  const gx = new Float32Array(w * h);
  const gy = new Float32Array(w * h);
  gradients(grid(w, h, f), w, h, gx, gy);
  for (let y = 2; y < h - 2; y++) {
    for (let x = 2; x < w - 2; x++) {
      close(gx[y * w + x], 0.03 * x * x - 0.2 * y, 1e-4, `d/dx at ${x},${y}`);
      close(gy[y * w + x], -0.2 * x + 0.15 * y * y, 1e-4, `d/dy at ${x},${y}`);
    }
  }
});

test('bicubic warp: integer shifts are exact, a quadratic is reproduced at fractional shifts, out-of-image is flagged', () => {
  const w = 10;
  const h = 8;
  // Catmull-Rom interpolation reproduces polynomials up to degree 2 exactly
  const f = (x: number, y: number) => 5 * x + 3 * y + 0.5 * x * x - 0.25 * y * y;
  const img = grid(w, h, f);
  const n = w * h;
  const out = new Float32Array(n);
  const valid = new Uint8Array(n);
  warpBicubic(img, w, h, new Float32Array(n).fill(2), new Float32Array(n).fill(-1), out, valid);
  close(out[3 * w + 4], img[2 * w + 6], 1e-4, 'integer shift');
  warpBicubic(img, w, h, new Float32Array(n).fill(0.25), new Float32Array(n).fill(0.5), out, valid);
  close(out[4 * w + 4], f(4.25, 4.5), 1e-3, 'fractional shift');
  assert.is(valid[4 * w + 4], 1);
  assert.is(valid[4 * w + (w - 1)], 0, 'x + 0.25 beyond the last column');
});

test('reduce2 halves sizes (ceil) and keeps constants; expandFlow doubles displacements', () => {
  assert.equal([reducedSize(16), reducedSize(15), reducedSize(1)], [8, 8, 1]);
  const r = reduce2(
    grid(15, 9, () => 7),
    15,
    9,
    1.2,
  );
  assert.is(r.length, 8 * 5);
  r.forEach((v) => close(v, 7, 1e-4, 'constant'));
  const { u, v } = expandFlow(new Float32Array(4 * 3).fill(1.5), new Float32Array(4 * 3).fill(-0.5), 4, 3, 8, 6);
  u.forEach((x) => close(x, 3, 1e-6, 'u'));
  v.forEach((x) => close(x, -1, 1e-6, 'v'));
});

test.run();
