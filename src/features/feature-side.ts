/**
 * One side of a feature-space distance, from a statistics file or an input: shared by the `fd` command and the
 * suite runner's `fd` metric.
 */
import { openClipSource } from '../data/clip-sources.ts';
import { isStatsFile, readStatsFile } from '../metrics/stats-file.ts';
import { moments } from '../metrics/feature-stats.ts';
import type { GaussianStats } from '../metrics/frechet.ts';
import type { FeatureMatrix } from '../metrics/kid.ts';
import { extractStatistics } from './extract-stats.ts';
import type { FeatureExtractor } from './extractor.ts';

/** One side of a distance: its Gaussian statistics, which extractor made them, and its features when kept. */
export interface FeatureSide {
  readonly what: string;
  readonly gaussian: GaussianStats;
  readonly extractor: string | null;
  readonly features?: FeatureMatrix;
}

/**
 * Reads one side of a distance: a statistics file (ours, pytorch-fid, clean-fid incl. KID features, ADM reference
 * batches, whose arr_0 images give features for KID and precision/recall as guided-diffusion's evaluator does) or
 * an input (image or video folder, video file, sample .npz, shapes:n=...) through the extractor.
 */
export async function featureSide(
  reference: string,
  extractor: () => Promise<FeatureExtractor>,
  needFeatures: boolean,
  frame: number | undefined,
): Promise<FeatureSide> {
  if (isStatsFile(reference)) {
    const s = readStatsFile(reference);
    const name = s.meta?.extractor ? `${s.meta.extractor.name} ${s.meta.extractor.version}` : null;
    let features = s.features ? { data: s.features, rows: s.count!, dim: s.dim } : undefined;
    if (needFeatures && s.format === 'adm') {
      // as guided-diffusion's evaluator: FD from the stored full-set statistics, precision/recall and KID from the
      // features of the reference images in arr_0
      const images = openClipSource(reference);
      try {
        features = (await extractStatistics(images, await extractor(), { keepFeatures: true })).features;
      } finally {
        images.close();
      }
    }
    return {
      what: `${reference} (${s.format} statistics)`,
      gaussian: { mu: s.mu, sigma: s.sigma, count: s.count },
      extractor: name,
      ...(features ? { features } : {}),
    };
  }
  const e = await extractor();
  // video decoding stops at the frames the extractor reads (or the one frame asked for)
  const source = openClipSource(reference, { frame, maxFrames: frame === undefined ? e.info.framesNeeded : frame + 1 });
  try {
    const r = await extractStatistics(source, e, { keepFeatures: needFeatures });
    return {
      what: source.description,
      gaussian: moments(r.stats),
      extractor: `${e.info.name} ${e.info.version}`,
      ...(r.features ? { features: r.features } : {}),
    };
  } finally {
    source.close();
  }
}
