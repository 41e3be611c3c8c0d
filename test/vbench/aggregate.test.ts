import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregate, MissingDimensionError, normaliseDimension } from '../../src/vbench/aggregate.ts';

const scores = {
  subject_consistency: 0.95,
  background_consistency: 0.96,
  temporal_flickering: 0.97,
  motion_smoothness: 0.98,
  dynamic_degree: 0.5,
  aesthetic_quality: 0.6,
  imaging_quality: 0.65,
  object_class: 0.85,
  multiple_objects: 0.5,
  human_action: 0.9,
  color: 0.8,
  spatial_relationship: 0.6,
  scene: 0.5,
  appearance_style: 0.2,
  temporal_style: 0.25,
  overall_consistency: 0.27,
};

// n_d = w (x - min) / (max - min), by hand:
const expected = {
  subject_consistency: (0.95 - 0.1462) / (1 - 0.1462), // 0.8038 / 0.8538 = 0.94143828
  background_consistency: (0.96 - 0.2615) / (1 - 0.2615), // 0.6985 / 0.7385 = 0.94583615
  temporal_flickering: (0.97 - 0.6293) / (1 - 0.6293), // 0.3407 / 0.3707 = 0.91907203
  motion_smoothness: (0.98 - 0.706) / (0.9975 - 0.706), // 0.274 / 0.2915 = 0.93996569
  dynamic_degree: 0.5 * 0.5, // weight 0.5
  aesthetic_quality: 0.6,
  imaging_quality: 0.65,
  object_class: 0.85,
  multiple_objects: 0.5,
  human_action: 0.9,
  color: 0.8,
  spatial_relationship: 0.6,
  scene: 0.5 / 0.8222, // 0.60812454
  appearance_style: (0.2 - 0.0009) / (0.2855 - 0.0009), // 0.1991 / 0.2846 = 0.69957836
  temporal_style: 0.25 / 0.364, // 0.68681319
  overall_consistency: 0.27 / 0.364, // 0.74175824
};

test('a full set of 16 dimensions against hand-computed normalised values, Quality, Semantic and Total', () => {
  const a = aggregate(scores);
  for (const [id, n] of Object.entries(expected)) assert.ok(Math.abs(a.normalised[id as keyof typeof expected] - n) < 1e-12, `${id}: ${a.normalised[id as keyof typeof expected]} vs ${n}`);
  // Quality = (0.94143828 + 0.94583615 + 0.91907203 + 0.93996569 + 0.25 + 0.6 + 0.65) / 6.5 = 5.24631215 / 6.5
  assert.ok(Math.abs(a.quality - 0.8071249462906818) < 1e-12, `quality ${a.quality}`);
  // Semantic = (0.85 + 0.5 + 0.9 + 0.8 + 0.6 + 0.60812454 + 0.69957836 + 0.68681319 + 0.74175824) / 9 = 6.38627433 / 9
  assert.ok(Math.abs(a.semantic - 0.7095860364516455) < 1e-12, `semantic ${a.semantic}`);
  // Total = (4 * 0.80712495 + 0.70958604) / 5
  assert.ok(Math.abs(a.total - (4 * 0.8071249462906818 + 0.7095860364516455) / 5) < 1e-12);
  assert.ok(Math.abs(a.total - 0.7876171643228745) < 1e-12, `total ${a.total}`);
  assert.equal(a.defaulted, []);
});

test('a missing dimension is an error naming it, unless VBench\'s default of 0 is asked for', () => {
  const { subject_consistency: _, scene: __, ...partial } = scores;
  assert.throws(() => aggregate(partial), (e: unknown) => e instanceof MissingDimensionError && /no score for subject_consistency, scene/.test((e as Error).message));
  const { subject_consistency: ___, ...noSubject } = scores;
  const a = aggregate(noSubject, 'zero');
  assert.equal(a.defaulted, ['subject_consistency']);
  // 0 normalises to (0 - 0.1462) / 0.8538 = -0.17123448: VBench does not clip
  assert.ok(Math.abs(a.normalised.subject_consistency - -0.17123448114312484) < 1e-12);
  assert.ok(Math.abs(a.quality - 0.6359445221236096) < 1e-12, `quality ${a.quality}`);
  assert.ok(Math.abs(a.total - 0.6506728249892169) < 1e-12, `total ${a.total}`);
});

test('unknown dimensions and non-finite scores are refused', () => {
  assert.throws(() => aggregate({ ...scores, sharpness: 1 } as never), /score for 'sharpness' is not a VBench dimension/);
  assert.throws(() => normaliseDimension('color', NaN), /color score is NaN/);
});

test.run();
