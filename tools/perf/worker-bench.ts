/**
 * `npm run perf -- worker`: the PyTorch engine's cost. For each committed shapes checkpoint, the harness's sampler
 * driving the worker (`torch:` backend) against a plain PyTorch loop doing the same sampling with the same
 * noise and no harness (training/reference_sampler.py, weights through the package's own factory), in
 * alternating rounds on the same threads; both time the sampling only (model loading excluded). Then the cost
 * of crossing the process boundary alone: round trips through an echo network (python/pyramid_bench_models/
 * echo.py) at the sizes the samplers send, less the time the worker spent inside the call.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../../src/core/statistics.ts';
import { HARNESS_ROOT } from '../../src/core/harness-root.ts';
import { decodeNpz } from '../../src/io/npy.ts';
import { RecordingNoise } from '../../src/io/recording-noise.ts';
import { withDefaults } from '../../src/models/contract/velocity-model.ts';
import { defaultPython, loadTorchPackage, type TorchModelSet } from '../../src/models/torch/package.ts';
import { TorchWorker } from '../../src/models/torch/worker.ts';
import { samplers } from '../../src/samplers/index.ts';
import type { SampleItem } from '../../src/samplers/contract/sampling.ts';

export const WORKER_USAGE =
  'worker [--methods pyramid,full,cascade] [--samples 4] [--repeats 4] [--threads 1] [--echo-calls 300] [--python PATH]';

const PACKAGES: Record<string, string> = {
  pyramid: 'checkpoints/shapes-pyramid',
  full: 'checkpoints/shapes-full',
  cascade: 'checkpoints/shapes-cascade',
};

interface MethodResult {
  method: string;
  package: string;
  samples: number;
  calls: number;
  harnessSeconds: number[];
  plainSeconds: number[];
  /** Median harness time over median plain-loop time. */
  ratio: number;
  /** Seconds inside the network per run, as the worker measured them (median). */
  workerForwardSeconds: number;
  /** Seconds inside the network per run in the plain loop (median). */
  plainForwardSeconds: number;
  /** (plain wall - its forward time) / calls: the plain loop's own work per call. */
  plainOverheadPerCallMicroseconds: number;
  /** (harness wall - worker forward time) / calls: the sampler's own work plus the boundary, per call. */
  harnessOverheadPerCallMicroseconds: number;
  /** Largest |harness - plain| / max |plain| over the samples (same noise, same weights). */
  maxRelativeDifference: number;
}

async function harnessRun(
  reference: string,
  method: string,
  items: SampleItem[],
  seed: number,
): Promise<{ seconds: number; forward: number; calls: number; samples: Float32Array; noise: RecordingNoise; steps: unknown }> {
  const models = (await loadTorchPackage(reference)) as TorchModelSet;
  try {
    const sampler = samplers.get(method);
    const settings = sampler.parseSettings(withDefaults(models, method, {}), models);
    const guidance = models.guidanceDefaults ?? { firstFrame: 1, video: 1 };
    const noise = new RecordingNoise(seed);
    const before = models.workerStats();
    const started = performance.now();
    const result = await sampler.sample(models, { items, guidance, settings }, noise);
    const seconds = (performance.now() - started) / 1000;
    const after = models.workerStats();
    return {
      seconds,
      forward: after.workerSeconds - before.workerSeconds,
      calls: after.calls - before.calls,
      samples: result.samples.data,
      noise,
      steps: settings,
    };
  } finally {
    await models.close();
  }
}

function plainRun(
  python: string,
  pkg: string,
  method: string,
  dir: string,
  plan: unknown,
  noise: RecordingNoise,
  threads: number,
): { seconds: number; forward: number; samples: Float32Array } {
  const noiseFile = path.join(dir, `${method}-noise.npz`);
  const planFile = path.join(dir, `${method}-plan.json`);
  const out = path.join(dir, `${method}-plain.npz`);
  const timing = path.join(dir, `${method}-timing.json`);
  writeFileSync(noiseFile, noise.toNpz());
  writeFileSync(planFile, JSON.stringify(plan));
  execFileSync(
    python,
    [
      path.join(HARNESS_ROOT, 'training/reference_sampler.py'),
      '--package',
      pkg,
      '--sampler',
      method,
      '--noise',
      noiseFile,
      '--plan',
      planFile,
      '--out',
      out,
      '--threads',
      String(threads),
      '--timing',
      timing,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
  );
  const t = JSON.parse(readFileSync(timing, 'utf8')) as { seconds: number; forward_seconds: number };
  const samples = decodeNpz(readFileSync(out), out).samples.data as Float32Array;
  return { seconds: t.seconds, forward: t.forward_seconds, samples };
}

/** The plan reference_sampler.py replays: labels, indices, frames, guidance and steps as the harness ran them. */
function planFor(
  method: string,
  items: SampleItem[],
  frames: number,
  guidance: { firstFrame: number; video: number },
  settings: Record<string, unknown>,
) {
  const steps =
    method === 'pyramid'
      ? (settings.stepsPerStage as number[])
      : method === 'full'
        ? [settings.steps as number]
        : (settings.stepsPerStage as number[]);
  return {
    labels: items.map((i) => (i.condition as { label: number }).label),
    indices: items.map((i) => i.index),
    frames,
    guidance: [guidance.firstFrame, guidance.video],
    steps,
    video_steps: method === 'pyramid' ? (settings.videoStepsPerStage ?? settings.stepsPerStage) : steps,
  };
}

// the shapes pyramid's calls: 8 rows (4 samples, guided) of one frame at 8x8, 16x16, 32x32, and a full-resolution clip
const ECHO_SIZES: readonly [string, number[]][] = [
  ['8 x 3 x 1 x 8 x 8', [8, 3, 1, 8, 8]],
  ['8 x 3 x 1 x 32 x 32', [8, 3, 1, 32, 32]],
  ['8 x 3 x 9 x 32 x 32', [8, 3, 9, 32, 32]],
];

/**
 * Times `calls` round trips of a float32 tensor of each size through `roundTrip` (which returns microseconds spent
 * inside the other process, to subtract); median and 90th percentile, microseconds.
 */
async function timeRoundTrips(calls: number, roundTrip: (x: Float32Array, dims: number[]) => Promise<number>) {
  const rows = [];
  for (const [shape, dims] of ECHO_SIZES) {
    const count = dims.reduce((a, b) => a * b, 1);
    const x = new Float32Array(count).fill(0.5);
    const micro: number[] = [];
    for (let k = 0; k < calls; k++) {
      const started = performance.now();
      const inside = await roundTrip(x, dims);
      micro.push((performance.now() - started) * 1000 - inside);
    }
    micro.sort((a, b) => a - b);
    rows.push({
      shape,
      bytesEachWay: 4 * count,
      medianMicroseconds: median(micro),
      p90Microseconds: micro[Math.floor(0.9 * (micro.length - 1))],
    });
  }
  return rows;
}

async function echoCost(python: string, calls: number, threads: number) {
  const worker = TorchWorker.start({ python, label: 'echo' });
  try {
    await worker.request(
      {
        op: 'load',
        package: {},
        directory: tmpdir(),
        device: 'cpu',
        dtype: 'float32',
        threads,
        components: [
          { key: 'echo', module: 'pyramid_bench_models.echo', factory: 'build', spec: { role: 'echo', weights: [], config: {} } },
        ],
      },
      [],
      'loading the echo network',
      600_000,
    );
    return await timeRoundTrips(calls, async (x, dims) => {
      const before = worker.stats.workerSeconds;
      await worker.request({ op: 'call', component: 'echo' }, [{ name: 'x', type: 'float32', data: x, dims }], 'echo', 60_000);
      return (worker.stats.workerSeconds - before) * 1e6;
    });
  } finally {
    await worker.close();
  }
}

/**
 * The alternative transport, measured beside the pipe: each tensor written to a file in /dev/shm (tmpfs) and read
 * back there, only a short header on the pipe (tools/perf/shm_echo.py). Node has no mmap, so this still copies.
 */
async function shmCost(python: string, calls: number) {
  if (!existsSync('/dev/shm')) return [];
  const child = spawn(python, [path.join(HARNESS_ROOT, 'tools/perf/shm_echo.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const input = path.join('/dev/shm', `pyramid-bench-${process.pid}-in`);
  const output = path.join('/dev/shm', `pyramid-bench-${process.pid}-out`);
  let pending: ((b: Buffer) => void) | undefined;
  let buffered = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32LE(0)) {
      const frame = buffered.subarray(4, 4 + buffered.readUInt32LE(0));
      buffered = Buffer.from(buffered.subarray(4 + buffered.readUInt32LE(0)));
      pending?.(frame);
    }
  });
  const ask = (header: object) =>
    new Promise<Buffer>((resolve) => {
      pending = resolve;
      const text = Buffer.from(JSON.stringify(header));
      const length = Buffer.alloc(4);
      length.writeUInt32LE(text.length, 0);
      child.stdin.write(Buffer.concat([length, text]));
    });
  try {
    return await timeRoundTrips(calls, async (x) => {
      writeFileSync(input, new Uint8Array(x.buffer));
      await ask({ input, output });
      const back = readFileSync(output);
      if (back.length !== x.byteLength) throw new Error(`shm echo returned ${back.length} bytes`);
      return 0;
    });
  } finally {
    child.stdin.end();
    rmSync(input, { force: true });
    rmSync(output, { force: true });
  }
}

export async function runWorkerBench(argv: string[], log: (line: string) => void): Promise<unknown> {
  const { values } = parseArgs({
    args: argv,
    options: {
      methods: { type: 'string', default: 'pyramid,full,cascade' },
      samples: { type: 'string', default: '4' },
      repeats: { type: 'string', default: '4' },
      threads: { type: 'string', default: '1' },
      'echo-calls': { type: 'string', default: '300' },
      python: { type: 'string', default: defaultPython() },
    },
    strict: true,
  });
  const samples = Number(values.samples);
  const repeats = Number(values.repeats);
  const threads = Number(values.threads);
  const python = values.python!;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`--samples ${values.samples}: allowed: a positive integer`);
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`--repeats ${values.repeats}: allowed: a positive integer`);
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`--threads ${values.threads}: allowed: a positive integer`);
  const dir = mkdtempSync(path.join(tmpdir(), 'worker-bench-'));
  const methods: MethodResult[] = [];
  try {
    for (const method of values.methods!.split(',')) {
      const pkg = PACKAGES[method];
      if (!pkg) throw new RangeError(`--methods: '${method}' is not allowed; allowed: ${Object.keys(PACKAGES).join(', ')}`);
      const items: SampleItem[] = Array.from({ length: samples }, (_, i) => ({ index: i, condition: { kind: 'class', label: i % 6 } }));
      const reference = `${path.join(HARNESS_ROOT, pkg)}?threads=${threads}`;
      const harness: number[] = [];
      const plain: number[] = [];
      const forward: number[] = [];
      let calls = 0;
      let maxRel = 0;
      const plainForward: number[] = [];
      const manifest = JSON.parse(readFileSync(path.join(HARNESS_ROOT, pkg, 'manifest.json'), 'utf8')) as {
        sample: { frames: number };
        defaults: { guidance?: { firstFrame: number; video: number } };
      };
      let last: { noise: RecordingNoise; plan: unknown } | undefined;
      for (let r = 0; r < repeats; r++) {
        // odd rounds run the plain loop first (on the previous round's noise), so neither side always goes first
        const plainFirst = r % 2 === 1 && last !== undefined;
        const early = plainFirst
          ? plainRun(python, path.join(HARNESS_ROOT, pkg), method, dir, last!.plan, last!.noise, threads)
          : undefined;
        const h = await harnessRun(reference, method, items, 100 + r);
        harness.push(h.seconds);
        forward.push(h.forward);
        calls = h.calls;
        const plan = planFor(
          method,
          items,
          manifest.sample.frames,
          manifest.defaults.guidance ?? { firstFrame: 1, video: 1 },
          h.steps as Record<string, unknown>,
        );
        last = { noise: h.noise, plan };
        const p = early ?? plainRun(python, path.join(HARNESS_ROOT, pkg), method, dir, plan, h.noise, threads);
        plain.push(p.seconds);
        plainForward.push(p.forward);
        if (!early) {
          let scale = 0;
          let diff = 0;
          p.samples.forEach((v, i) => {
            scale = Math.max(scale, Math.abs(v));
            diff = Math.max(diff, Math.abs(v - h.samples[i]));
          });
          maxRel = Math.max(maxRel, diff / scale);
        }
        log(
          `${method} round ${r + 1}/${repeats}${plainFirst ? ' (plain loop first)' : ''}: harness ${h.seconds.toFixed(2)} s (${calls} calls, ${h.forward.toFixed(2)} s in the network), plain loop ${p.seconds.toFixed(2)} s (${p.forward.toFixed(2)} s in the network)`,
        );
      }
      const result: MethodResult = {
        method,
        package: pkg,
        samples,
        calls,
        harnessSeconds: harness,
        plainSeconds: plain,
        ratio: median(harness) / median(plain),
        workerForwardSeconds: median(forward),
        plainForwardSeconds: median(plainForward),
        harnessOverheadPerCallMicroseconds: ((median(harness) - median(forward)) / calls) * 1e6,
        plainOverheadPerCallMicroseconds: ((median(plain) - median(plainForward)) / calls) * 1e6,
        maxRelativeDifference: maxRel,
      };
      log(
        `${method}: harness / plain loop = ${result.ratio.toFixed(3)} (in the network: ${(result.workerForwardSeconds / result.plainForwardSeconds).toFixed(3)}); outside the network per call: harness ${result.harnessOverheadPerCallMicroseconds.toFixed(0)} µs, plain loop ${result.plainOverheadPerCallMicroseconds.toFixed(0)} µs; samples agree within ${result.maxRelativeDifference.toExponential(1)}`,
      );
      methods.push(result);
    }
    const echo = await echoCost(python, Number(values['echo-calls']), threads);
    for (const e of echo)
      log(
        `boundary, ${e.shape} (${(e.bytesEachWay / 1024).toFixed(0)} KiB each way): median ${e.medianMicroseconds.toFixed(0)} µs, p90 ${e.p90Microseconds.toFixed(0)} µs`,
      );
    const shm = await shmCost(python, Number(values['echo-calls']));
    for (const e of shm)
      log(`/dev/shm files instead, ${e.shape}: median ${e.medianMicroseconds.toFixed(0)} µs, p90 ${e.p90Microseconds.toFixed(0)} µs`);
    const torchVersion = execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
    return {
      what: 'harness driving the PyTorch worker vs a plain PyTorch loop (training/reference_sampler.py), same noise and weights, sampling time only',
      threads,
      cores: os.cpus().length,
      python,
      torch: torchVersion,
      transport: 'framed raw bytes over pipes (stdin/stdout of the worker)',
      methods,
      boundary: echo,
      sharedMemoryAlternative: shm,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
