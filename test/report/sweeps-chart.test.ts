import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MetricValue } from '../../src/suite/contract/plugin.ts';
import type { MethodResult, Results } from '../../src/suite/contract/results.ts';
import { sweepCharts, sweepLabel } from '../../src/report/sweeps-chart.ts';
import { MethodPalette } from '../../src/report/palette.ts';
import { renderChart } from '../../src/report/render.ts';

const fd = (v: number): MetricValue => ({
  key: 'fd',
  label: '',
  value: v,
  unit: 'u',
  direction: 'lower',
  uncertainty: { kind: 'stderr', stderr: 0.1, n: 4, method: '' },
  measured: false,
  headline: true,
});
const ms = (v: number): MetricValue => ({
  key: 'motion_smoothness',
  label: '',
  value: v,
  unit: 'score (0-1)',
  direction: 'higher',
  uncertainty: { kind: 'none', reason: '' },
  measured: false,
  headline: true,
});
const method = (id: string, name: string, sweep: Record<string, unknown>, model: string, f: number, m: number): MethodResult =>
  ({
    id,
    name,
    sweep,
    model,
    metrics: {
      'fd-pixel': { version: 1, values: [fd(f)] },
      'vbench/motion_smoothness': { version: 1, values: [ms(m)] },
      cost: { version: 1, values: [{ ...fd(30), key: 'nfe' }] },
    },
  }) as unknown as MethodResult;
const suite = { name: 's', version: 1 };

test('a checkpoint sweep gives a curve per headline quality value over the checkpoints (not cost)', () => {
  const results = {
    suite,
    methods: [
      method('q [checkpoint=onnx:ck/step-1000]', 'q', { checkpoint: 'onnx:ck/step-1000' }, 'onnx:ck/step-1000', 0.5, 0.9),
      method('q [checkpoint=onnx:ck/step-2000/]', 'q', { checkpoint: 'onnx:ck/step-2000/' }, 'onnx:ck/step-2000/', 0.3, 0.95),
    ],
  } as unknown as Results;
  const { charts, skipped } = sweepCharts(results, new MethodPalette(['q']));
  assert.equal(skipped, []);
  assert.equal(
    charts.map((c) => [c.name, c.title]),
    [
      ['sweep-checkpoint-fd-pixel-fd', 'fd, fd-pixel against checkpoint'],
      ['sweep-checkpoint-vbench-motion-smoothness-motion-smoothness', 'motion_smoothness, vbench/motion_smoothness against checkpoint'],
    ],
  );
  const config = charts[0].config();
  const x = (config.options!.scales as Record<string, { ticks: { callback: (v: number) => string } }>).x;
  assert.equal(
    [0, 1].map((i) => x.ticks.callback(i)),
    ['step-1000', 'step-2000'],
  );
  assert.equal((config.data.datasets[0] as { data: { x: number; y: number }[] }).data, [
    { x: 0, y: 0.5 },
    { x: 1, y: 0.3 },
  ]);
  assert.ok(renderChart(charts[0], 'svg').length > 1000);
});

test('a numeric sweep plots each quality measure against the values, with the unswept methods as references', () => {
  const results = {
    suite,
    methods: [
      method('p [steps=4]', 'p', { steps: 4 }, 'a', 0.4, 0.9),
      method('p [steps=2]', 'p', { steps: 2 }, 'a', 0.6, 0.9),
      method('cascade', 'cascade', {}, 'a', 0.8, 0.9),
    ],
  } as unknown as Results;
  const { charts } = sweepCharts(results, new MethodPalette(['p', 'cascade']));
  assert.equal(
    charts.map((c) => c.name),
    ['sweep-steps-fd-pixel-fd'],
  );
  const data = charts[0].config().data.datasets as { label: string; data: { x: number; y: number }[] }[];
  assert.equal(
    data.map((d) => [d.label, d.data]),
    [
      [
        'p',
        [
          { x: 2, y: 0.6 },
          { x: 4, y: 0.4 },
        ],
      ],
      [
        'cascade (not swept)',
        [
          { x: 2, y: 0.8 },
          { x: 4, y: 0.8 },
        ],
      ],
    ],
  );
  assert.equal(sweepCharts({ suite, methods: [results.methods[2]] } as unknown as Results, new MethodPalette([])).skipped.length, 1);
  assert.equal([sweepLabel('onnx:checkpoints/a/'), sweepLabel(4), sweepLabel({ a: 1 })], ['a', '4', '{"a":1}']);
});

test.run();
