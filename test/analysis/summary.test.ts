import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatNumber, formatValue } from '../../src/analysis/summary.ts';
import type { MetricValue } from '../../src/suite/contract/plugin.ts';

const v = (value: number | null, uncertainty: MetricValue['uncertainty']): MetricValue => ({ key: 'k', label: '', value, unit: 'ms', direction: 'lower', uncertainty, measured: true });

test('values print with their uncertainty and its n', () => {
  assert.is(formatNumber(123456.7), '123500');
  assert.is(formatNumber(2.5e-7), '2.500e-7');
  assert.is(formatValue(v(1.23456, { kind: 'stderr', stderr: 0.0123, n: 8, method: '' })), '1.235 ± 0.0123 (n=8)');
  assert.is(formatValue(v(10, { kind: 'interval', low: 9, high: 12.5, level: 0.95, n: 20, method: '' })), '10 [9, 12.5] (n=20)');
  assert.is(formatValue(v(7, { kind: 'exact', reason: '' })), '7');
  assert.is(formatValue({ ...v(null, { kind: 'none', reason: '' }), note: 'shard 0 only' }), 'n/a (shard 0 only)');
});

test.run();
