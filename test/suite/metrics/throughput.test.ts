import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { throughputMetric } from '../../../src/suite/metrics/throughput.ts';
import type { MethodContext } from '../../../src/suite/contract/plugin.ts';
import type { TimingRecord } from '../../../src/suite/contract/records.ts';

const context: MethodContext = { id: 'm', shape: [1, 4, 8, 8], costSource: 'notional', playbackFps: 8, protocolVideos: 4730, device: { kind: 'gpu', name: 'NVIDIA H100', count: 1, memoryBytes: null, hoursUnit: 'GPU-hours', reason: '' } };
const options = throughputMetric.parseOptions({ bootstrap: 200 }, 'o');
const timing: TimingRecord = {
  plan: { warmup: 1, repeats: 5, batch: 1 },
  frames: 4,
  warmupSeconds: [0.5],
  repeats: [0.1, 0.2, 0.3, 0.4, 0.5].map((s) => ({ wallSeconds: s, decodeSeconds: s / 10, stageSeconds: { '0': s / 4, '2': s / 2 }, nfe: 9 })),
  baselineRssBytes: 100 * 1024 * 1024,
  peakRssBytes: 164 * 1024 * 1024,
  processMaxRssBytes: 200 * 1024 * 1024,
};
// two chunks: 3 videos of 4 frames in 0.5 s, 1 video of 4 frames in 0.5 s
const states = [
  { frames: [4, 4, 4], generationSeconds: [0.1, 0.2, 0.2] },
  { frames: [4], generationSeconds: [0.5] },
];

test('latency percentiles over the timed repeats, per-stage model time, peak memory', async () => {
  const values = await throughputMetric.finalize({ options, method: context, chunks: [0, 1], states: { samples: states }, timing });
  const get = (k: string) => values.find((v) => v.key === k)!;
  assert.ok(Math.abs(get('latencyMs.p50').value! - 300) < 1e-9);
  assert.ok(Math.abs(get('latencyMs.p90').value! - 460) < 1e-9);
  assert.ok(Math.abs(get('latencyMs.mean').value! - 300) < 1e-9);
  const u = get('latencyMs.p50').uncertainty;
  assert.ok(u.kind === 'interval' && u.n === 5 && u.low <= 300 && u.high >= 300 && u.level === 0.95, JSON.stringify(u));
  assert.ok(Math.abs(get('stage2.modelMs').value! - 150) < 1e-9);
  assert.ok(Math.abs(get('decodeMs').value! - 30) < 1e-9);
  assert.is(get('peakRssMiB').value, 164);
  assert.is(get('peakRssDeltaMiB').value, 64);
  assert.is(get('processPeakRssMiB').value, 200);
  assert.ok(values.every((v) => v.measured));
});

test('frames per second over all samples, the real-time factor at the playback rate, device-hours measured and extrapolated', async () => {
  const values = await throughputMetric.finalize({ options, method: context, chunks: [0, 1], states: { samples: states }, timing });
  const get = (k: string) => values.find((v) => v.key === k)!;
  assert.is(get('framesPerSecond').value, 16);
  assert.is(get('realTimeFactor').value, 0.5);
  assert.is(get('secondsPerVideo').value, 0.25);
  // generation 1.0 s plus the timed phase (0.5 + 1.5 s)
  assert.ok(Math.abs(get('deviceHours').value! - 3 / 3600) < 1e-15);
  assert.ok(Math.abs(get('deviceHoursProtocol').value! - (0.25 * 4730) / 3600) < 1e-12);
  assert.is(get('deviceHours').unit, 'GPU-hours (NVIDIA H100)');
  const fps = get('framesPerSecond').uncertainty;
  const rtf = get('realTimeFactor').uncertainty;
  assert.ok(fps.kind === 'interval' && rtf.kind === 'interval' && Math.abs(rtf.low - 8 / fps.high) < 1e-12, JSON.stringify([fps, rtf]));
});

test('without the timed phase (a shard other than 0) latency is null and says why', async () => {
  const values = await throughputMetric.finalize({ options, method: context, chunks: [0, 1], states: { samples: states }, timing: null });
  const p50 = values.find((v) => v.key === 'latencyMs.p50')!;
  assert.is(p50.value, null);
  assert.match(p50.note!, /shard 0/);
  assert.equal(throughputMetric.timing!(options), { warmup: 1, repeats: 5, batch: 1 });
});

test.run();
