#!/usr/bin/env node
/**
 * The throughput suite's summary: `node scripts/gpu-summary.mjs <results folder>` reads results.json (written by
 * `pyramid-bench run suites/gpu-throughput*.yaml`) and writes gpu-summary.md and gpu-summary.json beside it: per
 * method and stage, the planned FLOPs per video (the `cost` metric, the harness's FLOP model) beside the measured
 * model time per video (the `throughput` metric's timed phase) and their ratio, the achieved rate in TFLOP/s; per
 * method, seconds per video, GPU-hours (device-hours) per 1000 videos and peak memory. No dependencies, so it runs
 * with the bare Node binary that scripts/gpu-pack.sh carries. The scale model's weights are random: these are
 * speed and memory figures only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const value = (metric, key) => metric?.values.find((v) => v.key === key)?.value ?? null;
const fmt = (x, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : Number(x.toPrecision(digits)).toString());

/** The summary of one results.json object: { suite, device, methods: [{ name, stages, ... }] }. */
export function summarize(results) {
  const methods = results.methods.map((m) => {
    const cost = m.metrics.cost;
    const tp = m.metrics.throughput;
    const stages = [];
    for (let k = 0; ; k++) {
      const flops = value(cost, `stage${k}.flopsPerSample`);
      if (flops === null) break;
      const modelMs = value(tp, `stage${k}.modelMs`);
      const seconds = modelMs === null ? null : modelMs / 1000;
      stages.push({
        stage: k,
        nfe: value(cost, `stage${k}.nfe`),
        plannedTflopsPerVideo: flops / 1e12,
        modelMsPerVideo: modelMs,
        // achieved rate: planned FLOPs of the stage / measured model time of the stage
        achievedTflopsPerSecond: seconds ? flops / 1e12 / seconds : null,
      });
    }
    const flops = value(cost, 'flopsPerSample');
    const modelMs = stages.reduce((a, s) => a + (s.modelMsPerVideo ?? Number.NaN), 0);
    const secondsPerVideo = value(tp, 'secondsPerVideo');
    const protocol = results.locked?.protocol;
    const perThousand =
      protocol?.videos === 1000 ? value(tp, 'deviceHoursProtocol') : secondsPerVideo === null ? null : (secondsPerVideo * 1000) / 3600;
    return {
      name: m.name,
      model: m.model,
      sampler: m.sampler,
      frames: m.frames,
      shape: m.shape,
      nfe: value(cost, 'nfe'),
      plannedTflopsPerVideo: flops === null ? null : flops / 1e12,
      modelMsPerVideo: Number.isFinite(modelMs) ? modelMs : null,
      achievedTflopsPerSecond: flops !== null && modelMs > 0 ? flops / 1e12 / (modelMs / 1000) : null,
      latencyMsP50: value(tp, 'latencyMs.p50'),
      secondsPerVideo,
      framesPerSecond: value(tp, 'framesPerSecond'),
      deviceHoursPer1000Videos: perThousand,
      peakDeviceMemoryMiB: value(tp, 'peakDeviceMemoryMiB'),
      workerPeakRssMiB: value(tp, 'workerPeakRssMiB'),
      stages,
    };
  });
  return { suite: results.suite, device: results.device, machines: results.machines, methods };
}

/** The summary as Markdown. */
export function summaryMarkdown(s) {
  const unit = s.device?.hoursUnit ?? 'device-hours';
  const lines = [
    `# ${s.suite.name} v${s.suite.version}: planned FLOPs against measured time`,
    '',
    `Device: ${s.device?.name ?? 'unknown'} (${s.device?.reason ?? ''}). Scale model, random weights: speed and memory only, quality is meaningless.`,
    'Planned FLOPs: the harness FLOP model (src/models/contract/cost-model.ts) for the sampler plan, guidance rows included; model time: summed call durations per video in the timed phase.',
    '',
    `| method | frames x H x W | NFE | planned TFLOPs/video | model s/video | achieved TFLOP/s | wall s/video | frames/s | ${unit} per 1000 videos | peak GPU memory MiB | worker peak RSS MiB |`,
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const m of s.methods)
    lines.push(
      `| ${m.name} | ${m.shape ? `${m.shape[1]} x ${m.shape[2]} x ${m.shape[3]}` : '-'} | ${fmt(m.nfe)} | ${fmt(m.plannedTflopsPerVideo)} | ${fmt(m.modelMsPerVideo / 1000)} | ${fmt(m.achievedTflopsPerSecond)} | ${fmt(m.secondsPerVideo)} | ${fmt(m.framesPerSecond)} | ${fmt(m.deviceHoursPer1000Videos)} | ${fmt(m.peakDeviceMemoryMiB)} | ${fmt(m.workerPeakRssMiB)} |`,
    );
  lines.push(
    '',
    '## Per stage',
    '',
    '| method | stage | NFE | planned TFLOPs/video | model ms/video | achieved TFLOP/s |',
    '|---|---|---|---|---|---|',
  );
  for (const m of s.methods)
    for (const st of m.stages)
      lines.push(
        `| ${m.name} | ${st.stage} | ${fmt(st.nfe)} | ${fmt(st.plannedTflopsPerVideo)} | ${fmt(st.modelMsPerVideo)} | ${fmt(st.achievedTflopsPerSecond)} |`,
      );
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node scripts/gpu-summary.mjs <results folder (holding results.json)>\n');
    process.exit(2);
  }
  let results;
  try {
    results = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8'));
  } catch (e) {
    process.stderr.write(`gpu-summary: cannot read ${path.join(dir, 'results.json')}: ${e.message}\n`);
    process.exit(1);
  }
  const s = summarize(results);
  writeFileSync(path.join(dir, 'gpu-summary.json'), `${JSON.stringify(s, null, 2)}\n`);
  writeFileSync(path.join(dir, 'gpu-summary.md'), summaryMarkdown(s));
  process.stdout.write(summaryMarkdown(s));
}
