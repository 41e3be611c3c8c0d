/** The files of `compare --out`: Markdown, JSON, CSV and one curve chart per headline value across the runs. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compareRuns, loadRun } from '../../src/analysis/compare.ts';
import { COMPARISON_COLUMNS, curveCharts, writeComparison } from '../../src/report/comparison.ts';
import { parseCsv } from '../../src/vbench/published.ts';
import { reportRun, scratch } from '../helpers/report-runs.ts';

test('writes comparison.md/.json/.csv and the curves of headline values, deterministically', async () => {
  const runs = [
    loadRun(await reportRun('a'), 'ckpt-1'),
    loadRun(await reportRun('cascade3', { cascadeSteps: 3 }), 'ckpt-2'),
    loadRun(await reportRun('cascade4', { cascadeSteps: 4 }), 'ckpt-3'),
  ];
  const c = compareRuns(runs, { resamples: 100, distanceResamples: 20, level: 0.95, seed: 0 });
  const names = new Map(runs[0].results.methods.map((m) => [m.id, m.name]));
  const out = scratch('comparison');
  const files = writeComparison(c, out, ['svg'], names);
  const curves = curveCharts(c, names).map((ch) => ch.name);
  // headline values that are not wall-clock measurements: FD and FD/floor, NFE and FLOPs, the VBench dimension
  assert.equal(curves, [
    'curve-fd-pixel-fd',
    'curve-fd-pixel-fdoverfloor',
    'curve-cost-nfe',
    'curve-cost-flopspersample',
    'curve-vbench-motion-smoothness-motion-smoothness',
  ]);
  assert.equal(files, [
    'charts/curve-cost-flopspersample.svg',
    'charts/curve-cost-nfe.svg',
    'charts/curve-fd-pixel-fd.svg',
    'charts/curve-fd-pixel-fdoverfloor.svg',
    'charts/curve-vbench-motion-smoothness-motion-smoothness.svg',
    'comparison.csv',
    'comparison.json',
    'comparison.md',
  ]);
  const rows = parseCsv(readFileSync(path.join(out, 'comparison.csv'), 'utf8'), 'csv');
  assert.equal(Object.keys(rows[0]), [...COMPARISON_COLUMNS]);
  assert.is(
    rows.length,
    c.comparisons.reduce((n, p) => n + p.values.length, 0),
  );
  const nfe = rows.find((r) => r.run === 'ckpt-3' && r.method === 'cascade' && r.key === 'nfe')!;
  assert.equal([nfe.baseline, nfe.a, nfe.b, nfe.difference, nfe.significant, nfe.verdict], ['ckpt-1', '6', '12', '6', 'true', 'worse']);
  assert.equal(
    JSON.parse(readFileSync(path.join(out, 'comparison.json'), 'utf8')).runs.map((r: { label: string }) => r.label),
    ['ckpt-1', 'ckpt-2', 'ckpt-3'],
  );
  const again = scratch('comparison');
  writeComparison(c, again, ['svg'], names);
  for (const f of files) assert.ok(readFileSync(path.join(out, f)).equals(readFileSync(path.join(again, f))), f);
  // the curve's x axis is the runs, in order
  const config = curveCharts(c, names)[0].config();
  const x = (config.options!.scales as Record<string, { ticks: { callback: (v: number) => string } }>).x;
  assert.equal(
    [0, 1, 2].map((i) => x.ticks.callback(i)),
    ['ckpt-1', 'ckpt-2', 'ckpt-3'],
  );
  // each method's points are offset within a run so that their whiskers do not overlap
  const lines = config.data.datasets as { label: string; data: { x: number }[] }[];
  assert.equal(
    lines.map((l) => l.label),
    ['pyramid [steps=2]', 'pyramid [steps=4]', 'cascade'],
  );
  assert.equal(
    lines.map((l) => l.data[0].x),
    [-0.15, 0, 0.15],
  );
});

test.run();
