import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregate, MissingDimensionError, normaliseDimension } from '../../src/vbench/aggregate.ts';
import type { DimensionId } from '../../src/vbench/dimensions.ts';
import { FULL_AGGREGATE, FULL_SCORES, FULL_SET } from '../helpers/vbench-scores.ts';
import { badInput } from '../helpers/case-ledger.ts';

const scores = FULL_SCORES;

test('a full set of 16 dimensions against hand-computed normalised values, Quality, Semantic and Total', () => {
  // the hand-worked values are in test/helpers/vbench-scores.ts
  const a = aggregate(scores);
  for (const [id, , n] of FULL_SET)
    assert.ok(Math.abs(a.normalised[id as DimensionId] - n) < 1e-12, `${id}: ${a.normalised[id as DimensionId]} vs ${n}`);
  assert.ok(Math.abs(a.quality - FULL_AGGREGATE.quality) < 1e-12, `quality ${a.quality}`);
  assert.ok(Math.abs(a.semantic - FULL_AGGREGATE.semantic) < 1e-12, `semantic ${a.semantic}`);
  assert.ok(Math.abs(a.total - (4 * a.quality + a.semantic) / 5) < 1e-15);
  assert.ok(Math.abs(a.total - FULL_AGGREGATE.total) < 1e-12, `total ${a.total}`);
  assert.equal(a.defaulted, []);
});

test("a missing dimension is an error naming it, unless VBench's default of 0 is asked for", () => {
  const { subject_consistency: _, scene: __, ...partial } = scores;
  assert.throws(
    () => aggregate(partial),
    (e: unknown) => e instanceof MissingDimensionError && /no score for subject_consistency, scene/.test((e as Error).message),
  );
  const { subject_consistency: ___, ...noSubject } = scores;
  const a = aggregate(noSubject, 'zero');
  assert.equal(a.defaulted, ['subject_consistency']);
  // 0 normalises to (0 - 0.1462) / 0.8538 = -0.17123448: VBench does not clip
  assert.ok(Math.abs(a.normalised.subject_consistency - -0.17123448114312484) < 1e-12);
  assert.ok(Math.abs(a.quality - 0.6359445221236096) < 1e-12, `quality ${a.quality}`);
  assert.ok(Math.abs(a.total - 0.6506728249892169) < 1e-12, `total ${a.total}`);
});

test('unknown dimensions and non-finite scores are refused', () =>
  badInput('numbers', 'unknown VBench dimensions and non-finite scores', () => {
    assert.throws(() => aggregate({ ...scores, sharpness: 1 } as never), /score for 'sharpness' is not a VBench dimension/);
    assert.throws(() => normaliseDimension('color', NaN), /color score is NaN/);
    // raw dimension scores lie in [0, 1]: 1e9 would make a total of about 1e11 %
    assert.throws(() => normaliseDimension('color', 1e9), /VBench aggregate: color score is 1000000000; allowed: a number in \[0, 1\]/);
    assert.throws(() => aggregate({ ...scores, scene: -0.5 }), /scene score is -0.5; allowed: a number in \[0, 1\]/);
  }));

test.run();
