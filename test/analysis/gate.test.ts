import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Comparison } from '../../src/analysis/compare.ts';
import { evaluateGate, parseGate } from '../../src/analysis/gate.ts';
import type { ValueDifference } from '../../src/analysis/paired-compare.ts';

test('conditions: value, operator, absolute or relative change, optional significance and method', () => {
  assert.equal(parseGate('fd > +2%'), {
    text: 'fd > +2%',
    value: 'fd',
    op: '>',
    threshold: 2,
    relative: true,
    significantOnly: false,
    method: null,
  });
  assert.equal(parseGate('fd-pixel.fd>=0.5'), {
    text: 'fd-pixel.fd>=0.5',
    value: 'fd-pixel.fd',
    op: '>=',
    threshold: 0.5,
    relative: false,
    significantOnly: false,
    method: null,
  });
  assert.equal(parseGate('framesPerSecond < -10% if significant for full (same steps)'), {
    text: 'framesPerSecond < -10% if significant for full (same steps)',
    value: 'framesPerSecond',
    op: '<',
    threshold: -10,
    relative: true,
    significantOnly: true,
    method: 'full (same steps)',
  });
  assert.is(parseGate('latencyMs.p50 <= -1.5e1').threshold, -15);
  assert.throws(
    () => parseGate('fd'),
    /--fail-if 'fd' is not a condition; allowed: '<value> <op> <threshold>\[%\] \[if significant\] \[for <method>\]'/,
  );
  assert.throws(() => parseGate('fd > 2% please'), /cannot read 'please'/);
  assert.throws(() => parseGate('fd => 2'), /is not a condition/);
});

const diff = (method: string, metric: string, key: string, a: number | null, b: number | null, significant: boolean): ValueDifference => ({
  method,
  metric,
  key,
  unit: 'u',
  direction: 'lower',
  measured: false,
  a,
  b,
  difference: a !== null && b !== null ? b - a : null,
  relative: a !== null && b !== null ? (b - a) / Math.abs(a) : null,
  interval: significant ? { low: 0.01, high: 0.3, level: 0.95 } : { low: -0.1, high: 0.3, level: 0.95 },
  significant,
  verdict: significant ? 'worse' : 'same',
  basis: 'test',
  n: 10,
});
const comparison = (values: ValueDifference[]): Comparison =>
  ({
    runs: [
      { dir: 'A', label: 'A' },
      { dir: 'B', label: 'B' },
    ],
    comparisons: [{ a: 'A', b: 'B', values, onlyA: [], onlyB: [], pairs: {} }],
    series: [],
    options: {},
  }) as unknown as Comparison;

test('a condition that holds names the value, method, both numbers, the change and the threshold', () => {
  const c = comparison([diff('pyramid', 'fd-pixel', 'fd', 10, 10.5, true), diff('cascade', 'fd-pixel', 'fd', 20, 20.2, false)]);
  assert.equal(evaluateGate([parseGate('fd > +2%')], c), [
    "--fail-if 'fd > +2%': fd-pixel.fd of 'pyramid' went from 10 (A) to 10.5 (B), a change of +5% > +2%; 95% interval of the change [0.01, 0.3]",
  ]);
  // absolute change; per method (by id or by the suite's name)
  assert.equal(evaluateGate([parseGate('fd > +0.1 for cascade')], c).length, 1);
  assert.equal(evaluateGate([parseGate('fd > +0.1 for pyr')], c, new Map([['pyramid', 'pyr']])).length, 1);
  assert.equal(evaluateGate([parseGate('fd > +0.3')], c).length, 1);
  assert.equal(evaluateGate([parseGate('fd > +0.1 if significant')], c).length, 1);
  assert.equal(evaluateGate([parseGate('fd-pixel.fd < -1%'), parseGate('fd > +6%')], c), []);
  // cascade's +1% is not above 1%; pyramid's +0.5 is at least 0.5
  assert.equal(evaluateGate([parseGate('fd > +1%'), parseGate('fd >= +0.5')], c).length, 2);
});

test('a value missing in a run fails the condition; a condition matching nothing is an error naming what exists', () => {
  const c = comparison([diff('pyramid', 'throughput', 'latencyMs.p50', null, 3, false)]);
  assert.equal(evaluateGate([parseGate('latencyMs.p50 > +10%')], c), [
    "--fail-if 'latencyMs.p50 > +10%': throughput.latencyMs.p50 of 'pyramid' cannot be checked: it has no value in A",
  ]);
  assert.throws(
    () => evaluateGate([parseGate('fid > +1%')], c),
    /no value 'fid' in the comparison; values: throughput.latencyMs.p50; methods: pyramid/,
  );
  assert.throws(() => evaluateGate([parseGate('latencyMs.p50 > +1% for full')], c), /no value 'latencyMs.p50' for method 'full'/);
});

test.run();
