import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// the BUILT package, as a user's script gets it through package.json `exports` (`npm run build` writes dist/)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, { types: string; default: string }>;
};
const entry = path.join(root, pkg.exports['.'].default);
if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);
type Api = typeof import('../src/index.ts');
const api = (await import(pathToFileURL(entry).href)) as Api;

test('package.json exports point at dist/index.js and its declarations, which exist', () => {
  assert.is(pkg.exports['.'].default, './dist/index.js');
  assert.is(pkg.exports['.'].types, './dist/index.d.ts');
  const declarations = readFileSync(path.join(root, pkg.exports['.'].types), 'utf8');
  for (const name of ['ModelSet', 'VelocityModel', 'Sampler', 'SamplingPlan', 'MetricPlugin', 'MetricValue', 'frechetDistance', 'runSuite'])
    assert.match(declarations, new RegExp(`\\b${name}\\b`), name);
});

test('the built package exports the functions, classes and registries of the API', () => {
  for (const name of [
    'runSuite',
    'planRun',
    'loadSuite',
    'parseSuite',
    'mergeRuns',
    'writeReport',
    'compareRuns',
    'findings',
    'pairedTestOf',
    'loadRun',
    'frechetDistance',
    'frechetFromMoments',
    'createStats',
    'accumulate',
    'mergeStats',
    'moments',
    'kernelInceptionDistance',
    'loadModelSet',
    'cpuDevice',
    'summarizeCost',
    'callRecord',
    'guidedVelocity',
    'eulerStep',
    'validatePlan',
    'parseWith',
    'strictObject',
  ] as const) {
    assert.type(api[name], 'function', name);
  }
  assert.type(api.PhiloxNoise, 'function');
  assert.type(api.Tensor, 'function');
  assert.ok(api.samplers.names().includes('pyramid'));
  assert.ok(api.backends.names().includes('analytic'));
  assert.ok(api.suiteMetrics.names().length > 0);
});

test('frechetDistance from the built package: closed form for N(0, I) against N((1, 2), [[2, 1], [1, 2]])', () => {
  // |mu1 - mu2|^2 = 5; sigma2 has eigenvalues 3 and 1, so tr(S1 + S2 - 2 sqrt(S1 S2)) = 2 + 4 - 2 (sqrt 3 + 1)
  const result = api.frechetDistance(
    new Float64Array([0, 0]),
    new Float64Array([1, 0, 0, 1]),
    new Float64Array([1, 2]),
    new Float64Array([2, 1, 1, 2]),
  );
  assert.ok(Math.abs(result.fd - (9 - 2 * Math.sqrt(3))) < 1e-12, String(result.fd));
  assert.ok(Math.abs(result.meanTerm - 5) < 1e-12);
});

test('feature statistics from the built package: accumulate then moments gives the sample mean and covariance', () => {
  const stats = api.createStats(2);
  api.accumulate(stats, [1, 2, 3, 6, 5, 10], 3);
  const m = api.moments(stats);
  assert.equal(Array.from(m.mu), [3, 6]);
  // unbiased covariance of x = (1, 3, 5), y = (2, 6, 10)
  assert.equal(Array.from(m.sigma), [4, 8, 8, 16]);
});

test("a user's TypeScript script type-checks against dist/index.d.ts (types resolved, not any)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'api-types-'));
  const from = JSON.stringify(entry);
  writeFileSync(
    path.join(dir, 'script.ts'),
    `${[
      `import { frechetDistance, PhiloxNoise, samplers, Tensor, type MetricPlugin, type ModelSet, type SamplingPlan, type VelocityModel } from ${from};`,
      'const zero = new Float64Array(1);',
      'export const fd: number = frechetDistance(zero, zero, zero, zero).fd;',
      'export const noise: Float32Array = new PhiloxNoise(1).gaussian(0, "initial", 4);',
      'export const names: string[] = samplers.names();',
      'export type Parts = [ModelSet, VelocityModel, MetricPlugin, SamplingPlan<unknown>, Tensor];',
      '// @ts-expect-error the distance is a number (this line fails if the declarations resolve to any)',
      'export const wrong: string = frechetDistance(zero, zero, zero, zero).fd;',
    ].join('\n')}\n`,
  );
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [path.join(root, 'node_modules', '@types')],
  };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['script.ts'] }));
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stdout + r.stderr);
});

test.run();
