/**
 * The two per-frame-network quality dimensions' formulas (Vchitect/VBench 45e79ec):
 * - aesthetic quality (`vbench/aesthetic_quality.py:42-72`): per video, the mean over all frames of the
 *   LAION head's output / 10; dimension = mean over videos;
 * - imaging quality (`vbench/imaging_quality.py:43-56`): per video, the mean MUSIQ score over all frames, kept
 *   on MUSIQ's 0-100 scale (VBench stores it so); dimension = mean over videos / 100.
 * Both need their networks; without them the dimensions are not computed (never estimated).
 */

/** Mean of per-frame values; `what` names the video in the error for an empty list or a non-finite value. */
export function frameMean(values: readonly number[], what: string): number {
  if (values.length === 0) throw new RangeError(`${what}: no frames`);
  let s = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`${what}: a frame score is ${v}`);
    s += v;
  }
  return s / values.length;
}

/** Aesthetic quality of one video from its per-frame head outputs / 10. */
export function aestheticQualityVideo(frameScores: readonly number[], id: string): number {
  return frameMean(frameScores, `aesthetic quality of ${id}`);
}

/** Aesthetic quality's dimension score: the mean over videos. */
export function aestheticQualityScore(videoScores: readonly number[]): number {
  return frameMean(videoScores, 'aesthetic quality (mean over videos)');
}

/** Imaging quality of one video: the mean MUSIQ score of its frames, 0-100 scale. */
export function imagingQualityVideo(frameScores: readonly number[], id: string): number {
  return frameMean(frameScores, `imaging quality of ${id}`);
}

/** Imaging quality's dimension score: the mean over videos of their 0-100 scores, divided by 100. */
export function imagingQualityScore(videoScores: readonly number[]): number {
  return frameMean(videoScores, 'imaging quality (mean over videos)') / 100;
}
