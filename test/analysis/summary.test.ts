import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatNumber, formatValue, resultsMarkdown } from '../../src/analysis/summary.ts';
import type { Results } from '../../src/suite/contract/results.ts';
import type { MetricValue } from '../../src/suite/contract/plugin.ts';

const v = (value: number | null, uncertainty: MetricValue['uncertainty']): MetricValue => ({
  key: 'k',
  label: '',
  value,
  unit: 'ms',
  direction: 'lower',
  uncertainty,
  measured: true,
});

test('values print with their uncertainty and its n', () => {
  assert.is(formatNumber(123456.7), '123500');
  assert.is(formatNumber(2.5e-7), '2.500e-7');
  assert.is(formatValue(v(1.23456, { kind: 'stderr', stderr: 0.0123, n: 8, method: '' })), '1.235 ± 0.0123 (n=8)');
  assert.is(formatValue(v(10, { kind: 'interval', low: 9, high: 12.5, level: 0.95, n: 20, method: '' })), '10 [9, 12.5] (n=20)');
  assert.is(formatValue(v(7, { kind: 'exact', reason: '' })), '7');
  assert.is(formatValue({ ...v(null, { kind: 'none', reason: '' }), note: 'shard 0 only' }), 'n/a (shard 0 only)');
});

test('an invalid measurement keeps its number and is marked with its rule; results.md says what the mark means', () => {
  const p99 = {
    ...v(412, { kind: 'interval', low: 300, high: 500, level: 0.95, n: 8, method: '' }),
    validity: { valid: false, rule: 'p99 needs >= 299 observations, has 8' },
  };
  const p50 = { ...v(300, { kind: 'exact', reason: '' }), validity: { valid: true, rule: 'p50 needs >= 5 observations, has 8' } };
  assert.is(formatValue(p99), '412 [300, 500] (n=8) (invalid: p99 needs >= 299 observations, has 8)');
  assert.is(formatValue(p50), '300');
  const results = {
    suite: { name: 's', version: 1, description: '' },
    harness: { version: '0' },
    partial: false,
    shards: { included: [0], count: 1 },
    device: { name: 'cpu' },
    methods: [
      {
        id: 'm',
        samples: 8,
        metrics: {
          throughput: {
            version: 2,
            values: [
              { ...p50, key: 'latencyMs.p50' },
              { ...p99, key: 'latencyMs.p99' },
            ],
          },
        },
      },
    ],
  } as unknown as Results;
  const md = resultsMarkdown(results);
  assert.match(md, /\| m \| 8 \| 300 \| 412 \[300, 500\] \(n=8\) \(invalid: p99 needs &gt;= 299 observations, has 8\) \|/);
  assert.match(md, /A value marked \(invalid: rule\) is a measurement that misses its validity rule/);
  assert.not.match(
    resultsMarkdown({
      ...results,
      methods: [{ ...results.methods[0], metrics: { throughput: { version: 2, values: [{ ...p50, key: 'latencyMs.p50' }] } } }],
    }),
    /invalid/,
  );
});

test('results.md passes no raw HTML: names, descriptions, units and notes from the data are escaped', () => {
  const value = { ...v(1, { kind: 'exact', reason: '' }), key: '<b>k</b>', unit: 'a|b' };
  const missing = { ...v(null, { kind: 'none', reason: '' }), key: 'n', note: '<img src=x onerror=alert(1)>' };
  const results = {
    suite: { name: '<script>alert(1)</script>', version: 1, description: 'A & B <i>' },
    harness: { version: '0' },
    partial: false,
    shards: { included: [0], count: 1 },
    device: { name: '<gpu>' },
    methods: [
      { id: '<script>x</script>', samples: 1, metrics: { 'm<x>': { version: 1, values: [value, missing] } } },
      { id: 'e|f', samples: 1, metrics: { 'm<x>': { version: 1, values: [], error: '<oops>' } } },
    ],
  } as unknown as Results;
  const md = resultsMarkdown(results);
  assert.not.match(md, /<[a-z/]/i);
  assert.match(md, /^# &lt;script&gt;alert\(1\)&lt;\/script&gt; v1\n\nA &amp; B &lt;i&gt;\n/);
  assert.match(md, /\| &lt;script&gt;x&lt;\/script&gt; \| 1 \| 1 \| n\/a \(&lt;img src=x onerror=alert\(1\)&gt;\) \|/);
  assert.match(md, /\| &lt;b&gt;k&lt;\/b&gt; \(a\\\|b\)/);
  assert.match(md, /\| e\\\|f \| 1 \| not computed: &lt;oops&gt; \|/);
});

test.run();
