/**
 * Does a feature space's Fréchet distance see damage? The check Heusel et al. made for FID ("GANs Trained by a Two
 * Time-Scale Update Rule Converge to a Local Nash Equilibrium", NeurIPS 2017, arXiv:1706.08500, figure 3): the
 * distance between clean data and a disturbed second draw of it should rise with the disturbance's level.
 *
 * For one extractor: a clean draw of the moving-shapes data set (seed `cleanSeed`, N clips) and a second draw
 * (seed `disturbedSeed`, the same N) disturbed at each level of each disturbance (src/data/disturbances.ts; level
 * 0 is the undisturbed second draw, whose distance is the floor of two independent draws). Image spaces see frame
 * 0 of each clip, as the suite's `fd` does by default, and so only the frame disturbances; video spaces see the
 * clip and every disturbance. A disturbance passes when Spearman's rho between level and distance is 1 (the
 * distance rises strictly at every level); a space passes when every disturbance it can see passes.
 *
 * Uncertainty: the delete-one-group jackknife (Efron & Tibshirani 1993, eq. 11.5) over G contiguous groups of
 * clip indices, each group deleted from both draws (clip i of the clean draw and clip i of the second draw are
 * independent of the other indices, so the groups are i.i.d. units). The same groups give the stderr of each gap
 * between consecutive levels (paired: the levels share the second draw), the margin by which a pass passes.
 */
import { z } from 'zod';
import { PhiloxNoise, type NoiseSource } from '../core/philox.ts';
import { parseWith, strictObject } from '../core/schema.ts';
import { contiguousGroups, jackknifeStderr, spearmanRho } from '../core/statistics.ts';
import {
  CLIP_DISTURBANCES,
  DISTURBANCES,
  disturbClip,
  FRAME_DISTURBANCES,
  MIN_CLIP_FRAMES,
  type ClipShape,
  type DisturbanceName,
} from '../data/disturbances.ts';
import { tensorToFrames } from '../data/quantize.ts';
import { shapesVideo } from '../data/shapes.ts';
import type { Clip, FeatureExtractor } from '../features/extractor.ts';
import { accumulate, createStats, momentsOfSums, packedLength, totalSums, type Moments } from '../metrics/feature-stats.ts';
import { frechetFromMoments } from '../metrics/frechet.ts';

/** The file `validate-features` writes its results to, in its output folder. */
export const FEATURE_VALIDATION_FILE = 'feature-validation.json';

/** The feature spaces the project validates: the trained domain networks, then the seeded random ones. */
export const VALIDATED_SPACES = ['shapes-frame-v1', 'shapes-clip-v1', 'random-conv2d-v1', 'random-conv3d-8f-v1'] as const;

/** Clips per draw by default (docs/metrics-validation.md: the run time it takes and the margins it leaves). */
export const DEFAULT_VALIDATION_N = 256;

const settingsSchema = strictObject({
  /** Clips in each draw. */
  n: z.number().int().min(8).max(100_000),
  frames: z.number().int().min(MIN_CLIP_FRAMES).max(64).default(9),
  /** Frame height and width (pixels). */
  size: z.number().int().min(8).max(256).default(32),
  /** Seed of the clean draw of the shapes data set. */
  cleanSeed: z.number().int().min(0).default(1),
  /** Seed of the second draw, the one that is disturbed. */
  disturbedSeed: z.number().int().min(0).default(2),
  /** Seed of the disturbances' draws (PhiloxNoise; stream = clip index). */
  disturbanceSeed: z.number().int().min(0).default(3),
  /** Groups of the delete-one-group jackknife. */
  jackknifeGroups: z.number().int().min(2).max(1000).default(10),
});

/** What a validation draws: sizes, seeds and the jackknife's groups. */
export type ValidationSettings = z.output<typeof settingsSchema>;

/** Settings from raw values (defaults filled in), refused with the field, value and what is allowed. */
export function parseValidationSettings(raw: unknown, where = 'feature validation settings'): ValidationSettings {
  const settings = parseWith(settingsSchema, raw, where);
  if (settings.disturbedSeed === settings.cleanSeed)
    throw new RangeError(
      `${where}: disturbedSeed equals cleanSeed (${settings.cleanSeed}); the second draw must be independent of the clean one, so use another seed`,
    );
  if (settings.jackknifeGroups > settings.n)
    throw new RangeError(`${where}: jackknifeGroups ${settings.jackknifeGroups} exceeds n ${settings.n}; allowed: at most n`);
  return settings;
}

/** One level of a curve. */
export interface LevelResult {
  readonly level: number;
  /** The disturbance's parameter at this level (its unit: the curve's `parameter`). */
  readonly parameter: number;
  /** Fréchet distance between the clean draw and the disturbed second draw, (feature units)^2. */
  readonly fd: number;
  /** Its delete-one-group jackknife standard error. */
  readonly fdStderr: number;
  /** fd / the level-0 fd (the floor of two undisturbed draws). */
  readonly fdOverFloor: number;
}

/** The rise from one level to the next, with its paired jackknife standard error. */
export interface GapResult {
  readonly from: number;
  readonly to: number;
  /** fd(to) - fd(from). */
  readonly gap: number;
  /** Jackknife stderr of the gap (the same groups deleted at both levels). */
  readonly gapStderr: number;
  /** gap / gapStderr: how many standard errors the rise clears zero by. */
  readonly gapZ: number;
  /** gap / the larger of the two levels' fd stderr: the margin as if the levels were independent draws (smaller). */
  readonly gapOverFdStderr: number;
}

/** FD against level for one disturbance in one space. */
export interface CurveResult {
  readonly disturbance: DisturbanceName;
  readonly kind: 'frame' | 'clip';
  readonly parameter: string;
  readonly levels: readonly LevelResult[];
  readonly gaps: readonly GapResult[];
  /** Spearman's rho between level and fd (1: fd rises strictly with the level). */
  readonly rho: number;
  readonly pass: boolean;
}

/** The validation of one feature space. */
export interface SpaceResult {
  readonly extractor: string;
  readonly version: string;
  readonly kind: 'image' | 'video';
  /** What the space was given of each clip. */
  readonly sees: string;
  readonly dim: number;
  readonly curves: readonly CurveResult[];
  /** Disturbances the space cannot see (clip disturbances for image spaces), with why. */
  readonly notApplicable: readonly { readonly disturbance: DisturbanceName; readonly reason: string }[];
  /** Every applicable curve passes. */
  readonly pass: boolean;
  /** Distances computed with fewer samples than dimensions (singular covariances), said once. */
  readonly warnings: readonly string[];
  /** Wall-clock seconds for this space (drawing, disturbing, extracting, distances) on the machine that ran it. */
  readonly seconds: number;
}

/** What `validate-features` writes. */
export interface FeatureValidation {
  readonly format: 'pyramid-bench-feature-validation';
  readonly version: 1;
  readonly settings: ValidationSettings;
  readonly disturbances: readonly {
    name: DisturbanceName;
    kind: 'frame' | 'clip';
    description: string;
    parameter: string;
    levels: readonly number[];
  }[];
  readonly spaces: readonly SpaceResult[];
}

/** The disturbances table as recorded in results. */
export function disturbanceTable(): FeatureValidation['disturbances'] {
  return [...FRAME_DISTURBANCES, ...CLIP_DISTURBANCES].map((name) => {
    const d = DISTURBANCES[name];
    return { name, kind: d.kind, description: d.description, parameter: d.parameter, levels: d.levels };
  });
}

/** Features of clips through an extractor, in its batch size: rows x d float32. */
async function featuresOf(extractor: FeatureExtractor, clips: readonly Clip[]): Promise<{ data: Float32Array; dim: number }> {
  const parts: Float32Array[] = [];
  for (let i = 0; i < clips.length; i += extractor.batchSize) parts.push(await extractor.extract(clips.slice(i, i + extractor.batchSize)));
  const data = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.length;
  }
  return { data, dim: data.length / clips.length };
}

/**
 * The moments of all rows and of all rows but each group's (the jackknife's leave-one-group-out sets): each
 * group's sums once, then each set's sums added group by group in row order.
 */
function jackknifeMoments(features: Float32Array, dim: number, groups: readonly number[][]): { all: Moments; without: Moments[] } {
  const sums = groups.map((g) => {
    const stats = createStats(dim, g[0]);
    accumulate(stats, features.subarray(g[0] * dim, (g[g.length - 1] + 1) * dim), g.length);
    return totalSums(stats);
  });
  const sumOf = (skip: number) => {
    const total = { count: 0, sum: new Float64Array(dim), outer: new Float64Array(packedLength(dim)) };
    sums.forEach((s, g) => {
      if (g === skip) return;
      total.count += s.count;
      for (let i = 0; i < dim; i++) total.sum[i] += s.sum[i];
      for (let i = 0; i < s.outer.length; i++) total.outer[i] += s.outer[i];
    });
    return momentsOfSums(total, dim);
  };
  return { all: sumOf(-1), without: groups.map((_, g) => sumOf(g)) };
}

/** Progress while a space is validated: the extractor, what was just computed, and how far along. */
export type ValidationProgress = (extractor: string, step: string, done: number, total: number) => void;

/**
 * Validates one feature space: FD against level for every disturbance it can see, Spearman's rho per disturbance
 * and whether the space passes. The extractor is the caller's to open and close.
 */
export async function validateFeatureSpace(
  extractor: FeatureExtractor,
  settings: ValidationSettings,
  onProgress?: ValidationProgress,
): Promise<SpaceResult> {
  const started = performance.now();
  const { n, frames, size } = settings;
  const shape: ClipShape = { frames, height: size, width: size };
  const kind = extractor.info.kind === 'image' ? 'image' : 'video';
  const name = extractor.info.name;
  const toClip = (values: Float32Array): Clip => {
    const all = tensorToFrames(values, 3, frames, size, size);
    return { width: size, height: size, frames: kind === 'image' ? [all[0]] : all };
  };
  const applicable = kind === 'image' ? [...FRAME_DISTURBANCES] : [...FRAME_DISTURBANCES, ...CLIP_DISTURBANCES];
  const total = 2 + applicable.length * 4;
  let done = 0;
  const step = (what: string) => onProgress?.(name, what, ++done, total);

  const groups = contiguousGroups(n, settings.jackknifeGroups);
  const clean = await featuresOf(
    extractor,
    Array.from({ length: n }, (_, i) => toClip(shapesVideo(settings.cleanSeed, i, shape).values)),
  );
  const cleanMoments = jackknifeMoments(clean.data, clean.dim, groups);
  step('clean draw');
  const second = Array.from({ length: n }, (_, i) => shapesVideo(settings.disturbedSeed, i, shape).values);
  const noise: NoiseSource = new PhiloxNoise(settings.disturbanceSeed);
  const warnings = new Set<string>();

  /** The distance of one disturbed set to the clean draw, with its leave-one-group-out values. */
  const distance = async (clips: Clip[]) => {
    const f = await featuresOf(extractor, clips);
    if (f.dim !== clean.dim)
      throw new RangeError(`extractor ${name} gave ${f.dim} features for the disturbed draw, ${clean.dim} for the clean one`);
    const m = jackknifeMoments(f.data, f.dim, groups);
    const whole = frechetFromMoments(m.all, cleanMoments.all);
    for (const w of whole.warnings) warnings.add(w);
    const without = m.without.map((mg, g) => frechetFromMoments(mg, cleanMoments.without[g]).fd);
    return { fd: whole.fd, without };
  };

  const floor = await distance(second.map(toClip));
  step('level 0 (the floor)');
  const curves: CurveResult[] = [];
  for (const disturbance of applicable) {
    const d = DISTURBANCES[disturbance];
    const points = [floor];
    for (let level = 1; level < d.levels.length; level++) {
      points.push(await distance(second.map((values, i) => toClip(disturbClip(values, shape, disturbance, level, noise, i)))));
      step(`${disturbance} level ${level}`);
    }
    const stderrs = points.map((p) => jackknifeStderr(p.without));
    const levels = points.map((p, level) => ({
      level,
      parameter: d.levels[level],
      fd: p.fd,
      fdStderr: stderrs[level],
      fdOverFloor: p.fd / floor.fd,
    }));
    const gaps = points.slice(1).map((p, k) => {
      const gap = p.fd - points[k].fd;
      const gapStderr = jackknifeStderr(p.without.map((v, g) => v - points[k].without[g]));
      return {
        from: k,
        to: k + 1,
        gap,
        gapStderr,
        gapZ: gap / gapStderr,
        gapOverFdStderr: gap / Math.max(stderrs[k], stderrs[k + 1]),
      };
    });
    const rho = spearmanRho(
      levels.map((l) => l.parameter),
      levels.map((l) => l.fd),
    );
    curves.push({ disturbance, kind: d.kind, parameter: d.parameter, levels, gaps, rho, pass: rho === 1 });
  }
  const notApplicable =
    kind === 'image'
      ? CLIP_DISTURBANCES.map((disturbance) => ({
          disturbance,
          reason: 'an image space sees one frame of each clip; the order of the frames does not reach it',
        }))
      : [];
  return {
    extractor: name,
    version: extractor.info.version,
    kind,
    sees: kind === 'image' ? `frame 0 of each clip (${size}x${size})` : `the clip (${frames} frames at ${size}x${size})`,
    dim: clean.dim,
    curves,
    notApplicable,
    pass: curves.every((c) => c.pass),
    warnings: [...warnings],
    seconds: (performance.now() - started) / 1000,
  };
}
