import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { percentileObservations, throughputMetric, type ThroughputState } from '../../../src/suite/metrics/throughput.ts';
import type { MethodContext } from '../../../src/suite/contract/plugin.ts';
import type { MachineFingerprint, TimingRecord } from '../../../src/suite/contract/records.ts';

const here: MachineFingerprint = { id: 'aaaaaaaaaaaaaaaa', name: 'NVIDIA H100', hoursUnit: 'GPU-hours' };
const there: MachineFingerprint = { id: 'bbbbbbbbbbbbbbbb', name: 'NVIDIA A100', hoursUnit: 'GPU-hours' };
const context: MethodContext = {
  id: 'm',
  shape: [1, 4, 8, 8],
  costSource: 'notional',
  playbackFps: 8,
  protocolVideos: 4730,
  device: { kind: 'gpu', name: 'NVIDIA H100', count: 1, memoryBytes: null, hoursUnit: 'GPU-hours', reason: '' },
  machines: [here],
};
const options = throughputMetric.parseOptions({ bootstrap: 200 }, 'o');
const timing: TimingRecord = {
  plan: { warmup: 1, repeats: 5, minDurationSeconds: 0, maxRepeats: 10000, batch: 1 },
  frames: 4,
  warmupSeconds: [0.5],
  repeats: [0.1, 0.2, 0.3, 0.4, 0.5].map((s) => ({
    wallSeconds: s,
    decodeSeconds: s / 10,
    stageSeconds: { '0': s / 4, '2': s / 2 },
    nfe: 9,
  })),
  baselineRssBytes: 100 * 1024 * 1024,
  peakRssBytes: 164 * 1024 * 1024,
  processMaxRssBytes: 200 * 1024 * 1024,
};
// two chunks: 3 videos of 4 frames in 0.5 s, 1 video of 4 frames in 0.5 s
const chunkOf = (generationSeconds: number[], machines: MachineFingerprint[]): ThroughputState => ({
  frames: generationSeconds.map(() => 4),
  generationSeconds,
  machines: machines.map((m) => m.id),
  batchSizes: generationSeconds.map(() => generationSeconds.length),
  machineInfo: Object.fromEntries(machines.map((m) => [m.id, m])),
});
const states = [chunkOf([0.1, 0.2, 0.2], [here, here, here]), chunkOf([0.5], [here])];

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
  assert.equal(throughputMetric.timing!(options), { warmup: 1, repeats: 5, minDurationSeconds: 0, maxRepeats: 10000, batch: 1 });
});

test('observations a percentile needs: ceil(ln 0.05 / ln(q/100)), checked against the closed form 1 - (q/100)^n >= 0.95', () => {
  assert.is(percentileObservations(50), 5);
  assert.is(percentileObservations(90), 29);
  assert.is(percentileObservations(99), 299);
  for (const q of [50, 90, 99]) {
    const n = percentileObservations(q);
    assert.ok(1 - (q / 100) ** n >= 0.95 && 1 - (q / 100) ** (n - 1) < 0.95, `q=${q}`);
  }
});

const timingOf = (n: number, plan: Partial<TimingRecord['plan']> = {}): TimingRecord => ({
  ...timing,
  plan: { ...timing.plan, repeats: n, ...plan },
  repeats: Array.from({ length: n }, (_, i) => ({ wallSeconds: 0.1 + i / 1000, decodeSeconds: 0, stageSeconds: { '0': 0.05 }, nfe: 9 })),
});

test('a p99 from 8 repeats keeps its number but is invalid; a p50 from 8 is valid', async () => {
  const values = await throughputMetric.finalize({
    options,
    method: context,
    chunks: [0, 1],
    states: { samples: states },
    timing: timingOf(8),
  });
  const get = (k: string) => values.find((v) => v.key === k)!;
  assert.ok(get('latencyMs.p99').value! > 0);
  assert.equal(get('latencyMs.p99').validity, { valid: false, rule: 'p99 needs >= 299 observations, has 8' });
  assert.equal(get('latencyMs.p90').validity, { valid: false, rule: 'p90 needs >= 29 observations, has 8' });
  assert.equal(get('latencyMs.p50').validity, { valid: true, rule: 'p50 needs >= 5 observations, has 8' });
  assert.is(get('latencyMs.mean').validity!.valid, true);
});

test('with enough observations a percentile is valid: p99 from 299 repeats', async () => {
  const values = await throughputMetric.finalize({
    options,
    method: context,
    chunks: [0, 1],
    states: { samples: states },
    timing: timingOf(299),
  });
  const get = (k: string) => values.find((v) => v.key === k)!;
  assert.equal(get('latencyMs.p99').validity, { valid: true, rule: 'p99 needs >= 299 observations, has 299' });
  assert.is(get('latencyMs.p90').validity!.valid, true);
});

test('a timed phase stopped by maxRepeats short of its minimum duration makes every timed value invalid', async () => {
  const short = timingOf(40, { repeats: 30, minDurationSeconds: 60, maxRepeats: 40 });
  const values = await throughputMetric.finalize({ options, method: context, chunks: [0, 1], states: { samples: states }, timing: short });
  const timed = values.filter(
    (v) => v.key.startsWith('latencyMs.') || v.key.startsWith('stage') || v.key.startsWith('peakRss') || v.key === 'processPeakRssMiB',
  );
  assert.ok(timed.length >= 7);
  for (const v of timed) {
    assert.is(v.validity!.valid, false, v.key);
    assert.match(v.validity!.rule, /needs >= 60 s timed, has 4\.\d+ s \(stopped at maxRepeats 40\)/);
  }
  // p50 and p90 have their observations; only the duration fails them
  assert.match(values.find((v) => v.key === 'latencyMs.p90')!.validity!.rule, /^p90 needs >= 29 observations, has 40; timed phase/);
  assert.throws(
    () => throughputMetric.parseOptions({ repeats: 10, maxRepeats: 5 }, 'suite.metrics[0].options'),
    /suite\.metrics\[0\]\.options\.maxRepeats: 5 is below repeats 10/,
  );
});

test('samples another machine generated are counted and named, never timed here', async () => {
  // chunk 0: two of this machine's samples and one from the store of an A100; chunk 1: a record that names no machine
  const mixed = [chunkOf([0.1, 0.2, 9], [here, here, there]), { ...chunkOf([0.5], [here]), machines: ['unknown'], machineInfo: {} }];
  const values = await throughputMetric.finalize({ options, method: context, chunks: [0, 1], states: { samples: mixed }, timing: null });
  const get = (k: string) => values.find((v) => v.key === k)!;
  // 2 videos x 4 frames in 0.3 s
  assert.ok(Math.abs(get('framesPerSecond').value! - 8 / 0.3) < 1e-9);
  assert.ok(Math.abs(get('secondsPerVideo').value! - 0.15) < 1e-12);
  assert.ok(Math.abs(get('deviceHours').value! - 0.3 / 3600) < 1e-15);
  assert.is(get('samplesFromOtherMachines').value, 2);
  assert.match(
    get('framesPerSecond').note!,
    /2 of 4 samples were read from the store as generated on other machines \(1 on NVIDIA A100 \[bbbbbbbbbbbbbbbb\], 1 on unknown machine/,
  );
  assert.match(get('framesPerSecond').label, /over 2 videos generated on this machine/);
});

test('no sample generated on this machine: frames/s is null and says where they came from', async () => {
  const foreign = [chunkOf([0.1, 0.2, 0.2], [there, there, there]), chunkOf([0.5], [there])];
  const values = await throughputMetric.finalize({ options, method: context, chunks: [0, 1], states: { samples: foreign }, timing: null });
  const get = (k: string) => values.find((v) => v.key === k)!;
  for (const k of ['framesPerSecond', 'realTimeFactor', 'secondsPerVideo', 'deviceHoursProtocol']) {
    assert.is(get(k).value, null, k);
    assert.match(
      get(k).note!,
      /no sample was generated on this machine: 4 of 4 samples were read from the store as generated on other machines \(4 on NVIDIA A100/,
    );
  }
  assert.is(get('deviceHours').value, 0);
  assert.is(get('samplesFromOtherMachines').value, 4);
});

test('a merge of shards from two machines: no frames/s, device-hours summed with each machine named', async () => {
  const merged = { ...context, machines: [here, there] };
  const shards = [chunkOf([0.1, 0.2, 0.2], [here, here, here]), chunkOf([0.5], [there])];
  const values = await throughputMetric.finalize({ options, method: merged, chunks: [0, 1], states: { samples: shards }, timing });
  const get = (k: string) => values.find((v) => v.key === k)!;
  assert.is(get('framesPerSecond').value, null);
  assert.match(
    get('framesPerSecond').note!,
    /the shards generated on 2 machines \(3 videos in 0\.0001389 GPU-hours on NVIDIA H100 \[a+\], 1 videos in 0\.0001389 GPU-hours on NVIDIA A100 \[b+\]\)/,
  );
  assert.is(get('deviceHoursProtocol').value, null);
  // generation 1.0 s on both machines plus shard 0's timed phase (2.0 s)
  assert.ok(Math.abs(get('deviceHours').value! - 3 / 3600) < 1e-15);
  assert.is(get('deviceHours').unit, 'GPU-hours (NVIDIA H100 + NVIDIA A100)');
  assert.is(get('samplesFromOtherMachines').value, 0);
  // a single machine's shards merge into its own rate
  const one = await throughputMetric.finalize({ options, method: context, chunks: [0, 1], states: { samples: states }, timing });
  assert.is(one.find((v) => v.key === 'framesPerSecond')!.value, 16);
});

test.run();
