import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measureTiming } from '../../src/suite/timing.ts';
import { resolveMethods } from '../../src/suite/methods.ts';
import { expandMethods } from '../../src/suite/sweep.ts';
import { suiteItems } from '../../src/suite/conditions.ts';
import { parseSuite } from '../../src/suite/suite-schema.ts';
import { rejects } from '../helpers/assert.ts';
import { rawSuite } from '../helpers/suites.ts';

test('the timed phase: warm-ups apart, one record per repeat with model time for every stage and the NFE', async () => {
  const suite = parseSuite(rawSuite(), 's.yaml');
  const [method] = await resolveMethods(expandMethods(suite, {}), suite);
  const items = await suiteItems(suite.conditions, 4, [], method.models, 'w');
  const record = await measureTiming(method, items, 0, { warmup: 2, repeats: 3, minDurationSeconds: 0, maxRepeats: 3, batch: 2 });
  assert.is(record.warmupSeconds.length, 2);
  assert.is(record.repeats.length, 3);
  assert.equal(Object.keys(record.repeats[0].stageSeconds), ['0', '1', '2']);
  assert.ok(record.repeats.every((r) => r.nfe === 9 && r.wallSeconds > 0));
  assert.ok(record.peakRssBytes >= record.baselineRssBytes);
  assert.is(record.frames, 1);
  await rejects(
    () => measureTiming(method, items, 0, { warmup: 0, repeats: 1, minDurationSeconds: 0, maxRepeats: 1, batch: 5 }),
    /batch of 5 videos, but the method has 4 samples/,
  );
});

test.run();
