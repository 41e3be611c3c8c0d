/**
 * `fd-pixel`: the Fréchet distance (Heusel et al., 2017, eq. 6) between Gaussians fitted to the method's samples
 * and to reference samples, in pixel space (optionally taken down by 2x2 block means and strided in time, to keep
 * the dimension small), beside its floor: the distance between two independent reference sets of the same size,
 * which is what an exact sampler gets on average. Features are cached per chunk; statistics are float64 sums
 * accumulated in chunk order (`src/metrics/feature-stats.ts`), so shards merge exactly. The uncertainty is the
 * delete-one-group jackknife over contiguous groups of chunks.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { downN } from '../../core/tensor.ts';
import { parseWith, strictObject } from '../../core/schema.ts';
import { momentsOfChunks, type Moments } from '../../metrics/feature-stats.ts';
import { frechetFromMoments } from '../../metrics/frechet.ts';
import { contiguousGroups, jackknifeStderr } from '../../core/statistics.ts';
import type { MethodContext, MetricPlugin, MetricValue, SampleChunk, Uncertainty } from '../contract/plugin.ts';

/** Options of `fd-pixel`. */
export interface PixelFdOptions {
  /** Times to take the samples down by 2x2 block means before the distance (0 = full resolution). */
  readonly downsample: number;
  /** Keep frames 0, s, 2s, ... (1 = every frame). */
  readonly frameStride: number;
  /** Largest feature dimension allowed (the covariance is dimension^2 float64 values and its eigensolve is cubic). */
  readonly maxDimension: number;
  /** Groups of chunks for the jackknife standard error. */
  readonly jackknifeGroups: number;
}

/** The features of one chunk: rows x dim float32, rows in index order. */
export interface PixelFdState {
  readonly rows: number;
  readonly dim: number;
  readonly features: Float32Array;
}

const optionsSchema = strictObject({
  downsample: z.number().int().min(0).max(8).default(0),
  frameStride: z.number().int().min(1).default(1),
  maxDimension: z.number().int().min(1).max(20000).default(4096),
  jackknifeGroups: z.number().int().min(2).max(1000).default(10),
});

/** Feature dimension for samples of shape [C, T, H, W] under the options. */
export function pixelFeatureDimension(shape: readonly number[], options: PixelFdOptions): number {
  const [C, T, H, W] = shape;
  const s = 2 ** options.downsample;
  return C * Math.ceil(T / options.frameStride) * (H / s) * (W / s);
}

/** Pixel features of a chunk: block means `downsample` times, then frames 0, stride, 2 stride, ...; rows x dim. */
export function pixelFeatures(chunk: SampleChunk, options: PixelFdOptions): PixelFdState {
  const small = downN(chunk.samples, options.downsample);
  const [B, C, T, h, w] = small.shape;
  const kept = Array.from({ length: Math.ceil(T / options.frameStride) }, (_, i) => i * options.frameStride);
  const plane = h * w;
  const dim = C * kept.length * plane;
  const features = new Float32Array(B * dim);
  let o = 0;
  for (let b = 0; b < B; b++) {
    const x = small.sample(b);
    for (let c = 0; c < C; c++) {
      for (const t of kept) {
        features.set(x.subarray((c * T + t) * plane, (c * T + t + 1) * plane), o);
        o += plane;
      }
    }
  }
  return { rows: B, dim, features };
}

/** The reference moments and the floor for some chunk positions, kept across methods that share a reference. */
const referenceMemo = new Map<string, { reference: Moments; floor: number }>();

function featuresHash(states: readonly PixelFdState[]): string {
  const h = createHash('sha256');
  for (const s of states) h.update(new Uint8Array(s.features.buffer, s.features.byteOffset, s.features.byteLength));
  return h.digest('hex');
}

function referenceAt(
  sets: { reference: readonly PixelFdState[]; second: readonly PixelFdState[] },
  hashes: string,
  positions: readonly number[],
) {
  const key = `${hashes}:${positions.join(',')}`;
  let entry = referenceMemo.get(key);
  if (!entry) {
    const reference = momentsOfChunks(sets.reference, positions);
    entry = { reference, floor: frechetFromMoments(momentsOfChunks(sets.second, positions), reference).fd };
    if (referenceMemo.size >= 64) referenceMemo.clear();
    referenceMemo.set(key, entry);
  }
  return entry;
}

function distances(
  sets: { samples: readonly PixelFdState[]; reference: readonly PixelFdState[]; second: readonly PixelFdState[] },
  hashes: string,
  positions: readonly number[],
) {
  const { reference, floor } = referenceAt(sets, hashes, positions);
  const fd = frechetFromMoments(momentsOfChunks(sets.samples, positions), reference);
  return { fd: fd.fd, floor, warnings: [...fd.warnings] };
}

function finalizePixelFd(
  options: PixelFdOptions,
  chunks: readonly number[],
  states: Partial<Record<'samples' | 'reference' | 'second', readonly PixelFdState[]>>,
): MetricValue[] {
  const sets = { samples: states.samples!, reference: states.reference!, second: states.second! };
  const all = chunks.map((_, p) => p);
  const hashes = `${featuresHash(sets.reference)}:${featuresHash(sets.second)}`;
  const whole = distances(sets, hashes, all);
  const groups = contiguousGroups(chunks.length, options.jackknifeGroups);
  const unit = '(pixel value)^2';
  let fdU: Uncertainty;
  let floorU: Uncertainty;
  let ratioU: Uncertainty;
  if (groups.length < 2) {
    const reason = `one chunk (${chunks.length}): no jackknife; use more samples or a smaller chunk`;
    fdU = floorU = ratioU = { kind: 'none', reason };
  } else {
    const leaveOut = groups.map((g) =>
      distances(
        sets,
        hashes,
        all.filter((p) => !g.includes(p)),
      ),
    );
    const method = `delete-one-group jackknife over ${groups.length} groups of chunks`;
    fdU = { kind: 'stderr', stderr: jackknifeStderr(leaveOut.map((d) => d.fd)), n: groups.length, method };
    floorU = { kind: 'stderr', stderr: jackknifeStderr(leaveOut.map((d) => d.floor)), n: groups.length, method };
    ratioU = { kind: 'stderr', stderr: jackknifeStderr(leaveOut.map((d) => d.fd / d.floor)), n: groups.length, method };
  }
  const note = whole.warnings.length > 0 ? whole.warnings.join('; ') : undefined;
  const rows = sets.samples.reduce((a, s) => a + s.rows, 0);
  const described = `${rows} samples, dimension ${sets.samples[0].dim}`;
  return [
    {
      key: 'fd',
      label: `pixel Fréchet distance to the reference (${described})`,
      value: whole.fd,
      unit,
      direction: 'lower',
      uncertainty: fdU,
      measured: false,
      headline: true,
      ...(note ? { note } : {}),
    },
    {
      key: 'fdFloor',
      label: 'Fréchet distance between two reference sets of the same size (the floor)',
      value: whole.floor,
      unit,
      direction: 'none',
      uncertainty: floorU,
      measured: false,
    },
    {
      key: 'fdOverFloor',
      label: 'fd / fdFloor (about 1 for an exact sampler)',
      value: whole.fd / whole.floor,
      unit: 'ratio',
      direction: 'lower',
      uncertainty: ratioU,
      measured: false,
      headline: true,
    },
  ];
}

/** The `fd-pixel` metric. */
export const pixelFdMetric: MetricPlugin<PixelFdOptions, PixelFdState> = {
  name: 'fd-pixel',
  version: 1,
  description: 'pixel-space Fréchet distance to the reference, beside the reference-vs-reference floor; jackknife stderr',
  referenceSets: ['reference', 'second'],
  parseOptions: (raw, where) => parseWith(optionsSchema, raw, where),
  check(options: PixelFdOptions, method: MethodContext) {
    const [C, T, H, W] = method.shape;
    const s = 2 ** options.downsample;
    if (H % s !== 0 || W % s !== 0) {
      throw new RangeError(
        `fd-pixel (${method.id}): ${H}x${W} cannot be taken down ${options.downsample} times; allowed downsample: 0 to ${Math.log2(gcdPowerOfTwo(H, W))}`,
      );
    }
    const dim = pixelFeatureDimension(method.shape, options);
    if (dim > options.maxDimension) {
      throw new RangeError(
        `fd-pixel (${method.id}): feature dimension ${dim} (${C} channels x ${Math.ceil(T / options.frameStride)} frames x ${H / s}x${W / s}) exceeds maxDimension ${options.maxDimension}; raise options.downsample (each level halves height and width) or options.frameStride`,
      );
    }
  },
  chunkState: pixelFeatures,
  encode: (state) => ({ json: { rows: state.rows, dim: state.dim }, arrays: { features: state.features } }),
  decode(encoded) {
    const { rows, dim } = encoded.json as { rows: number; dim: number };
    const features = encoded.arrays.features;
    if (!(features instanceof Float32Array) || features.length !== rows * dim)
      throw new RangeError(`fd-pixel state: features do not hold ${rows} x ${dim} float32 values`);
    return { rows, dim, features };
  },
  finalize: (input) => finalizePixelFd(input.options, input.chunks, input.states),
};

/** The largest power of two dividing both numbers. */
function gcdPowerOfTwo(a: number, b: number): number {
  let p = 1;
  while (a % (2 * p) === 0 && b % (2 * p) === 0) p *= 2;
  return p;
}
