import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dryRun } from '../../src/suite/calibrate.ts';
import { planRun } from '../../src/suite/plan.ts';
import { loadedSuite, rawSuite } from '../helpers/suites.ts';

test('a dry run prints the plan and a calibrated estimate, and writes nothing', async () => {
  const store = path.join(mkdtempSync(path.join(tmpdir(), 'dry-')), 'store');
  const run = await planRun(loadedSuite(rawSuite({ protocol: { name: 'VBench', videos: 4730 } })), {});
  const text = await dryRun(run, { shard: { index: 1, count: 3 }, storeRoot: store, calibrationSamples: 2 });
  assert.match(text, /2 methods x 96 samples in 3 chunks of 32; shard 1\/3: 1 chunks, 32 samples per method/);
  assert.match(text, /\| pyramid \| analytic:tiny-image \| pyramid \| 32 \| 0 \| [0-9.e-]+ \| \d+s \|/);
  assert.match(text, /estimated generation time: .* CPU-hours on /);
  assert.match(text, /full protocol \(4730 videos per method, VBench\): .* CPU-hours/);
  assert.is(existsSync(store), false);
});

test.run();
