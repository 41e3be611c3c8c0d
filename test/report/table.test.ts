/**
 * Table cells: values rounded to their uncertainty's precision, one power of ten per column, the best value per
 * column by its direction in bold (ties bold together; a column where all tie has none).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MetricValue } from '../../src/suite/contract/plugin.ts';
import type { MethodResult } from '../../src/suite/contract/results.ts';
import { engineeringExponent, methodTable, valueCell } from '../../src/report/table.ts';

const stderr = (value: number | null, se: number): MetricValue => ({
  key: 'fd',
  label: '',
  value,
  unit: 'u',
  direction: 'lower',
  uncertainty: { kind: 'stderr', stderr: se, n: 8, method: 'jackknife' },
  measured: false,
});
const interval = (value: number, low: number, high: number, direction: MetricValue['direction'] = 'higher'): MetricValue => ({
  key: 'score',
  label: '',
  value,
  unit: 'score',
  direction,
  uncertainty: { kind: 'interval', low, high, level: 0.95, n: 100, method: 'bootstrap' },
  measured: false,
});
const exact = (value: number, key = 'nfe'): MetricValue => ({
  key,
  label: '',
  value,
  unit: 'evaluations',
  direction: 'lower',
  uncertainty: { kind: 'exact', reason: 'count' },
  measured: false,
});

test('a value keeps the decimals of two significant digits of its standard error or its smaller half-interval', () => {
  assert.equal(pick(valueCell(stderr(0.0106173, 0.0082564))), { value: '0.0106', stderr: '0.0083', exponent: 0 });
  assert.equal(pick(valueCell(stderr(123.456, 7.89))), { value: '123.5', stderr: '7.9', exponent: 0 });
  assert.equal(pick(valueCell(stderr(12345.6, 789))), { value: '12350', stderr: '790', exponent: 0 });
  const c = valueCell(interval(36.48, 30.71, 43.81));
  assert.equal([c.value, c.minus, c.plus, c.low, c.high], ['36.5', '5.8', '7.3', '30.7', '43.8']);
  // exact integers print whole; other exact values keep 4 significant digits
  assert.is(valueCell(exact(300)).value, '300');
  assert.is(valueCell(exact(0.023259)).value, '0.02326');
  assert.equal([valueCell(undefined).value, valueCell(undefined).note], [null, 'not measured']);
  assert.equal([valueCell(stderr(null, 1)).value, valueCell({ ...stderr(null, 1), note: 'shard 0 only' }).note], [null, 'shard 0 only']);
});

test('large and small numbers take an engineering power of ten; a column shares one', () => {
  assert.equal(
    [
      engineeringExponent(1.172e12),
      engineeringExponent(8.4e11),
      engineeringExponent(5e-4),
      engineeringExponent(99999),
      engineeringExponent(0),
    ],
    [12, 9, -6, 0, 0],
  );
  assert.equal(pick(valueCell(exact(1.171909e12, 'flops'))), { value: '1.172', stderr: null, exponent: 12 });
  const m = (id: string, flops: number): MethodResult =>
    ({ id, metrics: { cost: { version: 1, values: [exact(flops, 'flopsPerSample')] } } }) as unknown as MethodResult;
  const t = methodTable('t', 'c', [m('a', 1.1719e12), m('b', 8.443e11)], [{ metric: 'cost', key: 'flopsPerSample' }]);
  assert.equal(
    t.rows.map((r) => [r.cells[0].value, r.cells[0].exponent]),
    [
      ['1.172', 12],
      ['0.8443', 12],
    ],
  );
  assert.equal(t.columns[0].header, 'FLOPs / video');
});

test('the best value of each column is marked by its direction; ties share it; a full tie marks none', () => {
  const m = (id: string, fd: number, score: number, nfe: number): MethodResult =>
    ({
      id,
      metrics: {
        'fd-pixel': { version: 1, values: [stderr(fd, 0.01)] },
        'vbench/x': { version: 1, values: [interval(score, score - 0.01, score + 0.01)] },
        cost: { version: 1, values: [exact(nfe)] },
      },
    }) as unknown as MethodResult;
  const wanted = [
    { metric: 'fd-pixel', key: 'fd' },
    { metric: 'vbench/x', key: 'score' },
    { metric: 'cost', key: 'nfe' },
  ];
  const t = methodTable('t', 'c', [m('a', 0.2, 0.91, 30), m('b', 0.1, 0.95, 30), m('c', 0.10001, 0.93, 30)], wanted);
  assert.equal(
    t.rows.map((r) => r.cells.map((c) => c.best)),
    [
      [false, false, false],
      [true, true, false],
      // 0.10001 prints as 0.100, as 0.1 does: a tie at the printed precision
      [true, false, false],
    ],
  );
  assert.ok(t.notes.some((n) => /standard error \(jackknife\)/.test(n)) && t.notes.some((n) => /95% bootstrap interval/.test(n)));
  const none = methodTable('t', 'c', [m('a', 0.2, 0.9, 30)], wanted);
  assert.equal(
    none.rows[0].cells.map((c) => c.best),
    [false, false, false],
  );
});

test('a tie is judged on the column as printed: 1.2e7 and 1.2e10 both read 12.00 alone, not at the column power of ten', () => {
  const m = (id: string, nfe: number): MethodResult =>
    ({ id, metrics: { cost: { version: 1, values: [{ ...exact(nfe), key: 'x' }] } } }) as unknown as MethodResult;
  const t = methodTable('t', 'c', [m('a', 1.2e7), m('b', 1.2e10)], [{ metric: 'cost', key: 'x' }]);
  assert.equal(
    t.rows.map((r) => r.cells[0].best),
    [true, false],
  );
});

function pick(c: ReturnType<typeof valueCell>) {
  return { value: c.value, stderr: c.stderr, exponent: c.exponent };
}

test('an invalid measurement carries its rule into the cell, is never the best, and the notes say what the mark means', () => {
  const latency = (value: number, valid: boolean): MetricValue => ({
    ...exact(value, 'latencyMs.p99'),
    measured: true,
    validity: { valid, rule: valid ? 'ok' : 'p99 needs >= 299 observations, has 8' },
  });
  const m = (id: string, value: number, valid: boolean) =>
    ({ id, metrics: { throughput: { version: 2, values: [latency(value, valid)] } } }) as unknown as MethodResult;
  const t = methodTable(
    't',
    'c',
    [m('a', 100, false), m('b', 200, true), m('c', 300, true)],
    [{ metric: 'throughput', key: 'latencyMs.p99' }],
  );
  assert.equal(
    t.rows.map((r) => [r.cells[0].best, r.cells[0].invalid]),
    [
      [false, 'p99 needs >= 299 observations, has 8'],
      [true, undefined],
      [false, undefined],
    ],
  );
  assert.ok(t.notes.some((n) => /^invalid: a measurement that misses its validity rule/.test(n)));
  assert.is(valueCell(latency(5, true)).invalid, undefined);
});

test.run();
