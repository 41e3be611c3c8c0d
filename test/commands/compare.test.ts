/**
 * `compare` as users run it: the regression gate's exit status and message, the comparison's files, and the
 * refusals of bad options (usage errors, which the CLI exits with status 2).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readResults } from '../../src/suite/contract/results.ts';
import { formatNumber } from '../../src/analysis/summary.ts';
import { UsageError, type Command } from '../../src/commands/command.ts';
import { compareCommand } from '../../src/commands/compare.ts';
import { reportRun, scratch } from '../helpers/report-runs.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'bin', 'pyramid-bench.js'), ...args], { cwd: root, encoding: 'utf8' });
const fast = ['--resamples', '100', '--distance-resamples', '20'];

test('--fail-if: a condition that holds exits 3 naming the value, both numbers and the threshold; else 0', async () => {
  const a = await reportRun('a');
  const b = await reportRun('cascade3', { cascadeSteps: 3 });
  const fd = (dir: string) => readResults(dir).methods.find((m) => m.id === 'cascade')!.metrics['fd-pixel'].values[0].value!;
  const direction = fd(b) > fd(a) ? '>' : '<';
  const out = scratch('compare-cli');
  const failed = cli(
    'compare',
    a,
    b,
    ...fast,
    '--labels',
    'base,new',
    '--out',
    out,
    '--formats',
    'png',
    '--fail-if',
    `fd ${direction} +0% for cascade`,
    '--fail-if',
    'nfe > +1000%',
  );
  assert.is(failed.status, 3, failed.stderr);
  const change = ((fd(b) - fd(a)) / fd(a)) * 100;
  assert.ok(
    failed.stderr.includes(
      `regression gate failed (1):\n  --fail-if 'fd ${direction} +0% for cascade': fd-pixel.fd of 'cascade' went from ${formatNumber(fd(a))} (base) to ${formatNumber(fd(b))} (new), a change of ${change >= 0 ? '+' : ''}${formatNumber(change)}% ${direction} +0%`,
    ),
    failed.stderr,
  );
  assert.match(failed.stdout, /## new against base/);
  assert.ok(
    ['comparison.md', 'comparison.csv', 'comparison.json', 'charts/curve-fd-pixel-fd.png'].every((f) => existsSync(path.join(out, f))),
  );
  const passed = cli('compare', a, b, ...fast, '--fail-if', 'nfe > +1000%', '--fail-if', 'fd > +50% if significant for pyramid');
  assert.is(passed.status, 0, passed.stderr);
  assert.match(passed.stderr, /regression gate passed: 'nfe > \+1000%', 'fd > \+50% if significant for pyramid'/);
});

test('compare refuses bad options as usage errors (exit status 2), naming them', async () => {
  const a = await reportRun('a');
  const cases: [Command, string[], RegExp][] = [
    [compareCommand, [a], /compare takes at least two results folders/],
    [compareCommand, [a, a, '--fail-if', 'fd'], /--fail-if 'fd' is not a condition/],
    [
      compareCommand,
      [a, a],
      /two runs are labelled 'a' \(their folders have the same name\); give distinct labels with --labels a,b,\.\.\./,
    ],
    [
      compareCommand,
      [a, a, ...fast, '--labels', 'x,y', '--json', '--fail-if', 'fid > +1%'],
      /no value 'fid' in the comparison; values: fd-pixel.fd/,
    ],
    [compareCommand, [a, a, '--labels', 'x'], /--labels has 1 labels for 2 results folders/],
    [compareCommand, [a, a, '--level', '95'], /--level is '95'; allowed: a number between 0 and 1/],
  ];
  const write = process.stdout.write;
  // the comparison printed before the gate is checked is not wanted here
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    for (const [command, args, pattern] of cases) {
      let error: unknown = null;
      await command.run(args).catch((e: unknown) => (error = e));
      assert.ok(error instanceof UsageError, `compare ${args.join(' ')}: ${String(error)}`);
      assert.match((error as Error).message, pattern);
    }
  } finally {
    process.stdout.write = write;
  }
});

test.run();
