import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareResults, comparisonMarkdown } from '../../src/bench/compare.ts';
import type { MetricValue } from '../../src/bench/metrics/plugin.ts';
import type { Results } from '../../src/bench/results.ts';

const value = (v: number, se: number): MetricValue => ({ key: 'fd', label: '', value: v, unit: 'u', direction: 'lower', uncertainty: { kind: 'stderr', stderr: se, n: 4, method: '' }, measured: false });
const results = (seed: number, methods: [string, number][]) =>
  ({ locked: { seed }, methods: methods.map(([id, v]) => ({ id, metrics: { 'fd-pixel': { version: 1, values: [value(v, 0.1)] } } })) }) as unknown as Results;

test('values of shared methods side by side, with the difference and whether it is within two standard errors', () => {
  const c = compareResults(results(0, [['a', 1], ['b', 2]]), results(0, [['a', 1.2], ['c', 3]]), ['A', 'B']);
  assert.is(c.values.length, 1);
  assert.ok(Math.abs(c.values[0].difference! - 0.2) < 1e-12);
  assert.is(c.values[0].withinTwoStderr, true);
  assert.equal([c.onlyA, c.onlyB], [['b'], ['c']]);
  assert.match(comparisonMarkdown(c, ['A', 'B']), /\| a \| fd-pixel\.fd \| u \| 1 ± 0\.1 \(n=4\) \| 1\.2 ± 0\.1 \(n=4\) \| 0\.2 \| yes \|/);
  assert.is(compareResults(results(0, [['a', 1]]), results(0, [['a', 2]]), ['A', 'B']).values[0].withinTwoStderr, false);
  assert.throws(() => compareResults(results(0, []), results(1, []), ['A', 'B']), /cannot compare A and B: their locked settings differ:\n  seed: 0 vs 1/);
});

test.run();
