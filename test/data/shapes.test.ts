import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SHAPE_CLASSES, shapesBatch, shapesVideo } from '../../src/data/shapes.ts';

test('a clip depends only on (seed, index): batches and single draws agree, other seeds differ', () => {
  const batch = shapesBatch(3, 10, 4, { frames: 4, height: 16, width: 16 });
  const single = shapesVideo(3, 12, { frames: 4, height: 16, width: 16 }).values;
  assert.equal(Array.from(batch.values.subarray(2 * single.length, 3 * single.length)), Array.from(single));
  assert.equal(batch.labels, [4, 5, 0, 1]);
  const other = shapesVideo(4, 12, { frames: 4, height: 16, width: 16 }).values;
  assert.ok(
    other.some((v, i) => v !== single[i]),
    'another seed draws another clip',
  );
});

test('values lie in [-1, 1]; the shape moves between frames; straight paths stay inside the frame', () => {
  for (let i = 0; i < 24; i++) {
    const { values, meta } = shapesVideo(0, i);
    for (const v of values) assert.ok(v >= -1 && v <= 1);
    const T = 16;
    const plane = 32 * 32;
    // the shape's colour channel differs between the first and last frame somewhere
    let moved = 0;
    for (let p = 0; p < plane; p++) moved += Math.abs(values[p] - values[(T - 1) * plane + p]);
    assert.ok(moved > 1, `clip ${i} (${meta.className}, ${meta.motion}) does not move`);
    assert.is(meta.className, SHAPE_CLASSES[i % 6]);
  }
});

test('a class outside the six is refused', () => {
  assert.throws(() => shapesVideo(0, 0, undefined, 6), /shape class 6 is not allowed; allowed: 0 to 5/);
});

test.run();
