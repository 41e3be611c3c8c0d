import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COMPUTABLE, DIMENSIONS, dimension } from '../../src/vbench/dimensions.ts';

test('the constants of scripts/constant.py: weights sum to 6.5 (quality) and 9 (semantic); 7 + 9 dimensions', () => {
  const sum = (g: string) => DIMENSIONS.filter((d) => d.group === g).reduce((s, d) => s + d.weight, 0);
  assert.is(sum('quality'), 6.5);
  assert.is(sum('semantic'), 9);
  assert.is(DIMENSIONS.length, 16);
  assert.is(dimension('motion smoothness').id, 'motion_smoothness');
  assert.throws(() => dimension('sharpness'), /'sharpness' is not a VBench dimension; allowed: subject_consistency, /);
});

test('the harness computes exactly the seven quality dimensions', () => {
  assert.equal(
    [...COMPUTABLE].sort(),
    DIMENSIONS.filter((d) => d.group === 'quality')
      .map((d) => d.id)
      .sort(),
  );
  assert.equal(dimension('scene'), { id: 'scene', label: 'scene', group: 'semantic', min: 0, max: 0.8222, weight: 1 });
});

test.run();
