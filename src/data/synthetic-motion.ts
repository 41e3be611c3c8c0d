/**
 * Synthetic frames with known motion, for the optical-flow tests and the flow accuracy benchmark: a smooth
 * seeded texture (a sum of 24 sinusoids of wavelengths 7 to 40 pixels around grey 127.5, standard deviation
 * about 55 grey levels) sampled exactly at translated or rotated coordinates, rounded and clipped to uint8 (a
 * few per cent of pixels saturate), so the true flow (pixels) is known in closed form.
 */
import { PhiloxNoise } from '../core/philox.ts';

/** A texture function (x, y) -> grey level, centred on 127.5 (not bounded: renderFrame clips to 0-255). */
export function texture(seed: number, waves = 24): (x: number, y: number) => number {
  const u = new PhiloxNoise(seed).uniform(0, 'test/texture', waves * 4);
  const params = Array.from({ length: waves }, (_, k) => {
    const wavelength = 7 + 33 * u[4 * k];
    const angle = 2 * Math.PI * u[4 * k + 1];
    const f = (2 * Math.PI) / wavelength;
    return { fx: f * Math.cos(angle), fy: f * Math.sin(angle), phase: 2 * Math.PI * u[4 * k + 2], amp: 0.5 + u[4 * k + 3] };
  });
  const total = params.reduce((a, p) => a + p.amp, 0);
  return (x, y) => {
    let s = 0;
    for (const p of params) s += p.amp * Math.sin(p.fx * x + p.fy * y + p.phase);
    return 127.5 + (107.5 * s) / Math.sqrt(total * 2);
  };
}

/** An RGB24 frame whose pixel (x, y) shows the texture at `map(x, y)` (grey in all three channels, rounded). */
export function renderFrame(
  f: (x: number, y: number) => number,
  width: number,
  height: number,
  map: (x: number, y: number) => [number, number],
): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = map(x, y);
      const g = Math.min(255, Math.max(0, Math.round(f(sx, sy))));
      const i = (y * width + x) * 3;
      out[i] = out[i + 1] = out[i + 2] = g;
    }
  }
  return out;
}

/** Frame 2 of a translation by (dx, dy): frame2(x) = frame1(x - d), so the flow from frame 1 is d everywhere. */
export function translationPair(seed: number, width: number, height: number, dx: number, dy: number): [Uint8Array, Uint8Array] {
  const f = texture(seed);
  return [renderFrame(f, width, height, (x, y) => [x, y]), renderFrame(f, width, height, (x, y) => [x - dx, y - dy])];
}

/**
 * A rotation by `degrees` about the image centre: a point p of frame 1 moves to R (p - c) + c, so the true
 * flow at p is R (p - c) + c - p.
 */
export function rotationPair(
  seed: number,
  width: number,
  height: number,
  degrees: number,
): { frames: [Uint8Array, Uint8Array]; flow: (x: number, y: number) => [number, number] } {
  const f = texture(seed);
  const t = (degrees * Math.PI) / 180;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  // frame2(q) = frame1(R^-1 (q - c) + c)
  const inverse = (x: number, y: number): [number, number] => [cos * (x - cx) + sin * (y - cy) + cx, -sin * (x - cx) + cos * (y - cy) + cy];
  const flow = (x: number, y: number): [number, number] => [
    cos * (x - cx) - sin * (y - cy) + cx - x,
    sin * (x - cx) + cos * (y - cy) + cy - y,
  ];
  return { frames: [renderFrame(f, width, height, (x, y) => [x, y]), renderFrame(f, width, height, inverse)], flow };
}

/** Mean and maximum end-point error over the pixels at least `margin` from every border. */
export function endPointError(
  u: Float32Array,
  v: Float32Array,
  width: number,
  height: number,
  truth: (x: number, y: number) => [number, number],
  margin: number,
): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  let n = 0;
  for (let y = margin; y < height - margin; y++) {
    for (let x = margin; x < width - margin; x++) {
      const [tu, tv] = truth(x, y);
      const i = y * width + x;
      const e = Math.hypot(u[i] - tu, v[i] - tv);
      sum += e;
      max = Math.max(max, e);
      n++;
    }
  }
  return { mean: sum / n, max };
}
