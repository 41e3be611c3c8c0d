/**
 * A full set of 16 VBench dimension scores (0-1) with each one's normalised value n_d = w (x - min) / (max - min)
 * worked by hand, and the aggregate that follows: Quality 0.80712495, Semantic 0.70958604, Total 0.78761716.
 */
export const FULL_SET: readonly (readonly [id: string, score: number, normalised: number])[] = [
  ['subject_consistency', 0.95, (0.95 - 0.1462) / (1 - 0.1462)], // 0.8038 / 0.8538 = 0.94143828
  ['background_consistency', 0.96, (0.96 - 0.2615) / (1 - 0.2615)], // 0.6985 / 0.7385 = 0.94583615
  ['temporal_flickering', 0.97, (0.97 - 0.6293) / (1 - 0.6293)], // 0.3407 / 0.3707 = 0.91907203
  ['motion_smoothness', 0.98, (0.98 - 0.706) / (0.9975 - 0.706)], // 0.274 / 0.2915 = 0.93996569
  ['dynamic_degree', 0.5, 0.5 * 0.5], // weight 0.5
  ['aesthetic_quality', 0.6, 0.6],
  ['imaging_quality', 0.65, 0.65],
  ['object_class', 0.85, 0.85],
  ['multiple_objects', 0.5, 0.5],
  ['human_action', 0.9, 0.9],
  ['color', 0.8, 0.8],
  ['spatial_relationship', 0.6, 0.6],
  ['scene', 0.5, 0.5 / 0.8222], // 0.60812454
  ['appearance_style', 0.2, (0.2 - 0.0009) / (0.2855 - 0.0009)], // 0.1991 / 0.2846 = 0.69957836
  ['temporal_style', 0.25, 0.25 / 0.364], // 0.68681319
  ['overall_consistency', 0.27, 0.27 / 0.364], // 0.74175824
];

/** The scores of FULL_SET by id. */
export const FULL_SCORES: Record<string, number> = Object.fromEntries(FULL_SET.map(([id, score]) => [id, score]));

/**
 * Quality = (0.94143828 + 0.94583615 + 0.91907203 + 0.93996569 + 0.25 + 0.6 + 0.65) / 6.5 = 5.24631215 / 6.5;
 * Semantic = (0.85 + 0.5 + 0.9 + 0.8 + 0.6 + 0.60812454 + 0.69957836 + 0.68681319 + 0.74175824) / 9 = 6.38627433 / 9;
 * Total = (4 Quality + Semantic) / 5.
 */
export const FULL_AGGREGATE = { quality: 0.8071249462906818, semantic: 0.7095860364516455, total: 0.7876171643228745 } as const;
