/**
 * Speed of the VBench dimensions the harness computes, in frames per second on 16-frame 256x256 clips of the
 * project's moving-shapes data set (and flow pairs per second for the estimator), single-threaded, with the
 * machine's description and its load average before and after (the benchmark machine may be shared).
 * Each figure is the mean over `--repeats` passes over the clips, with its standard error and n, per second of
 * wall-clock time and per second of the process's CPU time. Higher is better.
 *
 *   npm run bench -- vbench [--clips 3] [--repeats 3]      (writes reports/bench/vbench.json)
 */
import os from 'node:os';
import { tensorToFrames } from '../../src/data/quantize.ts';
import { shapesVideo } from '../../src/data/shapes.ts';
import type { VideoClip } from '../../src/vbench/video/clip.ts';
import { consistencyVideo } from '../../src/vbench/features/consistency.ts';
import { dynamicDegreeVideo } from '../../src/vbench/dynamic-degree.ts';
import { ClgFlowEstimator } from '../../src/vbench/flow/clg-flow.ts';
import { PairScorer } from '../../src/vbench/flow/pair-scores.ts';
import { ColourGradientEmbedder } from '../../src/vbench/features/substitute-descriptor.ts';
import { FlowInterpolator } from '../../src/vbench/interpolation/flow-interpolator.ts';
import { motionSmoothnessVideo } from '../../src/vbench/motion-smoothness.ts';
import { staticFilterVideo } from '../../src/vbench/static-filter.ts';
import { temporalFlickeringVideo } from '../../src/vbench/temporal-flickering.ts';
import { clipGeometry, dinoGeometry } from '../../src/vbench/video/transforms.ts';
import { describeMachine } from '../../src/core/machine.ts';

/** One measured rate. */
export interface SpeedRecord {
  readonly name: string;
  /** What is counted: "frames" or "flow pairs". */
  readonly unit: 'frames' | 'flow pairs';
  /** Units per wall-clock second (what a user waits for; lower when other work shares the cores) ... */
  readonly perSecondMean: number;
  readonly perSecondStderr: number;
  /** ... and per second of this process's CPU time (close to the unloaded single-thread rate). */
  readonly perCpuSecondMean: number;
  readonly perCpuSecondStderr: number;
  readonly n: number;
  readonly note: string;
}

/** Mean and standard error of the mean. */
function meanStderr(xs: readonly number[]): [number, number] {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return [m, NaN];
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
  return [m, Math.sqrt(v / xs.length)];
}

/** Times `work` over all clips `repeats` times; the rate is counted units per second of each pass. */
async function measure(
  name: string,
  unit: SpeedRecord['unit'],
  note: string,
  clips: readonly VideoClip[],
  repeats: number,
  work: (clip: VideoClip) => Promise<number>,
): Promise<SpeedRecord> {
  await work(clips[0]); // warm-up (JIT)
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let count = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const clip of clips) count += await work(clip);
    const cpu = process.cpuUsage(c0);
    rates.push(count / ((performance.now() - t0) / 1000));
    cpuRates.push(count / ((cpu.user + cpu.system) / 1e6));
  }
  const [perSecondMean, perSecondStderr] = meanStderr(rates);
  const [perCpuSecondMean, perCpuSecondStderr] = meanStderr(cpuRates);
  return { name, unit, perSecondMean, perSecondStderr, perCpuSecondMean, perCpuSecondStderr, n: repeats, note };
}

/** Runs every measurement on `nClips` clips, `repeats` passes each; `log` receives one line per figure. */
export async function runVbenchSpeed(nClips: number, repeats: number, log: (line: string) => void): Promise<unknown> {
  if (!Number.isInteger(nClips) || nClips < 1) throw new RangeError(`--clips is '${nClips}'; allowed: an integer >= 1`);
  if (!Number.isInteger(repeats) || repeats < 2) throw new RangeError(`--repeats is '${repeats}'; allowed: an integer >= 2`);
  const before = describeMachine();
  const config = { frames: 16, height: 256, width: 256 };
  const clips: VideoClip[] = Array.from({ length: nClips }, (_, i) => ({
    id: `shapes-${i}`,
    width: 256,
    height: 256,
    fps: 8,
    frames: tensorToFrames(shapesVideo(0, i, config).values, 3, 16, 256, 256),
  }));
  const flow = new ClgFlowEstimator();
  const interpolator = new FlowInterpolator(flow);
  const embedder = new ColourGradientEmbedder();
  const T = config.frames;
  const records: SpeedRecord[] = [];
  const run = async (r: Promise<SpeedRecord>) => {
    const rec = await r;
    records.push(rec);
    log(
      `${rec.name}: ${rec.perSecondMean.toFixed(1)} ± ${rec.perSecondStderr.toFixed(1)} ${rec.unit} per wall-second, ${rec.perCpuSecondMean.toFixed(1)} ± ${rec.perCpuSecondStderr.toFixed(1)} per CPU-second (n = ${rec.n})`,
    );
  };
  await run(
    measure('temporal flickering (formula)', 'frames', 'all 16 frames, exact', clips, repeats, async (c) => {
      temporalFlickeringVideo(c);
      return T;
    }),
  );
  await run(
    measure('optical flow (clg-pyramid)', 'flow pairs', 'one frame pair at 256x256', clips, repeats, async (c) => {
      for (let t = 0; t + 1 < T; t++) await flow.estimate(c.frames[t], c.frames[t + 1], c.width, c.height);
      return T - 1;
    }),
  );
  await run(
    measure(
      'static filter',
      'frames',
      '17 flow pairs per 16-frame clip (15 consecutive, first<->last both ways)',
      clips,
      repeats,
      async (c) => {
        await staticFilterVideo(c, new PairScorer(flow, c.frames, c.width, c.height));
        return T;
      },
    ),
  );
  await run(
    measure(
      'temporal flickering with static filter',
      'frames',
      'static filter + formula, as vbench eval runs it',
      clips,
      repeats,
      async (c) => {
        await staticFilterVideo(c, new PairScorer(flow, c.frames, c.width, c.height));
        temporalFlickeringVideo(c);
        return T;
      },
    ),
  );
  await run(
    measure('dynamic degree', 'frames', '8 fps clip: 15 flow pairs; unshared with the static filter', clips, repeats, async (c) => {
      await dynamicDegreeVideo(c, new PairScorer(flow, c.frames, c.width, c.height));
      return T;
    }),
  );
  await run(
    measure(
      'motion smoothness (flow-warp interpolator)',
      'frames',
      '7 midpoints, each two flows and two warps',
      clips,
      repeats,
      async (c) => {
        await motionSmoothnessVideo(c, interpolator);
        return T;
      },
    ),
  );
  await run(
    measure(
      'subject/background consistency (substitute backbone)',
      'frames',
      'colour-gradient descriptor + the formula',
      clips,
      repeats,
      async (c) => {
        consistencyVideo(await embedder.embed(c.frames, c.width, c.height));
        return T;
      },
    ),
  );
  await run(
    measure(
      'clip_transform preprocessing',
      'frames',
      'bicubic resize to 224 + crop (ONNX network time not included)',
      clips,
      repeats,
      async (c) => {
        c.frames.forEach((f) => clipGeometry(f, c.width, c.height));
        return T;
      },
    ),
  );
  await run(
    measure(
      'dino_transform preprocessing',
      'frames',
      'bilinear resize to 224 (ONNX network time not included)',
      clips,
      repeats,
      async (c) => {
        c.frames.forEach((f) => dinoGeometry(f, c.width, c.height));
        return T;
      },
    ),
  );
  const after = os.loadavg()[0];
  log(
    `${before.cpuModel}, ${before.cores} cores, ${before.memoryGiB} GiB, node ${before.node}; 1-minute load average ${before.loadAverage.toFixed(2)} before, ${after.toFixed(2)} after (above ${before.cores}: other work shared the cores, compare the per-CPU-second figures)`,
  );
  return {
    benchmark: 'vbench',
    version: 1,
    clips: { count: nClips, frames: T, width: 256, height: 256, source: 'moving shapes (src/data/shapes.ts), seed 0' },
    threads: 1,
    machine: before,
    loadAverageAfter: after,
    records,
    notComputed: { aesthetic_quality: 'needs CLIP ViT-L/14 + LAION head ONNX', imaging_quality: 'needs MUSIQ ONNX' },
  };
}
