/**
 * Between the models' float tensors and 8-bit frames: values in [-1, 1] map to uint8 by round(x * 127.5 + 127.5)
 * clamped to [0, 255] (StyleGAN2-ADA's `(x * 127.5 + 128).clamp(0, 255)` rounds the same values up by half a
 * level; ours is the symmetric rounding), and back by u / 127.5 - 1.
 */
import { assertFiniteValues } from '../core/finite.ts';

/** Frames [C, T, H, W] (C = 1 or 3) in [-1, 1] to T RGB24 frames (grey repeated to RGB). */
export function tensorToFrames(values: ArrayLike<number>, channels: number, frames: number, height: number, width: number): Uint8Array[] {
  if (channels !== 1 && channels !== 3) throw new RangeError(`tensorToFrames: ${channels} channels; allowed 1 or 3`);
  if (values.length !== channels * frames * height * width)
    throw new RangeError(`tensorToFrames: ${values.length} values for [${channels}, ${frames}, ${height}, ${width}]`);
  // NaN would become pixel 0 and Inf 255 (clamping): refused, as where samples enter the harness
  assertFiniteValues(values, `tensorToFrames [${channels}, ${frames}, ${height}, ${width}]`);
  const plane = height * width;
  const out: Uint8Array[] = [];
  for (let t = 0; t < frames; t++) {
    const f = new Uint8Array(plane * 3);
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) {
        const src = channels === 1 ? values[t * plane + p] : values[(c * frames + t) * plane + p];
        f[3 * p + c] = Math.min(255, Math.max(0, Math.round(src * 127.5 + 127.5)));
      }
    }
    out.push(f);
  }
  return out;
}

/** T RGB24 frames to [3, T, H, W] floats in [-1, 1]. */
export function framesToTensor(frames: readonly Uint8Array[], height: number, width: number): Float32Array {
  const plane = height * width;
  const T = frames.length;
  const out = new Float32Array(3 * T * plane);
  frames.forEach((f, t) => {
    if (f.length !== plane * 3) throw new RangeError(`framesToTensor: frame ${t} has ${f.length} bytes, expected ${height}x${width}x3`);
    for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[(c * T + t) * plane + p] = f[3 * p + c] / 127.5 - 1;
  });
  return out;
}
