/**
 * The timed phase of a method: after untimed set-up (loading models, done by the caller) and untimed warm-up
 * generations, timed generations of the same `batch` videos until there are at least `repeats` of them and they
 * took at least `minDurationSeconds` together (MLPerf LoadGen's minimum query count and minimum duration), at most
 * `maxRepeats`; each is measured by its sampler wall time
 * and by its model time per stage (the per-call `durationMs` of `CostSummary.records`, summed by stage), with
 * the resident set size sampled after every Euler step for the peak memory.
 */
import { PhiloxNoise } from '../core/philox.ts';
import { generateBatch } from './generate.ts';
import type { ResolvedMethod } from './methods.ts';
import type { SuiteItem, TimedRepeat, TimingPlan, TimingRecord } from './contract/records.ts';

/** Runs the timed phase of `method` on its first `plan.batch` items. */
export async function measureTiming(
  method: ResolvedMethod,
  items: readonly SuiteItem[],
  seed: number,
  plan: TimingPlan,
): Promise<TimingRecord> {
  if (items.length < plan.batch)
    throw new RangeError(`timing ${method.id}: batch of ${plan.batch} videos, but the method has ${items.length} samples`);
  if (plan.maxRepeats < plan.repeats)
    throw new RangeError(`timing ${method.id}: maxRepeats ${plan.maxRepeats} is below repeats ${plan.repeats}`);
  const batch = items.slice(0, plan.batch);
  const noise = new PhiloxNoise(seed);
  const generate = (onStep?: () => void) => generateBatch(method, batch, noise, onStep);
  const warmupSeconds: number[] = [];
  for (let i = 0; i < plan.warmup; i++) {
    const started = performance.now();
    await generate();
    warmupSeconds.push((performance.now() - started) / 1000);
  }
  // a worker process's or a GPU's memory is the backend's to report; its period starts here
  await method.models.memoryReport?.(true);
  const baselineRssBytes = process.memoryUsage.rss();
  let peakRssBytes = baselineRssBytes;
  const sampleMemory = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRssBytes) peakRssBytes = rss;
  };
  const repeats: TimedRepeat[] = [];
  let timedSeconds = 0;
  // LoadGen's rule: stop once both the count and the duration are met, or at the cap
  while (repeats.length < plan.maxRepeats && (repeats.length < plan.repeats || timedSeconds < plan.minDurationSeconds)) {
    const started = performance.now();
    const { result, decodeSeconds } = await generate(sampleMemory);
    const wallSeconds = (performance.now() - started) / 1000;
    sampleMemory();
    timedSeconds += wallSeconds;
    repeats.push({
      wallSeconds,
      decodeSeconds,
      stageSeconds: Object.fromEntries(result.cost.stages.map((s) => [String(s.stage), s.modelSeconds])),
      nfe: result.cost.nfe,
    });
  }
  const backendMemory = await method.models.memoryReport?.();
  return {
    plan,
    devicePeakBytes: backendMemory?.devicePeakBytes ?? null,
    workerMaxRssBytes: backendMemory?.workerMaxRssBytes ?? null,
    frames: method.frames,
    warmupSeconds,
    repeats,
    baselineRssBytes,
    peakRssBytes,
    processMaxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
