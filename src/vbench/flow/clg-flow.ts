/**
 * A classical optical-flow estimator in TypeScript: coarse-to-fine "combined local-global" flow (Bruhn,
 * Weickert and Schnoerr, "Lucas/Kanade meets Horn/Schunck", IJCV 2005) with image warping (Brox et al., ECCV
 * 2004, section 3). At each pyramid level and warp, the brightness-constancy constraint is linearised around
 * the current flow, its Lucas-Kanade structure tensor is integrated over a Gaussian window (the local part),
 * and a Horn-Schunck smoothness term (the global part) fills in flat regions; the resulting 2x2-per-pixel
 * linear system is solved by point-coupled SOR. It gives subpixel flow on textured images (see the end-point
 * errors in test/vbench/flow/clg-flow.test.ts) and stands in for RAFT where no RAFT ONNX file is given.
 */
import { luma } from '../video/clip.ts';
import type { FlowEstimator, FlowField } from './flow-field.ts';
import { blurSeparable, expandFlow, gaussianKernel, gradients, reduce2, reducedSize, warpBicubic } from './image-ops.ts';

/** Settings of the CLG estimator. */
export interface ClgSettings {
  /** Smoothness weight (grey levels^2 per pixel^2 of flow gradient); larger fills flat regions more. */
  readonly alpha: number;
  /** Standard deviation (pixels) of the Gaussian window the structure tensor is integrated over. */
  readonly rho: number;
  /** Standard deviation (pixels) of the Gaussian pre-smoothing of both frames (0 = none). */
  readonly sigma: number;
  /**
   * Weight (grey levels^2) that ties each warp's update to the flow it started from: it keeps flow in regions
   * with no texture from drifting, and does not bias the result once the warps have converged.
   */
  readonly lambda: number;
  /** Warps (re-linearisations) per pyramid level. */
  readonly warps: number;
  /** SOR sweeps per warp at every level but the finest ... */
  readonly iterations: number;
  /** ... and at the finest, which starts from the upsampled coarse flow and has most of the pixels. */
  readonly finestIterations: number;
  /** SOR relaxation factor, in (0, 2). */
  readonly omega: number;
  /** The coarsest level is the last whose shorter side is at least this many pixels. */
  readonly minSize: number;
}

/**
 * Defaults, chosen on the synthetic tests (textured translations, rotations, a moving disk over a static
 * background) for end-point error and speed. The capture range is about 1.5 pixels at the coarsest level,
 * i.e. about 1.5 * 2^(levels - 1) pixels: 10 px at 256x256 (four levels), 5 px at 128x128.
 */
export const DEFAULT_CLG: ClgSettings = Object.freeze({
  alpha: 100,
  rho: 0.8,
  sigma: 0.7,
  lambda: 4,
  warps: 2,
  iterations: 10,
  finestIterations: 5,
  omega: 1.85,
  minSize: 24,
});

function checkSettings(s: ClgSettings): void {
  const bad = (what: string, value: number, allowed: string) => new RangeError(`CLG flow setting ${what} is ${value}; allowed: ${allowed}`);
  if (!(s.alpha > 0)) throw bad('alpha', s.alpha, 'a number > 0');
  if (!(s.rho > 0)) throw bad('rho', s.rho, 'a number > 0');
  if (!(s.sigma >= 0)) throw bad('sigma', s.sigma, 'a number >= 0');
  if (!(s.lambda >= 0)) throw bad('lambda', s.lambda, 'a number >= 0');
  if (!Number.isInteger(s.warps) || s.warps < 1) throw bad('warps', s.warps, 'an integer >= 1');
  if (!Number.isInteger(s.iterations) || s.iterations < 1) throw bad('iterations', s.iterations, 'an integer >= 1');
  if (!Number.isInteger(s.finestIterations) || s.finestIterations < 1) throw bad('finestIterations', s.finestIterations, 'an integer >= 1');
  if (!(s.omega > 0 && s.omega < 2)) throw bad('omega', s.omega, 'a number in (0, 2)');
  if (!Number.isInteger(s.minSize) || s.minSize < 4) throw bad('minSize', s.minSize, 'an integer >= 4');
}

/** Scratch arrays for one pyramid level. */
interface LevelScratch {
  readonly warped: Float32Array;
  readonly valid: Uint8Array;
  readonly mean: Float32Array;
  readonly ix: Float32Array;
  readonly iy: Float32Array;
  /** Ix^2, IxIy, Iy^2, Ix r, Iy r before the window ... */
  readonly products: Float32Array[];
  /** ... and after it (the last two become the right-hand side's constant part before the sweeps). */
  readonly windowed: Float32Array[];
  readonly tmp: Float32Array;
  readonly inv11: Float32Array;
  readonly inv12: Float32Array;
  readonly inv22: Float32Array;
}

function scratch(n: number): LevelScratch {
  const f = () => new Float32Array(n);
  return {
    warped: f(),
    valid: new Uint8Array(n),
    mean: f(),
    ix: f(),
    iy: f(),
    products: Array.from({ length: 5 }, f),
    windowed: Array.from({ length: 5 }, f),
    tmp: f(),
    inv11: f(),
    inv12: f(),
    inv22: f(),
  };
}

/**
 * Point-coupled SOR sweeps for (J_i + (alpha deg_i + lambda) I) w_i = c_i + alpha sum_n w_n at every pixel i,
 * with c_i = lambda w0_i - b_i: J is the windowed structure tensor, b the windowed (gradient x residual)
 * vector, w0 the flow the warp started from and n the 4-neighbours inside the image (Neumann boundary: deg_i
 * is 4 inside, 3 on an edge, 2 in a corner). The 2x2 inverses are precomputed; u, v are updated in place.
 */
function sorSweeps(u: Float32Array, v: Float32Array, w: number, h: number, s: LevelScratch, settings: ClgSettings): void {
  const { inv11, inv12, inv22 } = s;
  const c1 = s.windowed[3];
  const c2 = s.windowed[4];
  const { alpha, omega } = settings;
  // one pixel's update given the sums of its neighbours' flow
  const update = (i: number, su: number, sv: number) => {
    const ru = alpha * su + c1[i];
    const rv = alpha * sv + c2[i];
    u[i] += omega * (inv11[i] * ru + inv12[i] * rv - u[i]);
    v[i] += omega * (inv12[i] * ru + inv22[i] * rv - v[i]);
  };
  const border = (x: number, y: number) => {
    const i = y * w + x;
    let su = 0;
    let sv = 0;
    // the neighbours inside the image, left, right, up, down
    if (x > 0) {
      su += u[i - 1];
      sv += v[i - 1];
    }
    if (x < w - 1) {
      su += u[i + 1];
      sv += v[i + 1];
    }
    if (y > 0) {
      su += u[i - w];
      sv += v[i - w];
    }
    if (y < h - 1) {
      su += u[i + w];
      sv += v[i + w];
    }
    update(i, su, sv);
  };
  for (let sweep = 0; sweep < settings.iterations; sweep++) {
    for (let x = 0; x < w; x++) border(x, 0);
    for (let y = 1; y < h - 1; y++) {
      border(0, y);
      const end = y * w + w - 1;
      for (let i = y * w + 1; i < end; i++) {
        const ru = alpha * (u[i - 1] + u[i + 1] + u[i - w] + u[i + w]) + c1[i];
        const rv = alpha * (v[i - 1] + v[i + 1] + v[i - w] + v[i + w]) + c2[i];
        const a = inv11[i];
        const b = inv12[i];
        const d = inv22[i];
        u[i] += omega * (a * ru + b * rv - u[i]);
        v[i] += omega * (b * ru + d * rv - v[i]);
      }
      if (w > 1) border(w - 1, y);
    }
    if (h > 1) for (let x = 0; x < w; x++) border(x, h - 1);
  }
}

/** One warp at one level: linearise around (u, v), integrate the structure tensor, run the SOR sweeps. */
function refine(
  i1: Float32Array,
  i2: Float32Array,
  w: number,
  h: number,
  u: Float32Array,
  v: Float32Array,
  s: LevelScratch,
  window: Float32Array,
  settings: ClgSettings,
): void {
  const n = w * h;
  const { warped, valid, mean, ix, iy, products, windowed, tmp } = s;
  warpBicubic(i2, w, h, u, v, warped, valid);
  for (let i = 0; i < n; i++) mean[i] = 0.5 * (i1[i] + warped[i]);
  gradients(mean, w, h, ix, iy);
  const [p11, p12, p22, p1t, p2t] = products;
  for (let i = 0; i < n; i++) {
    if (valid[i] === 0) {
      // the sample point left the image: no data term here, the smoothness term fills in
      p11[i] = p12[i] = p22[i] = p1t[i] = p2t[i] = 0;
      continue;
    }
    const gx = ix[i];
    const gy = iy[i];
    // constant term of the constraint linearised around (u, v): It - Ix u - Iy v
    const rt = warped[i] - i1[i] - gx * u[i] - gy * v[i];
    p11[i] = gx * gx;
    p12[i] = gx * gy;
    p22[i] = gy * gy;
    p1t[i] = gx * rt;
    p2t[i] = gy * rt;
  }
  // local part: the Gaussian-windowed tensor
  for (let k = 0; k < 5; k++) blurSeparable(products[k], w, h, window, tmp, windowed[k]);
  const [j11, j12, j22] = windowed;
  const { alpha, lambda } = settings;
  for (let y = 0, i = 0; y < h; y++) {
    const dy = (y > 0 ? 1 : 0) + (y < h - 1 ? 1 : 0);
    for (let x = 0; x < w; x++, i++) {
      const diag = alpha * (dy + (x > 0 ? 1 : 0) + (x < w - 1 ? 1 : 0)) + lambda;
      const a = j11[i] + diag;
      const b = j12[i];
      const d = j22[i] + diag;
      const det = a * d - b * b;
      s.inv11[i] = d / det;
      s.inv12[i] = -b / det;
      s.inv22[i] = a / det;
    }
  }
  // the right-hand side's constant part, c = lambda w0 - b, over the windowed b
  const [, , , b1, b2] = windowed;
  for (let i = 0; i < n; i++) {
    b1[i] = lambda * u[i] - b1[i];
    b2[i] = lambda * v[i] - b2[i];
  }
  sorSweeps(u, v, w, h, s, settings);
}

/** Anti-aliasing blur (finer-level pixels) before each 2x reduction; a little above the classic 1.0. */
const REDUCE_SIGMA = 1.2;

/** Grey pyramid, finest first, each level `reduce2` of the one before, down to `minSize` on the shorter side. */
function pyramid(grey: Float32Array, w: number, h: number, minSize: number): { data: Float32Array; w: number; h: number }[] {
  const levels: { data: Float32Array; w: number; h: number }[] = [{ data: grey, w, h }];
  while (Math.min(reducedSize(levels[levels.length - 1].w), reducedSize(levels[levels.length - 1].h)) >= minSize) {
    const top = levels[levels.length - 1];
    levels.push({ data: reduce2(top.data, top.w, top.h, REDUCE_SIGMA), w: reducedSize(top.w), h: reducedSize(top.h) });
  }
  return levels;
}

/** Pre-smoothed grey version of an RGB24 frame. */
function prepare(frame: Uint8Array, w: number, h: number, sigma: number): Float32Array {
  const grey = luma(frame, w, h);
  if (sigma === 0) return grey;
  const out = new Float32Array(w * h);
  return blurSeparable(grey, w, h, gaussianKernel(sigma), new Float32Array(w * h), out);
}

/**
 * Flow from grey image `i1` to `i2` (same size, grey levels 0-255), coarse to fine; `onLevel` observes the
 * field after each pyramid level (level 0 is the finest), in that level's pixels.
 */
export function clgFlowGrey(
  i1: Float32Array,
  i2: Float32Array,
  w: number,
  h: number,
  settings: ClgSettings = DEFAULT_CLG,
  onLevel?: (level: number, field: FlowField) => void,
): FlowField {
  checkSettings(settings);
  if (i1.length !== w * h || i2.length !== w * h)
    throw new RangeError(`clgFlowGrey: images of ${i1.length} and ${i2.length} values for ${w}x${h}`);
  const p1 = pyramid(i1, w, h, settings.minSize);
  const p2 = pyramid(i2, w, h, settings.minSize);
  // the window is cut at 2.5 rho (a 5-tap kernel at the default rho), which the blur runs unrolled
  const window = gaussianKernel(settings.rho, Math.max(1, Math.ceil(2.5 * settings.rho)));
  let u: Float32Array = new Float32Array(p1[p1.length - 1].w * p1[p1.length - 1].h);
  let v: Float32Array = new Float32Array(u.length);
  for (let level = p1.length - 1; level >= 0; level--) {
    const { w: lw, h: lh } = p1[level];
    if (level < p1.length - 1) ({ u, v } = expandFlow(u, v, p1[level + 1].w, p1[level + 1].h, lw, lh));
    const s = scratch(lw * lh);
    const levelSettings = level === 0 ? { ...settings, iterations: settings.finestIterations } : settings;
    for (let k = 0; k < settings.warps; k++) refine(p1[level].data, p2[level].data, lw, lh, u, v, s, window, levelSettings);
    onLevel?.(level, { width: lw, height: lh, u, v });
  }
  return { width: w, height: h, u, v };
}

/** The CLG estimator behind the FlowEstimator interface, on the BT.601 luma of RGB24 frames. */
export class ClgFlowEstimator implements FlowEstimator {
  readonly name: string;
  readonly kind = 'substitute' as const;

  constructor(readonly settings: ClgSettings = DEFAULT_CLG) {
    checkSettings(settings);
    this.name = 'clg-pyramid';
  }

  async estimate(frame1: Uint8Array, frame2: Uint8Array, width: number, height: number): Promise<FlowField> {
    const n = width * height * 3;
    if (frame1.length !== n || frame2.length !== n)
      throw new RangeError(
        `${this.name}: frames of ${frame1.length} and ${frame2.length} bytes; a ${width}x${height} RGB24 frame has ${n}`,
      );
    return clgFlowGrey(
      prepare(frame1, width, height, this.settings.sigma),
      prepare(frame2, width, height, this.settings.sigma),
      width,
      height,
      this.settings,
    );
  }
}
