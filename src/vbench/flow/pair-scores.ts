/**
 * The per-pair motion statistic VBench takes from RAFT in dynamic degree and in the static filter: pad both
 * frames to a multiple of 8 with replicated edges (`InputPadder`, "sintel" mode), estimate the flow at the
 * padded size, and take the mean of the largest 5 % (dynamic degree, `vbench/dynamic_degree.py:42-56`) or 2 %
 * (static filter, `static_filter.py:41-55`) of its magnitudes over the whole padded field, as VBench does.
 * Scores are memoised per frame pair, so the static filter and dynamic degree share flows on the same video.
 */
import { padAmounts, padReplicate } from '../video/padding.ts';
import type { FlowEstimator } from './flow-field.ts';
import { topFractionMeanMagnitude } from './flow-field.ts';

/** Fraction of magnitudes dynamic degree averages. */
export const DYNAMIC_DEGREE_FRACTION = 0.05;
/** Fraction of magnitudes the static filter averages. */
export const STATIC_FILTER_FRACTION = 0.02;

/** Both statistics of one frame pair, pixels of flow (NaN when the padded frame has too few pixels). */
export interface PairScore {
  readonly top5: number;
  readonly top2: number;
}

/** Flow statistics for pairs of one video's frames, computed on demand and kept. */
export class PairScorer {
  private readonly cache = new Map<string, Promise<PairScore>>();
  private readonly computeSeconds = new Map<string, number>();
  /** Flow estimates run so far (for speed accounting). */
  estimates = 0;
  /** Seconds the reused (cached) pairs took when they were computed: what a caller saved by sharing. */
  reusedSeconds = 0;

  /** `frames` are RGB24 at `width` x `height`. */
  constructor(
    readonly estimator: FlowEstimator,
    readonly frames: readonly Uint8Array[],
    readonly width: number,
    readonly height: number,
  ) {}

  /** Statistics of the flow from frame `i` to frame `j`. */
  score(i: number, j: number): Promise<PairScore> {
    for (const k of [i, j]) {
      if (!Number.isInteger(k) || k < 0 || k >= this.frames.length)
        throw new RangeError(`PairScorer: frame index ${k} is outside 0..${this.frames.length - 1}`);
    }
    const key = `${i}:${j}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      return hit.then((s) => {
        this.reusedSeconds += this.computeSeconds.get(key) ?? 0;
        return s;
      });
    }
    const fresh = this.compute(i, j, key);
    this.cache.set(key, fresh);
    return fresh;
  }

  private async compute(i: number, j: number, key: string): Promise<PairScore> {
    const t0 = performance.now();
    const pads = padAmounts(this.height, this.width, 8);
    const w = this.width + pads.left + pads.right;
    const h = this.height + pads.top + pads.bottom;
    const a = padReplicate(this.frames[i], this.width, this.height, 3, pads);
    const b = padReplicate(this.frames[j], this.width, this.height, 3, pads);
    const field = await this.estimator.estimate(a, b, w, h);
    if (field.width !== w || field.height !== h)
      throw new RangeError(`${this.estimator.name}: returned a ${field.width}x${field.height} field for ${w}x${h} frames`);
    this.estimates++;
    const score = {
      top5: topFractionMeanMagnitude(field, DYNAMIC_DEGREE_FRACTION),
      top2: topFractionMeanMagnitude(field, STATIC_FILTER_FRACTION),
    };
    this.computeSeconds.set(key, (performance.now() - t0) / 1000);
    return score;
  }
}
