/**
 * VBench's 16 dimensions with the leaderboard's normalisation constants, weights and groups
 * (`scripts/constant.py:1-119`, Vchitect/VBench 45e79ec; the min/max are the "Empirical Min / Max" rows of
 * VBench++ Table II), and what this harness can compute of each.
 */

/** The quality dimensions' ids, which are also the ones the harness computes. */
export const QUALITY_IDS = [
  'subject_consistency',
  'background_consistency',
  'temporal_flickering',
  'motion_smoothness',
  'dynamic_degree',
  'aesthetic_quality',
  'imaging_quality',
] as const;

/** Dimension ids as VBench's results files spell them (`vbench/__init__.py:18-19`). */
export const DIMENSION_IDS = [
  ...QUALITY_IDS,
  'object_class',
  'multiple_objects',
  'human_action',
  'color',
  'spatial_relationship',
  'scene',
  'appearance_style',
  'temporal_style',
  'overall_consistency',
] as const;
export type DimensionId = (typeof DIMENSION_IDS)[number];

/** One dimension's place in the aggregate. */
export interface DimensionInfo {
  readonly id: DimensionId;
  /** The name `scripts/constant.py` uses (underscores as spaces). */
  readonly label: string;
  /** Q = quality score, S = semantic score. */
  readonly group: 'quality' | 'semantic';
  /** Empirical minimum and maximum of the dimension score (0-1). */
  readonly min: number;
  readonly max: number;
  readonly weight: number;
}

const info = (id: DimensionId, group: DimensionInfo['group'], min: number, max: number, weight = 1): DimensionInfo => ({
  id,
  label: id.replace(/_/g, ' '),
  group,
  min,
  max,
  weight,
});

/** `NORMALIZE_DIC`, `DIM_WEIGHT`, `QUALITY_LIST` and `SEMANTIC_LIST`, in TASK_INFO order. */
export const DIMENSIONS: readonly DimensionInfo[] = Object.freeze([
  info('subject_consistency', 'quality', 0.1462, 1.0),
  info('background_consistency', 'quality', 0.2615, 1.0),
  info('temporal_flickering', 'quality', 0.6293, 1.0),
  info('motion_smoothness', 'quality', 0.706, 0.9975),
  info('dynamic_degree', 'quality', 0.0, 1.0, 0.5),
  info('aesthetic_quality', 'quality', 0.0, 1.0),
  info('imaging_quality', 'quality', 0.0, 1.0),
  info('object_class', 'semantic', 0.0, 1.0),
  info('multiple_objects', 'semantic', 0.0, 1.0),
  info('human_action', 'semantic', 0.0, 1.0),
  info('color', 'semantic', 0.0, 1.0),
  info('spatial_relationship', 'semantic', 0.0, 1.0),
  info('scene', 'semantic', 0.0, 0.8222),
  info('appearance_style', 'semantic', 0.0009, 0.2855),
  info('temporal_style', 'semantic', 0.0, 0.364),
  info('overall_consistency', 'semantic', 0.0, 0.364),
]);

/** `QUALITY_WEIGHT` and `SEMANTIC_WEIGHT`: Total = (4 Quality + 1 Semantic) / 5. */
export const QUALITY_WEIGHT = 4;
export const SEMANTIC_WEIGHT = 1;

/** The dimension with id `id` (or the label with spaces); throws listing the 16 ids on a miss. */
export function dimension(id: string, where = 'dimension'): DimensionInfo {
  const key = id.trim().replace(/ /g, '_');
  const found = DIMENSIONS.find((d) => d.id === key);
  if (!found) throw new RangeError(`${where} '${id}' is not a VBench dimension; allowed: ${DIMENSION_IDS.join(', ')}`);
  return found;
}

/**
 * Every dimension's raw score lies in [0, 1]: VBench averages per-video values in [0, 1] (imaging quality's
 * MUSIQ 0-100 divided by 100, dynamic degree's share of moving videos), so a score outside is not a score.
 */
export const SCORE_RANGE = [0, 1] as const;

/** Throws when `score` is not a finite number in `SCORE_RANGE`, naming the dimension, the value and `where`. */
export function assertDimensionScore(id: string, score: number, where: string): void {
  if (!Number.isFinite(score) || score < SCORE_RANGE[0] || score > SCORE_RANGE[1])
    throw new RangeError(`${where}: ${id} score is ${score}; allowed: a number in [${SCORE_RANGE[0]}, ${SCORE_RANGE[1]}]`);
}

/** The dimensions the harness computes: the quality ones (evaluate.ts says how). */
export const COMPUTABLE = QUALITY_IDS;
export type ComputableDimension = (typeof COMPUTABLE)[number];
