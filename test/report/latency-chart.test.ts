import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Results } from '../../src/suite/contract/results.ts';
import { ecdfPoints, latencyCharts } from '../../src/report/latency-chart.ts';
import { MethodPalette } from '../../src/report/palette.ts';

test('the empirical CDF steps up by 1/n at each sorted value, from 0 at the smallest', () => {
  assert.equal(ecdfPoints([30, 10, 20, 20]), [
    { x: 10, y: 0 },
    { x: 10, y: 0.25 },
    { x: 20, y: 0.5 },
    { x: 20, y: 0.75 },
    { x: 30, y: 1 },
  ]);
  assert.equal(ecdfPoints([]), []);
});

test('one line per method with a timed phase; none without one', () => {
  const results = { suite: { name: 's', version: 1 }, device: { name: 'cpu' } } as unknown as Results;
  const palette = new MethodPalette(['a', 'b']);
  const { charts } = latencyCharts(
    results,
    [
      { id: 'a [x=1]', name: 'a', ms: [3, 1, 2], batch: 1, frames: 9 },
      { id: 'b', name: 'b', ms: [5], batch: 1, frames: 9 },
    ],
    palette,
  );
  const datasets = charts[0].config().data.datasets as { label: string; borderColor: string }[];
  assert.equal(
    datasets.map((d) => [d.label, d.borderColor]),
    [
      ['a [x=1] (n=3)', palette.colour('a')],
      ['b (n=1)', palette.colour('b')],
    ],
  );
  assert.match(charts[0].caption, /one generation of 1 video of 9 frames/);
  assert.match(latencyCharts(results, [], palette).skipped[0], /no timed phase/);
});

test.run();
