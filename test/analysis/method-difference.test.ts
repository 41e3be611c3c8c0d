/**
 * The paired difference of two methods of one run, on a small results folder (tests/helpers/report-runs.ts): a
 * method against itself differs by exactly 0, swapping the methods negates the interval, a distance's interval is
 * recentred on the observed difference, the same seed gives the same interval, and values with no per-sample
 * form say why.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pairedMethodDifference, pairedTestOf, type MethodDifference } from '../../src/analysis/method-difference.ts';
import { readResults } from '../../src/suite/contract/results.ts';
import { reportRun, scratch } from '../helpers/report-runs.ts';

const OPTIONS = { resamples: 400, distanceResamples: 60, level: 0.95, seed: 3 };

function ok(d: MethodDifference | { reason: string }): MethodDifference {
  if ('reason' in d) throw new Error(`no paired difference: ${d.reason}`);
  return d;
}

test('a method against itself differs by 0; swapping the methods negates the difference and its interval', async () => {
  const dir = await reportRun('a');
  const r = readResults(dir);
  const [p2, p4] = r.methods;
  const self = ok(pairedMethodDifference(dir, r, 'vbench/motion_smoothness', 'motion_smoothness', p2, p2, OPTIONS));
  assert.equal([self.difference, self.low, self.high, self.n], [0, 0, 0, 48]);
  const ab = ok(pairedMethodDifference(dir, r, 'vbench/motion_smoothness', 'motion_smoothness', p2, p4, OPTIONS));
  const ba = ok(pairedMethodDifference(dir, r, 'vbench/motion_smoothness', 'motion_smoothness', p4, p2, OPTIONS));
  const value = (m: (typeof r.methods)[number]) => m.metrics['vbench/motion_smoothness'].values[0].value!;
  assert.ok(Math.abs(ab.difference - (value(p4) - value(p2))) < 1e-15);
  assert.ok(Math.abs(ab.low + ba.high) < 1e-12 && Math.abs(ab.high + ba.low) < 1e-12, `${JSON.stringify(ab)} vs ${JSON.stringify(ba)}`);
  assert.ok(ab.low < ab.high);
  assert.match(ab.basis, /^paired bootstrap over 48 samples \(by seed and index\), 400 resamples, seed 3$/);
});

test('a distance: the interval is recentred on the observed difference; the same seed gives the same interval', async () => {
  const dir = await reportRun('a');
  const r = readResults(dir);
  const [p2, , cascade] = r.methods;
  const fd = (m: (typeof r.methods)[number]) => m.metrics['fd-pixel'].values.find((v) => v.key === 'fd')!.value!;
  const d = ok(pairedMethodDifference(dir, r, 'fd-pixel', 'fd', p2, cascade, OPTIONS));
  assert.ok(Math.abs(d.difference - (fd(cascade) - fd(p2))) < 1e-12);
  assert.ok(d.low < d.difference && d.difference < d.high, JSON.stringify(d));
  assert.match(d.basis, /60 resamples, seed 3, recentred on the observed difference$/);
  assert.equal(ok(pairedTestOf(dir, r, OPTIONS)({ metric: 'fd-pixel', key: 'fd', best: p2, other: cascade })), d);
});

test('no paired difference, with the reason: a value with no per-sample form, a missing value, missing per-sample rows', async () => {
  const dir = await reportRun('a');
  const r = readResults(dir);
  const [p2, p4] = r.methods;
  const reason = (d: MethodDifference | { reason: string }) => ('reason' in d ? d.reason : 'a difference');
  assert.is(
    reason(pairedMethodDifference(dir, r, 'throughput', 'latencyMs.p50', p2, p4, OPTIONS)),
    'throughput latencyMs.p50 is not recomputable from per-sample rows',
  );
  assert.is(reason(pairedMethodDifference(dir, r, 'fd-pixel', 'nothing', p2, p4, OPTIONS)), 'a method has no fd-pixel nothing');
  const copy = path.join(scratch('method-difference'), 'run');
  cpSync(dir, copy, { recursive: true });
  rmSync(path.join(copy, 'samples', `${p4.slug}.jsonl`));
  assert.is(
    reason(pairedMethodDifference(copy, r, 'fd-pixel', 'fd', p2, p4, OPTIONS)),
    `no per-sample rows for ${p4.id} (samples/${p4.slug}.jsonl)`,
  );
});

test.run();
