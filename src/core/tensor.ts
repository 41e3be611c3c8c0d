/**
 * A small float32 tensor of shape [batch, channels, frames, height, width] and the resampling that
 * pyramidal flow matching uses (Jin et al., 2024, section 3; `../shared/docs/pyramid-flow.md` section 1).
 *
 * Data is contiguous and row-major, so sample b occupies `data[b * sampleSize, (b + 1) * sampleSize)`.
 */
import { assertFiniteValues } from './finite.ts';

/** [batch, channels, frames, height, width]. */
export type Shape5 = readonly [number, number, number, number, number];

/** A dense float32 tensor in [B, C, T, H, W] layout. */
export class Tensor {
  readonly shape: Shape5;
  readonly data: Float32Array;

  constructor(shape: Shape5, data?: Float32Array) {
    for (const [axis, n] of shape.entries()) {
      if (!Number.isInteger(n) || n < 0) {
        throw new RangeError(`Tensor shape [${shape.join(', ')}]: axis ${axis} is ${n}; each axis must be a non-negative integer`);
      }
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (data !== undefined && data.length !== size) {
      throw new RangeError(`Tensor shape [${shape.join(', ')}] needs ${size} values, got ${data.length}`);
    }
    this.shape = [shape[0], shape[1], shape[2], shape[3], shape[4]];
    this.data = data ?? new Float32Array(size);
  }

  get batch(): number {
    return this.shape[0];
  }
  get channels(): number {
    return this.shape[1];
  }
  get frames(): number {
    return this.shape[2];
  }
  get height(): number {
    return this.shape[3];
  }
  get width(): number {
    return this.shape[4];
  }
  /** Number of values in one sample (C * T * H * W). */
  get sampleSize(): number {
    return this.shape[1] * this.shape[2] * this.shape[3] * this.shape[4];
  }
  get size(): number {
    return this.data.length;
  }

  /** A view (no copy) of sample b's values. */
  sample(b: number): Float32Array {
    if (!Number.isInteger(b) || b < 0 || b >= this.batch) {
      throw new RangeError(`sample index ${b} is outside the batch of ${this.batch}`);
    }
    const n = this.sampleSize;
    return this.data.subarray(b * n, (b + 1) * n);
  }

  clone(): Tensor {
    return new Tensor(this.shape, this.data.slice());
  }

  /** Same data, other shape with the same number of values. */
  reshape(shape: Shape5): Tensor {
    return new Tensor(shape, this.data);
  }
}

/** Describes a shape for error messages: "[2, 3, 1, 8, 8]". */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** True when two shapes are equal axis by axis. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function assertEvenSpatial(t: Tensor, op: string): void {
  if (t.height % 2 !== 0 || t.width % 2 !== 0) {
    throw new RangeError(`${op}: height and width must be even, got ${t.height}x${t.width} (shape ${formatShape(t.shape)})`);
  }
}

/**
 * 2x down: the mean of each 2x2 block. Equals PyTorch's bilinear resize to half size without antialiasing
 * (`F.interpolate(mode='bilinear')`, align_corners=False) for even sizes, as Pyramid-Flow's `get_pyramid_latent` uses.
 */
export function down2(t: Tensor): Tensor {
  assertEvenSpatial(t, 'down2');
  const [B, C, T, H, W] = t.shape;
  const h = H / 2;
  const w = W / 2;
  const out = new Tensor([B, C, T, h, w]);
  const src = t.data;
  const dst = out.data;
  const planes = B * C * T;
  for (let p = 0; p < planes; p++) {
    const s0 = p * H * W;
    const d0 = p * h * w;
    for (let y = 0; y < h; y++) {
      const r0 = s0 + 2 * y * W;
      const r1 = r0 + W;
      const dr = d0 + y * w;
      for (let x = 0; x < w; x++) {
        const c = 2 * x;
        dst[dr + x] = (src[r0 + c] + src[r0 + c + 1] + src[r1 + c] + src[r1 + c + 1]) * 0.25;
      }
    }
  }
  return out;
}

/** Applies `op` `levels` times (levels = 0 returns the input). */
function repeatOp(t: Tensor, levels: number, op: (x: Tensor) => Tensor): Tensor {
  let out = t;
  for (let i = 0; i < levels; i++) out = op(out);
  return out;
}

/** Applies down2 `levels` times (levels = 0 returns the input). */
export function downN(t: Tensor, levels: number): Tensor {
  return repeatOp(t, levels, down2);
}

/**
 * 2x down for noise: block mean times 2, which keeps i.i.d. unit Gaussian noise i.i.d. and unit-variance
 * (Pyramid-Flow `generate`: `F.interpolate(..., mode='bilinear') * 2`).
 */
export function down2Noise(t: Tensor): Tensor {
  const out = down2(t);
  const d = out.data;
  for (let i = 0; i < d.length; i++) d[i] *= 2;
  return out;
}

/** 2x nearest up: each value copied into a 2x2 block (`F.interpolate(mode='nearest')`). */
export function upNearest2(t: Tensor): Tensor {
  const [B, C, T, h, w] = t.shape;
  const H = 2 * h;
  const W = 2 * w;
  const out = new Tensor([B, C, T, H, W]);
  const src = t.data;
  const dst = out.data;
  const planes = B * C * T;
  for (let p = 0; p < planes; p++) {
    const s0 = p * h * w;
    const d0 = p * H * W;
    for (let y = 0; y < h; y++) {
      const sr = s0 + y * w;
      const r0 = d0 + 2 * y * W;
      const r1 = r0 + W;
      for (let x = 0; x < w; x++) {
        const v = src[sr + x];
        const c = 2 * x;
        dst[r0 + c] = v;
        dst[r0 + c + 1] = v;
        dst[r1 + c] = v;
        dst[r1 + c + 1] = v;
      }
    }
  }
  return out;
}

/** Applies upNearest2 `levels` times. */
export function upNearestN(t: Tensor, levels: number): Tensor {
  return repeatOp(t, levels, upNearest2);
}

/**
 * 2x bilinear up with half-pixel centres, as PyTorch's `F.interpolate(scale_factor=2, mode='bilinear',
 * align_corners=False)`: output pixel i samples the input at (i + 0.5) / 2 - 0.5, clamped to the edges.
 * Along one axis, even outputs weigh (1/4, 3/4) and odd outputs (3/4, 1/4).
 */
export function upBilinear2(t: Tensor): Tensor {
  const [B, C, T, h, w] = t.shape;
  const H = 2 * h;
  const W = 2 * w;
  const out = new Tensor([B, C, T, H, W]);
  const src = t.data;
  const dst = out.data;
  // Per output index: the two source taps and the weight of the second.
  const taps = (n: number) => {
    const i0 = new Int32Array(2 * n);
    const i1 = new Int32Array(2 * n);
    const f = new Float64Array(2 * n);
    for (let o = 0; o < 2 * n; o++) {
      const s = Math.max((o + 0.5) / 2 - 0.5, 0);
      const lo = Math.min(Math.floor(s), n - 1);
      i0[o] = lo;
      i1[o] = Math.min(lo + 1, n - 1);
      f[o] = s - lo;
    }
    return { i0, i1, f };
  };
  const ty = taps(h);
  const tx = taps(w);
  const planes = B * C * T;
  for (let p = 0; p < planes; p++) {
    const s0 = p * h * w;
    const d0 = p * H * W;
    for (let y = 0; y < H; y++) {
      const ra = s0 + ty.i0[y] * w;
      const rb = s0 + ty.i1[y] * w;
      const fy = ty.f[y];
      const dr = d0 + y * W;
      for (let x = 0; x < W; x++) {
        const xa = tx.i0[x];
        const xb = tx.i1[x];
        const fx = tx.f[x];
        const top = src[ra + xa] * (1 - fx) + src[ra + xb] * fx;
        const bottom = src[rb + xa] * (1 - fx) + src[rb + xb] * fx;
        dst[dr + x] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

/** Frames [start, end) of every sample. */
export function sliceFrames(t: Tensor, start: number, end: number): Tensor {
  const [B, C, T, H, W] = t.shape;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= T)) {
    throw new RangeError(`sliceFrames: [${start}, ${end}) is not a frame range of a tensor with ${T} frames`);
  }
  const n = end - start;
  const out = new Tensor([B, C, n, H, W]);
  const plane = H * W;
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      const s = ((b * C + c) * T + start) * plane;
      const d = (b * C + c) * n * plane;
      out.data.set(t.data.subarray(s, s + n * plane), d);
    }
  }
  return out;
}

/** Concatenates tensors along the frame axis; batch, channels, height and width must agree. */
export function concatFrames(parts: readonly Tensor[]): Tensor {
  if (parts.length === 0) throw new RangeError('concatFrames needs at least one tensor');
  const [B, C, , H, W] = parts[0].shape;
  for (const p of parts) {
    if (p.batch !== B || p.channels !== C || p.height !== H || p.width !== W) {
      throw new RangeError(
        `concatFrames: shape ${formatShape(p.shape)} does not match ${formatShape(parts[0].shape)} outside the frame axis`,
      );
    }
  }
  const T = parts.reduce((a, p) => a + p.frames, 0);
  const out = new Tensor([B, C, T, H, W]);
  const plane = H * W;
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      let d = (b * C + c) * T * plane;
      for (const p of parts) {
        const n = p.frames * plane;
        const s = (b * C + c) * n;
        out.data.set(p.data.subarray(s, s + n), d);
        d += n;
      }
    }
  }
  return out;
}

/** Concatenates tensors along the batch axis; all other axes must agree. */
export function concatBatch(parts: readonly Tensor[]): Tensor {
  if (parts.length === 0) throw new RangeError('concatBatch needs at least one tensor');
  const [, C, T, H, W] = parts[0].shape;
  for (const p of parts) {
    if (p.channels !== C || p.frames !== T || p.height !== H || p.width !== W) {
      throw new RangeError(
        `concatBatch: shape ${formatShape(p.shape)} does not match ${formatShape(parts[0].shape)} outside the batch axis`,
      );
    }
  }
  const B = parts.reduce((a, p) => a + p.batch, 0);
  const out = new Tensor([B, C, T, H, W]);
  let offset = 0;
  for (const p of parts) {
    out.data.set(p.data, offset);
    offset += p.data.length;
  }
  return out;
}

/** Samples [start, end) of the batch, copied. */
export function sliceBatch(t: Tensor, start: number, end: number): Tensor {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= t.batch)) {
    throw new RangeError(`sliceBatch: [${start}, ${end}) is not a range of a batch of ${t.batch}`);
  }
  const n = t.sampleSize;
  return new Tensor([end - start, t.channels, t.frames, t.height, t.width], t.data.slice(start * n, end * n));
}

/** Stacks per-sample value arrays (each C*T*H*W long) into one batch tensor. */
export function stackSamples(samples: readonly Float32Array[], shape: readonly [number, number, number, number]): Tensor {
  const [C, T, H, W] = shape;
  const n = C * T * H * W;
  const out = new Tensor([samples.length, C, T, H, W]);
  samples.forEach((s, b) => {
    if (s.length !== n) throw new RangeError(`stackSamples: sample ${b} has ${s.length} values, expected ${n} for [${shape.join(', ')}]`);
    out.data.set(s, b * n);
  });
  return out;
}

/** Throws when any value is NaN or infinite, naming where it came from (`core/finite.ts`). */
export function assertFinite(t: Tensor | Float32Array, what: string): void {
  assertFiniteValues(t instanceof Tensor ? t.data : t, what);
}
