/**
 * `fd`: the Fréchet distance in the feature space of an extractor (the FID family: FID with the FID Inception,
 * FD_DINOv2, FVD-style distances with a video network, or the built-in seeded random networks), as pytorch-fid /
 * clean-fid compute it (`src/metrics/frechet.ts`), with optional KID (torch-fidelity's or clean-fid's subsets) and
 * precision/recall (Kynkäänniemi et al., 2019) on the same features. The reference is either the suite's reference
 * samples (then the floor, two reference sets of the same size, is reported beside it) or a file: a statistics
 * file people already have (pytorch-fid, clean-fid, guided-diffusion reference batches, ours) or an input (image or
 * video folder, sample .npz, shapes:n=...). Features are computed per chunk and cached; statistics are accumulated
 * in chunk order, so shards merge exactly; the FD's uncertainty is the delete-one-group jackknife over chunks.
 */
import { z } from 'zod';
import { parseWith, strictObject } from '../../core/schema.ts';
import { tensorToFrames } from '../../data/quantize.ts';
import { openClipSource, type Clip } from '../../data/clip-sources.ts';
import { NpzFile } from '../../io/npz-file.ts';
import type { FeatureExtractor } from '../../features/extractor.ts';
import { featureSide, type FeatureSide } from '../../features/feature-side.ts';
import { extractorIdentity, extractors, openExtractor } from '../../features/registry.ts';
import { existsSync } from 'node:fs';
import { momentsOfChunks } from '../../metrics/feature-stats.ts';
import { FRECHET_COMPAT, frechetFromMoments, type GaussianStats } from '../../metrics/frechet.ts';
import { kernelInceptionDistance, type FeatureMatrix } from '../../metrics/kid.ts';
import { precisionRecall } from '../../metrics/precision-recall.ts';
import { contiguousGroups, jackknifeStderr } from '../../core/statistics.ts';
import type { MetricPlugin, MetricValue, SampleChunk, SampleSetKind, Uncertainty } from '../contract/plugin.ts';

const optionsSchema = strictObject({
  /** A registered extractor (`pyramid-bench list`) or an extractor manifest file. */
  extractor: z.string().min(1),
  /** For image extractors: which frame of each generated clip is the image. */
  frame: z.number().int().min(0).default(0),
  reference: z
    .discriminatedUnion('kind', [
      strictObject({ kind: z.literal('suite') }),
      strictObject({
        kind: z.literal('file'),
        path: z.string().min(1).describe('statistics file or input (folder, .npz, video, shapes:n=...)'),
      }),
    ])
    .default({ kind: 'suite' }),
  compat: z.enum(['none', 'pytorch-fid', 'clean-fid']).default('none'),
  kid: strictObject({
    protocol: z.enum(['torch-fidelity', 'clean-fid']).default('torch-fidelity'),
    subsets: z.number().int().min(1).default(100),
    subsetSize: z.number().int().min(2).default(1000),
    seed: z.number().int().min(0).default(2020),
  })
    .nullable()
    .default(null),
  precisionRecall: strictObject({ neighborhood: z.number().int().min(1).default(3) })
    .nullable()
    .default(null),
  jackknifeGroups: z.number().int().min(2).max(1000).default(10),
  /** Whether the distance is a headline value (false for secondary spaces, e.g. random-network features beside trained ones). */
  headline: z.boolean().default(true),
});

export type FeatureFdOptions = z.output<typeof optionsSchema>;

/** One chunk's features: rows x dim float32, rows in index order. */
export interface FeatureState {
  readonly rows: number;
  readonly dim: number;
  readonly features: Float32Array;
}

const opened = new Map<string, Promise<FeatureExtractor>>();
const openCached = (reference: string) => {
  if (!opened.has(reference)) opened.set(reference, openExtractor(reference));
  return opened.get(reference)!;
};

/** Generated clips [rows, C, T, H, W] in [-1, 1] as uint8 RGB clips (the metrics' input convention). */
function clipsOf(chunk: SampleChunk, kind: FeatureExtractor['info']['kind'], frame: number, where: string): Clip[] {
  const [rows, C, T, H, W] = chunk.samples.shape;
  if (C !== 1 && C !== 3)
    throw new RangeError(`${where}: samples have ${C} channels; feature extractors take RGB (1 or 3 channels; decode latents first)`);
  if (kind === 'image' && frame >= T)
    throw new RangeError(`${where}: options.frame is ${frame}, but the samples have ${T} frames; allowed 0 to ${T - 1}`);
  return Array.from({ length: rows }, (_, i) => {
    const frames = tensorToFrames(chunk.samples.sample(i), C, T, H, W);
    return { width: W, height: H, frames: kind === 'image' ? [frames[frame]] : frames };
  });
}

async function chunkFeatures(chunk: SampleChunk, options: FeatureFdOptions): Promise<FeatureState> {
  const extractor = await openCached(options.extractor);
  const clips = clipsOf(chunk, extractor.info.kind, options.frame, `fd (${extractor.info.name})`);
  const parts: Float32Array[] = [];
  for (let i = 0; i < clips.length; i += extractor.batchSize) parts.push(await extractor.extract(clips.slice(i, i + extractor.batchSize)));
  const total = parts.reduce((a, p) => a + p.length, 0);
  const features = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    features.set(p, o);
    o += p.length;
  }
  return { rows: clips.length, dim: clips.length ? total / clips.length : 0, features };
}

function matrixOf(states: readonly FeatureState[]): FeatureMatrix {
  const rows = states.reduce((a, s) => a + s.rows, 0);
  const dim = states[0].dim;
  const data = new Float32Array(rows * dim);
  let o = 0;
  for (const s of states) {
    data.set(s.features, o);
    o += s.features.length;
  }
  return { data, rows, dim };
}

/** File references, read once per process (path, extractor, frame and whether features are kept). */
const fileSides = new Map<string, Promise<FeatureSide>>();

function fileSide(options: FeatureFdOptions, path: string): Promise<FeatureSide> {
  const needFeatures = options.kid !== null || options.precisionRecall !== null;
  const key = JSON.stringify([path, options.extractor, options.frame, needFeatures]);
  if (!fileSides.has(key))
    fileSides.set(
      key,
      featureSide(path, () => openCached(options.extractor), needFeatures, options.frame),
    );
  return fileSides.get(key)!;
}

/**
 * Checks, before anything is generated, that the files this metric will need can be read: the extractor (a
 * registered name, or a manifest file that exists) and a file reference (a statistics file or sample .npz whose
 * zip directory reads, or an input folder or video the clip sources open, or shapes:n=...). A truncated or
 * missing reference fails `validate` and `run` here instead of after every sample was generated. Statistics are
 * not computed here; a file that opens but holds bad values is refused when it is read.
 */
function checkFiles(options: FeatureFdOptions): void {
  const e = options.extractor;
  if (!extractors.has(e)) {
    if (!/\.(json|ya?ml)$/i.test(e))
      throw new RangeError(
        `options.extractor: unknown feature extractor '${e}'; allowed: ${extractors.names().join(', ')}, or a manifest file (.json, .yaml)`,
      );
    if (!existsSync(e)) throw new RangeError(`options.extractor: feature manifest ${e} does not exist`);
  }
  if (options.reference.kind !== 'file') return;
  const file = options.reference.path;
  try {
    if (file.toLowerCase().endsWith('.npz')) new NpzFile(file).close();
    else openClipSource(file).close();
  } catch (error) {
    throw new RangeError(`options.reference.path: ${file} cannot be read: ${(error as Error).message}`);
  }
}

async function finalizeFeatureFd(
  options: FeatureFdOptions,
  chunks: readonly number[],
  states: Partial<Record<SampleSetKind, readonly FeatureState[]>>,
): Promise<MetricValue[]> {
  const samples = states.samples!;
  const compat = FRECHET_COMPAT[options.compat];
  const all = chunks.map((_, p) => p);
  let reference: GaussianStats;
  let referenceFeatures: FeatureMatrix | undefined;
  let floor: number | null = null;
  let described: string;
  if (options.reference.kind === 'suite') {
    reference = momentsOfChunks(states.reference!, all);
    floor = frechetFromMoments(momentsOfChunks(states.second!, all), reference, compat).fd;
    referenceFeatures = matrixOf(states.reference!);
    described = 'the suite reference';
  } else {
    const side = await fileSide(options, options.reference.path);
    reference = side.gaussian;
    referenceFeatures = side.features;
    described = side.what;
  }
  if (reference.mu.length !== samples[0].dim) {
    throw new RangeError(
      `fd: the reference ${described} has feature dimension ${reference.mu.length}, extractor ${options.extractor} gives ${samples[0].dim}; they must come from the same extractor`,
    );
  }
  const whole = frechetFromMoments(momentsOfChunks(samples, all), reference, {
    ...compat,
    sources: ['fd: the samples', `fd: the reference ${described}`],
  });
  const groups = contiguousGroups(chunks.length, options.jackknifeGroups);
  let fdU: Uncertainty;
  if (groups.length < 2) fdU = { kind: 'none', reason: `one chunk (${chunks.length}): no jackknife; use more samples or a smaller chunk` };
  else {
    const leaveOut = groups.map(
      (g) =>
        frechetFromMoments(
          momentsOfChunks(
            samples,
            all.filter((p) => !g.includes(p)),
          ),
          reference,
          compat,
        ).fd,
    );
    fdU = {
      kind: 'stderr',
      stderr: jackknifeStderr(leaveOut),
      n: groups.length,
      method: `delete-one-group jackknife over ${groups.length} groups of chunks (reference fixed)`,
    };
  }
  const rows = samples.reduce((a, s) => a + s.rows, 0);
  const unit = '(feature units)^2';
  const label = `Fréchet distance in ${options.extractor} features to ${described} (${rows} samples, d = ${samples[0].dim}${options.compat !== 'none' ? `, ${options.compat} numerics` : ''})`;
  const note = whole.warnings.length ? whole.warnings.join('; ') : undefined;
  const values: MetricValue[] = [
    {
      key: 'fd',
      label,
      value: whole.fd,
      unit,
      direction: 'lower',
      uncertainty: fdU,
      measured: false,
      headline: options.headline,
      ...(note ? { note } : {}),
    },
  ];
  if (floor !== null) {
    const exact: Uncertainty = { kind: 'none', reason: "the reference sets are fixed draws; see fd for the samples' uncertainty" };
    values.push({
      key: 'fdFloor',
      label: 'the same distance between two reference sets of the same size (the floor)',
      value: floor,
      unit,
      direction: 'none',
      uncertainty: exact,
      measured: false,
    });
    values.push({
      key: 'fdOverFloor',
      label: 'fd / fdFloor (about 1 when the samples match the reference)',
      value: whole.fd / floor,
      unit: 'ratio',
      direction: 'lower',
      uncertainty: exact,
      measured: false,
    });
  }
  if (options.kid || options.precisionRecall) {
    if (!referenceFeatures)
      throw new RangeError(
        `fd: KID and precision/recall need the reference's features; ${described} holds only mean and covariance (use an input, a clean-fid KID file or a reference batch with arr_0)`,
      );
    const generated = matrixOf(samples);
    if (options.kid) {
      const subsetSize = Math.min(options.kid.subsetSize, generated.rows, referenceFeatures.rows);
      const kid = kernelInceptionDistance(generated, referenceFeatures, { ...options.kid, subsetSize });
      values.push({
        key: 'kid',
        label: `kernel inception distance in ${options.extractor} features (${kid.subsets} subsets of ${kid.subsetSize}, ${kid.protocol})`,
        value: kid.kid,
        unit: '(feature units)^2',
        direction: 'lower',
        uncertainty: {
          kind: 'stderr',
          stderr: kid.std / Math.sqrt(kid.subsets),
          n: kid.subsets,
          method: 'standard deviation over subsets / sqrt(subsets)',
        },
        measured: false,
        headline: true,
      });
    }
    if (options.precisionRecall) {
      const pr = precisionRecall(referenceFeatures, generated, { neighborhood: options.precisionRecall.neighborhood });
      const none: Uncertainty = { kind: 'none', reason: 'one k-NN manifold estimate' };
      values.push({
        key: 'precision',
        label: `precision (k = ${pr.neighborhood}): generated samples inside the reference manifold`,
        value: pr.precision,
        unit: 'fraction',
        direction: 'higher',
        uncertainty: none,
        measured: false,
      });
      values.push({
        key: 'recall',
        label: `recall (k = ${pr.neighborhood}): reference samples inside the generated manifold`,
        value: pr.recall,
        unit: 'fraction',
        direction: 'higher',
        uncertainty: none,
        measured: false,
      });
    }
  }
  return values;
}

/** The `fd` metric. */
export const featureFdMetric: MetricPlugin<FeatureFdOptions, FeatureState> = {
  name: 'fd',
  version: 1,
  description: "Fréchet distance in an extractor's features (FID family), optional KID and precision/recall; suite or file reference",
  referenceSets: ['reference', 'second'],
  setsFor: (options) => (options.reference.kind === 'suite' ? ['reference', 'second'] : []),
  parseOptions: (raw, where) => parseWith(optionsSchema, raw, where),
  stateIdentity: (options) => extractorIdentity(options.extractor),
  check: (options) => checkFiles(options),
  chunkState: (chunk, options) => chunkFeatures(chunk, options),
  encode: (state) => ({ json: { rows: state.rows, dim: state.dim }, arrays: { features: state.features } }),
  decode(encoded) {
    const { rows, dim } = encoded.json as { rows: number; dim: number };
    const features = encoded.arrays.features;
    if (!(features instanceof Float32Array) || features.length !== rows * dim)
      throw new RangeError(`fd state: features do not hold ${rows} x ${dim} float32 values`);
    return { rows, dim, features };
  },
  finalize: (input) => finalizeFeatureFd(input.options, input.chunks, input.states),
};
