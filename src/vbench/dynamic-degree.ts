/**
 * VBench's dynamic degree (`vbench/dynamic_degree.py:26-164`, Vchitect/VBench 45e79ec). Frames are read at
 * native resolution and subsampled to about 8 fps (every `max(1, round(fps / 8))`-th frame; frame folders are
 * not subsampled). For each consecutive pair of kept frames the score is the mean of the largest 5 % flow
 * magnitudes. With N kept frames of size H x W, thres = 6 min(H, W) / 256 pixels and
 * count_num = round(4 N / 16); the video is dynamic when at least count_num pair scores exceed thres
 * (`check_move`, `:84-93`: the count is tested after each pair, so count_num = 0 makes any video with one
 * pair dynamic). The dimension is the fraction of dynamic videos.
 */
import type { VideoClip } from './video/clip.ts';
import { everyNth, roundHalfEven, subsampleInterval } from './video/frame-sampling.ts';
import type { PairScorer } from './flow/pair-scores.ts';

/** Thresholds for one video. */
export interface DynamicDegreeParams {
  /** Pixels of flow (mean of the top 5 % magnitudes) a pair must exceed. */
  readonly thres: number;
  /** Pairs that must exceed it. */
  readonly countNum: number;
}

/** thres = 6 min(H, W) / 256 and count_num = round(4 N / 16) (Python rounding), `dynamic_degree.py:59-61`. */
export function dynamicDegreeParams(height: number, width: number, keptFrames: number): DynamicDegreeParams {
  return { thres: (6.0 * Math.min(height, width)) / 256.0, countNum: roundHalfEven(4 * (keptFrames / 16.0)) };
}

/** VBench's `check_move`: true once `countNum` pair scores above `thres` have been seen (tested after each pair). */
export function isDynamic(pairScores: readonly number[], params: DynamicDegreeParams): boolean {
  let count = 0;
  for (const score of pairScores) {
    if (score > params.thres) count++;
    if (count >= params.countNum) return true;
  }
  return false;
}

/** One video's dynamic degree and how it was decided. */
export interface DynamicDegreeVideo {
  readonly dynamic: boolean;
  /** Frame stride (1 when the clip has no fps). */
  readonly interval: number;
  /** Indices of the kept frames. */
  readonly keptFrames: number[];
  /** Top-5 % mean flow magnitude per consecutive kept pair, pixels (null where NaN). */
  readonly pairScores: (number | null)[];
  readonly params: DynamicDegreeParams;
}

/** Decides whether `clip` is dynamic, with flow statistics from `scorer` (built on the clip's frames). */
export async function dynamicDegreeVideo(clip: VideoClip, scorer: PairScorer): Promise<DynamicDegreeVideo> {
  if (scorer.frames !== clip.frames) throw new RangeError(`dynamic degree: the pair scorer for video ${clip.id} was built on other frames`);
  const interval = clip.fps === null ? 1 : subsampleInterval(clip.fps);
  const keptFrames = everyNth(
    clip.frames.map((_, i) => i),
    interval,
  );
  const params = dynamicDegreeParams(clip.height, clip.width, keptFrames.length);
  const scores: number[] = [];
  for (let k = 0; k + 1 < keptFrames.length; k++) scores.push((await scorer.score(keptFrames[k], keptFrames[k + 1])).top5);
  return { dynamic: isDynamic(scores, params), interval, keptFrames, pairScores: scores.map((s) => (Number.isNaN(s) ? null : s)), params };
}

/** The dimension score: the fraction of dynamic videos (`dynamic_degree.py:140-146`). */
export function dynamicDegreeScore(dynamic: readonly boolean[]): number {
  if (dynamic.length === 0) throw new RangeError('dynamic degree: no videos to average');
  return dynamic.filter((d) => d).length / dynamic.length;
}
