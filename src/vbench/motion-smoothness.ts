/**
 * VBench's motion smoothness protocol (`vbench/motion_smoothness.py:28-192`, Vchitect/VBench 45e79ec): keep
 * the even-indexed frames 0, 2, 4, ...; pad them to a multiple of 16 (replicated edges); predict the midpoint
 * of each consecutive kept pair with a frame interpolator; unpad; quantise as `tensor2img` does
 * (clip to [0, 255], then truncate to uint8); compare the k-th prediction with the real odd frame 2k + 1 by
 * the mean absolute difference over pixels and channels. A video scores (255 - mean_k MAE_k) / 255; the
 * dimension is the plain mean over videos. (VBench's VRAM-driven downscaling does not trigger on a large GPU
 * or on CPU and is not reproduced.)
 */
import type { VideoClip } from './video/clip.ts';
import { everyNth } from './video/frame-sampling.ts';
import type { FrameInterpolator } from './interpolation/interpolator.ts';
import { padAmounts, padReplicate, unpad } from './video/padding.ts';
import { meanAbsoluteDifference } from './temporal-flickering.ts';

/** VBench's `tensor2img` on 0-255 floats: clip to [0, 255] and truncate (numpy `astype(np.uint8)`). */
export function quantiseTruncate(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (Number.isNaN(x)) throw new RangeError(`quantiseTruncate: value ${i} is NaN`);
    out[i] = x <= 0 ? 0 : x >= 255 ? 255 : Math.trunc(x);
  }
  return out;
}

/** One video's motion smoothness: score in [0, 1] and the MAE (grey levels) of each predicted odd frame. */
export interface MotionSmoothnessVideo {
  readonly score: number;
  readonly frameMae: number[];
}

/** Runs the even/odd protocol on `clip` with `interpolator`. Needs at least 3 frames (two kept, one to predict). */
export async function motionSmoothnessVideo(clip: VideoClip, interpolator: FrameInterpolator): Promise<MotionSmoothnessVideo> {
  const { width, height, frames } = clip;
  const kept = everyNth(frames, 2, 0);
  const odd = everyNth(frames, 2, 1);
  if (kept.length < 2 || odd.length < 1) {
    throw new RangeError(
      `motion smoothness: video ${clip.id} has ${frames.length} frames; at least 3 are needed (VBench asserts more than one even-indexed frame)`,
    );
  }
  const pads = padAmounts(height, width, 16);
  const pw = width + pads.left + pads.right;
  const ph = height + pads.top + pads.bottom;
  const padded = kept.map((f) => padReplicate(f, width, height, 3, pads));
  const frameMae: number[] = [];
  for (let k = 0; k + 1 < padded.length; k++) {
    const prediction = await interpolator.interpolate(padded[k], padded[k + 1], pw, ph);
    if (prediction.length !== pw * ph * 3)
      throw new RangeError(`${interpolator.name}: returned ${prediction.length} values for a ${pw}x${ph} RGB frame`);
    frameMae.push(meanAbsoluteDifference(unpad(quantiseTruncate(prediction), pw, ph, 3, pads), odd[k]));
  }
  const mean = frameMae.reduce((a, b) => a + b, 0) / frameMae.length;
  return { score: (255 - mean) / 255, frameMae };
}

/** The dimension score: the mean of the per-video scores (`motion_smoothness.py:165-172`). */
export function motionSmoothnessScore(videoScores: readonly number[]): number {
  if (videoScores.length === 0) throw new RangeError('motion smoothness: no videos to average');
  return videoScores.reduce((a, b) => a + b, 0) / videoScores.length;
}
