import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveReference } from '../../src/suite/references.ts';
import { PhiloxNoise } from '../../src/core/philox.ts';
import { analyticModelSet } from '../../src/models/analytic/backend.ts';
import { analyticPreset } from '../../src/models/analytic/presets.ts';
import { shapesVideo } from '../../src/data/shapes.ts';
import { classItem } from '../helpers/suites.ts';

const item = classItem;

test('the analytic target: fresh mixture draws for the item, two independent sets, first frames when fewer are asked', () => {
  const preset = analyticPreset('tiny-video');
  const models = analyticModelSet(preset);
  const ref = resolveReference('auto', { models, shape: [1, 3, 8, 8], seed: 11 })!;
  assert.is(ref.id, 'analytic-target:tiny-video');
  const a = ref.sample(0, item(4, 1));
  assert.equal(Array.from(a), Array.from(preset.mixture.sample(new PhiloxNoise(11), 4, { kind: 'class', label: 1 }, 'reference').values));
  assert.is.not(Array.from(ref.sample(1, item(4, 1))).join(), Array.from(a).join());
  const two = resolveReference('analytic-target', { models, shape: [1, 2, 8, 8], seed: 11 })!;
  assert.equal(Array.from(two.sample(0, item(4, 1))), Array.from(a.subarray(0, 128)));
  assert.is.not(two.key, ref.key);
  assert.throws(() => resolveReference('analytic-target', { models, shape: [3, 3, 8, 8], seed: 11 }), /do not fit the target/);
});

test('the shapes data set: class labels kept, RGB only; none gives no reference', () => {
  const models = analyticModelSet(analyticPreset('moving-shapes'));
  const ref = resolveReference('shapes', { models, shape: [3, 9, 32, 32], seed: 5 })!;
  assert.equal(Array.from(ref.sample(1, item(7, 2))), Array.from(shapesVideo(6, 7, { frames: 9, height: 32, width: 32 }, 2).values));
  assert.throws(() => ref.sample(0, item(7, 6)), /class 6 of sample 7 is not one of its 6 classes/);
  assert.throws(
    () => resolveReference('shapes', { models: analyticModelSet(analyticPreset('tiny-video')), shape: [1, 3, 8, 8], seed: 5 }),
    /reference 'shapes' is RGB; .* have 1 channels/,
  );
  assert.is(resolveReference('none', { models, shape: [3, 9, 32, 32], seed: 5 }), null);
});

test.run();
