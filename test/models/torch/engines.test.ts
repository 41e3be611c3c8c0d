/**
 * The committed shapes checkpoints on both engines through the built CLI: `sample` gives the same samples on
 * `torch:` and `onnx:` for the pyramid, full-resolution and cascade packages (within 1e-4 relative), a suite
 * mixing the engines runs, and a run whose worker is killed mid-run fails with a clear error and resumes to the
 * values of an uninterrupted run. Skipped, saying why, where Debian's python3-torch is not installed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpz } from '../../../src/io/npy.ts';
import { deterministicValues, readResults } from '../../../src/suite/contract/results.ts';
import { fault } from '../../helpers/case-ledger.ts';
import { hasTorch, torchMissing } from '../../helpers/torch.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = path.join(root, 'bin', 'pyramid-bench.js');
const dir = mkdtempSync(path.join(tmpdir(), 'engines-'));
const at = (name: string) => path.join(dir, name);
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
const samplesOf = (file: string) => decodeNpz(readFileSync(file), file).samples.data as Float32Array;

/** The largest |a - b| and the largest |a|. */
function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; scale: number } {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return { diff, scale };
}

if (!hasTorch) {
  test('the PyTorch tests need torch', torchMissing);
} else {
  const cases: [string, string, string][] = [
    ['pyramid', 'shapes-pyramid', '3,3,3'],
    ['full', 'shapes-full', '6'],
    ['cascade', 'shapes-cascade', '4,4'],
  ];
  for (const [sampler, pkg, steps] of cases) {
    test(`sample: torch:checkpoints/${pkg} and onnx:checkpoints/${pkg} give the same samples (1e-4 relative), ${sampler} sampler`, () => {
      const out: Float32Array[] = [];
      for (const engine of ['onnx', 'torch']) {
        const file = at(`${pkg}-${engine}.npz`);
        const model = `${engine}:checkpoints/${pkg}${engine === 'torch' ? '?threads=1' : ''}`;
        const r = cli('sample', '--model', model, '--sampler', sampler, '--n', '2', '--seed', '0', '--steps', steps, '--out', file);
        assert.is(r.status, 0, r.stderr);
        out.push(samplesOf(file));
      }
      const [a, b] = out;
      assert.is(a.length, b.length);
      const { diff, scale } = maxDifference(a, b);
      console.log(
        `  ${pkg}, ${sampler} sampler, --n 2 --steps ${steps}: max |torch - onnx| / max |onnx| = ${(diff / scale).toExponential(1)}`,
      );
      assert.ok(diff / scale < 1e-4, `${pkg}: max |torch - onnx| / max |onnx| = ${diff / scale}`);
    });
  }

  test('bfloat16 on the CPU: the full model samples within a few per cent of float32', () => {
    const file = at('shapes-full-bfloat16.npz');
    const r = cli(
      'sample',
      '--model',
      'torch:checkpoints/shapes-full?threads=1&dtype=bfloat16',
      '--sampler',
      'full',
      '--n',
      '2',
      '--seed',
      '0',
      '--steps',
      '6',
      '--out',
      file,
    );
    assert.is(r.status, 0, r.stderr);
    const a = samplesOf(at('shapes-full-onnx.npz'));
    const b = samplesOf(file);
    const { diff, scale } = maxDifference(a, b);
    console.log(
      `  shapes-full in bfloat16 against float32 (onnx), --n 2 --steps 6: max relative difference ${(diff / scale).toExponential(1)}`,
    );
    assert.ok(diff / scale > 0 && diff / scale < 0.1, `bfloat16: ${diff / scale}`);
  });

  const suite = (name: string, samples: number) => {
    const file = at(`${name}.yaml`);
    writeFileSync(
      file,
      `format: 1
name: ${name}
version: 1
samples: ${samples}
chunk: 2
batch: 2
conditions: {kind: class-balanced}
playbackFps: 8
reference: {source: shapes, seed: 5}
methods:
  - {name: full-onnx, model: "onnx:checkpoints/shapes-full", sampler: full, settings: {steps: 4}}
  - {name: full-torch, model: "torch:checkpoints/shapes-full?threads=1", sampler: full, settings: {steps: 4}}
metrics:
  - {name: fd-pixel, options: {downsample: 4}}
  - {name: cost}
  - {name: throughput, options: {warmup: 0, repeats: 2, batch: 1}}
`,
    );
    return file;
  };

  test('a suite mixing the engines runs; the two methods agree, and the torch method says its runtime and worker memory', () => {
    const r = cli('run', suite('mixed', 4), '--out', at('mixed'), '--no-report');
    assert.is(r.status, 0, r.stderr);
    const results = readResults(at('mixed'));
    const values = (slug: string) => results.methods.find((m) => m.name === slug)!.metrics;
    const fd = (slug: string) => values(slug)['fd-pixel'].values[0].value!;
    assert.ok(
      Math.abs(fd('full-onnx') - fd('full-torch')) <= 1e-4 * Math.abs(fd('full-onnx')),
      `${fd('full-onnx')} vs ${fd('full-torch')}`,
    );
    const throughput = values('full-torch').throughput.values;
    assert.ok(
      throughput.some((v) => v.key === 'workerPeakRssMiB' && v.value! > 50),
      'the worker process reports its memory',
    );
    const manifest = JSON.parse(readFileSync(path.join(at('mixed'), 'manifest.json'), 'utf8'));
    assert.match(JSON.stringify(manifest), /PyTorch [0-9.a-z]+ \(Python [0-9.]+\), float32, CPU, 1 threads/);
  });

  test('the worker killed mid-run: the run fails naming the package and the call; run again, it resumes to the uninterrupted values', async () => {
    await fault('model engines', 'a run whose worker is killed, then resumed', async () => {
      const file = suite('killed', 12);
      const store = path.join(at('killed'), 'store');
      const stored = () =>
        existsSync(path.join(store, 'samples'))
          ? readdirSync(path.join(store, 'samples')).reduce(
              (n, d) => n + readdirSync(path.join(store, 'samples', d)).filter((f) => f.endsWith('.npy')).length,
              0,
            )
          : 0;
      const child = spawn(process.execPath, [bin, 'run', file, '--out', at('killed'), '--no-report'], {
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      let code: number | null = null;
      const exited = new Promise<void>((resolve) =>
        child.on('close', (c) => {
          code = c;
          resolve();
        }),
      );
      // the ONNX method runs first (12 samples), then the torch method: kill its worker once some of its samples are stored
      while (stored() < 16 && code === null) await new Promise((r) => setTimeout(r, 50));
      assert.is(code, null, `the run ended before its worker could be killed: ${stderr}`);
      const found = spawnSync('pgrep', ['-P', String(child.pid), '-f', 'pyramid_bench_worker'], { encoding: 'utf8' }).stdout.trim();
      assert.ok(found, 'the run has a worker process');
      const before = stored();
      process.kill(Number(found.split('\n')[0]), 'SIGKILL');
      await exited;
      assert.is(code, 1);
      assert.match(
        stderr,
        /torch:checkpoints\/shapes-full: the PyTorch worker \(pid \d+\) was killed by SIGKILL during velocity call of torch:shapes-full\/full/,
      );
      assert.not.match(stderr, /\n\s+at /, 'no stack trace');
      assert.ok(before >= 16 && before < 24, `${before} of 24 samples stored when the worker was killed`);
      const again = cli('run', file, '--out', at('killed'), '--no-report');
      assert.is(again.status, 0, again.stderr);
      const whole = cli('run', file, '--out', at('whole'), '--no-report');
      assert.is(whole.status, 0, whole.stderr);
      assert.equal(deterministicValues(readResults(at('killed'))), deterministicValues(readResults(at('whole'))));
    });
  });
}

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
