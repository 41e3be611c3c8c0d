/**
 * Both moving-shapes judgements end to end through the suite runner: the analytic `moving-shapes` preset
 * against the shapes data set as the reference.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planRun } from '../../../src/suite/plan.ts';
import { runSuite } from '../../../src/suite/runner.ts';
import { loadedSuite, rawSuite } from '../../helpers/suites.ts';
import { sampleStatistic } from '../../../src/analysis/resampled-metrics.ts';

test('a suite on the analytic moving-shapes preset against the shapes data set: motion fidelity and conditional accuracy', async () => {
  const raw = rawSuite({
    samples: 24,
    chunk: 12,
    batch: 12,
    reference: { source: 'shapes', seed: 1000003 },
    methods: [{ name: 'pyramid', model: 'analytic:moving-shapes', sampler: 'pyramid', settings: { stepsPerStage: [2, 2, 2] } }],
    metrics: [{ name: 'shapes-motion' }, { name: 'shapes-class-accuracy' }],
  });
  const quiet = { write: () => undefined, tty: false, now: () => performance.now() };
  const out = mkdtempSync(path.join(tmpdir(), 'shapes-judgements-'));
  const { results } = await runSuite(await planRun(loadedSuite(raw), {}), {
    out,
    shard: { index: 0, count: 1 },
    progress: quiet,
    log: () => undefined,
    command: ['test'],
  });
  const values = (metric: string) => Object.fromEntries(results.methods[0].metrics[metric].values.map((x) => [x.key, x]));
  const motion = values('shapes-motion');
  const accuracy = values('shapes-class-accuracy');
  console.log(
    `  analytic moving-shapes, 24 samples: motion fidelity ${motion.passRate.value} (data ${motion.dataPassRate.value}), residual ${motion.trackResidualPx.value?.toFixed(3)} px, found ${motion.shapeFound.value}; conditional accuracy ${accuracy.accuracy.value?.toFixed(3)} (data ${accuracy.dataAccuracy.value})`,
  );
  // the preset's shapes move at 2.2 px/frame or bounce at 5 px/frame, faster than the data's 0.6 to 1.8
  assert.is(motion.dataPassRate.value, 1);
  assert.is(motion.shapeFound.value, 1);
  assert.is(motion.passRate.value, 0);
  // its classes (red, green or blue disk, square or cross) are not the data's: only the data set's figure is checked
  assert.ok(accuracy.dataAccuracy.value! >= 0.95, `data accuracy ${accuracy.dataAccuracy.value}`);
  assert.ok(accuracy.accuracy.value! >= 0 && accuracy.accuracy.value! <= 1);
  assert.is(accuracy.accuracy.uncertainty.kind, 'interval');
  // per-sample forms for paired comparisons: all rows give the reported values
  const statistic = (metric: string) =>
    sampleStatistic({ dir: out, method: results.methods[0], locked: results.locked, device: results.device, machines: [], metric });
  for (const [metric, key] of [
    ['shapes-class-accuracy', 'accuracy'],
    ['shapes-motion', 'trackResidualPx'],
  ] as const) {
    const s = statistic(metric);
    if ('reason' in s) assert.unreachable(`${metric}: ${s.reason}`);
    else {
      assert.is(s.rows, 24);
      assert.ok(s.keys.includes(key), `${metric}: ${s.keys.join(', ')}`);
      assert.is(s.evaluate(null)[key], values(metric)[key].value);
    }
  }
  // a resample of one sample 24 times is that sample's 0 or 1
  const accuracyRows = statistic('shapes-class-accuracy');
  if (!('reason' in accuracyRows)) {
    const one = accuracyRows.evaluate(new Array(24).fill(3)).accuracy;
    assert.ok(one === 0 || one === 1, String(one));
  }
});

test.run();
