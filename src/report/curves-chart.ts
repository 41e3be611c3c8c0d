/**
 * Metric curves: one line per method over a sequence (numeric sweep values such as steps per stage, or
 * categories such as checkpoints or runs), each point with its 95% interval. Used for FD against steps per
 * stage, for metrics across a checkpoint sweep, and by `compare` for metrics across runs.
 */
import type { ChartConfiguration } from 'chart.js';
import { betterText, chartPlugins, errorBarsOf, extentOf, groupedCategoryAxis, groupOffset, numericAxis, wantsLog } from './axes.ts';
import type { MethodPalette } from './palette.ts';
import type { ChartSpec } from './render.ts';
import type { PlotValue } from './values.ts';

/** One line: a label, the method name that picks its colour, and a value per x position (null: missing). */
export interface CurveLine {
  readonly label: string;
  readonly name: string;
  readonly points: readonly (PlotValue | null)[];
}

/** What a curve chart shows. */
export interface CurveInput {
  readonly name: string;
  readonly title: string;
  readonly subtitle: string;
  readonly caption: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly direction: 'lower' | 'higher' | 'none';
  /** Numeric x positions (a numeric sweep) or category labels. */
  readonly x: readonly number[] | readonly string[];
  readonly lines: readonly CurveLine[];
  /** Methods outside the sequence (e.g. baselines a sweep does not change), drawn as dashed horizontal lines. */
  readonly references?: readonly { readonly label: string; readonly name: string; readonly value: PlotValue }[];
}

/** A chart of lines over numeric or categorical x positions, with whiskers. */
export function curveChart(input: CurveInput, palette: MethodPalette): ChartSpec {
  const numeric = input.x.every((v) => typeof v === 'number');
  const xs = input.x as readonly (number | string)[];
  const nonNegative = input.lines.every((l) => l.points.every((p) => p === null || p.value >= 0));
  return {
    name: input.name,
    title: input.title,
    caption: input.caption,
    config(): ChartConfiguration {
      // categories (runs, checkpoints) sit at 0, 1, 2, ... with each line offset so that whiskers do not overlap
      const at = (i: number, line: number) => (numeric ? (xs[i] as number) : i + groupOffset(line, input.lines.length));
      const datasets = input.lines.map((l, d) => ({
        label: l.label,
        data: l.points.flatMap((p, i) => (p ? [{ x: at(i, d), y: p.value }] : [])),
        borderColor: palette.colour(l.name),
        backgroundColor: palette.colour(l.name),
        pointStyle: palette.pointStyle(l.name),
        pointRadius: 5,
        borderWidth: 2,
        showLine: true,
      }));
      const bars = input.lines.flatMap((l, d) =>
        errorBarsOf(
          d,
          l.points.filter((p) => p !== null).map((p) => ({ y: p! })),
        ),
      );
      const ends = numeric ? [Math.min(...(xs as number[])), Math.max(...(xs as number[]))] : [-0.4, xs.length - 0.6];
      const references = (input.references ?? []).map((r) => ({
        label: `${r.label} (not swept)`,
        data: ends.map((x) => ({ x, y: r.value.value })),
        borderColor: palette.colour(r.name),
        backgroundColor: palette.colour(r.name),
        borderDash: [6, 4],
        borderWidth: 1.5,
        pointRadius: 0,
        pointStyle: 'line' as const,
        showLine: true,
      }));
      const extent = extentOf([
        ...input.lines.flatMap((l) => l.points),
        ...(input.references ?? []).map((r) => ({ ...r.value, low: null, high: null })),
      ]);
      const xAxis = numeric
        ? {
            ...numericAxis(input.xTitle, { log: wantsLog(xs as number[], 8) }),
            // ticks at the sweep's values only
            afterBuildTicks: (axis: { ticks: { value: number }[] }) => {
              axis.ticks = (xs as number[]).map((value) => ({ value }));
            },
          }
        : groupedCategoryAxis(input.xTitle, xs as string[]);
      return {
        type: 'scatter',
        data: { datasets: [...datasets, ...references] },
        options: {
          layout: { padding: 8 },
          scales: {
            x: xAxis,
            y: numericAxis(`${input.yTitle}${betterText(input.direction)}`, { extent, nonNegative }),
          },
          plugins: chartPlugins(input.title, input.subtitle, bars),
        },
      } as ChartConfiguration;
    },
  };
}
