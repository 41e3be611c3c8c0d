/**
 * VBench's static-video filter, run before temporal flickering (`static_filter.py:25-157`, Vchitect/VBench
 * 45e79ec). All T frames at native size; the flow statistic is the mean of the top 2 % magnitudes for every
 * consecutive pair and for (first, last) and (last, first). thres = 3 min(H, W) / 256 and
 * count_num = round(2 T / 16). A video is static when no more than count_num consecutive pairs exceed thres
 * (the loop returns "not static" as soon as the count passes count_num) and neither first<->last score
 * exceeds thres * count_num * 2. In the default `temporal_flickering` scope, the first 5 static videos per
 * prompt (files in sorted order) are kept and renamed `{prompt}-{i}.mp4`.
 */
import type { VideoClip } from './video/clip.ts';
import { roundHalfEven } from './video/frame-sampling.ts';
import type { PairScorer } from './flow/pair-scores.ts';

/** Thresholds for one video. */
export interface StaticFilterParams {
  /** Pixels of flow (mean of the top 2 % magnitudes). */
  readonly thres: number;
  readonly countNum: number;
}

/** thres = 3 min(H, W) / 256 and count_num = round(2 T / 16) (Python rounding), `static_filter.py:70-72`. */
export function staticFilterParams(height: number, width: number, frames: number): StaticFilterParams {
  return { thres: (3.0 * Math.min(height, width)) / 256.0, countNum: roundHalfEven(2 * (frames / 16.0)) };
}

/**
 * VBench's `check_static`: `consecutive` are the T - 1 consecutive-pair scores, `firstLast` and `lastFirst`
 * the scores of (first, last) and (last, first). NaN scores never exceed a threshold.
 */
export function isStatic(consecutive: readonly number[], firstLast: number, lastFirst: number, params: StaticFilterParams): boolean {
  let count = 0;
  for (const score of consecutive) {
    if (score > params.thres) count++;
    if (count > params.countNum) return false;
  }
  const limit = params.thres * params.countNum * 2;
  return !(firstLast > limit) && !(lastFirst > limit);
}

/** One video's static-filter verdict and its inputs. */
export interface StaticFilterVideo {
  readonly static: boolean;
  /** Top-2 % mean flow magnitude per consecutive pair, pixels (null where NaN). */
  readonly pairScores: (number | null)[];
  readonly firstLast: number | null;
  readonly lastFirst: number | null;
  readonly params: StaticFilterParams;
}

/** Runs the static filter on `clip` with flow statistics from `scorer` (built on the clip's frames). */
export async function staticFilterVideo(clip: VideoClip, scorer: PairScorer): Promise<StaticFilterVideo> {
  if (scorer.frames !== clip.frames) throw new RangeError(`static filter: the pair scorer for video ${clip.id} was built on other frames`);
  const T = clip.frames.length;
  const params = staticFilterParams(clip.height, clip.width, T);
  const consecutive: number[] = [];
  for (let t = 0; t + 1 < T; t++) consecutive.push((await scorer.score(t, t + 1)).top2);
  const firstLast = (await scorer.score(0, T - 1)).top2;
  const lastFirst = (await scorer.score(T - 1, 0)).top2;
  const nullable = (x: number) => (Number.isNaN(x) ? null : x);
  return {
    static: isStatic(consecutive, firstLast, lastFirst, params),
    pairScores: consecutive.map(nullable),
    firstLast: nullable(firstLast),
    lastFirst: nullable(lastFirst),
    params,
  };
}

/**
 * VBench's selection after filtering: walking videos in sorted path order, keep the static ones, at most
 * `perPrompt` per prompt (5 in VBench's default scope; 0 = no limit, as its `all` scope). Returns the kept
 * items in order.
 */
export function selectStatic<T extends { readonly path: string; readonly prompt: string; readonly static: boolean }>(
  items: readonly T[],
  perPrompt: number,
): T[] {
  if (!Number.isInteger(perPrompt) || perPrompt < 0)
    throw new RangeError(`selectStatic: per-prompt limit ${perPrompt} must be an integer >= 0 (0 = no limit)`);
  const kept: T[] = [];
  const counts = new Map<string, number>();
  for (const item of [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (!item.static) continue;
    const n = counts.get(item.prompt) ?? 0;
    if (perPrompt > 0 && n >= perPrompt) continue;
    counts.set(item.prompt, n + 1);
    kept.push(item);
  }
  return kept;
}
