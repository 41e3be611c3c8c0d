import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Registry } from '../../src/core/registry.ts';

test('a miss lists what is available; duplicates are refused', () => {
  const r = new Registry<number>('metric');
  r.register('fd', 1, 'Fréchet distance');
  r.register('kid', 2);
  assert.is(r.get('kid'), 2);
  assert.equal(r.names(), ['fd', 'kid']);
  assert.throws(
    () => r.get('x'),
    (e: Error) => e.message === "Unknown metric 'x'. Available: fd, kid",
  );
  assert.throws(() => r.register('fd', 3), /metric 'fd' is already registered/);
  assert.throws(() => r.register('bad name', 3), /not allowed/);
});

test.run();
