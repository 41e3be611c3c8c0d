/**
 * Seeded disturbances of clips, for checking that a feature space's Fréchet distance grows with how much the data
 * is damaged, as Heusel et al. validated FID ("GANs Trained by a Two Time-Scale Update Rule Converge to a Local
 * Nash Equilibrium", NeurIPS 2017, arXiv:1706.08500, figure 3: Gaussian noise, Gaussian blur, black rectangles,
 * swirl, salt-and-pepper noise, ImageNet contamination). Frame disturbances damage every frame; clip disturbances
 * damage the order of the frames, which only a video feature space can see.
 *
 * A clip is [3, T, H, W] float32 in [-1, 1] (src/data/shapes.ts). Level 0 is no disturbance; levels 1..4 grow.
 * The draws depend only on (noise seed, clip index, disturbance), and the levels of one clip share them (common
 * random numbers): level k's salt-and-pepper pixels include level k-1's, its rectangles are level k-1's plus one,
 * its noise is the same noise scaled up. So a stronger level is the weaker one made worse, never a different
 * draw, and a curve over the levels measures the disturbance rather than the luck of each level's draw.
 */
import type { NoiseSource } from '../core/philox.ts';

/** The size of a clip: values are [3, frames, height, width]. */
export interface ClipShape {
  readonly frames: number;
  readonly height: number;
  readonly width: number;
}

/** A disturbance: what it does, its parameter and the parameter at each level (index 0: none). */
export interface Disturbance {
  readonly name: DisturbanceName;
  /** `frame`: each frame damaged in place (any feature space); `clip`: the frames' order (video spaces only). */
  readonly kind: 'frame' | 'clip';
  readonly description: string;
  /** The parameter the levels set, with its unit. */
  readonly parameter: string;
  /** The parameter at levels 0..4 (level 0: no disturbance). */
  readonly levels: readonly number[];
}

export const FRAME_DISTURBANCES = ['gaussian-noise', 'gaussian-blur', 'occlusion', 'salt-and-pepper'] as const;
export const CLIP_DISTURBANCES = ['frame-shuffle', 'frozen-frames', 'temporal-jitter'] as const;
export type DisturbanceName = (typeof FRAME_DISTURBANCES)[number] | (typeof CLIP_DISTURBANCES)[number];

/** The side of an occluding rectangle as a fraction of the frame's height and width. */
export const OCCLUSION_SIDE = 0.3;

/** Clip disturbances need this many frames for their four levels to differ (frozen frames: 1, 2, 3, 4 of T - 1). */
export const MIN_CLIP_FRAMES = 5;

/** Every disturbance by name, frame ones first. */
export const DISTURBANCES: Readonly<Record<DisturbanceName, Disturbance>> = {
  'gaussian-noise': {
    name: 'gaussian-noise',
    kind: 'frame',
    description: 'i.i.d. Gaussian noise added to every value of every frame, then clipped to [-1, 1]',
    parameter: 'noise standard deviation (in the [-1, 1] value range)',
    levels: [0, 0.05, 0.1, 0.2, 0.4],
  },
  'gaussian-blur': {
    name: 'gaussian-blur',
    kind: 'frame',
    description:
      "each frame blurred by a separable Gaussian kernel (scipy.ndimage.gaussian_filter's: truncated at 4 sigma, mode 'reflect')",
    parameter: 'blur standard deviation (pixels)',
    levels: [0, 0.5, 1, 2, 3],
  },
  occlusion: {
    name: 'occlusion',
    kind: 'frame',
    description: `rectangles of ${OCCLUSION_SIDE} x the frame's height and width, each a uniform random colour, at uniform random places; the same on every frame (an occluder in front of the scene)`,
    parameter: 'number of rectangles',
    levels: [0, 1, 2, 3, 4],
  },
  'salt-and-pepper': {
    name: 'salt-and-pepper',
    kind: 'frame',
    description: 'a fraction of the pixels of each frame (drawn per frame) set to black or white with equal probability',
    parameter: 'fraction of pixels',
    levels: [0, 0.02, 0.05, 0.1, 0.2],
  },
  'frame-shuffle': {
    name: 'frame-shuffle',
    kind: 'clip',
    description:
      'k = round(fraction x T) frames (at least 2) at random positions swap places in one cycle, so each of them moves; the others stay',
    parameter: 'fraction of frames moved',
    levels: [0, 0.25, 0.5, 0.75, 1],
  },
  'frozen-frames': {
    name: 'frozen-frames',
    kind: 'clip',
    description:
      'the last n = round(fraction x (T - 1)) frames replaced by the frame before them (at 1 the clip is its first frame, still)',
    parameter: 'fraction of frames frozen (of T - 1)',
    levels: [0, 0.25, 0.5, 0.75, 1],
  },
  'temporal-jitter': {
    name: 'temporal-jitter',
    kind: 'clip',
    description: 'frame t replaced by frame t + d_t, d_t uniform on the integers -j..j (reflected at the clip ends)',
    parameter: 'largest offset j (frames)',
    levels: [0, 1, 2, 3, 4],
  },
};

/** The disturbed copy of one clip: disturbance `name` at `level` (0: an unchanged copy), draws from (`noise`, `index`). */
export function disturbClip(
  values: Float32Array,
  shape: ClipShape,
  name: DisturbanceName,
  level: number,
  noise: NoiseSource,
  index: number,
): Float32Array {
  const disturbance = DISTURBANCES[name];
  if (!disturbance) throw new RangeError(`Unknown disturbance '${name}'. Available: ${Object.keys(DISTURBANCES).join(', ')}`);
  const { frames: T, height: H, width: W } = shape;
  if (![T, H, W].every((n) => Number.isInteger(n) && n >= 1))
    throw new RangeError(`clip shape ${T}x${H}x${W} (frames x height x width); allowed: positive integers`);
  if (values.length !== 3 * T * H * W) throw new RangeError(`a clip of ${values.length} values is not [3, ${T}, ${H}, ${W}]`);
  if (!Number.isInteger(level) || level < 0 || level >= disturbance.levels.length)
    throw new RangeError(`${name} level ${level}; allowed: an integer from 0 to ${disturbance.levels.length - 1}`);
  if (disturbance.kind === 'clip' && T < MIN_CLIP_FRAMES)
    throw new RangeError(`${name} needs clips of at least ${MIN_CLIP_FRAMES} frames for its levels to differ; this clip has ${T}`);
  const p = disturbance.levels[level];
  if (p === 0) return Float32Array.from(values);
  switch (name) {
    case 'gaussian-noise':
      return gaussianNoise(values, p, noise, index);
    case 'gaussian-blur':
      return gaussianBlur(values, shape, p);
    case 'occlusion':
      return occlusion(values, shape, p, noise, index);
    case 'salt-and-pepper':
      return saltAndPepper(values, shape, p, noise, index);
    case 'frame-shuffle':
      return reorder(values, shape, shuffleOrder(T, p, noise, index));
    case 'frozen-frames':
      return reorder(values, shape, frozenOrder(T, p));
    case 'temporal-jitter':
      return reorder(values, shape, jitterOrder(T, p, noise, index));
  }
}

const clip1 = (v: number) => (v < -1 ? -1 : v > 1 ? 1 : v);

/** x + sigma z, z ~ N(0, 1) per value, clipped to [-1, 1]. */
function gaussianNoise(values: Float32Array, sigma: number, noise: NoiseSource, index: number): Float32Array {
  const z = noise.gaussian(index, 'disturb/gaussian-noise', values.length);
  return Float32Array.from(values, (v, i) => clip1(v + sigma * z[i]));
}

/** Index i of a line of n samples reflected about its edges (scipy.ndimage 'reflect': d c b a | a b c d | d c b a). */
export function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  const m = ((i % period) + period) % period;
  return m < n ? m : period - 1 - m;
}

/** The normalised 1D Gaussian kernel scipy.ndimage.gaussian_filter uses: radius round(4 sigma), weights exp(-x^2 / 2 sigma^2). */
export function gaussianKernel(sigma: number): Float64Array {
  if (!(sigma > 0)) throw new RangeError(`blur sigma ${sigma}; allowed: > 0`);
  const radius = Math.floor(4 * sigma + 0.5);
  const k = Float64Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = k.reduce((a, b) => a + b, 0);
  return k.map((w) => w / total);
}

/** Every [H, W] plane (channel, frame) convolved with the Gaussian along y, then along x. */
function gaussianBlur(values: Float32Array, shape: ClipShape, sigma: number): Float32Array {
  const { height: H, width: W } = shape;
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) / 2;
  const out = new Float32Array(values.length);
  const tmp = new Float64Array(H * W);
  for (let base = 0; base < values.length; base += H * W) {
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        let s = 0;
        for (let j = -r; j <= r; j++) s += k[j + r] * values[base + reflectIndex(y + j, H) * W + x];
        tmp[y * W + x] = s;
      }
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        let s = 0;
        for (let j = -r; j <= r; j++) s += k[j + r] * tmp[y * W + reflectIndex(x + j, W)];
        out[base + y * W + x] = s;
      }
  }
  return out;
}

/** The first `count` rectangles of the clip's draw painted on every frame. */
function occlusion(values: Float32Array, shape: ClipShape, count: number, noise: NoiseSource, index: number): Float32Array {
  const { frames: T, height: H, width: W } = shape;
  const rh = Math.max(1, Math.round(OCCLUSION_SIDE * H));
  const rw = Math.max(1, Math.round(OCCLUSION_SIDE * W));
  // five draws per rectangle: top, left, and the colour's three channels; rectangle k is the same at every level
  const u = noise.uniform(index, 'disturb/occlusion', 5 * count);
  const out = Float32Array.from(values);
  for (let k = 0; k < count; k++) {
    const top = Math.floor(u[5 * k] * (H - rh + 1));
    const left = Math.floor(u[5 * k + 1] * (W - rw + 1));
    for (let c = 0; c < 3; c++) {
      const colour = 2 * u[5 * k + 2 + c] - 1;
      for (let t = 0; t < T; t++)
        for (let y = top; y < top + rh; y++) out.fill(colour, ((c * T + t) * H + y) * W + left, ((c * T + t) * H + y) * W + left + rw);
    }
  }
  return out;
}

/** Pixel p of frame t is hit when its uniform is below `fraction` (nested across levels), and turns black or white. */
function saltAndPepper(values: Float32Array, shape: ClipShape, fraction: number, noise: NoiseSource, index: number): Float32Array {
  const { frames: T, height: H, width: W } = shape;
  const plane = H * W;
  const where = noise.uniform(index, 'disturb/salt-and-pepper/where', T * plane);
  const colour = noise.uniform(index, 'disturb/salt-and-pepper/colour', T * plane);
  const out = Float32Array.from(values);
  for (let t = 0; t < T; t++)
    for (let p = 0; p < plane; p++) {
      if (where[t * plane + p] >= fraction) continue;
      const v = colour[t * plane + p] < 0.5 ? -1 : 1;
      for (let c = 0; c < 3; c++) out[(c * T + t) * plane + p] = v;
    }
  return out;
}

/** Frames in the given order: output frame t is input frame order[t]. */
function reorder(values: Float32Array, shape: ClipShape, order: readonly number[]): Float32Array {
  const { frames: T, height: H, width: W } = shape;
  const plane = H * W;
  const out = new Float32Array(values.length);
  for (let c = 0; c < 3; c++)
    for (let t = 0; t < T; t++) out.set(values.subarray((c * T + order[t]) * plane, (c * T + order[t] + 1) * plane), (c * T + t) * plane);
  return out;
}

/**
 * The frame order of a partial shuffle: positions ranked by a uniform each, the first k of that ranking (k =
 * round(fraction T), at least 2) take each other's frames in one cycle, so every one of them changes.
 */
export function shuffleOrder(T: number, fraction: number, noise: NoiseSource, index: number): number[] {
  const u = noise.uniform(index, 'disturb/frame-shuffle', T);
  const ranked = Array.from({ length: T }, (_, t) => t).sort((a, b) => u[a] - u[b]);
  const k = Math.min(T, Math.max(2, Math.round(fraction * T)));
  const order = Array.from({ length: T }, (_, t) => t);
  for (let i = 0; i < k; i++) order[ranked[i]] = ranked[(i + 1) % k];
  return order;
}

/** The frame order of a freeze: frames from T - n on show frame T - n - 1 (n = round(fraction (T - 1))). */
export function frozenOrder(T: number, fraction: number): number[] {
  const last = T - 1 - Math.round(fraction * (T - 1));
  return Array.from({ length: T }, (_, t) => Math.min(t, last));
}

/** The frame order of a jitter: frame t shows frame t + d_t reflected into 0..T-1, d_t = floor(u_t (2j + 1)) - j. */
export function jitterOrder(T: number, j: number, noise: NoiseSource, index: number): number[] {
  const u = noise.uniform(index, 'disturb/temporal-jitter', T);
  // mirrored about the end frames (-1 -> 1, T -> T - 2; numpy.pad's 'reflect'): clamping would pile offsets onto the end frames
  const reflectFrame = (i: number) => {
    const period = 2 * (T - 1);
    const m = ((i % period) + period) % period;
    return m < T ? m : period - m;
  };
  return Array.from({ length: T }, (_, t) => reflectFrame(t + Math.floor(u[t] * (2 * j + 1)) - j));
}
