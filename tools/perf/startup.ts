/**
 * `npm run perf -- startup`: how long the command line takes from spawn to exit, the built CLI
 * (`node bin/pyramid-bench.js`, running dist/) beside the TypeScript sources through tsx
 * (`node --import tsx src/cli.ts`, the path before the build), in alternating rounds so that load from other
 * work hits both alike. Two commands: `--help` (start-up alone) and `fd a.npz b.npz` on two files of random
 * float32 features (clean-fid KID layout, key `feats`, `--samples` x `--dim`), where start-up is a share of the
 * work. The result (reports/bench/startup.json) has every timing, the medians, the ratios and the machine.
 * Options: `--rounds <n>` (default 5; fewer is reported as invalid), `--samples 3000`, `--dim 2048`.
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
export const STARTUP_USAGE = 'startup [--rounds 5] [--samples 3000] [--dim 2048]';

/** One timed spawn: which path, which command, which round, and the wall-clock seconds from spawn to exit. */
export interface TimedStart {
  readonly path: 'tsx' | 'built';
  readonly command: string;
  readonly round: number;
  readonly seconds: number;
}

const PATHS = {
  tsx: ['--import', 'tsx', 'src/cli.ts'],
  built: ['bin/pyramid-bench.js'],
} as const;

function timeOnce(which: keyof typeof PATHS, args: readonly string[]): { seconds: number; stdout: string } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [...PATHS[which], ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${which} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { seconds, stdout: r.stdout };
}

/** Writes two .npz files of seeded N(0, 1) float32 features, `samples` x `dim`, under `dir`. */
function writeFeatures(dir: string, samples: number, dim: number): [string, string] {
  const noise = new PhiloxNoise(0);
  return (['a', 'b'] as const).map((name, i) => {
    const file = path.join(dir, `${name}.npz`);
    writeFileSync(file, encodeNpz({ feats: npyArray(noise.gaussian(i, 'startup-features', samples * dim), [samples, dim]) }));
    return file;
  }) as [string, string];
}

/** Runs the comparison; `log` gets progress and the summary lines. Returns the JSON-serialisable result. */
export async function runStartup(argv: string[], log: (line: string) => void): Promise<unknown> {
  const { values } = parseArgs({ args: argv, options: { rounds: { type: 'string', default: '5' }, samples: { type: 'string', default: '3000' }, dim: { type: 'string', default: '2048' } }, strict: true });
  const count = (name: 'rounds' | 'samples' | 'dim', min: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new RangeError(`--${name} is '${values[name]}'; allowed: an integer >= ${min}`);
    return n;
  };
  const rounds = count('rounds', 1);
  const samples = count('samples', 2);
  const dim = count('dim', 1);
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const machine = describeMachine();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'startup-'));
  try {
    const [a, b] = writeFeatures(dir, samples, dim);
    const commands: Record<string, readonly string[]> = { '--help': ['--help'], [`fd (${samples} x ${dim} features)`]: ['fd', a, b, '--json'] };
    // untimed warm-up: the page cache, and tsx's transpile cache, as a contributor's second run finds them
    for (const args of Object.values(commands)) for (const which of ['tsx', 'built'] as const) timeOnce(which, args);
    const runs: TimedStart[] = [];
    for (let round = 0; round < rounds; round++) {
      // alternate which path goes first, so neither always runs on the warmer machine
      const order = round % 2 === 0 ? (['tsx', 'built'] as const) : (['built', 'tsx'] as const);
      for (const [command, args] of Object.entries(commands)) {
        const outputs: string[] = [];
        for (const which of order) {
          const { seconds, stdout } = timeOnce(which, args);
          runs.push({ path: which, command, round, seconds });
          outputs.push(command === '--help' ? stdout : String((JSON.parse(stdout) as { fd: number }).fd));
        }
        if (outputs[0] !== outputs[1]) throw new Error(`${command}: the two paths printed different results: ${outputs.join(' vs ')}`);
        log(`round ${round + 1}/${rounds} ${command}: ${runs.slice(-2).map((r) => `${r.path} ${r.seconds.toFixed(3)} s`).join(', ')}`);
      }
    }
    const valid = rounds >= MIN_ROUNDS;
    const summary = Object.keys(commands).map((command) => {
      const of = (which: 'tsx' | 'built') => median(runs.filter((r) => r.command === command && r.path === which).map((r) => r.seconds));
      const tsxMedianSeconds = of('tsx');
      const builtMedianSeconds = of('built');
      return { command, tsxMedianSeconds, builtMedianSeconds, tsxOverBuilt: tsxMedianSeconds / builtMedianSeconds };
    });
    for (const s of summary) {
      log(`${s.command}: tsx median ${s.tsxMedianSeconds.toFixed(3)} s, built median ${s.builtMedianSeconds.toFixed(3)} s: built starts ${s.tsxOverBuilt.toFixed(2)}x faster (${rounds} rounds)`);
    }
    if (!valid) log(`INVALID: ${rounds} rounds of each path; a median here needs at least ${MIN_ROUNDS}`);
    return { benchmark: 'startup', machine, rounds, valid, minRounds: MIN_ROUNDS, features: { samples, dim }, summary, runs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
