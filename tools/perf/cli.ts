/**
 * `npm run bench -- <name> [options]`: runs a benchmark and writes its JSON (with the machine description) to
 * `reports/bench/<name>.json`. Benchmarks register here by name.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { Registry } from '../../src/core/registry.ts';
import { writeFileAtomic } from '../../src/io/atomic.ts';
import { runOnnxBenchmark } from './onnx-bench.ts';
import { FRECHET_SPEED_USAGE, runFrechetSpeed } from './frechet-speed.ts';
import { runFlowAccuracy } from './flow-accuracy.ts';
import { runVbenchSpeed } from './vbench-speed.ts';
import { runStartup, STARTUP_USAGE } from './startup.ts';
import { runWorkerBench, WORKER_USAGE } from './worker-bench.ts';
import { PhiloxNoise } from '../../src/core/philox.ts';
import { median } from '../../src/core/statistics.ts';
import { describeMachine } from '../../src/core/machine.ts';
import { RELIABILITY_USAGE, runReliability } from './reliability.ts';

/** A benchmark: parses its own arguments and returns a JSON-serialisable result. */
export interface Benchmark {
  readonly usage: string;
  run(argv: string[], log: (line: string) => void): Promise<unknown>;
}

export const benchmarks = new Registry<Benchmark>('benchmark');

benchmarks.register(
  'onnx',
  {
    usage:
      'onnx [--pyramid checkpoints/shapes-pyramid] [--full checkpoints/shapes-full] [--samples 32] [--repeats 5] [--steps 10,10,10] [--guidance 3,2] [--threads N] [--small-call-values V (0: off)]',
    async run(argv, log) {
      const { values } = parseArgs({
        args: argv,
        options: {
          pyramid: { type: 'string', default: 'checkpoints/shapes-pyramid' },
          full: { type: 'string', default: 'checkpoints/shapes-full' },
          samples: { type: 'string', default: '32' },
          repeats: { type: 'string', default: '5' },
          steps: { type: 'string', default: '10,10,10' },
          guidance: { type: 'string', default: '3,2' },
          threads: { type: 'string', default: String(os.cpus().length) },
          'small-call-values': { type: 'string' },
        },
        strict: true,
      });
      const [firstFrame, video] = values.guidance!.split(',').map(Number);
      return runOnnxBenchmark(
        {
          pyramidPackage: values.pyramid!,
          fullPackage: existsSync(path.join(values.full!, 'manifest.json')) ? values.full : undefined,
          samples: Number(values.samples),
          repeats: Number(values.repeats),
          stepsPerStage: values.steps!.split(',').map(Number),
          guidance: { firstFrame, video: video ?? firstFrame },
          threads: Number(values.threads),
          smallCallValues: values['small-call-values'] === undefined ? undefined : Number(values['small-call-values']),
        },
        log,
      );
    },
  },
  'harness overhead over session.run, and the pyramid speed-up over full resolution against the FLOP model',
);

benchmarks.register(
  'fd',
  { usage: FRECHET_SPEED_USAGE, run: runFrechetSpeed },
  'the d = 2048 Fréchet distance beside SciPy sqrtm (pytorch-fid route), side by side in alternating rounds',
);

benchmarks.register(
  'worker',
  { usage: WORKER_USAGE, run: runWorkerBench },
  'the harness driving the PyTorch worker beside a plain PyTorch sampling loop, and the per-call cost of the process boundary',
);

benchmarks.register(
  'startup',
  { usage: STARTUP_USAGE, run: runStartup },
  'seconds from spawn to exit of --help and fd, the built CLI beside the sources through tsx, in alternating rounds',
);

benchmarks.register(
  'vbench',
  {
    usage: 'vbench [--clips 3] [--repeats 3]',
    async run(argv, log) {
      const { values } = parseArgs({
        args: argv,
        options: { clips: { type: 'string', default: '3' }, repeats: { type: 'string', default: '3' } },
        strict: true,
      });
      return runVbenchSpeed(Number(values.clips), Number(values.repeats), log);
    },
  },
  'frames per second of each VBench dimension the harness computes, on 16-frame 256x256 clips',
);

benchmarks.register(
  'flow',
  {
    usage: 'flow',
    async run(argv, log) {
      parseArgs({ args: argv, options: {}, strict: true });
      return runFlowAccuracy(log);
    },
  },
  'end-point error of the CLG optical-flow estimator on synthetic translations and rotations',
);

benchmarks.register(
  'noise',
  {
    usage: 'noise [--values 1048576] [--rounds 7]',
    async run(argv, log) {
      const { values } = parseArgs({
        args: argv,
        options: { values: { type: 'string', default: '1048576' }, rounds: { type: 'string', default: '7' } },
        strict: true,
      });
      const n = Number(values.values);
      const rounds = Number(values.rounds);
      const noise = new PhiloxNoise(0);
      noise.gaussian(0, 'warm-up', n);
      const ns: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const started = performance.now();
        noise.gaussian(r, 'bench', n);
        ns.push(((performance.now() - started) * 1e6) / n);
      }
      log(`Gaussian noise (Philox4x32-10 + Box-Muller): median ${median(ns).toFixed(1)} ns a value over ${rounds} rounds of ${n}`);
      return { benchmark: 'noise', machine: describeMachine(), values: n, nsPerValue: ns, medianNsPerValue: median(ns) };
    },
  },
  'nanoseconds per Gaussian value of the counter-based noise every sample is drawn from',
);

benchmarks.register(
  'reliability',
  { usage: RELIABILITY_USAGE, run: runReliability },
  'one count of every reliability case: bad inputs tried and refused cleanly, faults injected and survived, by class',
);

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || !benchmarks.has(name)) {
    process.stderr.write(
      `usage: npm run bench -- <name> [options]\n${benchmarks
        .list()
        .map((b) => `  ${benchmarks.get(b.name).usage}\n      ${b.description}`)
        .join('\n')}\n`,
    );
    process.exit(name ? 2 : 0);
  }
  const result = await benchmarks.get(name).run(rest, (line) => process.stdout.write(`${line}\n`));
  const out = path.join('reports', 'bench', `${name}.json`);
  writeFileAtomic(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`wrote ${out}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
