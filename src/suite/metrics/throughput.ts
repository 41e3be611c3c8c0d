/**
 * `throughput`: how fast a method generates, measured two ways.
 *  - Latency (timed phase, `src/suite/timing.ts`): untimed warm-up, then at least `repeats` generations of `batch`
 *    videos and at least `minDurationSeconds` of them (at most `maxRepeats`); p50/p90/p99 and mean latency with
 *    seeded bootstrap intervals, model time per stage, peak memory. Each value carries its validity after MLPerf
 *    LoadGen (`results.h`): the timed phase must meet its minimum count and duration, and a q-th percentile needs
 *    n >= ceil(ln 0.05 / ln(q/100)) observations (`percentileObservations`: p50 5, p90 29, p99 299).
 *  - Bulk throughput (the run's samples, at the suite's batch size): frames per second = generated frames /
 *    sampler wall time, the real-time factor = generation seconds per second of video at the suite's playback
 *    rate (below 1 is faster than real time), device-hours measured and extrapolated to the full protocol. Only
 *    samples generated on this run's machines count (`MethodContext.machines`); samples read from the store that
 *    another machine generated are counted in `samplesFromOtherMachines` and named in a note, never timed here.
 * All values are wall-clock measurements (`measured: true`).
 */
import { z } from 'zod';
import { parseWith, SchemaError, strictObject } from '../../core/schema.ts';
import { bootstrapInterval, mean, percentile } from '../../core/statistics.ts';
import type { MethodContext, MetricPlugin, MetricValue, Uncertainty, Validity } from '../contract/plugin.ts';
import { UNKNOWN_MACHINE, type MachineFingerprint, type TimingRecord } from '../contract/records.ts';

/** Options of `throughput`. */
export interface ThroughputOptions {
  readonly warmup: number;
  /** Timed generations, at least. */
  readonly repeats: number;
  /** Timed wall time, seconds, at least (0: no minimum duration). */
  readonly minDurationSeconds: number;
  /** Timed generations at most while the minimum duration is not met. */
  readonly maxRepeats: number;
  /** Videos per timed generation. */
  readonly batch: number;
  /** Bootstrap resamples and interval level. */
  readonly bootstrap: number;
  readonly level: number;
  /** Seed of the bootstrap's resampling. */
  readonly seed: number;
}

/** Per-sample generation measurements of a chunk, in index order, with the machine and batch that measured each. */
export interface ThroughputState {
  readonly frames: readonly number[];
  readonly generationSeconds: readonly number[];
  /** Id of the machine that generated each sample (`UNKNOWN_MACHINE.id` for records that do not say). */
  readonly machines: readonly string[];
  /** Samples in the batch that generated each sample. */
  readonly batchSizes: readonly number[];
  /** The machines named in `machines`, by id. */
  readonly machineInfo: Readonly<Record<string, MachineFingerprint>>;
}

const optionsSchema = strictObject({
  warmup: z.number().int().min(0).default(1),
  repeats: z.number().int().min(1).default(5),
  minDurationSeconds: z.number().min(0).default(0),
  maxRepeats: z.number().int().min(1).default(10000),
  batch: z.number().int().min(1).default(1),
  bootstrap: z.number().int().min(10).default(1000),
  level: z.number().gt(0).lt(1).default(0.95),
  seed: z.number().int().min(0).default(0),
});

/**
 * Observations a q-th percentile needs to be reported as valid: the smallest n with 1 - (q/100)^n >= 0.95, i.e.
 * n >= ceil(ln 0.05 / ln(q/100)), so that with probability at least 95% some observation lies above the true
 * q-quantile (the order-statistic argument behind MLPerf LoadGen's minimum query counts): p50 5, p90 29, p99 299.
 */
export function percentileObservations(q: number): number {
  if (!(q > 0 && q < 100)) throw new RangeError(`percentileObservations: q = ${q}; allowed: 0 < q < 100`);
  return Math.ceil(Math.log(0.05) / Math.log(q / 100));
}

/** Whether a timed phase met its plan's minimum count and duration (LoadGen's min_query_count, min_duration). */
export function phaseValidity(timing: TimingRecord): Validity {
  const n = timing.repeats.length;
  const seconds = timing.repeats.reduce((a, r) => a + r.wallSeconds, 0);
  const minSeconds = timing.plan.minDurationSeconds ?? 0;
  const valid = n >= timing.plan.repeats && seconds >= minSeconds;
  const duration = minSeconds > 0 ? `needs >= ${minSeconds} s timed, has ${Number(seconds.toPrecision(4))} s` : 'no minimum duration set';
  return {
    valid,
    rule: `timed phase needs >= ${timing.plan.repeats} generations, has ${n}; ${duration}${valid ? '' : ` (stopped at maxRepeats ${timing.plan.maxRepeats})`}`,
  };
}

/** Whether `n` observations from a timed phase of validity `phase` support a q-th percentile. */
export function percentileValidity(q: number, n: number, phase: Validity): Validity {
  const need = percentileObservations(q);
  const own = `p${q} needs >= ${need} observations, has ${n}`;
  return { valid: n >= need && phase.valid, rule: phase.valid ? own : `${own}; ${phase.rule}` };
}

const MIB = 1024 * 1024;

const HEADLINE = new Set(['latencyMs.p50', 'framesPerSecond', 'realTimeFactor', 'deviceHours']);

function measuredValue(
  key: string,
  label: string,
  value: number | null,
  unit: string,
  direction: MetricValue['direction'],
  uncertainty: Uncertainty,
  note?: string,
  validity?: Validity,
): MetricValue {
  return {
    key,
    label,
    value,
    unit,
    direction,
    uncertainty,
    measured: true,
    headline: HEADLINE.has(key),
    ...(note ? { note } : {}),
    ...(validity ? { validity } : {}),
  };
}

function interval(n: number, statistic: (idx: Int32Array) => number, o: ThroughputOptions, unitOfN: string): Uncertainty {
  if (n < 2) return { kind: 'none', reason: `one ${unitOfN}: no interval` };
  const b = bootstrapInterval(n, statistic, { resamples: o.bootstrap, level: o.level, seed: o.seed });
  return {
    kind: 'interval',
    low: b.low,
    high: b.high,
    level: b.level,
    n,
    method: `percentile bootstrap over ${unitOfN}s, ${b.resamples} resamples, seed ${b.seed}`,
  };
}

function latencyValues(timing: TimingRecord, o: ThroughputOptions): MetricValue[] {
  const ms = timing.repeats.map((r) => r.wallSeconds * 1000);
  const pick = (idx: Int32Array) => Array.from(idx, (i) => ms[i]);
  const what = `${timing.plan.batch} video${timing.plan.batch > 1 ? 's' : ''} of ${timing.frames} frames`;
  const phase = phaseValidity(timing);
  const out: MetricValue[] = [];
  for (const q of [50, 90, 99]) {
    out.push(
      measuredValue(
        `latencyMs.p${q}`,
        `latency, ${q}th percentile over ${ms.length} timed generations of ${what}`,
        percentile(ms, q),
        'ms',
        'lower',
        interval(ms.length, (idx) => percentile(pick(idx), q), o, 'repeat'),
        undefined,
        percentileValidity(q, ms.length, phase),
      ),
    );
  }
  out.push(
    measuredValue(
      'latencyMs.mean',
      `mean latency of ${what}`,
      mean(ms),
      'ms',
      'lower',
      interval(ms.length, (idx) => mean(pick(idx)), o, 'repeat'),
      undefined,
      phase,
    ),
  );
  const stages = Object.keys(timing.repeats[0].stageSeconds).sort((a, b) => Number(a) - Number(b));
  for (const s of stages) {
    const stageMs = timing.repeats.map((r) => r.stageSeconds[s] * 1000);
    out.push(
      measuredValue(
        `stage${s}.modelMs`,
        `model time in stage ${s} per generation (summed call durations)`,
        mean(stageMs),
        'ms',
        'lower',
        interval(stageMs.length, (idx) => mean(Array.from(idx, (i) => stageMs[i])), o, 'repeat'),
        undefined,
        phase,
      ),
    );
  }
  if (timing.repeats.some((r) => r.decodeSeconds > 0)) {
    const decodeMs = timing.repeats.map((r) => r.decodeSeconds * 1000);
    out.push(
      measuredValue(
        'decodeMs',
        'decoder time per generation (latents to pixels)',
        mean(decodeMs),
        'ms',
        'lower',
        interval(decodeMs.length, (idx) => mean(Array.from(idx, (i) => decodeMs[i])), o, 'repeat'),
        undefined,
        phase,
      ),
    );
  }
  const one = {
    kind: 'none',
    reason: 'one measurement: the largest resident set size sampled after every Euler step of the timed phase',
  } as const;
  out.push(
    measuredValue(
      'peakRssMiB',
      'peak resident set size of the process during the timed phase',
      timing.peakRssBytes / MIB,
      'MiB',
      'lower',
      one,
      undefined,
      phase,
    ),
  );
  out.push(
    measuredValue(
      'peakRssDeltaMiB',
      'peak resident set size above its value before the timed phase',
      (timing.peakRssBytes - timing.baselineRssBytes) / MIB,
      'MiB',
      'lower',
      one,
      undefined,
      phase,
    ),
  );
  if (timing.devicePeakBytes !== undefined && timing.devicePeakBytes !== null)
    out.push(
      measuredValue(
        'peakDeviceMemoryMiB',
        "peak GPU memory allocated by the model set's networks during the timed phase (torch.cuda.max_memory_allocated)",
        timing.devicePeakBytes / MIB,
        'MiB',
        'lower',
        one,
        undefined,
        phase,
      ),
    );
  if (timing.workerMaxRssBytes !== undefined && timing.workerMaxRssBytes !== null)
    out.push(
      measuredValue(
        'workerPeakRssMiB',
        "peak resident set size of the model set's worker process (getrusage maxRSS; includes loading)",
        timing.workerMaxRssBytes / MIB,
        'MiB',
        'lower',
        { kind: 'none', reason: 'one measurement' },
        undefined,
        phase,
      ),
    );
  out.push(
    measuredValue(
      'processPeakRssMiB',
      "the process's peak resident set size by the end of the timed phase (getrusage maxRSS; includes earlier work)",
      timing.processMaxRssBytes / MIB,
      'MiB',
      'lower',
      { kind: 'none', reason: 'one measurement' },
      undefined,
      phase,
    ),
  );
  return out;
}

/** Frames/s, real-time factor and seconds per video where this run has no one rate to give: null, with `why`. */
function absentRates(method: MethodContext, none: Uncertainty, why: string): MetricValue[] {
  return [
    measuredValue('framesPerSecond', 'generated frames / sampler wall time', null, 'frames/s', 'higher', none, why),
    measuredValue(
      'realTimeFactor',
      `generation seconds per second of video at ${method.playbackFps} fps (below 1 is faster than real time)`,
      null,
      'ratio',
      'lower',
      none,
      why,
    ),
    measuredValue('secondsPerVideo', 'sampler wall time per video', null, 's', 'lower', none, why),
  ];
}

/** "12 on NVIDIA A100 [3f2a...]" for each machine of `counts`, most samples first. */
function machineList(
  counts: ReadonlyMap<string, number>,
  info: Readonly<Record<string, MachineFingerprint>>,
  what: (id: string, n: number) => string,
): string {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([id, n]) => `${what(id, n)} on ${info[id]?.name ?? UNKNOWN_MACHINE.name}${id === UNKNOWN_MACHINE.id ? '' : ` [${id}]`}`)
    .join(', ');
}

function bulkValues(
  states: readonly ThroughputState[],
  method: MethodContext,
  timing: TimingRecord | null,
  o: ThroughputOptions,
): MetricValue[] {
  const own = new Map(method.machines.map((m) => [m.id, m]));
  const info: Record<string, MachineFingerprint> = Object.assign({}, ...states.map((s) => s.machineInfo ?? {}), Object.fromEntries(own));
  const isOwn = (s: ThroughputState, i: number) => own.has(s.machines?.[i] ?? UNKNOWN_MACHINE.id);
  const ownSum = (s: ThroughputState, xs: readonly number[]) => xs.reduce((a, x, i) => a + (isOwn(s, i) ? x : 0), 0);
  const framesPerChunk = states.map((s) => ownSum(s, s.frames));
  const secondsPerChunk = states.map((s) => ownSum(s, s.generationSeconds));
  const ownCount = new Map<string, number>();
  const ownSeconds = new Map<string, number>();
  const foreign = new Map<string, number>();
  const batches = new Set<number>();
  for (const s of states) {
    s.frames.forEach((_, i) => {
      const id = s.machines?.[i] ?? UNKNOWN_MACHINE.id;
      if (!own.has(id)) return void foreign.set(id, (foreign.get(id) ?? 0) + 1);
      ownCount.set(id, (ownCount.get(id) ?? 0) + 1);
      ownSeconds.set(id, (ownSeconds.get(id) ?? 0) + s.generationSeconds[i]);
      if (s.batchSizes) batches.add(s.batchSizes[i]);
    });
  }
  const videos = [...ownCount.values()].reduce((a, b) => a + b, 0);
  const fromOthers = [...foreign.values()].reduce((a, b) => a + b, 0);
  const storeNote =
    fromOthers > 0
      ? `${fromOthers} of ${videos + fromOthers} samples were read from the store as generated on other machines (${machineList(foreign, info, (_, n) => String(n))}); their times are left out`
      : undefined;
  const timedSeconds = timing ? [...timing.warmupSeconds, ...timing.repeats.map((r) => r.wallSeconds)].reduce((a, b) => a + b, 0) : 0;
  const exactFromRun = { kind: 'none', reason: 'a sum of this run\u2019s measured times' } as const;
  const fromOthersValue = measuredValue(
    'samplesFromOtherMachines',
    'samples read from the store that another machine (or an older harness, which did not say) generated: their times are not this run\u2019s and are left out',
    fromOthers,
    'samples',
    'none',
    { kind: 'exact', reason: 'a count' },
    storeNote,
  );
  const sum = (xs: readonly number[], idx?: Int32Array) => (idx ? Array.from(idx, (i) => xs[i]) : [...xs]).reduce((a, b) => a + b, 0);
  // rates of different machines are not one number: a merge of shards from several machines reports none
  if (ownCount.size > 1) {
    const byMachine = machineList(
      ownCount,
      info,
      (id, n) => `${n} videos in ${Number((ownSeconds.get(id)! / 3600).toPrecision(4))} ${info[id].hoursUnit}`,
    );
    const why = `the shards generated on ${ownCount.size} machines (${byMachine}); their rates are not one number`;
    const none = { kind: 'none', reason: 'generated on several machines' } as const;
    const units = new Set([...ownCount.keys()].map((id) => info[id].hoursUnit));
    const hours = units.size === 1 ? (sum(secondsPerChunk) + timedSeconds) / 3600 : null;
    const unit = `${units.size === 1 ? [...units][0] : 'device-hours'} (${[...ownCount.keys()].map((id) => info[id].name).join(' + ')})`;
    return [
      ...absentRates(method, none, why),
      measuredValue(
        'deviceHours',
        `device time spent generating this run's ${videos} videos${timing ? ' and its timed phase' : ''}, summed over its machines`,
        hours,
        unit,
        'lower',
        exactFromRun,
        units.size === 1 ? `by machine: ${byMachine}` : `CPU-hours and GPU-hours do not add up; by machine: ${byMachine}`,
      ),
      measuredValue(
        'deviceHoursProtocol',
        `extrapolated to the full protocol of ${method.protocolVideos} videos`,
        null,
        unit,
        'lower',
        none,
        why,
      ),
      fromOthersValue,
    ];
  }
  const unit = `${method.device.hoursUnit} (${method.device.name})`;
  const batchText = batches.size > 0 ? ` in batches of ${[...batches].sort((a, b) => b - a).join('/')}` : '';
  if (videos === 0) {
    const why = `no sample was generated on this machine: ${storeNote ?? 'the run has no samples'}`;
    const none = { kind: 'none', reason: 'no sample generated on this machine' } as const;
    return [
      ...absentRates(method, none, why),
      measuredValue(
        'deviceHours',
        `device time spent by this run${timing ? ' on its timed phase' : ''}; it generated no videos`,
        timedSeconds / 3600,
        unit,
        'lower',
        exactFromRun,
        why,
      ),
      measuredValue(
        'deviceHoursProtocol',
        `extrapolated to the full protocol of ${method.protocolVideos} videos`,
        null,
        unit,
        'lower',
        none,
        why,
      ),
      fromOthersValue,
    ];
  }
  const fps = sum(framesPerChunk) / sum(secondsPerChunk);
  // chunks without a sample of this machine's have no rate to resample
  const timedChunks = states.map((_, i) => i).filter((i) => secondsPerChunk[i] > 0);
  const chunkFrames = timedChunks.map((i) => framesPerChunk[i]);
  const chunkSeconds = timedChunks.map((i) => secondsPerChunk[i]);
  const fpsU = interval(timedChunks.length, (idx) => sum(chunkFrames, idx) / sum(chunkSeconds, idx), o, 'chunk');
  const rtfU: Uncertainty =
    fpsU.kind === 'interval' ? { ...fpsU, low: method.playbackFps / fpsU.high, high: method.playbackFps / fpsU.low } : fpsU;
  const secondsPerVideo = sum(secondsPerChunk) / videos;
  const here = fromOthers > 0 ? ' generated on this machine' : '';
  return [
    measuredValue(
      'framesPerSecond',
      `generated frames / sampler wall time, over ${videos} videos${here}${batchText}`,
      fps,
      'frames/s',
      'higher',
      fpsU,
      storeNote,
    ),
    measuredValue(
      'realTimeFactor',
      `generation seconds per second of video at ${method.playbackFps} fps (below 1 is faster than real time)`,
      method.playbackFps / fps,
      'ratio',
      'lower',
      rtfU,
      storeNote,
    ),
    measuredValue('secondsPerVideo', `sampler wall time per video${batchText}`, secondsPerVideo, 's', 'lower', exactFromRun, storeNote),
    measuredValue(
      'deviceHours',
      `device time spent generating this run's ${videos} videos${here}${timing ? ' and its timed phase' : ''}`,
      (sum(secondsPerChunk) + timedSeconds) / 3600,
      unit,
      'lower',
      exactFromRun,
      storeNote,
    ),
    measuredValue(
      'deviceHoursProtocol',
      `extrapolated to the full protocol of ${method.protocolVideos} videos at this rate`,
      (secondsPerVideo * method.protocolVideos) / 3600,
      unit,
      'lower',
      exactFromRun,
      storeNote,
    ),
    fromOthersValue,
  ];
}

/** The `throughput` metric. */
export const throughputMetric: MetricPlugin<ThroughputOptions, ThroughputState> = {
  name: 'throughput',
  version: 2,
  description:
    'latency p50/p90/p99 with bootstrap intervals and validity, per-stage time, peak memory, frames/s, real-time factor, device-hours (this run\u2019s machines only)',
  referenceSets: [],
  parseOptions(raw, where) {
    const o = parseWith(optionsSchema, raw, where);
    if (o.maxRepeats < o.repeats)
      throw new SchemaError(`${where}.maxRepeats: ${o.maxRepeats} is below repeats ${o.repeats}; the cap must allow the minimum count`);
    return o;
  },
  chunkState: (chunk) => {
    if (!chunk.records) throw new RangeError(`throughput: chunk ${chunk.chunk} has no generation records`);
    const machines = chunk.records.map((r) => r.machine ?? UNKNOWN_MACHINE);
    return {
      frames: chunk.records.map((r) => r.shape[1]),
      generationSeconds: chunk.records.map((r) => r.generationSeconds),
      machines: machines.map((m) => m.id),
      batchSizes: chunk.records.map((r) => r.batchSize),
      machineInfo: Object.fromEntries(machines.map((m) => [m.id, m])),
    };
  },
  encode: (state) => ({ json: state, arrays: {} }),
  decode: (encoded) => encoded.json as ThroughputState,
  timing: (o) => ({
    warmup: o.warmup,
    repeats: o.repeats,
    minDurationSeconds: o.minDurationSeconds,
    maxRepeats: o.maxRepeats,
    batch: o.batch,
  }),
  finalize({ options, states, method, timing }) {
    const bulk = bulkValues(states.samples ?? [], method, timing, options);
    if (timing) return [...latencyValues(timing, options), ...bulk];
    const absent = measuredValue(
      'latencyMs.p50',
      'latency, 50th percentile',
      null,
      'ms',
      'lower',
      { kind: 'none', reason: 'not measured' },
      'the timed phase runs in shard 0 only',
    );
    return [absent, ...bulk];
  },
};
