/**
 * Resizing images before a feature network, in the modes the FID implementations use (frechet.md section 3):
 *
 * - `clean-bicubic`: clean-fid's "clean" mode: each channel as a float32 image resized by Pillow's bicubic filter
 *   (`Image.resize(..., BICUBIC)` on mode 'F', Pillow `src/libImaging/Resample.c`): antialiased (the kernel is
 *   widened by the scale when downsampling), a = -0.5, horizontal pass first into a float32 image, double
 *   accumulators, coefficients normalised to sum 1; then clipped to [0, 255] (clean-fid `resize.py`).
 * - `legacy-tensorflow-bilinear`: TF1 `tf.image.resize_bilinear` with align_corners=False and no half-pixel
 *   centres (source = destination x in/out), no antialiasing: what the TF Inception graph (TTUR, ADM) and
 *   torch-fidelity's emulation do. Arithmetic in float32 as TF's kernel.
 * - `legacy-pytorch-bilinear`: `F.interpolate(mode='bilinear', align_corners=False)` (pytorch-fid): half-pixel
 *   centres, source clamped at 0, no antialiasing. Arithmetic in float32.
 * - `none`: the input must already have the network's size.
 *
 * Planes are float32, row-major height x width, values in 0..255.
 */

/** A resize mode by name. */
export type ResizeMethod = 'clean-bicubic' | 'legacy-tensorflow-bilinear' | 'legacy-pytorch-bilinear' | 'none';

/** Every resize mode, as manifests and messages list them. */
export const RESIZE_METHODS: readonly ResizeMethod[] = ['clean-bicubic', 'legacy-tensorflow-bilinear', 'legacy-pytorch-bilinear', 'none'];

/** Pillow's bicubic kernel with a = -0.5 (Resample.c `bicubic_filter`), support 2. */
function bicubic(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/** Per output position: first input index, tap count and normalised weights (Resample.c `precompute_coeffs`). */
export function pillowCoefficients(inSize: number, outSize: number): { first: Int32Array; count: Int32Array; weights: Float64Array[] } {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights: Float64Array[] = [];
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) cast truncates toward zero
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    const k = new Float64Array(Math.max(xmax, 0));
    let total = 0;
    for (let x = 0; x < xmax; x++) {
      const w = bicubic((x + xmin - center + 0.5) / filterScale);
      k[x] = w;
      total += w;
    }
    if (total !== 0) for (let x = 0; x < xmax; x++) k[x] /= total;
    first[xx] = xmin;
    count[xx] = Math.max(xmax, 0);
    weights.push(k);
  }
  return { first, count, weights };
}

/** Pillow bicubic on a float32 plane: horizontal pass (to float32), then vertical; passes skipped when a size is unchanged. */
export function resizePillowBicubic(src: Float32Array, inH: number, inW: number, outH: number, outW: number): Float32Array {
  let plane = src;
  let width = inW;
  if (outW !== inW) {
    const c = pillowCoefficients(inW, outW);
    const tmp = new Float32Array(inH * outW);
    for (let y = 0; y < inH; y++) {
      for (let xx = 0; xx < outW; xx++) {
        const k = c.weights[xx];
        const base = y * inW + c.first[xx];
        let ss = 0;
        for (let x = 0; x < c.count[xx]; x++) ss += plane[base + x] * k[x];
        tmp[y * outW + xx] = ss;
      }
    }
    plane = tmp;
    width = outW;
  }
  if (outH !== inH) {
    const c = pillowCoefficients(inH, outH);
    const out = new Float32Array(outH * width);
    for (let yy = 0; yy < outH; yy++) {
      const k = c.weights[yy];
      for (let x = 0; x < width; x++) {
        let ss = 0;
        for (let y = 0; y < c.count[yy]; y++) ss += plane[(c.first[yy] + y) * width + x] * k[y];
        out[yy * width + x] = ss;
      }
    }
    plane = out;
  }
  return plane === src ? Float32Array.from(src) : plane;
}

const f = Math.fround;

/** Bilinear interpolation of one plane given per-axis source positions (float32 arithmetic). */
function bilinear(
  src: Float32Array,
  inH: number,
  inW: number,
  outH: number,
  outW: number,
  position: (i: number, inSize: number, outSize: number) => number,
): Float32Array {
  const out = new Float32Array(outH * outW);
  const axis = (outSize: number, inSize: number) =>
    Array.from({ length: outSize }, (_, i) => {
      const p = position(i, inSize, outSize);
      const i0 = Math.min(Math.floor(p), inSize - 1);
      const i1 = Math.min(i0 + 1, inSize - 1);
      return { i0, i1, lerp: f(p - i0) };
    });
  const ys = axis(outH, inH);
  const xs = axis(outW, inW);
  for (let y = 0; y < outH; y++) {
    const { i0: y0, i1: y1, lerp: dy } = ys[y];
    for (let x = 0; x < outW; x++) {
      const { i0: x0, i1: x1, lerp: dx } = xs[x];
      const tl = src[y0 * inW + x0];
      const tr = src[y0 * inW + x1];
      const bl = src[y1 * inW + x0];
      const br = src[y1 * inW + x1];
      const top = f(tl + f(f(tr - tl) * dx));
      const bottom = f(bl + f(f(br - bl) * dx));
      out[y * outW + x] = f(top + f(f(bottom - top) * dy));
    }
  }
  return out;
}

/** TF1 `resize_bilinear` (align_corners=False, half_pixel_centers=False): source = i x (in / out). */
export function resizeTensorflowBilinear(src: Float32Array, inH: number, inW: number, outH: number, outW: number): Float32Array {
  return bilinear(src, inH, inW, outH, outW, (i, inSize, outSize) => f(i * f(inSize / outSize)));
}

/** PyTorch `interpolate(bilinear, align_corners=False)`: source = (i + 0.5) x (in / out) - 0.5, clamped at 0. */
export function resizePytorchBilinear(src: Float32Array, inH: number, inW: number, outH: number, outW: number): Float32Array {
  return bilinear(src, inH, inW, outH, outW, (i, inSize, outSize) => Math.max(f(f(f(i + 0.5) * f(inSize / outSize)) - 0.5), 0));
}

/** Resizes one float32 plane (0..255) by `method`; `clean-bicubic` clips to [0, 255] as clean-fid does. */
export function resizePlane(src: Float32Array, inH: number, inW: number, outH: number, outW: number, method: ResizeMethod): Float32Array {
  if (src.length !== inH * inW) throw new RangeError(`resize: plane has ${src.length} values, expected ${inH}x${inW}`);
  switch (method) {
    case 'clean-bicubic': {
      const out = resizePillowBicubic(src, inH, inW, outH, outW);
      for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.max(0, out[i]));
      return out;
    }
    case 'legacy-tensorflow-bilinear':
      return inH === outH && inW === outW ? Float32Array.from(src) : resizeTensorflowBilinear(src, inH, inW, outH, outW);
    case 'legacy-pytorch-bilinear':
      return inH === outH && inW === outW ? Float32Array.from(src) : resizePytorchBilinear(src, inH, inW, outH, outW);
    case 'none':
      if (inH !== outH || inW !== outW)
        throw new RangeError(
          `resize 'none': the input is ${inH}x${inW} but the network takes ${outH}x${outW}; choose a resize method (${RESIZE_METHODS.join(', ')})`,
        );
      return Float32Array.from(src);
    default:
      throw new RangeError(`resize method '${method as string}' is not known; allowed: ${RESIZE_METHODS.join(', ')}`);
  }
}

/** An RGB24 frame (height x width x 3) to three resized float32 planes [3, outH, outW] in 0..255. */
export function resizeRgb(rgb: Uint8Array, height: number, width: number, outH: number, outW: number, method: ResizeMethod): Float32Array {
  if (rgb.length !== height * width * 3) throw new RangeError(`resize: frame has ${rgb.length} bytes, expected ${height}x${width}x3`);
  const out = new Float32Array(3 * outH * outW);
  const plane = new Float32Array(height * width);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < height * width; p++) plane[p] = rgb[3 * p + c];
    out.set(resizePlane(plane, height, width, outH, outW, method), c * outH * outW);
  }
  return out;
}
