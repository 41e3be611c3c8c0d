/**
 * The leaderboard's Quality, Semantic and Total scores (`scripts/cal_final_score.py:42-67`, Vchitect/VBench
 * 45e79ec): n_d = w_d (x_d - min_d) / (max_d - min_d), no clipping; Quality = sum over quality dimensions of
 * n_d / sum of their weights (6.5); Semantic = the same over the semantic ones (9);
 * Total = (4 Quality + 1 Semantic) / 5. Inputs are dimension scores in [0, 1]; VBench silently uses 0 for a
 * dimension that is missing (`:37-39`), which here happens only when asked for.
 */
import { assertDimensionScore, DIMENSIONS, QUALITY_WEIGHT, SEMANTIC_WEIGHT, dimension, type DimensionId } from './dimensions.ts';

/** Dimension scores (0-1) by id. */
export type DimensionScores = Partial<Record<DimensionId, number>>;

/** What to do about a dimension with no score. */
export type MissingPolicy = 'error' | 'zero';

/** The aggregate in [0, 1] units (the leaderboard prints these x 100), and what went into it. */
export interface AggregateScores {
  readonly quality: number;
  readonly semantic: number;
  readonly total: number;
  /** n_d per dimension (weighted, normalised; may leave [0, 1]). */
  readonly normalised: Record<DimensionId, number>;
  /** Dimensions that were missing and counted as 0 (policy "zero"). */
  readonly defaulted: DimensionId[];
}

/** Thrown when a dimension needed for the aggregate has no score. */
export class MissingDimensionError extends Error {
  constructor(readonly missing: DimensionId[]) {
    super(
      `VBench aggregate: no score for ${missing.join(', ')}; all 16 dimensions are needed for Quality/Semantic/Total ` +
        `(pass --missing zero to count a missing dimension as 0, as VBench's cal_final_score.py does)`,
    );
    this.name = 'MissingDimensionError';
  }
}

/** n_d = w_d (x_d - min_d) / (max_d - min_d) for one dimension. */
export function normaliseDimension(id: DimensionId, score: number): number {
  const d = dimension(id);
  assertDimensionScore(id, score, 'VBench aggregate');
  return (d.weight * (score - d.min)) / (d.max - d.min);
}

/** Quality, Semantic and Total from the 16 dimension scores. */
export function aggregate(scores: DimensionScores, missing: MissingPolicy = 'error'): AggregateScores {
  for (const key of Object.keys(scores)) dimension(key, 'score for');
  const absent = DIMENSIONS.filter((d) => scores[d.id] === undefined).map((d) => d.id);
  if (absent.length > 0 && missing === 'error') throw new MissingDimensionError(absent);
  const normalised = {} as Record<DimensionId, number>;
  let q = 0;
  let qw = 0;
  let s = 0;
  let sw = 0;
  for (const d of DIMENSIONS) {
    const n = normaliseDimension(d.id, scores[d.id] ?? 0);
    normalised[d.id] = n;
    if (d.group === 'quality') {
      q += n;
      qw += d.weight;
    } else {
      s += n;
      sw += d.weight;
    }
  }
  const quality = q / qw;
  const semantic = s / sw;
  const total = (quality * QUALITY_WEIGHT + semantic * SEMANTIC_WEIGHT) / (QUALITY_WEIGHT + SEMANTIC_WEIGHT);
  return { quality, semantic, total, normalised, defaulted: absent };
}
