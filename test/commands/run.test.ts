/**
 * The runner as users run it, in separate processes: a single run, two shards merged (equal to the single run),
 * a run killed with SIGKILL in the middle and started again (nothing recomputed, the same results), and the
 * refusals and plans of validate, run and --dry-run.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deterministicValues, readResults } from '../../src/suite/contract/results.ts';
import { runCommand } from '../../src/commands/run.ts';
import { validateCommand } from '../../src/commands/validate.ts';
import { counts, resetCounts } from '../helpers/counting-models.ts';
import { rejects } from '../helpers/assert.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'pyramid-bench.js');
const dir = mkdtempSync(path.join(tmpdir(), 'run-cli-'));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
const at = (name: string) => path.join(dir, name);
const suite = at('suite.yaml');
writeFileSync(
  suite,
  `format: 1
name: cli
version: 1
samples: 400
chunk: 100
batch: 20
conditions: {kind: unconditional}
playbackFps: 8
methods:
  - {name: pyramid, model: "analytic:tiny-video", sampler: pyramid, settings: {stepsPerStage: [16, 16, 16], videoStepsPerStage: [16, 16, 16]}}
  - {name: full, model: "analytic:tiny-video", sampler: full, settings: {match: steps, temporal: autoregressive, pyramid: {stepsPerStage: [16, 16, 16], videoStepsPerStage: [16, 16, 16]}}}
metrics:
  - {name: fd-pixel, options: {downsample: 1}}
  - {name: cost}
  - {name: throughput, options: {warmup: 1, repeats: 3, bootstrap: 100}}
`,
);
const TOTAL = 800;
const manifest = (name: string) => JSON.parse(readFileSync(path.join(at(name), 'manifest.json'), 'utf8'));
const storedSamples = (store: string) =>
  existsSync(path.join(store, 'samples'))
    ? readdirSync(path.join(store, 'samples')).reduce(
        (n, d) => n + readdirSync(path.join(store, 'samples', d)).filter((f) => f.endsWith('.npy')).length,
        0,
      )
    : 0;

test('a single run writes results.json and says what it computed', () => {
  const r = cli('run', suite, '--out', at('single'));
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /\| pyramid \| [0-9.]+ ± [0-9.]+ \(n=4\) \|/);
  assert.match(r.stdout, /store: samples 0 read back, 800 generated/);
  assert.equal(manifest('single').store.counts.samples.writes, TOTAL);
  // a whole run also writes its report
  assert.match(r.stdout, /wrote .*single\/report\.html and \d+ files under/);
  assert.ok(existsSync(path.join(at('single'), 'report.html')) && existsSync(path.join(at('single'), 'report', 'tables.tex')));
  // what the run found, a sentence per question, printed and at the top of the report: the same sentences
  const printed = /\nFindings:\n((?:- .*\n)+)/.exec(r.stdout)?.[1] ?? '';
  assert.match(printed, /^- fd-pixel fd, lower is better: (pyramid|full) is best at /);
  assert.match(
    printed,
    /\n- Cost of (pyramid|full) \(best by fd-pixel fd\): [0-9.e]+ FLOP per video \(notional\): [0-9.]+x (pyramid|full)'s; /,
  );
  const md = readFileSync(path.join(at('single'), 'report', 'summary.md'), 'utf8');
  assert.ok(md.includes(`## Findings\n\n${printed}`), 'the report opens with the findings the run printed');
});

test('two shards run as separate processes merge to the single run', async () => {
  const shard = (i: number) =>
    new Promise<number>((resolve) =>
      spawn(process.execPath, [bin, 'run', suite, '--out', at(`shard${i}`), '--shard', `${i}/2`], { cwd: root, stdio: 'ignore' }).on(
        'close',
        (c) => resolve(c ?? 1),
      ),
    );
  assert.equal(await Promise.all([shard(0), shard(1)]), [0, 0]);
  const r = cli('merge', at('shard0'), at('shard1'), '--out', at('merged'));
  assert.is(r.status, 0, r.stderr);
  assert.equal(deterministicValues(readResults(at('merged'))), deterministicValues(readResults(at('single'))));
  // the shards wrote no report (their results are partial); the merge did
  assert.ok(!existsSync(path.join(at('shard0'), 'report.html')) && existsSync(path.join(at('merged'), 'report.html')));
  const bad = cli('merge', at('shard0'), '--out', at('bad'));
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /shards 1 of 2 are missing/);
});

test('killed with SIGKILL mid-run and started again: nothing finished is recomputed, and the results are the same', async () => {
  const store = path.join(at('killed'), 'store');
  const child = spawn(process.execPath, [bin, 'run', suite, '--out', at('killed')], { cwd: root, stdio: 'ignore' });
  let finished = false;
  const exited = new Promise<void>((resolve) =>
    child.on('close', () => {
      finished = true;
      resolve();
    }),
  );
  while (storedSamples(store) < 120 && !finished) await new Promise((r) => setTimeout(r, 20));
  assert.ok(!finished, 'the run ended before it could be killed');
  child.kill('SIGKILL');
  await exited;
  const before = storedSamples(store);
  assert.ok(before >= 120 && before < TOTAL, `killed with ${before} of ${TOTAL} samples stored`);
  const r = cli('run', suite, '--out', at('killed'), '--no-report');
  assert.is(r.status, 0, r.stderr);
  const counts = manifest('killed').store.counts.samples;
  assert.equal(counts, { hits: before, misses: TOTAL - before, writes: TOTAL - before });
  assert.equal(deterministicValues(readResults(at('killed'))), deterministicValues(readResults(at('single'))));
  // and once more: everything read back, results.json the same bytes
  const first = readFileSync(path.join(at('killed'), 'results.json'));
  assert.is(cli('run', suite, '--out', at('killed'), '--no-report').status, 0);
  assert.equal(manifest('killed').store.counts.samples, { hits: TOTAL, misses: 0, writes: 0 });
  assert.ok(readFileSync(path.join(at('killed'), 'results.json')).equals(first));
});

test('--dry-run prints the plan and a calibrated estimate; the VBench suite validates but will not run without a text model', () => {
  const dry = cli('run', suite, '--dry-run', '--out', at('single'));
  assert.is(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /\| pyramid \| analytic:tiny-video \| pyramid \| 0 \| 400 \|/);
  assert.match(dry.stdout, /estimated generation time: .* CPU-hours/);
  const v = cli('validate', 'suites/vbench.yaml');
  assert.is(v.status, 0, v.stderr);
  assert.match(v.stdout, /pyramid: checked at run time: needs --arg model=<value>/);
  const run = cli('run', 'suites/vbench.yaml', '--out', at('vbench'));
  assert.is(run.status, 1);
  assert.match(run.stderr, /suite 'vbench' needs --arg model=<value> \(a text-conditioned pyramidal model package/);
  const wrong = cli('run', 'suites/vbench.yaml', '--out', at('vbench'), '--arg', 'model=analytic:tiny-video');
  assert.match(wrong.stderr, /conditions\.kind 'prompts' needs a text-conditioned model/);
  assert.is(cli('run', suite).status, 2);
});

test('in process: run, --dry-run and validate close every model set they loaded once, also when the run throws', async () => {
  const countingSuite = at('counting.yaml');
  writeFileSync(
    countingSuite,
    `format: 1
name: counting
version: 1
samples: 8
chunk: 4
batch: 4
conditions: {kind: unconditional}
playbackFps: 8
methods:
  - {name: a, model: {$arg: a}, sampler: pyramid, settings: {stepsPerStage: [2, 2, 2]}}
  - {name: b, model: {$arg: b}, sampler: cascade, settings: {stepsPerStage: [2, 2, 2]}}
args:
  a: {description: first model}
  b: {description: second model}
metrics:
  - {name: cost}
`,
  );
  const write = process.stdout.write;
  const stderr = process.stderr.write;
  const quietly = async (f: () => Promise<void>) => {
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      await f();
    } finally {
      process.stdout.write = write;
      process.stderr.write = stderr;
    }
  };
  const both = { 'tiny-image': { loads: 1, closes: 1 }, 'tiny-video': { loads: 1, closes: 1 } };
  const args = ['--arg', 'a=counting:tiny-image', '--arg', 'b=counting:tiny-video'];
  for (const command of [
    () => runCommand.run([countingSuite, '--out', at('counting'), '--no-report', ...args]),
    () => runCommand.run([countingSuite, '--dry-run', '--calibrate', '1', ...args]),
    () => validateCommand.run([countingSuite, ...args]),
  ]) {
    resetCounts();
    await quietly(command);
    assert.equal(Object.fromEntries(counts), both);
  }
  resetCounts();
  await rejects(
    () =>
      quietly(() =>
        runCommand.run([
          countingSuite,
          '--out',
          at('counting-fails'),
          '--no-report',
          '--arg',
          'a=counting:tiny-image',
          '--arg',
          'b=counting:tiny-video!fail4',
        ]),
      ),
    /velocity call 4 fails/,
  );
  assert.equal(Object.fromEntries(counts), { 'tiny-image': { loads: 1, closes: 1 }, 'tiny-video!fail4': { loads: 1, closes: 1 } });
});

test.run();
