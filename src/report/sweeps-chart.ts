/**
 * Charts of a suite's sweeps: for a numeric sweep (steps per stage, guidance scale), each quality measure
 * against the swept value, one line per method; for a sweep over checkpoints (or any non-numeric values), every
 * headline quality value across the sweep's values, one line per method.
 */
import type { MethodResult, Results } from '../suite/contract/results.ts';
import type { MethodPalette } from './palette.ts';
import type { ChartSpec } from './render.ts';
import { plotValue, qualityMeasures, sweepSeries, type PlotValue, type SweepSeries } from './values.ts';
import { curveChart } from './curves-chart.ts';
import { slugOf } from '../suite/contract/results.ts';

/** Axis titles of sweeps named as the shipped suites name them; other names are shown as they are. */
const SWEEP_TITLES: Readonly<Record<string, string>> = {
  steps: 'steps per stage',
  cfg: 'guidance scale',
  guidance: 'guidance scale',
  checkpoint: 'checkpoint',
};

/** A sweep value as a short label: a model reference by its last path part, other values as text. */
export function sweepLabel(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\/+$/, '').split(/[/:]/).pop() || value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Values of `read` for each series at each x position (by sweep value), null where the series has none. */
function aligned(series: readonly SweepSeries[], xs: readonly unknown[], read: (m: MethodResult) => PlotValue | null) {
  return series.map((s) => ({
    label: s.label,
    name: s.name,
    points: xs.map((x) => {
      const p = s.points.find((q) => JSON.stringify(q.value) === JSON.stringify(x));
      return p ? read(p.method) : null;
    }),
  }));
}

/** Sweep charts of the results, and the sweeps that gave none. */
export function sweepCharts(results: Results, palette: MethodPalette): { charts: ChartSpec[]; skipped: string[] } {
  const all = sweepSeries(results);
  const charts: ChartSpec[] = [];
  const skipped: string[] = [];
  if (all.length === 0)
    skipped.push(
      'sweeps: the suite sweeps no setting over two or more values (FD against steps per stage and checkpoint curves need a sweep)',
    );
  const subtitle = `${results.suite.name} v${results.suite.version}, ${results.methods[0]?.samples ?? 0} samples per method`;
  for (const sweep of [...new Set(all.map((s) => s.sweep))]) {
    const series = all.filter((s) => s.sweep === sweep);
    const numeric = series.every((s) => s.numeric && !s.models);
    const values: unknown[] = [];
    for (const s of series)
      for (const p of s.points) if (!values.some((v) => JSON.stringify(v) === JSON.stringify(p.value))) values.push(p.value);
    if (numeric) (values as number[]).sort((a, b) => a - b);
    const xTitle = SWEEP_TITLES[sweep] ?? sweep;
    const x = numeric ? (values as number[]) : values.map(sweepLabel);
    const measures = numeric
      ? qualityMeasures(results).map((q) => ({
          id: q.id,
          label: q.label,
          direction: q.direction as 'lower' | 'higher' | 'none',
          read: q.read,
        }))
      : headlineQuality(series);
    if (measures.length === 0) skipped.push(`sweep '${sweep}': no quality value to plot`);
    for (const q of measures) {
      const short = q.label.split(' (')[0];
      charts.push(
        curveChart(
          {
            name: `sweep-${slugOf(sweep)}-${q.id}`,
            title: `${short} against ${xTitle}`,
            subtitle,
            caption: `${short} of each method at each value of the sweep '${sweep}'; whiskers: 95% intervals (bootstrap, or ±1.96 standard errors)${numeric ? '; dashed: methods the sweep does not change' : ''}.`,
            xTitle: numeric ? xTitle : `${xTitle} (sweep '${sweep}')`,
            yTitle: q.label,
            direction: q.direction,
            x,
            lines: aligned(series, values, q.read),
            references: numeric ? unswept(results, sweep, q.read) : [],
          },
          palette,
        ),
      );
    }
  }
  return { charts, skipped };
}

/** Methods the sweep does not change, with their value (baselines, drawn as horizontal lines). */
function unswept(results: Results, sweep: string, read: (m: MethodResult) => PlotValue | null) {
  return results.methods
    .filter((m) => !(sweep in m.sweep))
    .flatMap((m) => {
      const value = read(m);
      return value ? [{ label: m.id, name: m.name, value }] : [];
    });
}

/** Headline values that measure quality (not cost, not wall-clock) of a sweep's methods. */
function headlineQuality(series: readonly SweepSeries[]) {
  const seen = new Map<
    string,
    { id: string; label: string; direction: 'lower' | 'higher' | 'none'; read: (m: MethodResult) => PlotValue | null }
  >();
  for (const s of series) {
    for (const { method } of s.points) {
      for (const [metric, r] of Object.entries(method.metrics)) {
        if (metric === 'cost') continue;
        for (const v of r.values) {
          if (!v.headline || v.measured || seen.has(`${metric}.${v.key}`)) continue;
          seen.set(`${metric}.${v.key}`, {
            id: slugOf(`${metric}-${v.key}`),
            label: `${v.key}, ${metric} (${v.unit})`,
            direction: v.direction,
            read: (m) => plotValue(m.metrics[metric]?.values.find((x) => x.key === v.key)),
          });
        }
      }
    }
  }
  return [...seen.values()];
}
