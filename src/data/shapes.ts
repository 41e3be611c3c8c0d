/**
 * The project's own data set: procedurally generated, seeded, class-conditional videos of moving shapes. Six
 * classes (disk, square, triangle, each warm or cool), one shape per video moving in a straight line or bouncing
 * off the walls, over a varied background (flat, gradient, checker or soft blobs). Rendered with 4x4 supersampling
 * to [-1, 1] RGB. Sample i depends only on (seed, i), so any subset can be regenerated exactly. The image form is
 * the first frame.
 */
import { PhiloxNoise } from '../core/philox.ts';

export const SHAPE_CLASSES = ['warm disk', 'cool disk', 'warm square', 'cool square', 'warm triangle', 'cool triangle'] as const;

/** The background kinds, in the order the data set's `background` index uses. */
export const SHAPE_BACKGROUNDS = ['flat', 'gradient', 'checker', 'blobs'] as const;

/** Size of the generated clips. */
export interface ShapesConfig {
  readonly frames: number;
  readonly height: number;
  readonly width: number;
}

export const DEFAULT_SHAPES: ShapesConfig = Object.freeze({ frames: 16, height: 32, width: 32 });

/** What was drawn for one sample. */
export interface ShapesMeta {
  readonly label: number;
  readonly className: string;
  readonly motion: 'straight' | 'bouncing';
  readonly background: (typeof SHAPE_BACKGROUNDS)[number];
  readonly radius: number;
  /** Pixels per frame (y, x), before any bounce. */
  readonly velocity: readonly [number, number];
  /** The shape's centre in each frame, pixels (y, x) from the top-left corner (the pixel grid's edges at 0 and H, W). */
  readonly track: readonly (readonly [number, number])[];
}

const WARM: [number, number, number][] = [
  [0.95, 0.25, 0.2],
  [0.98, 0.55, 0.1],
  [0.9, 0.2, 0.45],
];
const COOL: [number, number, number][] = [
  [0.15, 0.75, 0.9],
  [0.2, 0.35, 0.95],
  [0.15, 0.85, 0.55],
];

function inside(kind: number, dy: number, dx: number, r: number): boolean {
  if (kind === 0) return dx * dx + dy * dy <= r * r;
  if (kind === 1) return Math.abs(dx) <= r * 0.85 && Math.abs(dy) <= r * 0.85;
  // upward triangle inscribed in the circle of radius r
  const top = -r;
  const bottom = r * 0.5;
  if (dy < top || dy > bottom) return false;
  const halfWidth = ((dy - top) / (bottom - top)) * r * 0.866 * 1.0;
  return Math.abs(dx) <= halfWidth;
}

/** Bounces a coordinate off [lo, hi] (reflection), for positions that run past a wall. */
function reflect(x: number, lo: number, hi: number): number {
  const span = hi - lo;
  if (span <= 0) return lo;
  let u = (x - lo) % (2 * span);
  if (u < 0) u += 2 * span;
  return lo + (u <= span ? u : 2 * span - u);
}

/** One clip [3, T, H, W] in [-1, 1] and what was drawn. `label` defaults to index mod 6. */
export function shapesVideo(
  seed: number,
  index: number,
  config: ShapesConfig = DEFAULT_SHAPES,
  label = index % SHAPE_CLASSES.length,
): { values: Float32Array; meta: ShapesMeta } {
  if (!Number.isInteger(label) || label < 0 || label >= SHAPE_CLASSES.length) {
    throw new RangeError(`shape class ${label} is not allowed; allowed: 0 to ${SHAPE_CLASSES.length - 1} (${SHAPE_CLASSES.join(', ')})`);
  }
  const { frames: T, height: H, width: W } = config;
  const u = new PhiloxNoise(seed).uniform(index, 'shapes/params', 24);
  const kind = Math.floor(label / 2);
  const warm = label % 2 === 0;
  const palette = warm ? WARM : COOL;
  const base = palette[Math.floor(u[0] * palette.length)];
  const colour = base.map((c, i) => Math.min(1, Math.max(0, c + 0.1 * (u[1 + i] - 0.5)))) as [number, number, number];
  const scale = Math.min(H, W) / 32;
  const radius = (5 + 3 * u[4]) * scale;
  const motion: ShapesMeta['motion'] = u[5] < 0.5 ? 'straight' : 'bouncing';
  const speed = (0.6 + 1.2 * u[6]) * scale;
  const angle = 2 * Math.PI * u[7];
  const vy = speed * Math.sin(angle);
  const vx = speed * Math.cos(angle);
  const lo = radius + 0.5;
  const hiY = H - radius - 0.5;
  const hiX = W - radius - 0.5;
  let y0: number;
  let x0: number;
  if (motion === 'straight') {
    // start so that the whole path stays inside: pick the start within the box shrunk by the travel
    const travelY = vy * (T - 1);
    const travelX = vx * (T - 1);
    const fit = (loB: number, hiB: number, travel: number, r: number) => {
      const a = Math.max(loB, loB - travel);
      const b = Math.min(hiB, hiB - travel);
      return a <= b ? a + r * (b - a) : (loB + hiB) / 2 - travel / 2;
    };
    y0 = fit(lo, hiY, travelY, u[8]);
    x0 = fit(lo, hiX, travelX, u[9]);
  } else {
    y0 = lo + u[8] * (hiY - lo);
    x0 = lo + u[9] * (hiX - lo);
  }
  const background = SHAPE_BACKGROUNDS[Math.floor(u[10] * 4)];
  // muted background colours, darker than the shapes
  const bgA = [0.15 + 0.35 * u[11], 0.15 + 0.35 * u[12], 0.15 + 0.35 * u[13]];
  const bgB = [0.15 + 0.35 * u[14], 0.15 + 0.35 * u[15], 0.15 + 0.35 * u[16]];
  const gradAngle = 2 * Math.PI * u[17];
  const checkerSize = (6 + 6 * u[18]) * scale;
  const blobY = [u[19] * H, u[20] * H];
  const blobX = [u[21] * W, u[22] * W];
  const blobWidth = (6 + 6 * u[23]) * scale;
  const backgroundAt = (y: number, x: number): number[] => {
    let mix = 0;
    if (background === 'gradient')
      mix = 0.5 + 0.5 * ((Math.cos(gradAngle) * (x - W / 2)) / W + (Math.sin(gradAngle) * (y - H / 2)) / H) * 1.4;
    else if (background === 'checker') mix = (Math.floor(y / checkerSize) + Math.floor(x / checkerSize)) % 2 === 0 ? 0.2 : 0.8;
    else if (background === 'blobs') {
      mix = 0;
      for (let k = 0; k < 2; k++) mix += Math.exp(-((y - blobY[k]) ** 2 + (x - blobX[k]) ** 2) / (2 * blobWidth * blobWidth));
      mix = Math.min(1, mix);
    }
    mix = Math.min(1, Math.max(0, mix));
    return [0, 1, 2].map((c) => bgA[c] * (1 - mix) + bgB[c] * mix);
  };
  const values = new Float32Array(3 * T * H * W);
  const S = 4; // supersampling per axis
  const track: [number, number][] = [];
  for (let t = 0; t < T; t++) {
    const cy = motion === 'straight' ? y0 + vy * t : reflect(y0 + vy * t, lo, hiY);
    const cx = motion === 'straight' ? x0 + vx * t : reflect(x0 + vx * t, lo, hiX);
    track.push([cy, cx]);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let cover = 0;
        for (let sy = 0; sy < S; sy++) {
          for (let sx = 0; sx < S; sx++) {
            if (inside(kind, y + (sy + 0.5) / S - cy, x + (sx + 0.5) / S - cx, radius)) cover++;
          }
        }
        const a = cover / (S * S);
        const bg = backgroundAt(y + 0.5, x + 0.5);
        for (let c = 0; c < 3; c++) values[((c * T + t) * H + y) * W + x] = 2 * (a * colour[c] + (1 - a) * bg[c]) - 1;
      }
    }
  }
  return { values, meta: { label, className: SHAPE_CLASSES[label], motion, background, radius, velocity: [vy, vx], track } };
}

/** N clips [N, 3, T, H, W] for sample indices start..start+N-1, with their labels (index mod 6 unless given). */
export function shapesBatch(
  seed: number,
  start: number,
  count: number,
  config: ShapesConfig = DEFAULT_SHAPES,
  labels?: readonly number[],
): { values: Float32Array; labels: number[] } {
  const size = 3 * config.frames * config.height * config.width;
  const values = new Float32Array(count * size);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = labels?.[i] ?? (start + i) % SHAPE_CLASSES.length;
    values.set(shapesVideo(seed, start + i, config, label).values, i * size);
    out.push(label);
  }
  return { values, labels: out };
}
