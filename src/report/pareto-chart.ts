/**
 * Quality against compute: for each quality measure (FD of each distance metric; VBench Quality/Total when
 * computed) and each compute axis (NFE, FLOPs and seconds per video), every method as a point with its 95%
 * interval, and the Pareto front (the methods no other method beats on both axes) as a dashed line.
 */
import type { ChartConfiguration } from 'chart.js';
import type { MethodResult, Results } from '../suite/contract/results.ts';
import { betterText, chartPlugins, errorBarsOf, extentOf, numericAxis, wantsLog } from './axes.ts';
import type { MethodPalette } from './palette.ts';
import type { ChartSpec } from './render.ts';
import { sweepLabel } from './sweeps-chart.ts';
import { metricKeyOf, plotValue, qualityMeasures, metricValueOf, type PlotValue, type QualityMeasure } from './values.ts';

/** A compute axis. */
interface ComputeAxis {
  readonly id: string;
  readonly title: (r: Results) => string;
  read(m: MethodResult, r: Results): PlotValue | null;
}

const COMPUTE: readonly ComputeAxis[] = [
  {
    id: 'nfe',
    title: () => 'network evaluations per video (NFE)',
    read: (m, r) => plotValue(metricValueOf(m, metricKeyOf(r, 'cost'), 'nfe')),
  },
  {
    id: 'flops',
    title: (r) =>
      `FLOPs per video (FLOP${r.methods.some((m) => m.costSource === 'notional') ? '; notional transformer for analytic models' : ''})`,
    read: (m, r) => plotValue(metricValueOf(m, metricKeyOf(r, 'cost'), 'flopsPerSample')),
  },
  {
    id: 'seconds',
    title: (r) => `generation time per video (s, ${r.device.name})`,
    read: (m, r) => plotValue(metricValueOf(m, metricKeyOf(r, 'throughput'), 'secondsPerVideo')),
  },
];

/** Indices of the points no other point beats: x lower-or-equal and y better-or-equal, one of them strictly. */
export function paretoFront(points: readonly { x: number; y: number }[], direction: 'lower' | 'higher'): number[] {
  const better = (a: number, b: number) => (direction === 'lower' ? a < b : a > b);
  const front = points
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => !points.some((q) => q.x <= p.x && (better(q.y, p.y) || q.y === p.y) && (q.x < p.x || better(q.y, p.y))))
    .map(({ i }) => i);
  return front.sort((a, b) => points[a].x - points[b].x || points[a].y - points[b].y);
}

/** Labels of a method's points: its variants' sweep values (e.g. the checkpoint's folder), none when it has one point. */
export function variantLabels(methods: readonly MethodResult[]): string[] | undefined {
  if (methods.length < 2) return undefined;
  return methods.map((m) =>
    Object.values(m.sweep)
      .map((v) => sweepLabel(v))
      .join(', '),
  );
}

function paretoChart(results: Results, palette: MethodPalette, quality: QualityMeasure, axis: ComputeAxis): ChartSpec | null {
  const rows = results.methods
    .map((m) => ({ m, x: axis.read(m, results), y: quality.read(m) }))
    .filter((r): r is { m: MethodResult; x: PlotValue; y: PlotValue } => r.x !== null && r.y !== null);
  if (rows.length === 0) return null;
  const names = [...new Set(rows.map((r) => r.m.name))];
  const xs = rows.map((r) => r.x.value);
  const front = paretoFront(
    rows.map((r) => ({ x: r.x.value, y: r.y.value })),
    quality.direction,
  );
  const title = `${quality.label.split(' (')[0]} against ${axis.id === 'nfe' ? 'NFE' : axis.id === 'flops' ? 'FLOPs' : 'seconds'} per video`;
  return {
    name: `pareto-${quality.id}-${axis.id}`,
    title,
    caption: `Each point is a method (swept variants share their method's colour and mark, and are labelled with their sweep values); whiskers: 95% intervals (bootstrap, or ±1.96 standard errors). Dashed: the Pareto front, the methods that no other method beats on both quality and ${axis.id === 'nfe' ? 'NFE' : axis.id === 'flops' ? 'FLOPs' : 'time'}.`,
    config(): ChartConfiguration {
      const datasets = names.map((name) => {
        const mine = rows.filter((r) => r.m.name === name);
        return {
          type: 'scatter' as const,
          label: name,
          data: mine.map((r) => ({ x: r.x.value, y: r.y.value })),
          borderColor: palette.colour(name),
          backgroundColor: palette.colour(name),
          pointStyle: palette.pointStyle(name),
          pointRadius: 6,
        };
      });
      const bars = names.flatMap((name, d) =>
        errorBarsOf(
          d,
          rows.filter((r) => r.m.name === name).map((r) => ({ y: r.y, x: r.x })),
        ),
      );
      const frontData = front.map((i) => ({ x: rows[i].x.value, y: rows[i].y.value }));
      return {
        type: 'scatter',
        data: {
          datasets: [
            ...datasets,
            {
              type: 'line' as const,
              label: 'Pareto front',
              data: frontData,
              borderColor: '#555555',
              backgroundColor: '#555555',
              borderDash: [6, 4],
              borderWidth: 1.5,
              pointRadius: 0,
              pointStyle: 'line' as const,
              stepped: 'before' as const,
              fill: false,
            },
          ],
        },
        options: {
          layout: { padding: 8 },
          scales: {
            x: numericAxis(axis.title(results), { log: wantsLog(xs), extent: extentOf(rows.map((r) => r.x)), nonNegative: true }),
            y: numericAxis(`${quality.label}${betterText(quality.direction)}`, {
              extent: extentOf(rows.map((r) => r.y)),
              nonNegative: rows.every((r) => r.y.value >= 0),
            }),
          },
          plugins: {
            ...chartPlugins(
              title,
              `${results.suite.name} v${results.suite.version}, ${results.methods[0]?.samples ?? 0} samples per method`,
              bars,
            ),
            pointLabels: { labels: names.map((name) => variantLabels(rows.filter((r) => r.m.name === name).map((r) => r.m))) },
          },
        },
      } as ChartConfiguration;
    },
  };
}

/** Pareto charts of every quality measure against NFE, FLOPs and seconds per video; and what could not be drawn. */
export function paretoCharts(results: Results, palette: MethodPalette): { charts: ChartSpec[]; skipped: string[] } {
  const measures = qualityMeasures(results);
  const charts: ChartSpec[] = [];
  const skipped: string[] = [];
  if (measures.length === 0)
    skipped.push(
      'quality against compute: no quality measure (a distance metric with `fd`, or every VBench quality dimension) in these results',
    );
  for (const q of measures) {
    for (const axis of COMPUTE) {
      const chart = paretoChart(results, palette, q, axis);
      if (chart) charts.push(chart);
      else
        skipped.push(
          `${q.label} against ${axis.id}: no method has both values (the ${axis.id === 'seconds' ? 'throughput' : 'cost'} metric is needed)`,
        );
    }
  }
  return { charts, skipped };
}
