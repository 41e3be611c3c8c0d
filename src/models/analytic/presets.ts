/**
 * Named analytic targets (`analytic:<preset>`): small Gaussian mixtures of procedurally drawn prototype videos.
 * Components of different classes differ in their low-frequency content, so they are well separated even at the
 * pyramid's lowest resolution, and each prototype carries fine detail that only the later stages can produce.
 */
import { Registry } from '../../core/registry.ts';
import { DEFAULT_PYRAMID } from '../contract/schedule.ts';
import { GaussianMixture, type MixtureComponent, type VideoShape } from './mixture.ts';
import type { AnalyticPreset } from './backend.ts';

type Painter = (c: number, t: number, y: number, x: number) => number;

function paint(shape: VideoShape, f: Painter): Float32Array {
  const { channels: C, frames: T, height: H, width: W } = shape;
  const out = new Float32Array(C * T * H * W);
  let i = 0;
  for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[i++] = f(c, t, y, x);
  return out;
}

const centred = (i: number, n: number) => (i + 0.5) / n - 0.5;
const checker = (y: number, x: number) => ((x + y) % 2 === 0 ? 1 : -1);

/** 8x8 grey images, 4 components in 2 classes; K = 3 stages (2x2, 4x4, 8x8). */
function tinyImage(): AnalyticPreset {
  const shape: VideoShape = { channels: 1, frames: 1, height: 8, width: 8 };
  const u = (x: number) => centred(x, 8);
  const components: MixtureComponent[] = [
    { weight: 0.35, label: 0, std: 0.15, mean: paint(shape, (_c, _t, y, x) => Math.tanh(6 * u(x)) + 0.25 * checker(y, x)) },
    { weight: 0.15, label: 0, std: 0.25, mean: paint(shape, (_c, _t, _y, x) => -Math.tanh(6 * u(x)) + 0.25 * (x % 2 ? 1 : -1)) },
    { weight: 0.3, label: 1, std: 0.2, mean: paint(shape, (_c, _t, y) => Math.tanh(6 * u(y)) + 0.25 * (y % 2 ? 1 : -1)) },
    {
      weight: 0.2,
      label: 1,
      std: 0.3,
      mean: paint(shape, (_c, _t, y, x) => 1.6 * Math.exp(-(u(x) ** 2 + u(y) ** 2) / 0.05) - 0.6 + 0.25 * checker(y, x)),
    },
  ];
  return {
    name: 'tiny-image',
    description: '8x8 grey images: 4 components in 2 classes (edges, stripes, a bump), 3 stages',
    mixture: new GaussianMixture(shape, components, 2),
    pyramid: DEFAULT_PYRAMID,
    patchSize: 1,
    cost: { hidden: 64, depth: 4, mlpRatio: 4, conditionTokens: 0 },
  };
}

/** A Gaussian blob of amplitude `amp` and width `width` (pixels) centred at (cy, cx). */
const blob = (y: number, x: number, cy: number, cx: number, width: number) =>
  Math.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * width * width));

/** 3 frames of 8x8 grey video: a blob moving in one of four directions, 2 classes. */
function tinyVideo(): AnalyticPreset {
  const shape: VideoShape = { channels: 1, frames: 3, height: 8, width: 8 };
  const mover =
    (y0: number, x0: number, vy: number, vx: number, background: number): Painter =>
    (_c, t, y, x) =>
      background + 1.4 * blob(y + 0.5, x + 0.5, y0 + vy * t, x0 + vx * t, 1.3) + 0.15 * checker(y, x);
  // the four paths never meet, so every frame tells the components apart
  const components: MixtureComponent[] = [
    { weight: 0.3, label: 0, std: 0.2, mean: paint(shape, mover(2.5, 1.5, 0, 2.5, -0.4)) },
    { weight: 0.2, label: 0, std: 0.2, mean: paint(shape, mover(5.5, 6.5, 0, -2.5, -0.4)) },
    { weight: 0.3, label: 1, std: 0.25, mean: paint(shape, mover(1.5, 5.5, 2.5, 0, 0.3)) },
    { weight: 0.2, label: 1, std: 0.15, mean: paint(shape, mover(6.5, 2.5, -2.5, 0, 0.3)) },
  ];
  return {
    name: 'tiny-video',
    description: '3 frames of 8x8 grey video: a blob moving right, left, down or up on four separate paths (2 classes), 3 stages',
    mixture: new GaussianMixture(shape, components, 2),
    pyramid: DEFAULT_PYRAMID,
    patchSize: 1,
    cost: { hidden: 64, depth: 4, mlpRatio: 4, conditionTokens: 0 },
  };
}

/** 9 frames of 32x32 RGB: a coloured shape per class, moving straight or bouncing, on a tinted background. */
function movingShapes(): AnalyticPreset {
  const shape: VideoShape = { channels: 3, frames: 9, height: 32, width: 32 };
  const colours = [
    [0.9, -0.6, -0.6],
    [-0.6, 0.8, -0.5],
    [-0.5, -0.4, 0.9],
  ];
  const backgrounds = [
    [-0.7, -0.7, -0.5],
    [-0.3, -0.5, -0.7],
  ];
  const inside = (kind: number, dy: number, dx: number) => {
    if (kind === 0) return Math.sqrt(dy * dy + dx * dx) < 5.5 ? 1 : 0; // disk
    if (kind === 1) return Math.max(Math.abs(dy), Math.abs(dx)) < 4.5 ? 1 : 0; // square
    return Math.abs(dx) < 2 || Math.abs(dy) < 2 ? (Math.max(Math.abs(dy), Math.abs(dx)) < 6 ? 1 : 0) : 0; // cross
  };
  const components: MixtureComponent[] = [];
  for (let kind = 0; kind < 3; kind++) {
    for (let motion = 0; motion < 2; motion++) {
      const bg = backgrounds[motion];
      const path = (t: number): [number, number] => {
        if (motion === 0) return [16, 7 + 2.2 * t]; // constant motion to the right
        const phase = (t * 5) % 30; // bouncing vertically between rows 8 and 23
        return [8 + (phase < 15 ? phase : 30 - phase), 16];
      };
      const mean = paint(shape, (c, t, y, x) => {
        const [cy, cx] = path(t);
        const a = inside(kind, y + 0.5 - cy, x + 0.5 - cx);
        const gradient = 0.15 * ((y - 16) / 16);
        return a ? colours[kind][c] : bg[c] + gradient;
      });
      components.push({ weight: 1 / 6, label: kind, std: 0.08, mean });
    }
  }
  return {
    name: 'moving-shapes',
    description: '9 frames of 32x32 RGB: disk, square or cross (3 classes), moving right or bouncing, 3 stages',
    mixture: new GaussianMixture(shape, components, 3),
    pyramid: DEFAULT_PYRAMID,
    patchSize: 2,
    cost: { hidden: 256, depth: 8, mlpRatio: 4, conditionTokens: 0 },
  };
}

/** Analytic presets by name. */
export const analyticPresets = new Registry<() => AnalyticPreset>('analytic preset');
analyticPresets.register('tiny-image', tinyImage, '8x8 grey images, 4 components, 2 classes');
analyticPresets.register('tiny-video', tinyVideo, '3-frame 8x8 grey videos of a moving blob, 4 components, 2 classes');
analyticPresets.register('moving-shapes', movingShapes, '9-frame 32x32 RGB moving shapes, 6 components, 3 classes');

const built = new Map<string, AnalyticPreset>();

/** The preset `name`, built once. */
export function analyticPreset(name: string): AnalyticPreset {
  let preset = built.get(name);
  if (!preset) {
    preset = analyticPresets.get(name)();
    built.set(name, preset);
  }
  return preset;
}
