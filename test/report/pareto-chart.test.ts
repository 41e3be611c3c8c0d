import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readRunFolder } from '../../src/report/run-folder.ts';
import { paretoCharts, paretoFront } from '../../src/report/pareto-chart.ts';
import { MethodPalette } from '../../src/report/palette.ts';
import { reportRun } from '../helpers/report-runs.ts';

test('the Pareto front keeps the points no other point beats on both axes, in order of cost', () => {
  const points = [
    { x: 30, y: 0.05 },
    { x: 40, y: 0.036 },
    { x: 300, y: 0.011 },
    { x: 300, y: 0.015 },
    { x: 50, y: 0.04 },
    { x: 40, y: 0.036 },
  ];
  // (300, 0.015) and (50, 0.04) are beaten; the two equal points are both on the front
  assert.equal(
    paretoFront(points, 'lower'),
    [1, 5, 0, 2].sort((a, b) => points[a].x - points[b].x || points[a].y - points[b].y),
  );
  assert.equal(
    paretoFront(
      points.map((p) => ({ x: p.x, y: -p.y })),
      'higher',
    ),
    paretoFront(points, 'lower'),
  );
  assert.equal(paretoFront([{ x: 1, y: 1 }], 'lower'), [0]);
});

test('FD against NFE, FLOPs and seconds per video, one dataset per method name plus the front', async () => {
  const run = readRunFolder(await reportRun('a'));
  const { charts, skipped } = paretoCharts(run.results, new MethodPalette(run.results.methods.map((m) => m.name)));
  assert.equal(skipped, []);
  assert.equal(
    charts.map((c) => c.name),
    ['pareto-fd-pixel-fd-nfe', 'pareto-fd-pixel-fd-flops', 'pareto-fd-pixel-fd-seconds'],
  );
  const config = charts[0].config();
  const datasets = config.data.datasets as { label: string; data: { x: number; y: number }[] }[];
  assert.equal(
    datasets.map((d) => d.label),
    ['pyramid', 'cascade', 'Pareto front'],
  );
  const nfe = run.results.methods.map((m) => m.metrics.cost.values.find((v) => v.key === 'nfe')!.value);
  assert.equal(
    datasets[0].data.map((p) => p.x),
    nfe.slice(0, 2),
  );
  // the pyramid's two swept variants share a colour and a mark: each point carries its sweep value; the cascade's single point none
  const labels = (config.options!.plugins as { pointLabels: { labels: (string[] | undefined)[] } }).pointLabels.labels;
  assert.equal(labels.length, 2);
  assert.equal(labels[1], undefined);
  assert.equal(
    labels[0],
    run.results.methods.filter((m) => m.name === 'pyramid').map((m) => Object.values(m.sweep).map(String).join(', ')),
  );
  assert.is(new Set(labels[0]).size, 2);
  const scales = config.options!.scales as Record<string, { title: { text: string } }>;
  assert.equal(
    [scales.x.title.text, scales.y.title.text],
    ['network evaluations per video (NFE)', 'FD, fd-pixel ((pixel value)²) ↓ lower is better'],
  );
});

test.run();
