/**
 * `throughput`: how fast a method generates, measured two ways.
 *  - Latency (timed phase, `src/bench/timing.ts`): untimed warm-up, then `repeats` generations of `batch`
 *    videos; p50/p90/p99 and mean latency with seeded bootstrap intervals, model time per stage, peak memory.
 *  - Bulk throughput (every sample of the run, at the suite's batch size): frames per second = generated frames /
 *    sampler wall time, the real-time factor = generation seconds per second of video at the suite's playback
 *    rate (below 1 is faster than real time), device-hours measured and extrapolated to the full protocol.
 * All values are wall-clock measurements (`measured: true`).
 */
import { z } from 'zod';
import { parseWith, strictObject } from '../../core/schema.ts';
import { bootstrapInterval, mean, percentile } from '../../core/statistics.ts';
import type { MethodContext, MetricPlugin, MetricValue, Uncertainty } from '../contract/plugin.ts';
import type { TimingRecord } from '../contract/records.ts';

/** Options of `throughput`. */
export interface ThroughputOptions {
  readonly warmup: number;
  readonly repeats: number;
  /** Videos per timed generation. */
  readonly batch: number;
  /** Bootstrap resamples and interval level. */
  readonly bootstrap: number;
  readonly level: number;
  /** Seed of the bootstrap's resampling. */
  readonly seed: number;
}

/** Per-sample generation measurements of a chunk, in index order. */
export interface ThroughputState {
  readonly frames: readonly number[];
  readonly generationSeconds: readonly number[];
}

const optionsSchema = strictObject({
  warmup: z.number().int().min(0).default(1),
  repeats: z.number().int().min(1).default(5),
  batch: z.number().int().min(1).default(1),
  bootstrap: z.number().int().min(10).default(1000),
  level: z.number().gt(0).lt(1).default(0.95),
  seed: z.number().int().min(0).default(0),
});

const MIB = 1024 * 1024;

const HEADLINE = new Set(['latencyMs.p50', 'framesPerSecond', 'realTimeFactor', 'deviceHours']);

function measuredValue(key: string, label: string, value: number | null, unit: string, direction: MetricValue['direction'], uncertainty: Uncertainty, note?: string): MetricValue {
  return { key, label, value, unit, direction, uncertainty, measured: true, headline: HEADLINE.has(key), ...(note ? { note } : {}) };
}

function interval(n: number, statistic: (idx: Int32Array) => number, o: ThroughputOptions, unitOfN: string): Uncertainty {
  if (n < 2) return { kind: 'none', reason: `one ${unitOfN}: no interval` };
  const b = bootstrapInterval(n, statistic, { resamples: o.bootstrap, level: o.level, seed: o.seed });
  return { kind: 'interval', low: b.low, high: b.high, level: b.level, n, method: `percentile bootstrap over ${unitOfN}s, ${b.resamples} resamples, seed ${b.seed}` };
}

function latencyValues(timing: TimingRecord, o: ThroughputOptions): MetricValue[] {
  const ms = timing.repeats.map((r) => r.wallSeconds * 1000);
  const pick = (idx: Int32Array) => Array.from(idx, (i) => ms[i]);
  const what = `${timing.plan.batch} video${timing.plan.batch > 1 ? 's' : ''} of ${timing.frames} frames`;
  const out: MetricValue[] = [];
  for (const q of [50, 90, 99]) {
    out.push(measuredValue(`latencyMs.p${q}`, `latency, ${q}th percentile over ${ms.length} timed generations of ${what}`, percentile(ms, q), 'ms', 'lower', interval(ms.length, (idx) => percentile(pick(idx), q), o, 'repeat')));
  }
  out.push(measuredValue('latencyMs.mean', `mean latency of ${what}`, mean(ms), 'ms', 'lower', interval(ms.length, (idx) => mean(pick(idx)), o, 'repeat')));
  const stages = Object.keys(timing.repeats[0].stageSeconds).sort((a, b) => Number(a) - Number(b));
  for (const s of stages) {
    const stageMs = timing.repeats.map((r) => r.stageSeconds[s] * 1000);
    out.push(measuredValue(`stage${s}.modelMs`, `model time in stage ${s} per generation (summed call durations)`, mean(stageMs), 'ms', 'lower', interval(stageMs.length, (idx) => mean(Array.from(idx, (i) => stageMs[i])), o, 'repeat')));
  }
  if (timing.repeats.some((r) => r.decodeSeconds > 0)) {
    const decodeMs = timing.repeats.map((r) => r.decodeSeconds * 1000);
    out.push(measuredValue('decodeMs', 'decoder time per generation (latents to pixels)', mean(decodeMs), 'ms', 'lower', interval(decodeMs.length, (idx) => mean(Array.from(idx, (i) => decodeMs[i])), o, 'repeat')));
  }
  const one = { kind: 'none', reason: 'one measurement: the largest resident set size sampled after every Euler step of the timed phase' } as const;
  out.push(measuredValue('peakRssMiB', 'peak resident set size of the process during the timed phase', timing.peakRssBytes / MIB, 'MiB', 'lower', one));
  out.push(measuredValue('peakRssDeltaMiB', 'peak resident set size above its value before the timed phase', (timing.peakRssBytes - timing.baselineRssBytes) / MIB, 'MiB', 'lower', one));
  out.push(measuredValue('processPeakRssMiB', "the process's peak resident set size by the end of the timed phase (getrusage maxRSS; includes earlier work)", timing.processMaxRssBytes / MIB, 'MiB', 'lower', { kind: 'none', reason: 'one measurement' }));
  return out;
}

function bulkValues(states: readonly ThroughputState[], method: MethodContext, timing: TimingRecord | null, o: ThroughputOptions): MetricValue[] {
  const framesPerChunk = states.map((s) => s.frames.reduce((a, b) => a + b, 0));
  const secondsPerChunk = states.map((s) => s.generationSeconds.reduce((a, b) => a + b, 0));
  const videos = states.reduce((a, s) => a + s.frames.length, 0);
  const sum = (xs: readonly number[], idx?: Int32Array) => (idx ? Array.from(idx, (i) => xs[i]) : [...xs]).reduce((a, b) => a + b, 0);
  const fps = sum(framesPerChunk) / sum(secondsPerChunk);
  const fpsU = interval(states.length, (idx) => sum(framesPerChunk, idx) / sum(secondsPerChunk, idx), o, 'chunk');
  const rtfU: Uncertainty = fpsU.kind === 'interval' ? { ...fpsU, low: method.playbackFps / fpsU.high, high: method.playbackFps / fpsU.low } : fpsU;
  const secondsPerVideo = sum(secondsPerChunk) / videos;
  const timedSeconds = timing ? [...timing.warmupSeconds, ...timing.repeats.map((r) => r.wallSeconds)].reduce((a, b) => a + b, 0) : 0;
  const unit = `${method.device.hoursUnit} (${method.device.name})`;
  const exactFromRun = { kind: 'none', reason: 'a sum of this run\u2019s measured times' } as const;
  return [
    measuredValue('framesPerSecond', `generated frames / sampler wall time, over ${videos} videos at the suite's batch size`, fps, 'frames/s', 'higher', fpsU),
    measuredValue('realTimeFactor', `generation seconds per second of video at ${method.playbackFps} fps (below 1 is faster than real time)`, method.playbackFps / fps, 'ratio', 'lower', rtfU),
    measuredValue('secondsPerVideo', 'sampler wall time per video at the suite\u2019s batch size', secondsPerVideo, 's', 'lower', exactFromRun),
    measuredValue('deviceHours', `device time spent generating this run's ${videos} videos${timing ? ' and its timed phase' : ''}`, (sum(secondsPerChunk) + timedSeconds) / 3600, unit, 'lower', exactFromRun),
    measuredValue('deviceHoursProtocol', `extrapolated to the full protocol of ${method.protocolVideos} videos at this rate`, (secondsPerVideo * method.protocolVideos) / 3600, unit, 'lower', exactFromRun),
  ];
}

/** The `throughput` metric. */
export const throughputMetric: MetricPlugin<ThroughputOptions, ThroughputState> = {
  name: 'throughput',
  version: 1,
  description: 'latency p50/p90/p99 with bootstrap intervals, per-stage time, peak memory, frames/s, real-time factor, device-hours',
  referenceSets: [],
  parseOptions: (raw, where) => parseWith(optionsSchema, raw, where),
  chunkState: (chunk) => {
    if (!chunk.records) throw new RangeError(`throughput: chunk ${chunk.chunk} has no generation records`);
    return { frames: chunk.records.map((r) => r.shape[1]), generationSeconds: chunk.records.map((r) => r.generationSeconds) };
  },
  encode: (state) => ({ json: state, arrays: {} }),
  decode: (encoded) => encoded.json as ThroughputState,
  timing: (o) => ({ warmup: o.warmup, repeats: o.repeats, batch: o.batch }),
  finalize({ options, states, method, timing }) {
    const bulk = bulkValues(states.samples ?? [], method, timing, options);
    if (timing) return [...latencyValues(timing, options), ...bulk];
    const absent = measuredValue('latencyMs.p50', 'latency, 50th percentile', null, 'ms', 'lower', { kind: 'none', reason: 'not measured' }, 'the timed phase runs in shard 0 only');
    return [absent, ...bulk];
  },
};
