/**
 * `npm run bench -- fd`: the d = 2048 Fréchet distance, ours beside SciPy's `sqrtm` route (pytorch-fid, clean-fid,
 * ADM) on the same inputs and the same machine, in alternating rounds so that load from other work hits both
 * alike. The result (reports/bench/fd.json) has every timing, the values, their relative differences and the
 * machine (CPU, cores, memory, load, Node, onnxruntime, OpenBLAS, NumPy/SciPy). Options: `--rounds <n>`
 * (default 3), `--typescript` (also time the pure-TypeScript fallback once), `--rank-deficient` (instead: N < d at
 * d = 512 and 2048, both backends).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PhiloxNoise } from '../../src/core/philox.ts';
import { decodeNpz } from '../../src/io/npy.ts';
import { momentsOf } from '../../src/metrics/feature-stats.ts';
import { frechetDistance } from '../../src/metrics/frechet.ts';
import { openblasLinalg, typescriptLinalg, type LinalgBackend } from '../../src/metrics/native-linalg.ts';
import { median } from '../../src/core/statistics.ts';
import { describeMachine } from '../../src/core/machine.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** One timed evaluation. */
export interface TimedRun {
  readonly implementation: string;
  readonly round: number;
  readonly seconds: number;
  readonly fd: number;
}

function timeOurs(backend: LinalgBackend, c: Record<string, Float64Array>, round: number): TimedRun {
  const started = performance.now();
  const r = frechetDistance(c.mu_a, c.sigma_a, c.mu_b, c.sigma_b, { backend });
  return { implementation: `pyramid-bench (${backend.name}, ${r.route})`, round, seconds: (performance.now() - started) / 1000, fd: r.fd };
}

function timeScipy(casesFile: string, routes: string, dir: string, round: number): { runs: TimedRun[]; versions: Record<string, string> } {
  const out = path.join(dir, `scipy-${round}.json`);
  execFileSync('python3', [path.join(root, 'scripts/reference/frechet_timing.py'), casesFile, '0', routes, out], { stdio: 'inherit' });
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const runs = Object.entries(r.routes as Record<string, { seconds: number; fd: number }>).map(([route, v]) => ({
    implementation: route === 'sqrtm' ? 'scipy.linalg.sqrtm (pytorch-fid route)' : 'np.linalg.eigvals (torch-fidelity route)',
    round,
    seconds: v.seconds,
    fd: v.fd,
  }));
  return { runs, versions: { python: r.python, numpy: r.numpy, scipy: r.scipy, numpyBlas: r.blas } };
}

/** Usage line for the benchmark registry. */
export const FRECHET_SPEED_USAGE = 'fd [--rounds 3] [--typescript] [--rank-deficient]';

/**
 * `--rank-deficient`: N < d, the small-sample case, at d = 512 (N = 40) and d = 2048 (N = 96): np.cov-style
 * moments of seeded non-negative features (|Philox normal| times per-feature scales), each backend timed once.
 */
function rankDeficient(log: (line: string) => void): unknown {
  const native = openblasLinalg();
  const cases = [];
  for (const [d, n] of [
    [512, 40],
    [2048, 96],
  ]) {
    const noise = new PhiloxNoise(d);
    const scale = noise.gaussian(0, 'scale', d).map((g) => Math.exp(g));
    const side = (k: number) => {
      const g = noise.gaussian(k, 'features', n * d);
      const f = Float64Array.from(g, (v, i) => Math.abs(v) * scale[i % d]);
      return momentsOf(f, n, d);
    };
    const a = side(1);
    const b = side(2);
    for (const backend of native.backend ? [native.backend, typescriptLinalg] : [typescriptLinalg]) {
      const started = performance.now();
      const r = frechetDistance(a.mu, a.sigma, b.mu, b.sigma, { backend });
      const seconds = (performance.now() - started) / 1000;
      cases.push({ d, n, backend: backend.name, route: r.route, seconds, fd: r.fd });
      log(`d = ${d}, N = ${n}: ${backend.name.padEnd(10)} ${r.route.padEnd(16)} ${seconds.toFixed(2)} s  fd ${r.fd.toPrecision(12)}`);
    }
  }
  return {
    benchmark: 'frechet-distance-rank-deficient',
    description: 'Fréchet distance at N < d (singular covariances), each backend once; lower seconds is better',
    date: new Date().toISOString(),
    machine: { ...describeMachine(), openblas: native.config ?? null },
    cases,
  };
}

/** Runs the comparison; `log` gets progress and the summary lines. Returns the JSON-serialisable result. */
export async function runFrechetSpeed(argv: string[], log: (line: string) => void): Promise<unknown> {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string', default: '3' },
      typescript: { type: 'boolean', default: false },
      'rank-deficient': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values['rank-deficient']) return rankDeficient(log);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`--rounds is '${values.rounds}'; allowed: an integer >= 1`);
  const native = openblasLinalg();
  if (!native.backend) log(`bench: ${native.reason}; timing the TypeScript fallback only`);
  const machine = describeMachine();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'frechet-speed-'));
  const casesFile = path.join(dir, 'cases.npz');
  log('bench: generating the d = 2048 case with NumPy (scripts/reference/frechet_large.py)');
  execFileSync('python3', [path.join(root, 'scripts/reference/frechet_large.py'), casesFile], { stdio: 'inherit' });
  const npz = decodeNpz(readFileSync(casesFile));
  const c = { mu_a: npz.mu0_a.data, sigma_a: npz.sigma0_a.data, mu_b: npz.mu0_b.data, sigma_b: npz.sigma0_b.data } as Record<
    string,
    Float64Array
  >;
  const reference = (npz.fd0.data as Float64Array)[0];
  const runs: TimedRun[] = [];
  let versions: Record<string, string> = {};
  const ours = native.backend ?? typescriptLinalg;
  for (let round = 0; round < rounds; round++) {
    // alternate the order so neither side always runs first
    const scipyFirst = round % 2 === 0;
    if (!scipyFirst) runs.push(timeOurs(ours, c, round));
    const s = timeScipy(casesFile, round === 0 ? 'sqrtm,eigvals' : 'sqrtm', dir, round);
    runs.push(...s.runs);
    versions = s.versions;
    if (scipyFirst) runs.push(timeOurs(ours, c, round));
    log(`bench: round ${round + 1}/${rounds} done`);
  }
  if (values.typescript && native.backend) runs.push(timeOurs(typescriptLinalg, c, 0));
  rmSync(dir, { recursive: true, force: true });

  const byImpl = new Map<string, TimedRun[]>();
  for (const r of runs) byImpl.set(r.implementation, [...(byImpl.get(r.implementation) ?? []), r]);
  const summary = [...byImpl.entries()].map(([implementation, rs]) => ({
    implementation,
    n: rs.length,
    medianSeconds: median(rs.map((r) => r.seconds)),
    minSeconds: Math.min(...rs.map((r) => r.seconds)),
    maxSeconds: Math.max(...rs.map((r) => r.seconds)),
    fd: rs[0].fd,
    relativeDifferenceToSqrtm: Math.abs(rs[0].fd - reference) / Math.abs(reference),
  }));
  const scipyRuns = runs.filter((r) => r.implementation.startsWith('scipy.linalg.sqrtm'));
  const ourRuns = runs.filter((r) => r.implementation.startsWith(`pyramid-bench (${ours.name}`));
  // per-round ratios: each pair ran back to back
  const ratios = scipyRuns.map((s) => s.seconds / ourRuns.find((o) => o.round === s.round)!.seconds);
  const result = {
    benchmark: 'frechet-distance-d2048',
    description: 'Fréchet distance of two d = 2048 Gaussians (np.cov of 3000 and 2600 seeded feature vectors); lower seconds is better',
    date: new Date().toISOString(),
    machine: { ...machine, openblas: native.config ?? null, ...versions },
    referenceFd: reference,
    speedupOverSqrtm: { median: median(ratios), perRound: ratios },
    summary,
    runs,
  };
  for (const s of summary) {
    log(
      `${s.implementation.padEnd(48)} median ${s.medianSeconds.toFixed(3)} s over ${s.n} (min ${s.minSeconds.toFixed(3)}, max ${s.maxSeconds.toFixed(3)})  fd ${s.fd.toPrecision(12)}  rel. diff to sqrtm ${s.relativeDifferenceToSqrtm.toExponential(2)}`,
    );
  }
  log(`speed-up over scipy sqrtm, per round: ${ratios.map((r) => r.toFixed(1)).join(', ')} (median ${median(ratios).toFixed(1)}x)`);
  return result;
}
