import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { promisify } from 'node:util';
import { samplers } from '../src/samplers/index.ts';
import { suiteMetrics } from '../src/suite/metrics/index.ts';
import { backends } from '../src/models/load.ts';
import * as samplerExample from '../examples/custom-sampler.ts';
import * as metricExample from '../examples/custom-metric.ts';
import * as backendExample from '../examples/custom-backend.ts';
import type { SamplerExampleResult } from '../examples/custom-sampler.ts';
import type { MetricExampleResult } from '../examples/custom-metric.ts';
import type { BackendExampleResult } from '../examples/custom-backend.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs an example as a user does (`npx tsx examples/<name>.ts`) and parses the result it prints. In a child
 * process because `main()` registers into the process-wide registries, and other test files in this process
 * check what those hold (e.g. the suite schema's list of samplers).
 */
async function runExample<T>(name: string): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join('examples', `${name}.ts`)], {
    cwd: root,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as T;
}

const results = Promise.all([
  runExample<SamplerExampleResult>('custom-sampler'),
  runExample<MetricExampleResult>('custom-metric'),
  runExample<BackendExampleResult>('custom-backend'),
]);

test('importing an example registers nothing; main() does', () => {
  for (const m of [samplerExample, metricExample, backendExample]) assert.type(m.main, 'function');
  assert.not.ok(samplers.has('heun'));
  assert.not.ok(suiteMetrics.has('mean-brightness'));
  assert.not.ok(backends.has('zero'));
});

test('custom-sampler: Heun, registered as heun, plans its 15 calls and lands nearer the exact ODE end point than Euler at the same NFE', async () => {
  const [r] = await results;
  assert.equal(r.shape, [8, 1, 1, 8, 8]);
  assert.equal([r.heun.nfe, r.heun.plannedNfe, r.euler.nfe], [15, 15, 15]);
  // second order against first order on the analytic testbed: 0.0083 against 0.032 RMS (pixel values in [-1, 1])
  assert.ok(r.heun.rmsError < r.euler.rmsError / 2, JSON.stringify(r));
  assert.ok(r.heun.rmsError > 0 && r.heun.rmsError < 0.02, JSON.stringify(r));
});

test('custom-metric: mean-brightness in a suite on the template backend gives the closed-form mean and standard error', async () => {
  const [, r] = await results;
  // 8 class-balanced samples: 6 of classes 0-2 (mean colour -0.4/3), 2 of class 3 (0)
  const values = [...Array(6).fill(-0.4 / 3), 0, 0];
  const mean = values.reduce((a, b) => a + b, 0) / 8;
  const stderr = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 7 / 8);
  assert.equal(
    r.methods.map((m) => [m.id, m.n, m.nfe]),
    [
      ['pyramid', 8, 18],
      ['full', 8, 4],
    ],
  );
  for (const m of r.methods) {
    assert.ok(Math.abs(m.meanBrightness - -0.1) < 1e-6, `${m.id}: ${m.meanBrightness}`);
    assert.ok(Math.abs(m.stderr - stderr) < 1e-6, `${m.id}: ${m.stderr} vs ${stderr}`);
  }
});

test('custom-backend: zero:8 loads through its registered prefix, samples end on 0, predict after close() is refused', async () => {
  const [, , r] = await results;
  assert.is(r.id, 'zero:8');
  assert.equal(r.shape, [3, 1, 1, 8, 8]);
  assert.is(r.nfe, 3);
  assert.ok(r.maxAbsNoise > 1, `noise scale ${r.maxAbsNoise}`);
  assert.ok(r.maxAbs < 1e-6, `max |sample| ${r.maxAbs}`);
  assert.is(r.device, 'TypeScript (zero example backend)');
  assert.match(r.afterClose, /zero:8\/full: predict called after close\(\)/);
});

test.run();
