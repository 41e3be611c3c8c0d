/**
 * The files of `compare --out <dir>`: `comparison.md` (each run against the baseline), `comparison.json`
 * (the whole comparison), `comparison.csv` (one row per run, method and value: both values, the difference, its
 * interval, significance and how it was made) and `charts/curve-<metric>-<key>.<format>`: each headline value
 * across the runs (checkpoints, in the order given), one line per method with its 95% intervals.
 */
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { comparisonMarkdown, type Comparison } from '../analysis/compare.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { insideFolder } from '../io/safe-path.ts';
import { curveChart } from './curves-chart.ts';
import { MethodPalette } from './palette.ts';
import { headerOf } from './table.ts';
import type { ChartFormat } from './formats.ts';
import { renderChart, type ChartSpec } from './render.ts';
import { slugOf } from '../suite/contract/results.ts';

/** Columns of `comparison.csv`. */
export const COMPARISON_COLUMNS = [
  'baseline',
  'run',
  'method',
  'metric',
  'key',
  'unit',
  'direction',
  'a',
  'b',
  'difference',
  'relative',
  'low',
  'high',
  'level',
  'significant',
  'verdict',
  'n',
  'basis',
] as const;

/** The comparison as CSV rows. */
export function comparisonCsv(c: Comparison): string {
  const rows = c.comparisons.flatMap((p) =>
    p.values.map((d) => ({
      baseline: p.a,
      run: p.b,
      method: d.method,
      metric: d.metric,
      key: d.key,
      unit: d.unit,
      direction: d.direction,
      a: d.a ?? '',
      b: d.b ?? '',
      difference: d.difference ?? '',
      relative: d.relative ?? '',
      low: d.interval?.low ?? '',
      high: d.interval?.high ?? '',
      level: d.interval?.level ?? '',
      significant: d.significant ?? '',
      verdict: d.verdict,
      n: d.n ?? '',
      basis: d.basis,
    })),
  );
  return stringify(rows, { header: true, columns: [...COMPARISON_COLUMNS], cast: { boolean: (b) => String(b) } });
}

/**
 * One chart per headline value: its curve across the runs for every method. `methodNames` maps method ids to
 * the suite's method names (for colours); measured values are left out unless `measured`.
 */
export function curveCharts(c: Comparison, methodNames: ReadonlyMap<string, string>, measured = false): ChartSpec[] {
  const palette = new MethodPalette([...methodNames.values()]);
  const labels = c.runs.map((r) => r.label);
  const keys = [...new Set(c.series.filter((s) => s.headline && (measured || !s.measured)).map((s) => `${s.metric}\0${s.key}`))];
  return keys.map((k) => {
    const [metric, key] = k.split('\0');
    const series = c.series.filter((s) => s.metric === metric && s.key === key);
    const first = series[0];
    return curveChart(
      {
        name: `curve-${slugOf(metric)}-${slugOf(key)}`,
        title: `${headerOf(metric, key)} across runs`,
        subtitle: `${metric}; baseline ${labels[0]}`,
        caption: `${metric}.${key} of each method in each run (in the order given, e.g. successive checkpoints); whiskers: each run's own 95% interval (bootstrap, or ±1.96 standard errors).`,
        xTitle: 'run',
        yTitle: `${headerOf(metric, key)} (${first.unit})`,
        direction: first.direction,
        x: labels,
        lines: series.map((s) => ({
          label: s.method,
          name: methodNames.get(s.method) ?? s.method,
          points: labels.map((l) => {
            const p = s.points.find((q) => q.run === l);
            return p && p.value !== null ? { value: p.value, low: p.low, high: p.high } : null;
          }),
        })),
      },
      palette,
    );
  });
}

/** Writes the comparison's files under `out`; returns their paths relative to `out`, sorted. */
export function writeComparison(
  c: Comparison,
  out: string,
  formats: readonly ChartFormat[],
  methodNames: ReadonlyMap<string, string>,
): string[] {
  const files: string[] = [];
  const write = (rel: string, data: string | Uint8Array) => {
    writeFileAtomic(insideFolder(out, [rel], `comparison file '${rel}'`), data);
    files.push(rel);
  };
  write('comparison.md', comparisonMarkdown(c));
  write('comparison.json', `${JSON.stringify(c, null, 2)}\n`);
  write('comparison.csv', comparisonCsv(c));
  for (const chart of curveCharts(c, methodNames))
    for (const f of formats) write(path.join('charts', `${chart.name}.${f}`), renderChart(chart, f));
  return files.sort();
}
