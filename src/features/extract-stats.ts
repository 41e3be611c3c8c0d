/**
 * Features -> statistics, streaming: clips are read from a source a batch at a time, passed through an
 * extractor, and accumulated into mergeable feature statistics (src/metrics/feature-stats.ts). Rows are numbered
 * by their index in the source, so the statistics of a slice [start, start + count) merge exactly with those of
 * the next slice. Features (for KID, precision/recall, clean-fid KID files) and images (ADM reference batches)
 * are kept only when asked.
 */
import type { ClipSource } from '../data/clip-sources.ts';
import { accumulate, createStats, type FeatureStats } from '../metrics/feature-stats.ts';
import type { FeatureExtractor } from './extractor.ts';
import { checkAllocation } from '../core/memory-limits.ts';

/** Which inputs to read and what to keep besides the statistics. */
export interface ExtractionOptions {
  /** First input index (default 0). */
  readonly start?: number;
  /** Number of inputs (default: to the end of the source). */
  readonly count?: number;
  readonly keepFeatures?: boolean;
  /** Keep the RGB images (image sources, all of one size). */
  readonly keepImages?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Statistics of the inputs read, with the features (float32, rows x dim) and images when kept. */
export interface Extraction {
  readonly stats: FeatureStats;
  readonly features?: { readonly data: Float32Array; readonly rows: number; readonly dim: number };
  readonly images?: { readonly data: Uint8Array; readonly count: number; readonly height: number; readonly width: number };
}

/** Runs `extractor` over inputs [start, start + count) of `source` and accumulates their statistics. */
export async function extractStatistics(
  source: ClipSource,
  extractor: FeatureExtractor,
  options: ExtractionOptions = {},
): Promise<Extraction> {
  const start = options.start ?? 0;
  const count = options.count ?? source.count - start;
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(count) || count < 1 || start + count > source.count) {
    throw new RangeError(`inputs ${start} to ${start + count - 1} are outside ${source.description}, which has ${source.count}`);
  }
  if (extractor.info.kind === 'video' && source.kind === 'image')
    throw new RangeError(`extractor ${extractor.info.name} takes video clips, but ${source.description} holds images`);
  let stats: FeatureStats | undefined;
  const featureParts: Float32Array[] = [];
  const imageParts: Uint8Array[] = [];
  let imageSize: [number, number] | undefined;
  for (let done = 0; done < count; ) {
    const n = Math.min(extractor.batchSize, count - done);
    const clips = await source.read(start + done, n);
    const features = await extractor.extract(clips);
    const dim = features.length / n;
    if (!stats)
      // the streaming sums hold a few packed d x d float64 matrices, and the Fréchet distance works on about six d x d
      checkAllocation(
        6 * 8 * dim * dim,
        `extractor ${extractor.info.name}`,
        `features of dimension ${dim}: the ${dim}x${dim} float64 covariance and the matrices the Fréchet distance works on`,
      );
    stats ??= createStats(dim, start);
    accumulate(stats, features, n);
    if (options.keepFeatures) featureParts.push(features);
    if (options.keepImages) {
      for (const [i, clip] of clips.entries()) {
        imageSize ??= [clip.height, clip.width];
        if (clip.height !== imageSize[0] || clip.width !== imageSize[1])
          throw new RangeError(
            `input ${start + done + i} is ${clip.height}x${clip.width}; a reference batch needs every image at ${imageSize[0]}x${imageSize[1]}`,
          );
        imageParts.push(clip.frames[0]);
      }
    }
    done += n;
    options.onProgress?.(done, count);
  }
  const result: { stats: FeatureStats; features?: Extraction['features']; images?: Extraction['images'] } = { stats: stats! };
  if (options.keepFeatures) {
    const data = new Float32Array(count * stats!.dim);
    let o = 0;
    for (const p of featureParts) {
      data.set(p, o);
      o += p.length;
    }
    result.features = { data, rows: count, dim: stats!.dim };
  }
  if (options.keepImages && imageSize) {
    const data = new Uint8Array(count * imageSize[0] * imageSize[1] * 3);
    imageParts.forEach((p, i) => data.set(p, i * p.length));
    result.images = { data, count, height: imageSize[0], width: imageSize[1] };
  }
  return result;
}
