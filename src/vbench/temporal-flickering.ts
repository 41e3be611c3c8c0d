/**
 * VBench's temporal flickering (`vbench/temporal_flickering.py:30-73`, Vchitect/VBench 45e79ec): no network.
 * For each consecutive pair of frames (all frames, native resolution) MAE_t is the mean over pixels and
 * channels of |f_t - f_{t+1}| on the 0-255 scale; a video scores (255 - mean_t MAE_t) / 255, and the
 * dimension is the plain mean over videos. VBench evaluates only videos its static filter passes
 * (see static-filter.ts); that selection happens before this is called.
 */
import type { VideoClip } from './video/clip.ts';

/** Mean absolute difference of two RGB24 frames over all pixels and channels, grey levels (0-255). */
export function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError(`meanAbsoluteDifference: frames of ${a.length} and ${b.length} bytes`);
  if (a.length === 0) throw new RangeError('meanAbsoluteDifference: empty frames');
  // integer sums are exact up to 2^53 / 255 bytes
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d < 0 ? -d : d;
  }
  return sum / a.length;
}

/** One video's temporal flickering: its score in [0, 1] and the per-pair MAE values (grey levels). */
export interface TemporalFlickeringVideo {
  readonly score: number;
  readonly pairMae: number[];
}

/** (255 - mean_t MAE(f_t, f_{t+1})) / 255 over all consecutive pairs; needs at least two frames. */
export function temporalFlickeringVideo(clip: VideoClip): TemporalFlickeringVideo {
  const { frames } = clip;
  if (frames.length < 2)
    throw new RangeError(
      `temporal flickering: video ${clip.id} has ${frames.length} frame; at least 2 are needed (VBench's mean over no pairs is NaN)`,
    );
  const pairMae: number[] = [];
  for (let t = 0; t + 1 < frames.length; t++) pairMae.push(meanAbsoluteDifference(frames[t], frames[t + 1]));
  const mean = pairMae.reduce((x, y) => x + y, 0) / pairMae.length;
  return { score: (255 - mean) / 255, pairMae };
}

/** The dimension score: the mean of the per-video scores (`temporal_flickering.py:58-62`). */
export function temporalFlickeringScore(videoScores: readonly number[]): number {
  if (videoScores.length === 0)
    throw new RangeError('temporal flickering: no videos to average (VBench gives NaN); were all videos filtered out as not static?');
  return videoScores.reduce((a, b) => a + b, 0) / videoScores.length;
}
