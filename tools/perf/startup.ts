/**
 * `npm run perf -- startup`: how long the command line takes from spawn to exit, the built CLI
 * (`node bin/pyramid-bench.js`, running dist/) beside the TypeScript sources through tsx
 * (`node --import tsx src/cli.ts`, the path before the build), in alternating rounds so that load from other
 * work hits both alike. Two commands: `--help` (start-up alone) and `fd a.npz b.npz` on two pytorch-fid statistics
 * files (`mu`, `sigma`, float64) at `--dim` (2048, Inception's pool_3), where start-up is a share of the work (the
 * Fréchet distance of two given moments). The result (reports/bench/startup.json) has every timing, the medians,
 * the ratios and the machine. Options: `--rounds <n>` (default 5; fewer is reported as invalid), `--dim 2048`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PhiloxNoise } from '../../src/core/philox.ts';
import { median } from '../../src/core/statistics.ts';
import { describeMachine } from '../../src/core/machine.ts';
import { encodeNpz, npyArray } from '../../src/io/npy.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A median needs this many rounds of each path to be reported as valid. */
export const MIN_ROUNDS = 5;

/** Usage line for the benchmark registry. */
export const STARTUP_USAGE = 'startup [--rounds 5] [--dim 2048] [--before <checkout of an earlier commit>]';

/** One timed spawn: which path, which command, which round, and the wall-clock seconds from spawn to exit. */
export interface TimedStart {
  readonly path: string;
  readonly command: string;
  readonly round: number;
  readonly seconds: number;
}

/** A way to start the CLI: the folder to run in and node's arguments before the command's. */
interface StartPath {
  readonly name: string;
  readonly cwd: string;
  readonly args: readonly string[];
}

function timeOnce(start: StartPath, args: readonly string[]): { seconds: number; stdout: string } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [...start.args, ...args], { cwd: start.cwd, encoding: 'utf8', maxBuffer: 1 << 24 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${start.name} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

/**
 * Writes two pytorch-fid statistics files under `dir`: means of seeded N(0, 1) values and covariances
 * sigma_ij = s rho^|i - j| (the Kac-Murdock-Szego matrix, positive definite for |rho| < 1), with different s and rho.
 */
function writeStatistics(dir: string, dim: number): [string, string] {
  const noise = new PhiloxNoise(0);
  return (
    [
      ['a', 1, 0.5],
      ['b', 1.5, 0.8],
    ] as const
  ).map(([name, scale, rho], i) => {
    const file = path.join(dir, `${name}.npz`);
    const mu = Float64Array.from(noise.gaussian(i, 'startup-mean', dim));
    const sigma = new Float64Array(dim * dim);
    for (let r = 0; r < dim; r++) for (let c = 0; c < dim; c++) sigma[r * dim + c] = scale * rho ** Math.abs(r - c);
    writeFileSync(file, encodeNpz({ mu: npyArray(mu, [dim]), sigma: npyArray(sigma, [dim, dim]) }));
    return file;
  }) as [string, string];
}

/**
 * Runs the comparison; `log` gets progress and the summary lines. Returns the JSON-serialisable result. With
 * `--before <checkout>` (a checkout of an earlier commit with its node_modules, e.g. a `git worktree`), that
 * checkout's `bin/pyramid-bench.js` is timed in the same rounds: the before-and-after figures of one run.
 */
export async function runStartup(argv: string[], log: (line: string) => void): Promise<unknown> {
  const { values } = parseArgs({
    args: argv,
    options: { rounds: { type: 'string', default: '5' }, dim: { type: 'string', default: '2048' }, before: { type: 'string' } },
    strict: true,
  });
  const count = (name: 'rounds' | 'dim', min: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new RangeError(`--${name} is '${values[name]}'; allowed: an integer >= ${min}`);
    return n;
  };
  const rounds = count('rounds', 1);
  const dim = count('dim', 1);
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const paths: StartPath[] = [];
  if (values.before !== undefined) {
    const before = path.resolve(values.before);
    if (!existsSync(path.join(before, 'bin', 'pyramid-bench.js')))
      throw new RangeError(
        `--before '${values.before}' has no bin/pyramid-bench.js; allowed: a checkout of pyramid-bench with its node_modules`,
      );
    paths.push({ name: 'before', cwd: before, args: ['bin/pyramid-bench.js'] });
  }
  paths.push(
    { name: 'tsx', cwd: root, args: ['--import', 'tsx', 'src/cli.ts'] },
    { name: 'built', cwd: root, args: ['bin/pyramid-bench.js'] },
  );
  const machine = describeMachine();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'startup-'));
  try {
    const [a, b] = writeStatistics(dir, dim);
    const commands: Record<string, readonly string[]> = {
      '--help': ['--help'],
      [`fd (two statistics files, d = ${dim})`]: ['fd', a, b, '--json'],
    };
    // untimed warm-up: the page cache, and tsx's transpile cache, as a contributor's second run finds them
    for (const args of Object.values(commands)) for (const start of paths) timeOnce(start, args);
    const runs: TimedStart[] = [];
    for (let round = 0; round < rounds; round++) {
      // rotate which path goes first, so none always runs on the warmer machine
      const order = paths.map((_, i) => paths[(i + round) % paths.length]);
      for (const [command, args] of Object.entries(commands)) {
        const distances = new Set<string>();
        for (const start of order) {
          const { seconds, stdout } = timeOnce(start, args);
          runs.push({ path: start.name, command, round, seconds });
          if (command !== '--help') distances.add(String((JSON.parse(stdout) as { fd: number }).fd));
        }
        if (distances.size > 1) throw new Error(`${command}: the paths printed different distances: ${[...distances].join(' vs ')}`);
        log(
          `round ${round + 1}/${rounds} ${command}: ${runs
            .slice(-paths.length)
            .map((r) => `${r.path} ${r.seconds.toFixed(3)} s`)
            .join(', ')}`,
        );
      }
    }
    const valid = rounds >= MIN_ROUNDS;
    const summary = Object.keys(commands).map((command) => {
      const medianSeconds = Object.fromEntries(
        paths.map((p) => [p.name, median(runs.filter((r) => r.command === command && r.path === p.name).map((r) => r.seconds))]),
      );
      const overBuilt = Object.fromEntries(
        paths.filter((p) => p.name !== 'built').map((p) => [p.name, medianSeconds[p.name] / medianSeconds.built]),
      );
      return { command, medianSeconds, overBuilt };
    });
    for (const s of summary) {
      const medians = paths.map((p) => `${p.name} ${s.medianSeconds[p.name].toFixed(3)} s`).join(', ');
      const ratios = Object.entries(s.overBuilt)
        .map(([name, r]) => `${name}/built ${r.toFixed(2)}x`)
        .join(', ');
      log(`${s.command}: medians ${medians}; ${ratios} (${rounds} rounds)`);
    }
    if (!valid) log(`INVALID: ${rounds} rounds of each path; a median here needs at least ${MIN_ROUNDS}`);
    return {
      benchmark: 'startup',
      machine,
      rounds,
      valid,
      minRounds: MIN_ROUNDS,
      before: values.before ?? null,
      statistics: { format: 'pytorch-fid', dim },
      summary,
      runs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
