import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphBuilder } from '../../src/models/onnx/builder.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'pyramid-bench.js');
const dir = mkdtempSync(path.join(tmpdir(), 'validate-features-'));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, 'validate-features', ...args], { cwd: root, encoding: 'utf8' });

// a blind image space: every frame maps to the same features (its pixels times 0, averaged per channel)
const g = new GraphBuilder('blind');
const x = g.input('frames', 'float32', ['batch', 3, 16, 16]);
const zero = g.op('Mul', [x, g.initializer('zero', 'float32', [], Float32Array.of(0))]);
g.output(g.op('Flatten', [g.op('GlobalAveragePool', [zero])], { axis: 1 }), 'features', 'float32', ['batch', 3]);
writeFileSync(path.join(dir, 'blind.onnx'), g.toBytes());
const blind = path.join(dir, 'blind.yaml');
writeFileSync(
  blind,
  [
    'name: blind',
    'version: "1"',
    'kind: image',
    'model: blind.onnx',
    'input: { name: frames, layout: NCHW, height: 16, width: 16, range: [-1, 1] }',
    'resize: none',
    'output: { name: features, dim: 3 }',
    'batch: 8',
  ].join('\n'),
);

test('a space that sees nothing fails every disturbance; --out writes the results, tables and charts; --require-pass exits 3', () => {
  const out = path.join(dir, 'out');
  const r = cli(
    '--extractors',
    blind,
    '--n',
    '16',
    '--groups',
    '4',
    '--size',
    '16',
    '--out',
    out,
    '--formats',
    'svg',
    '--require-pass',
    blind,
  );
  assert.is(r.status, 3, r.stderr);
  assert.match(r.stderr, /feature validation failed for blind \(gaussian-noise rho NaN, gaussian-blur rho NaN/);
  assert.match(r.stdout, '| blind | frame 0 of each clip (16x16) | 3 | NaN **fail** |');
  const json = JSON.parse(readFileSync(path.join(out, 'feature-validation.json'), 'utf8'));
  assert.is(json.format, 'pyramid-bench-feature-validation');
  assert.equal(json.settings, { n: 16, frames: 9, size: 16, cleanSeed: 1, disturbedSeed: 2, disturbanceSeed: 3, jackknifeGroups: 4 });
  assert.is(json.spaces[0].pass, false);
  assert.equal(json.spaces[0].curves[0].levels[3].fd, 0);
  assert.ok(existsSync(path.join(out, 'feature-validation.md')));
  assert.ok(existsSync(path.join(out, 'charts', 'feature-validation-blind.svg')));
  // without --require-pass a failing space is reported, not an error
  const plain = cli('--extractors', blind, '--n', '16', '--groups', '4', '--size', '16', '--seeds', '5,6,7', '--json');
  assert.is(plain.status, 0, plain.stderr);
  assert.equal(JSON.parse(plain.stdout).settings.cleanSeed, 5);
});

test('usage errors name the option and what is allowed (exit status 2)', () => {
  const cases: [string[], RegExp][] = [
    [['--seeds', '1,2'], /--seeds is '1,2'; allowed: three integers clean,disturbed,disturbance/],
    [['--seeds', '1,1,2'], /disturbedSeed equals cleanSeed \(1\)/],
    [['--require-pass', 'pixels-v1'], /--require-pass names pixels-v1, which --extractors does not validate/],
    [['--n', '4'], /validate-features: options\.n: .*\(got 4\)/],
    [['--formats', 'gif'], /gif/],
    [['extra'], /takes no positional arguments/],
  ];
  for (const [args, message] of cases) {
    const r = cli(...args);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test.run();
