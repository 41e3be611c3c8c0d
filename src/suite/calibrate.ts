/**
 * `run --dry-run`: the plan of a run and its estimated time. Each method generates one untimed warm-up sample and
 * then `calibrationSamples` timed ones (nothing is stored); the seconds per sample, times the samples still to
 * generate (those not in the store) plus the timed phase, give the estimate in seconds and device-hours, and the
 * same rate gives the device-hours of the full protocol. Stored samples are read back to be counted, so a damaged
 * store entry is reported (one line on stderr, or through `log`), set aside and counted among those to generate.
 */
import { existsSync } from 'node:fs';
import { PhiloxNoise } from '../core/philox.ts';
import { canonicalJson } from '../core/hash.ts';
import { generateBatch } from './generate.ts';
import type { MethodPlan, RunPlan } from './plan.ts';
import { formatDuration } from './progress.ts';
import { SampleStore } from './contract/sample-store.ts';
import { chunkPositions, shardChunks, type Shard } from './contract/shard.ts';
import { formatNumber } from '../analysis/summary.ts';

const stderrLog = (line: string) => {
  process.stderr.write(`[run] ${line}\n`);
};

/** Seconds per sample of a method (sampling and decoding): one warm-up sample, then `n` samples in batches of the suite's size. */
export async function calibrate(run: RunPlan, plan: MethodPlan, n: number): Promise<number> {
  const m = plan.method;
  const noise = new PhiloxNoise(run.loaded.suite.seed);
  const generate = (items: MethodPlan['items']) => generateBatch(m, items, noise);
  await generate(plan.items.slice(0, 1));
  const count = Math.min(n, plan.items.length);
  const batch = run.loaded.suite.batch;
  const started = performance.now();
  for (let i = 0; i < count; i += batch) await generate(plan.items.slice(i, Math.min(count, i + batch)));
  return (performance.now() - started) / 1000 / count;
}

/** The plan and its estimate as text; the plan's model sets stay open (`planRun`'s caller closes them). */
export async function dryRun(
  run: RunPlan,
  options: { shard: Shard; storeRoot: string | null; calibrationSamples: number; log?: (line: string) => void },
): Promise<string> {
  const { suite, file, hash } = run.loaded;
  const store = options.storeRoot && existsSync(options.storeRoot) ? new SampleStore(options.storeRoot, options.log ?? stderrLog) : null;
  const chunks = shardChunks(run.chunks, options.shard);
  const positions = chunkPositions(chunks, suite.chunk, run.samples);
  const lines = [
    `suite ${suite.name} v${suite.version} (${file}, hash ${hash.slice(0, 12)})`,
    `${run.methods.length} methods x ${run.samples} samples in ${run.chunks} chunks of ${suite.chunk}; shard ${options.shard.index}/${options.shard.count}: ${chunks.length} chunks, ${positions.length} samples per method`,
    `conditions ${canonicalJson(suite.conditions)}, seed ${suite.seed}, batch ${suite.batch}, reference ${suite.reference.source} (seed ${suite.reference.seed})`,
    `metrics: ${run.metrics.map((m) => `${m.plugin.name} v${m.plugin.version} ${canonicalJson(m.options)}`).join('; ')}`,
    `device: ${run.device.name} (${run.device.reason})`,
    '',
    '| method | model | sampler | to generate | in store | s/sample (calibrated) | estimated |',
    '|---|---|---|---|---|---|---|',
  ];
  let total = 0;
  let protocol = 0;
  const timing = run.metrics.map((m) => m.plugin.timing?.(m.options) ?? null).find((t) => t !== null) ?? null;
  for (const plan of run.methods) {
    // an entry counts as stored only when it reads back: a damaged one is reported, set aside and counted to generate
    const stored = store ? positions.filter((p) => store.hasSample(plan.keys[p]) && store.readSample(plan.keys[p]) !== null).length : 0;
    const todo = positions.length - stored;
    const perSample = await calibrate(run, plan, options.calibrationSamples);
    const timed = timing && options.shard.index === 0 ? (timing.warmup + timing.repeats) * timing.batch * perSample : 0;
    const seconds = todo * perSample + timed;
    total += seconds;
    protocol += perSample * plan.context.protocolVideos;
    lines.push(
      `| ${plan.method.id} | ${plan.method.model} | ${plan.method.sampler} | ${todo} | ${stored} | ${formatNumber(perSample)} | ${formatDuration(seconds)} |`,
    );
  }
  lines.push(
    '',
    `estimated generation time: ${formatDuration(total)} = ${formatNumber(total / 3600)} ${run.device.hoursUnit} on ${run.device.name} (metric computation not included)`,
    `full protocol (${run.methods[0]?.context.protocolVideos ?? 0} videos per method${suite.protocol ? `, ${suite.protocol.name}` : ''}): ${formatNumber(protocol / 3600)} ${run.device.hoursUnit} for all methods at the calibrated rate`,
    '',
  );
  return lines.join('\n');
}
