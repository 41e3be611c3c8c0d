#!/usr/bin/env node
/**
 * The throughput suite's summary: `node scripts/gpu-summary.mjs <results folder>` reads results.json (written by
 * `pyramid-bench run suites/gpu-throughput*.yaml`) and writes gpu-summary.md and gpu-summary.json beside it: per
 * method and stage, the planned FLOPs per video (the `cost` metric, the harness's FLOP model) beside the measured
 * model time per video (the `throughput` metric's timed phase) and their ratio, the achieved rate in TFLOP/s; per
 * method, seconds per video, GPU-hours (device-hours) per 1000 videos and peak memory. No dependencies, so it runs
 * with the bare Node binary that scripts/gpu-pack.sh carries. The scale model's weights are random: these are
 * speed and memory figures only.
 *
 * It also extrapolates each method to the official settings (steps [20, 20, 20] for the first frame and
 * [10, 10, 10] later, guidance 7 / 5, 16 latent frames = 5 s at 24 fps): measured wall seconds per video x
 * (the official plan's FLOPs / the run's planned FLOPs), with the official plan from the harness's cost table
 * (dist/analysis/cost-table.js, the same planners as the samplers) and the package's transformer. An
 * extrapolation, not a measurement: it assumes the achieved FLOP rate of the run holds at the official size.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const value = (metric, key) => metric?.values.find((v) => v.key === key)?.value ?? null;
const fmt = (x, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : Number(x.toPrecision(digits)).toString());

/** The official settings the extrapolation plans for (pyramid-flow.md section 4, the README's run). */
export const OFFICIAL = Object.freeze({
  stepsPerStage: [20, 20, 20],
  videoStepsPerStage: [10, 10, 10],
  guidance: { firstFrame: 7, video: 5 },
  frames: 16,
});

/** Which row of the harness's cost table a method is: pyramid, fullAutoregressive, fullSequence or cascade. */
export function costTableMethod(m) {
  if (m.sampler === 'pyramid') return 'pyramid';
  if (m.sampler === 'cascade') return 'cascade';
  if (m.sampler === 'full') return m.settings?.temporal === 'autoregressive' ? 'fullAutoregressive' : 'fullSequence';
  return null;
}

/**
 * The summary of one results.json object: { suite, device, methods: [{ name, stages, ... }] }. `officialFlops(m)`
 * gives a method's FLOPs per video at OFFICIAL (null when unknown), for the extrapolated columns.
 */
export function summarize(results, officialFlops = () => null) {
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
    const official = officialFlops(m);
    const officialSecondsPerVideo = official !== null && flops && secondsPerVideo !== null ? (secondsPerVideo * official) / flops : null;
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
      official: {
        plannedTflopsPerVideo: official === null ? null : official / 1e12,
        extrapolatedSecondsPerVideo: officialSecondsPerVideo,
        extrapolatedDeviceHoursPer1000Videos: officialSecondsPerVideo === null ? null : (officialSecondsPerVideo * 1000) / 3600,
      },
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
    '## Extrapolated to the official settings (EXTRAPOLATION, not measured)',
    '',
    `Steps [${OFFICIAL.stepsPerStage}] for the first frame and [${OFFICIAL.videoStepsPerStage}] later, guidance ${OFFICIAL.guidance.firstFrame} / ${OFFICIAL.guidance.video}, ${OFFICIAL.frames} latent frames (5 s at 24 fps): measured wall seconds per video x official planned FLOPs / this run's planned FLOPs. Assumes the run's achieved FLOP rate holds at the official size.`,
    '',
    `| method | official planned TFLOPs/video | extrapolated s/video | extrapolated ${unit} per 1000 videos |`,
    '|---|---|---|---|',
  );
  for (const m of s.methods)
    lines.push(
      `| ${m.name} | ${fmt(m.official.plannedTflopsPerVideo)} | ${fmt(m.official.extrapolatedSecondsPerVideo)} | ${fmt(m.official.extrapolatedDeviceHoursPer1000Videos)} |`,
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

/**
 * A planner for summarize: each method's FLOPs per video at `settings` ({stepsPerStage, videoStepsPerStage,
 * guidance, frames}) from the harness's cost table, with the transformer of the method's package (a `torch:` or
 * `onnx:` folder reference, relative to the harness root); null for a method it cannot place. The cost table's
 * baselines take the pyramid's steps: full resolution the pyramid's steps per unit summed over stages (first frame
 * and later frames), the cascade the later-frame steps per stage, as the throughput suites set them. Null for
 * every method when the harness is not built.
 */
export async function flopsPlanner(settings) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  let table;
  let schedule;
  try {
    table = await import(path.join(root, 'dist', 'analysis', 'cost-table.js'));
    schedule = await import(path.join(root, 'dist', 'models', 'contract', 'schedule.js'));
  } catch {
    process.stderr.write('gpu-summary: dist/ is not built; the official-settings extrapolation is left out\n');
    return () => null;
  }
  return (m) => {
    const row = costTableMethod(m);
    const folder = /^(?:torch|onnx):([^?]+)/.exec(m.model ?? '')?.[1];
    if (!row || !folder || !m.shape) return null;
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(path.resolve(root, folder, 'manifest.json'), 'utf8'));
    } catch {
      return null;
    }
    if (!manifest.cost) return null;
    const [channels, , height, width] = m.shape;
    const config = {
      name: m.name,
      height,
      width,
      frames: settings.frames,
      channels,
      patchSize: manifest.patchSize,
      stepsPerStage: settings.stepsPerStage,
      videoStepsPerStage: settings.videoStepsPerStage,
      guidance: settings.guidance,
      transformer: manifest.cost,
      pyramid: schedule.DEFAULT_PYRAMID,
    };
    return table.costRow(config)[row].flopsPerSample ?? null;
  };
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
  const s = summarize(results, await flopsPlanner(OFFICIAL));
  writeFileSync(path.join(dir, 'gpu-summary.json'), `${JSON.stringify(s, null, 2)}\n`);
  writeFileSync(path.join(dir, 'gpu-summary.md'), summaryMarkdown(s));
  process.stdout.write(summaryMarkdown(s));
}
