/**
 * PyTorch's image resizing as VBench's transforms run it, and torchvision's `CenterCrop`. VBench's
 * `load_video` hands the transforms a float32 tensor (`torch.Tensor(frames)`, values 0-255;
 * `vbench/utils.py:171-175`, Vchitect/VBench 45e79ec), so `Resize(..., antialias=False)` is
 * `F.interpolate(..., align_corners=False)` on floats: no rounding to uint8, and bicubic overshoot is kept.
 * Bilinear: source coordinate (x + 0.5) * in / out - 0.5, clamped at 0, neighbours i0 and min(i0 + 1, in - 1).
 * Bicubic: the same coordinate without the clamp, Keys' cubic convolution with A = -0.75 over 4 taps, indices
 * clamped to the image. Computed separably (x, then y) in float64 and stored as float32; PyTorch's float32
 * arithmetic differs by rounding only (relative 1e-6).
 */
import { roundHalfEven } from './frame-sampling.ts';

/** Interpolation kernels VBench's transforms use. */
export type Interpolation = 'bilinear' | 'bicubic';

/** Taps and weights of one output coordinate. */
interface Taps {
  readonly index: Int32Array;
  readonly weight: Float64Array;
  readonly count: number;
}

function cubic1(t: number, a: number): number {
  // |t| <= 1
  return ((a + 2) * t - (a + 3)) * t * t + 1;
}

function cubic2(t: number, a: number): number {
  // 1 < |t| < 2
  return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
}

/** The taps PyTorch uses along one axis of `inSize` -> `outSize`. */
function axisTaps(inSize: number, outSize: number, mode: Interpolation): Taps {
  const scale = inSize / outSize;
  const count = mode === 'bilinear' ? 2 : 4;
  const index = new Int32Array(outSize * count);
  const weight = new Float64Array(outSize * count);
  const clamp = (i: number) => (i < 0 ? 0 : i > inSize - 1 ? inSize - 1 : i);
  for (let o = 0; o < outSize; o++) {
    let real = scale * (o + 0.5) - 0.5;
    if (mode === 'bilinear') {
      if (real < 0) real = 0;
      const i0 = Math.floor(real);
      const l1 = real - i0;
      index[2 * o] = i0;
      index[2 * o + 1] = i0 < inSize - 1 ? i0 + 1 : i0;
      weight[2 * o] = 1 - l1;
      weight[2 * o + 1] = l1;
    } else {
      const i0 = Math.floor(real);
      const t = real - i0;
      const A = -0.75;
      const w = [cubic2(t + 1, A), cubic1(t, A), cubic1(1 - t, A), cubic2(2 - t, A)];
      for (let k = 0; k < 4; k++) {
        index[4 * o + k] = clamp(i0 - 1 + k);
        weight[4 * o + k] = w[k];
      }
    }
  }
  return { index, weight, count };
}

/** An interleaved RGB image: bytes, or floats on the 0-255 scale after a resize. */
export type RgbPixels = Uint8Array | Float32Array;

/** Resizes an interleaved RGB image to `outWidth` x `outHeight` as `F.interpolate` does on float tensors (antialias off). */
export function resizeRgb(
  src: RgbPixels,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  mode: Interpolation,
): Float32Array {
  if (src.length !== width * height * 3) throw new RangeError(`resizeRgb: ${src.length} bytes for a ${width}x${height} RGB24 image`);
  for (const [name, v] of [
    ['output width', outWidth],
    ['output height', outHeight],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`resizeRgb: ${name} ${v} must be an integer >= 1`);
  }
  if (outWidth === width && outHeight === height) return Float32Array.from(src);
  const tx = axisTaps(width, outWidth, mode);
  const ty = axisTaps(height, outHeight, mode);
  // horizontal pass into float64 rows
  const mid = new Float64Array(height * outWidth * 3);
  for (let y = 0; y < height; y++) {
    for (let o = 0; o < outWidth; o++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < tx.count; k++) {
        const s = (y * width + tx.index[o * tx.count + k]) * 3;
        const w = tx.weight[o * tx.count + k];
        r += w * src[s];
        g += w * src[s + 1];
        b += w * src[s + 2];
      }
      const d = (y * outWidth + o) * 3;
      mid[d] = r;
      mid[d + 1] = g;
      mid[d + 2] = b;
    }
  }
  const out = new Float32Array(outWidth * outHeight * 3);
  const rowValues = outWidth * 3;
  for (let o = 0; o < outHeight; o++) {
    for (let x = 0; x < rowValues; x++) {
      let s = 0;
      for (let k = 0; k < ty.count; k++) s += ty.weight[o * ty.count + k] * mid[ty.index[o * ty.count + k] * rowValues + x];
      out[o * rowValues + x] = s;
    }
  }
  return out;
}

/**
 * torchvision `Resize(size)` with an int: the shorter side becomes `size`, the longer
 * `int(size * long / short)` (truncated). Returns [width, height].
 */
export function shorterSideSize(width: number, height: number, size: number): [number, number] {
  if (width <= height) return [size, Math.trunc((size * height) / width)];
  return [Math.trunc((size * width) / height), size];
}

/** torchvision `CenterCrop(size)` of an image at least `size` on both sides: offsets `int(round((in - size) / 2))`. */
export function centerCropRgb<T extends RgbPixels>(src: T, width: number, height: number, size: number): T {
  if (width < size || height < size)
    throw new RangeError(`centerCropRgb: a ${width}x${height} image is smaller than the ${size}x${size} crop`);
  const top = roundHalfEven((height - size) / 2);
  const left = roundHalfEven((width - size) / 2);
  const out = new (src.constructor as { new (n: number): T })(size * size * 3);
  for (let y = 0; y < size; y++) {
    const s = ((y + top) * width + left) * 3;
    out.set(src.subarray(s, s + size * 3), y * size * 3);
  }
  return out;
}
