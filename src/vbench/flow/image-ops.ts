/**
 * Grey-image operations the coarse-to-fine flow estimator is built from: separable Gaussian blur, 2x reduction
 * (Gaussian blur, then every other pixel), bicubic warping with a validity mask,
 * fourth-order central differences ([1 -8 0 8 -1] / 12), and 2x upsampling of a flow field. Images are
 * row-major Float32Arrays; borders replicate the edge pixel. Inner loops are typed-array loops with the border
 * handled apart from the interior.
 */

/** A normalised Gaussian kernel of standard deviation `sigma` (pixels), radius ceil(3 sigma) unless given. */
export function gaussianKernel(sigma: number, radius = Math.max(1, Math.ceil(3 * sigma))): Float32Array {
  if (!(sigma > 0)) throw new RangeError(`gaussianKernel: sigma ${sigma} must be > 0`);
  if (!Number.isInteger(radius) || radius < 1) throw new RangeError(`gaussianKernel: radius ${radius} must be an integer >= 1`);
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** Index clamped to [0, n - 1] (edge replication). */
function clampIndex(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/**
 * Horizontal then vertical convolution with a symmetric odd kernel, edge-replicated borders; `tmp` and `out`
 * are `w * h` scratch and result (`out` is returned). Kernels of 3 and 5 taps run unrolled.
 */
export function blurSeparable(
  src: Float32Array,
  w: number,
  h: number,
  kernel: Float32Array,
  tmp: Float32Array,
  out: Float32Array,
): Float32Array {
  const r = (kernel.length - 1) >> 1;
  const k0 = kernel[r];
  const k1 = r >= 1 ? kernel[r + 1] : 0;
  const k2 = r >= 2 ? kernel[r + 2] : 0;
  const unrolled = r <= 2;
  // horizontal pass
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const lo = Math.min(r, w);
    const hi = Math.max(lo, w - r);
    for (let x = 0; x < lo; x++) tmp[row + x] = edgeTap(src, row, x, w, kernel, r);
    if (unrolled) {
      for (let x = lo, i = row + lo; x < hi; x++, i++)
        tmp[i] = k0 * src[i] + k1 * (src[i - 1] + src[i + 1]) + k2 * (r === 2 ? src[i - 2] + src[i + 2] : 0);
    } else {
      for (let x = lo; x < hi; x++) {
        let s = 0;
        const base = row + x - r;
        for (let k = 0; k < kernel.length; k++) s += kernel[k] * src[base + k];
        tmp[row + x] = s;
      }
    }
    for (let x = hi; x < w; x++) tmp[row + x] = edgeTap(src, row, x, w, kernel, r);
  }
  // vertical pass, row by row
  for (let y = 0; y < h; y++) {
    const row = y * w;
    if (unrolled && y >= r && y < h - r) {
      const a = row - w;
      const b = row + w;
      if (r === 2) {
        const a2 = row - 2 * w;
        const b2 = row + 2 * w;
        for (let x = 0; x < w; x++) out[row + x] = k0 * tmp[row + x] + k1 * (tmp[a + x] + tmp[b + x]) + k2 * (tmp[a2 + x] + tmp[b2 + x]);
      } else {
        for (let x = 0; x < w; x++) out[row + x] = k0 * tmp[row + x] + k1 * (tmp[a + x] + tmp[b + x]);
      }
    } else {
      for (let x = 0; x < w; x++) out[row + x] = 0;
      for (let k = -r; k <= r; k++) {
        const kk = kernel[k + r];
        const srow = clampIndex(y + k, h) * w;
        for (let x = 0; x < w; x++) out[row + x] += kk * tmp[srow + x];
      }
    }
  }
  return out;
}

/** One horizontal tap sum at a border pixel, with edge replication. */
function edgeTap(src: Float32Array, row: number, x: number, w: number, kernel: Float32Array, r: number): number {
  let s = 0;
  for (let k = -r; k <= r; k++) s += kernel[k + r] * src[row + clampIndex(x + k, w)];
  return s;
}

/** Size of the next coarser pyramid level: ceil(n / 2) (pixel i of the coarse level sits on fine pixel 2i). */
export function reducedSize(n: number): number {
  return (n + 1) >> 1;
}

/**
 * 2x reduction: Gaussian blur of standard deviation `sigma` (pixels of the finer level) against aliasing, then
 * keep even rows and columns.
 */
export function reduce2(src: Float32Array, w: number, h: number, sigma = 1): Float32Array {
  const w2 = reducedSize(w);
  const h2 = reducedSize(h);
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) >> 1;
  const tmp = new Float32Array(w2 * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let i = 0; i < w2; i++) {
      const x = 2 * i;
      let s = 0;
      if (x >= r && x < w - r) for (let j = 0; j < k.length; j++) s += k[j] * src[row + x - r + j];
      else for (let j = -r; j <= r; j++) s += k[j + r] * src[row + (x + j < 0 ? 0 : x + j >= w ? w - 1 : x + j)];
      tmp[y * w2 + i] = s;
    }
  }
  const out = new Float32Array(w2 * h2);
  for (let j = 0; j < h2; j++) {
    const y = 2 * j;
    const o = j * w2;
    for (let t = -r; t <= r; t++) {
      const kk = k[t + r];
      const srow = (y + t < 0 ? 0 : y + t >= h ? h - 1 : y + t) * w2;
      for (let i = 0; i < w2; i++) out[o + i] += kk * tmp[srow + i];
    }
  }
  return out;
}

/**
 * `out(x) = src(x + (u, v))` by bicubic (Catmull-Rom, a = -0.5) interpolation; `valid[x]` is 1 where the
 * sample point lies inside the image and 0 where it had to be clamped to the border. Bicubic rather than
 * bilinear: bilinear blurs fractional shifts, which biases subpixel flow (about 5x the end-point error on the
 * synthetic tests).
 */
export function warpBicubic(
  src: Float32Array,
  w: number,
  h: number,
  u: Float32Array,
  v: Float32Array,
  out: Float32Array,
  valid: Uint8Array,
): void {
  const xmax = w - 1;
  const ymax = h - 1;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      let sx = x + u[i];
      let sy = y + v[i];
      let ok = 1;
      if (!(sx >= 0 && sx <= xmax)) {
        sx = sx < 0 ? 0 : xmax;
        ok = 0;
      }
      if (!(sy >= 0 && sy <= ymax)) {
        sy = sy < 0 ? 0 : ymax;
        ok = 0;
      }
      valid[i] = ok;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const tx = sx - x0;
      const ty = sy - y0;
      // Catmull-Rom weights
      const ax0 = ((-0.5 * tx + 1) * tx - 0.5) * tx;
      const ax1 = (1.5 * tx - 2.5) * tx * tx + 1;
      const ax2 = ((-1.5 * tx + 2) * tx + 0.5) * tx;
      const ax3 = (0.5 * tx - 0.5) * tx * tx;
      const ay0 = ((-0.5 * ty + 1) * ty - 0.5) * ty;
      const ay1 = (1.5 * ty - 2.5) * ty * ty + 1;
      const ay2 = ((-1.5 * ty + 2) * ty + 0.5) * ty;
      const ay3 = (0.5 * ty - 0.5) * ty * ty;
      if (x0 >= 1 && x0 + 2 <= xmax && y0 >= 1 && y0 + 2 <= ymax) {
        let r = (y0 - 1) * w + x0 - 1;
        const s0 = ax0 * src[r] + ax1 * src[r + 1] + ax2 * src[r + 2] + ax3 * src[r + 3];
        r += w;
        const s1 = ax0 * src[r] + ax1 * src[r + 1] + ax2 * src[r + 2] + ax3 * src[r + 3];
        r += w;
        const s2 = ax0 * src[r] + ax1 * src[r + 1] + ax2 * src[r + 2] + ax3 * src[r + 3];
        r += w;
        const s3 = ax0 * src[r] + ax1 * src[r + 1] + ax2 * src[r + 2] + ax3 * src[r + 3];
        out[i] = ay0 * s0 + ay1 * s1 + ay2 * s2 + ay3 * s3;
      } else {
        const xs = [x0 - 1, x0, x0 + 1, x0 + 2].map((c) => (c < 0 ? 0 : c > xmax ? xmax : c));
        const ys = [y0 - 1, y0, y0 + 1, y0 + 2].map((c) => (c < 0 ? 0 : c > ymax ? ymax : c));
        const ax = [ax0, ax1, ax2, ax3];
        const ay = [ay0, ay1, ay2, ay3];
        let s = 0;
        for (let j = 0; j < 4; j++) {
          const r = ys[j] * w;
          s += ay[j] * (ax[0] * src[r + xs[0]] + ax[1] * src[r + xs[1]] + ax[2] * src[r + xs[2]] + ax[3] * src[r + xs[3]]);
        }
        out[i] = s;
      }
    }
  }
}

/** Fourth-order central differences d/dx and d/dy ([1 -8 0 8 -1] / 12), edge-replicated borders. */
export function gradients(src: Float32Array, w: number, h: number, gx: Float32Array, gy: Float32Array): void {
  const c = 1 / 12;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (x >= 2 && x < w - 2) {
        gx[row + x] = (src[row + x - 2] - 8 * src[row + x - 1] + 8 * src[row + x + 1] - src[row + x + 2]) * c;
      } else {
        const xm2 = Math.max(0, x - 2);
        const xm1 = Math.max(0, x - 1);
        const xp1 = Math.min(w - 1, x + 1);
        const xp2 = Math.min(w - 1, x + 2);
        gx[row + x] = (src[row + xm2] - 8 * src[row + xm1] + 8 * src[row + xp1] - src[row + xp2]) * c;
      }
    }
  }
  for (let y = 0; y < h; y++) {
    const row = y * w;
    if (y >= 2 && y < h - 2) {
      for (let x = 0; x < w; x++)
        gy[row + x] = (src[row - 2 * w + x] - 8 * src[row - w + x] + 8 * src[row + w + x] - src[row + 2 * w + x]) * c;
    } else {
      const ym2 = Math.max(0, y - 2) * w;
      const ym1 = Math.max(0, y - 1) * w;
      const yp1 = Math.min(h - 1, y + 1) * w;
      const yp2 = Math.min(h - 1, y + 2) * w;
      for (let x = 0; x < w; x++) gy[row + x] = (src[ym2 + x] - 8 * src[ym1 + x] + 8 * src[yp1 + x] - src[yp2 + x]) * c;
    }
  }
}

/**
 * Carries a flow field from a coarse level (`wc` x `hc`) to the next finer one (`w` x `h`): bilinear
 * interpolation at (x / 2, y / 2), displacements doubled.
 */
export function expandFlow(
  uc: Float32Array,
  vc: Float32Array,
  wc: number,
  hc: number,
  w: number,
  h: number,
): { u: Float32Array; v: Float32Array } {
  const u = new Float32Array(w * h);
  const v = new Float32Array(w * h);
  for (let y = 0, i = 0; y < h; y++) {
    const sy = Math.min(y * 0.5, hc - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, hc - 1);
    const fy = sy - y0;
    for (let x = 0; x < w; x++, i++) {
      const sx = Math.min(x * 0.5, wc - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, wc - 1);
      const fx = sx - x0;
      const a = y0 * wc + x0;
      const b = y0 * wc + x1;
      const c = y1 * wc + x0;
      const d = y1 * wc + x1;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      u[i] = 2 * (w00 * uc[a] + w01 * uc[b] + w10 * uc[c] + w11 * uc[d]);
      v[i] = 2 * (w00 * vc[a] + w01 * vc[b] + w10 * vc[c] + w11 * vc[d]);
    }
  }
  return { u, v };
}
