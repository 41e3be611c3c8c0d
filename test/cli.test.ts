import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeNpz } from '../src/io/npy.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'pyramid-bench.js');
const dir = mkdtempSync(path.join(tmpdir(), 'cli-test-'));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
if (!existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
const commandNames = [
  'compare',
  'cost',
  'data',
  'default',
  'fd',
  'list',
  'merge',
  'report',
  'run',
  'sample',
  'slurm',
  'stats',
  'validate',
  'validate-features',
  'vbench',
];

for (const sampler of ['pyramid', 'full', 'cascade']) {
  test(`sample --sampler ${sampler} writes an .npz NumPy reads and prints the cost summary`, () => {
    const out = path.join(dir, `${sampler}.npz`);
    const r = cli(
      'sample',
      '--model',
      'analytic:tiny-video',
      '--sampler',
      sampler,
      '--n',
      '5',
      '--seed',
      '3',
      '--out',
      out,
      '--steps',
      '3,3,3',
    );
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /NFE per sample \d+/);
    const npz = decodeNpz(readFileSync(out));
    assert.equal(npz.samples.shape, [5, 1, 3, 8, 8]);
    assert.equal(Array.from(npz.labels.data as BigInt64Array), [0n, 1n, 0n, 1n, 0n]);
    const py = execFileSync('python3', [
      '-c',
      'import numpy as np,sys; d=np.load(sys.argv[1]); print(d["samples"].shape, d["samples"].dtype)',
      out,
    ])
      .toString()
      .trim();
    assert.is(py, '(5, 1, 3, 8, 8) float32');
  });
}

test('sample is reproducible: the same seed writes the same bytes; --json prints one object', () => {
  const a = path.join(dir, 'a.npz');
  const b = path.join(dir, 'b.npz');
  cli('sample', '--model', 'analytic:tiny-image', '--n', '3', '--seed', '9', '--out', a, '--steps', '2,2,2');
  const r = cli('sample', '--model', 'analytic:tiny-image', '--n', '3', '--seed', '9', '--out', b, '--steps', '2,2,2', '--json');
  assert.ok(readFileSync(a).equals(readFileSync(b)));
  const json = JSON.parse(r.stdout);
  assert.is(json.cost.nfe, 6);
  assert.equal(json.shape, [3, 1, 1, 8, 8]);
});

test('bad input: an unknown preset, sampler or option, and bad settings exit non-zero with a message', () => {
  const out = path.join(dir, 'x.npz');
  let r = cli('sample', '--model', 'analytic:nope', '--out', out);
  assert.is(r.status, 1);
  assert.match(r.stderr, /Unknown analytic preset 'nope'. Available: moving-shapes, tiny-image, tiny-video/);
  r = cli('sample', '--model', 'analytic:tiny-image', '--sampler', 'ddim', '--out', out);
  assert.match(r.stderr, /Unknown sampler 'ddim'. Available: cascade, full, pyramid/);
  r = cli('sample', '--model', 'analytic:tiny-image', '--n', '0', '--out', out);
  assert.is(r.status, 2);
  assert.match(r.stderr, /--n is '0'; allowed: an integer >= 1/);
  r = cli('sample', '--model', 'tiny-image', '--out', out);
  assert.match(r.stderr, /has no backend/);
  r = cli('sample', '--model', 'analytic:tiny-image', '--out', out, '--class', '7');
  assert.match(r.stderr, /--class is 7; allowed: 0 to 1/);
  r = cli('sample', '--model', 'analytic:tiny-image', '--out', out, '--settings', '{"stepsPerStage":[0,1,1]}');
  assert.match(r.stderr, /pyramid settings.stepsPerStage\[0\]/);
  r = cli('frobnicate');
  assert.is(r.status, 2);
});

test('--help lists every command with its summary, one a line, and exits 0', () => {
  for (const flag of ['--help', '-h', 'help']) {
    const r = cli(flag);
    assert.is(r.status, 0, r.stderr);
    for (const name of commandNames) assert.match(r.stdout, new RegExp(`^  ${name} +\\S`, 'm'));
    assert.match(r.stdout, /^ {2}fd +Fréchet distance/m);
  }
  assert.is(cli().status, 0);
});

test("<command> --help (and -h, help <command>) prints that command's usage alone and exits 0, loading nothing else", () => {
  for (const args of [
    ['fd', '--help'],
    ['fd', '-h'],
    ['help', 'fd'],
    ['fd', 'a.npz', '--kid', '--help'],
  ]) {
    const r = cli(...args);
    assert.is(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stdout.startsWith('usage: pyramid-bench fd <a> <b> '), r.stdout);
    assert.match(r.stdout, /\n {24}\[--kid \[--kid-subsets <n>\]/);
    assert.not.match(r.stdout, /pyramid-bench (sample|run|stats)/);
    assert.is(r.stderr, '');
  }
  const vbench = cli('vbench', '--help');
  assert.is(vbench.status, 0);
  assert.equal(vbench.stdout.match(/^ {7}pyramid-bench vbench \w+/gm)?.length, 3);
});

test('--version prints the version in package.json', () => {
  const r = cli('--version');
  assert.is(r.status, 0);
  assert.is(r.stdout, `${JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version}\n`);
});

test("a usage error prints the message and that command's own usage, exit 2", () => {
  const cases: [string[], RegExp][] = [
    [['sample', '--bogus'], /^pyramid-bench: sample: Unknown option '--bogus'/],
    [['fd', 'a.npz'], /^pyramid-bench: fd: fd takes two statistics files or inputs, got 1\n/],
    [['fd', 'a.npz', 'b.npz', '--compat'], /^pyramid-bench: fd: Option '--compat <value>' argument missing/],
  ];
  for (const [args, message] of cases) {
    const r = cli(...args);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, new RegExp(`\n\nusage: pyramid-bench ${args[0]} `));
    assert.is(r.stderr.match(/pyramid-bench [a-z]+ /g)!.filter((m) => !m.startsWith(`pyramid-bench ${args[0]}`)).length, 0, r.stderr);
  }
});

test('an unknown command: "Unknown command \'x\'. Available: a, b, c", exit 2, without the usage list', () => {
  for (const args of [['frobnicate'], ['help', 'frobnicate']]) {
    const r = cli(...args);
    assert.is(r.status, 2);
    assert.is(r.stderr, `pyramid-bench: Unknown command 'frobnicate'. Available: ${commandNames.join(', ')}\n`);
  }
  const option = cli('--frobnicate');
  assert.is(option.status, 2);
  assert.match(option.stderr, /^pyramid-bench: unknown option '--frobnicate'; options before a command: --help, --version/);
});

test('--help and <command> --help load no command file and none of onnxruntime, sharp or chart.js', () => {
  // a resolve hook that prints every module the CLI asks for
  const hook = `export async function resolve(s, c, next) { process.stderr.write('resolve ' + s + '\\n'); return next(s, c); }`;
  const register = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`;
  for (const args of [['--help'], ['run', '--help'], ['--version']]) {
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, bin, ...args], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.is(r.status, 0, r.stderr);
    const resolved = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('resolve '))
      .map((l) => l.slice('resolve '.length));
    assert.ok(resolved.includes('./commands/index.js'), resolved.join(' '));
    for (const heavy of ['onnxruntime-node', 'sharp', 'chart.js', 'chartjs-node-canvas', 'zod', './run.js', '../suite/runner.js'])
      assert.not.ok(resolved.includes(heavy), `${args.join(' ')} loaded ${heavy}`);
  }
});

test('bin/pyramid-bench.js without dist/ says to build, in one line, exit 1', () => {
  const alone = mkdtempSync(path.join(tmpdir(), 'cli-nodist-'));
  mkdirSync(path.join(alone, 'bin'));
  copyFileSync(bin, path.join(alone, 'bin', 'pyramid-bench.js'));
  const r = spawnSync(process.execPath, [path.join(alone, 'bin', 'pyramid-bench.js'), '--help'], { cwd: alone, encoding: 'utf8' });
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.is(r.stderr, 'pyramid-bench: dist/ is missing; run `npm run build` (setup.sh does it)\n');
});

test.run();
