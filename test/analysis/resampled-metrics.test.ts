import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRun } from '../../src/analysis/compare.ts';
import { latencyStatistic, sampleStatistic } from '../../src/analysis/resampled-metrics.ts';
import { percentile } from '../../src/core/statistics.ts';
import { timingRecord } from '../../src/report/run-folder.ts';
import { reportRun } from '../helpers/report-runs.ts';

test('the timed phase as a statistic of its repeats reproduces the reported latencies', async () => {
  const run = loadRun(await reportRun('a'));
  const method = run.results.methods[2];
  const source = {
    dir: run.dir,
    method,
    locked: run.results.locked,
    device: run.results.device,
    machines: run.results.machines ?? [],
    metric: 'throughput',
  };
  const s = latencyStatistic(source);
  assert.ok(!('reason' in s));
  if ('reason' in s) return;
  assert.equal([s.rows, s.unit, s.cost], [4, 'timed repeats', 'cheap']);
  assert.ok(s.keys.includes('latencyMs.p50') && s.keys.includes('stage0.modelMs'));
  // repeats 0, 0, 3, 3: the p50 of those latencies
  const ms = timingRecord(run.dir, method.slug)!.repeats.map((r) => r.wallSeconds * 1000);
  assert.is(s.evaluate([0, 0, 3, 3])['latencyMs.p50'], percentile([ms[0], ms[0], ms[3], ms[3]], 50));
  // the bulk throughput values are per sample; the device-hours include the timed phase, so they are not
  const bulk = sampleStatistic(source);
  assert.ok(!('reason' in bulk) && bulk.keys.includes('framesPerSecond') && !bulk.keys.includes('deviceHours'));
});

test('no statistic, with the reason, for unknown metrics and missing states', async () => {
  const run = loadRun(await reportRun('a'));
  const method = run.results.methods[0];
  const source = (metric: string, m = method) => ({
    dir: run.dir,
    method: m,
    locked: run.results.locked,
    device: run.results.device,
    machines: run.results.machines ?? [],
    metric,
  });
  assert.equal(sampleStatistic(source('fd-i3d')), { reason: "metric 'fd-i3d' is not in the locked settings" });
  assert.match(
    (sampleStatistic(source('fd-pixel', { ...method, slug: 'nothing' })) as { reason: string }).reason,
    /^no state file .*nothing\/fd-pixel\.samples\.npz/,
  );
  assert.equal(latencyStatistic(source('cost')), { reason: 'not the throughput metric' });
});

test.run();
