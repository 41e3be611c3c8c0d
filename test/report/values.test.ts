import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MetricValue } from '../../src/suite/contract/plugin.ts';
import type { MethodResult, Results } from '../../src/suite/contract/results.ts';
import { DIMENSIONS } from '../../src/vbench/dimensions.ts';
import { plotValue, qualityMeasures, sweepSeries, vbenchAggregate } from '../../src/report/values.ts';

const score = (key: string, value: number): MetricValue => ({
  key,
  label: '',
  value,
  unit: 'score (0-1)',
  direction: 'higher',
  uncertainty: { kind: 'none', reason: '' },
  measured: false,
});
const method = (id: string, name: string, sweep: Record<string, unknown>, model: string, metrics: MethodResult['metrics']): MethodResult =>
  ({ id, name, sweep, model, metrics }) as unknown as MethodResult;

test('VBench Quality needs all 7 quality dimensions and Total all 16; then they are the leaderboard aggregate', () => {
  const all = Object.fromEntries(DIMENSIONS.map((d) => [`vbench/${d.id}`, { version: 1, values: [score(d.id, 0.9)] }]));
  const quality = Object.fromEntries(
    DIMENSIONS.filter((d) => d.group === 'quality').map((d) => [`vbench/${d.id}`, { version: 1, values: [score(d.id, 0.9)] }]),
  );
  const { subject_consistency: _dropped, ...rest } = Object.fromEntries(Object.entries(quality).map(([k, v]) => [k.slice(7), v]));
  const some = Object.fromEntries(Object.entries(rest).map(([k, v]) => [`vbench/${k}`, v]));
  // by hand from scripts/constant.py: quality = sum_d w_d (0.9 - min_d) / (max_d - min_d) / 6.5
  const q = DIMENSIONS.filter((d) => d.group === 'quality').reduce((a, d) => a + (d.weight * (0.9 - d.min)) / (d.max - d.min), 0) / 6.5;
  const s = DIMENSIONS.filter((d) => d.group === 'semantic').reduce((a, d) => a + (d.weight * (0.9 - d.min)) / (d.max - d.min), 0) / 9;
  assert.ok(Math.abs(vbenchAggregate(method('m', 'm', {}, 'x', quality), 'quality')! - q) < 1e-12);
  assert.is(vbenchAggregate(method('m', 'm', {}, 'x', quality), 'total'), null);
  assert.ok(Math.abs(vbenchAggregate(method('m', 'm', {}, 'x', all), 'total')! - (4 * q + s) / 5) < 1e-12);
  assert.is(vbenchAggregate(method('m', 'm', {}, 'x', some), 'quality'), null);
});

test('quality measures: each metric with an fd value, then VBench aggregates only when computable', () => {
  const fd = (v: number): MetricValue => ({
    key: 'fd',
    label: '',
    value: v,
    unit: '(pixel value)^2',
    direction: 'lower',
    uncertainty: { kind: 'stderr', stderr: 0.1, n: 4, method: '' },
    measured: false,
  });
  const results = {
    methods: [
      method('a', 'a', {}, 'x', {
        'fd-pixel': { version: 1, values: [fd(1)] },
        'vbench/dynamic_degree': { version: 1, values: [score('dynamic_degree', 1)] },
      }),
    ],
  } as unknown as Results;
  const measures = qualityMeasures(results);
  assert.equal(
    measures.map((m) => [m.id, m.label, m.direction]),
    [['fd-pixel-fd', 'FD, fd-pixel ((pixel value)^2)', 'lower']],
  );
  const p = measures[0].read(results.methods[0])!;
  // 1.96 standard errors (normalQuantile is within 1.2e-9 of the exact 1.959963984540054)
  assert.ok(Math.abs(p.high! - 1 - 0.1959963984540054) < 1e-9 && Math.abs(1 - p.low! - 0.1959963984540054) < 1e-9);
  assert.is(plotValue(undefined), null);
});

test('sweep series: methods grouped by name and the other sweeps, ordered by value; checkpoint sweeps noticed', () => {
  const results = {
    methods: [
      method('p [steps=8, cfg=3]', 'p', { steps: 8, cfg: 3 }, 'analytic:x', {}),
      method('p [steps=2, cfg=3]', 'p', { steps: 2, cfg: 3 }, 'analytic:x', {}),
      method('p [steps=2, cfg=5]', 'p', { steps: 2, cfg: 5 }, 'analytic:x', {}),
      method('q [checkpoint=onnx:ck/step-1000]', 'q', { checkpoint: 'onnx:ck/step-1000' }, 'onnx:ck/step-1000', {}),
      method('q [checkpoint=onnx:ck/step-2000]', 'q', { checkpoint: 'onnx:ck/step-2000' }, 'onnx:ck/step-2000', {}),
      method('baseline', 'baseline', {}, 'analytic:x', {}),
    ],
  } as unknown as Results;
  const series = sweepSeries(results);
  assert.equal(
    series.map((s) => [s.sweep, s.label, s.points.map((p) => p.value), s.numeric, s.models]),
    [
      ['steps', 'p [cfg=3]', [2, 8], true, false],
      ['cfg', 'p [steps=2]', [3, 5], true, false],
      ['checkpoint', 'q', ['onnx:ck/step-1000', 'onnx:ck/step-2000'], false, true],
    ],
  );
});

test.run();
