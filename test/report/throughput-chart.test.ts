import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { throughputCharts } from '../../src/report/throughput-chart.ts';
import { vbenchCharts } from '../../src/report/vbench-chart.ts';
import { MethodPalette } from '../../src/report/palette.ts';
import { readRunFolder } from '../../src/report/run-folder.ts';
import { reportRun } from '../helpers/report-runs.ts';

test('frames per second by method, and the time per video split into stages, decoder and the rest', async () => {
  const { results } = readRunFolder(await reportRun('a'));
  const { charts, skipped } = throughputCharts(results, new MethodPalette(results.methods.map((m) => m.name)));
  assert.equal([charts.map((c) => c.name), skipped], [['throughput-fps', 'stage-time'], []]);
  const fps = charts[0].config().data.datasets[0].data as number[];
  assert.equal(
    fps,
    results.methods.map((m) => m.metrics.throughput.values.find((v) => v.key === 'framesPerSecond')!.value),
  );
  const stacks = charts[1].config().data.datasets as { label: string; data: number[] }[];
  assert.equal(
    stacks.map((d) => d.label),
    ['stage 0 model', 'stage 1 model', 'stage 2 model', 'decoder', 'rest of the sampler'],
  );
  // the stacks add up to the mean latency
  results.methods.forEach((m, i) => {
    const mean = m.metrics.throughput.values.find((v) => v.key === 'latencyMs.mean')!.value!;
    assert.ok(Math.abs(stacks.reduce((a, d) => a + d.data[i], 0) - mean) < 1e-9 * mean, m.id);
  });
});

test('the VBench dimensions: one point per method and dimension, at its group with an offset', async () => {
  const { results } = readRunFolder(await reportRun('a'));
  const { charts } = vbenchCharts(results, new MethodPalette(results.methods.map((m) => m.name)));
  const datasets = charts[0].config().data.datasets as { label: string; data: { x: number; y: number }[] }[];
  assert.equal(
    datasets.map((d) => d.label),
    ['pyramid [steps=2]', 'pyramid [steps=4]', 'cascade'],
  );
  assert.equal(
    datasets.map((d) => d.data[0].x),
    [-0.15, 0, 0.15],
  );
  assert.equal(datasets[2].data[0].y, results.methods[2].metrics['vbench/motion_smoothness'].values[0].value);
  assert.match(vbenchCharts({ ...results, methods: [] }, new MethodPalette([])).skipped[0], /computes none/);
});

test('a throughput metric with its own id (results key) still gives both charts', async () => {
  const { results } = readRunFolder(await reportRun('a'));
  const renamed = {
    ...results,
    locked: { ...results.locked, metrics: results.locked.metrics.map((m) => (m.name === 'throughput' ? { ...m, id: 'speed' } : m)) },
    methods: results.methods.map((m) => {
      const { throughput, ...rest } = m.metrics;
      return { ...m, metrics: { ...rest, speed: throughput } };
    }),
  };
  const { charts } = throughputCharts(renamed, new MethodPalette(results.methods.map((m) => m.name)));
  assert.equal(
    charts.map((c) => c.name),
    ['throughput-fps', 'stage-time'],
  );
  assert.equal(
    charts[0].config().data.datasets[0].data,
    results.methods.map((m) => m.metrics.throughput.values.find((v) => v.key === 'framesPerSecond')!.value),
  );
});

test.run();
