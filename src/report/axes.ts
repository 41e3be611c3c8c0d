/**
 * Shared pieces of the report's chart configurations: titled axes (every axis says its quantity and unit),
 * readable tick labels on logarithmic axes (powers of ten as 10^k), the title and legend, and the error bars of a
 * set of plotted points.
 */
import type { ChartOptions, ScaleOptionsByType } from 'chart.js';
import type { ErrorBar } from './plugins.ts';
import { powerOfTen, timesTen } from './table.ts';
import type { PlotValue } from './values.ts';

/**
 * A tick number: on log axes 1, 2 and 5 times powers of ten (10^k as "10ᵏ" beyond 1e-2..1e3; other ticks
 * unlabelled), otherwise up to 4 significant digits (exponent form when extreme).
 */
export function tickLabel(v: number, log: boolean): string {
  if (log) {
    const e = Math.floor(Math.log10(v) + 1e-9);
    const mantissa = v / 10 ** e;
    const m = [1, 2, 5].find((x) => Math.abs(mantissa - x) < 1e-6);
    if (m === undefined) return '';
    if (e >= -2 && e <= 3) return String(Number((m * 10 ** e).toPrecision(6)));
    return `${m === 1 ? '' : `${m}×`}${powerOfTen(e)}`;
  }
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(4)));
}

type Linear = ScaleOptionsByType<'linear'>;

/** Axis text as typeset: "^2" becomes a superscript two. */
export function axisText(text: string): string {
  return text.replace(/\^2/g, '²');
}

/**
 * A numeric axis with a title; logarithmic when `log`. `extent` (values and interval ends to show) widens the
 * range to whole whiskers; when every value is >= 0 (`nonNegative`) the range stops at 0 rather than showing
 * the negative end of a normal-approximation interval.
 */
export function numericAxis(
  title: string,
  options: { log?: boolean; extent?: readonly number[]; nonNegative?: boolean; beginAtZero?: boolean; min?: number; max?: number } = {},
): Partial<Linear> {
  const log = options.log === true;
  const extent = (options.extent ?? []).filter((v) => Number.isFinite(v) && (!log || v > 0));
  const low = extent.length ? Math.min(...extent) : undefined;
  const high = extent.length ? Math.max(...extent) : undefined;
  const clamp = options.nonNegative === true && low !== undefined && low < 0;
  // large numbers on a linear axis: ticks in units of 10^(3k), said in the title
  const largest = extent.length ? Math.max(...extent.map(Math.abs)) : 0;
  const power = !log && largest >= 1e4 ? 3 * Math.floor(Math.log10(largest) / 3) : 0;
  const unit = 10 ** power;
  const titled = power ? `${title} ${timesTen(power)}` : title;
  return {
    type: log ? ('logarithmic' as 'linear') : 'linear',
    title: { display: true, text: axisText(titled), font: { size: 13, weight: 'bold' } },
    ...(clamp ? { min: 0 } : low !== undefined ? { suggestedMin: low } : {}),
    ...(high !== undefined ? { suggestedMax: high } : {}),
    ...(options.beginAtZero !== undefined ? { beginAtZero: options.beginAtZero } : {}),
    ...(options.min !== undefined ? { min: options.min } : {}),
    ...(options.max !== undefined ? { max: options.max } : {}),
    ...(log || options.min !== undefined || options.max !== undefined ? {} : { grace: '6%' }),
    ticks: { callback: (value: number | string) => tickLabel(Number(value) / unit, log) },
  } as unknown as Partial<Linear>;
}

/** Values and whisker ends of plotted values, for `numericAxis`'s extent. */
export function extentOf(values: readonly (PlotValue | null)[]): number[] {
  return values.flatMap((v) => (v ? [v.value, ...(v.low !== null ? [v.low] : []), ...(v.high !== null ? [v.high] : [])] : []));
}

/** A category axis with a title. */
export function categoryAxis(title: string) {
  return {
    type: 'category' as const,
    offset: true,
    title: { display: true, text: title, font: { size: 13, weight: 'bold' as const } },
    ticks: { autoSkip: false, maxRotation: 30 },
  };
}

/**
 * A category axis drawn as a linear one: category i sits at x = i, with a tick labelled by its name, so that
 * several series can be offset within a category (`groupOffset`) and their whiskers do not overlap.
 */
export function groupedCategoryAxis(title: string, labels: readonly string[]) {
  return {
    type: 'linear' as const,
    min: -0.5,
    max: labels.length - 0.5,
    grid: { display: false },
    title: { display: true, text: axisText(title), font: { size: 13, weight: 'bold' as const } },
    // one tick per category, at its centre
    afterBuildTicks: (axis: { ticks: { value: number }[] }) => {
      axis.ticks = labels.map((_, i) => ({ value: i }));
    },
    ticks: { autoSkip: false, callback: (v: number | string) => labels[Number(v)] ?? '' },
  };
}

/** The x offset of series `i` of `k` within a category of `groupedCategoryAxis`: spread over at most ±0.35. */
export function groupOffset(i: number, k: number): number {
  const spacing = Math.min(0.15, 0.7 / Math.max(1, k - 1));
  return (i - (k - 1) / 2) * spacing;
}

/** Title, subtitle and legend of a chart. */
export function chartPlugins(
  title: string,
  subtitle: string,
  bars: readonly ErrorBar[],
  legend = true,
): NonNullable<ChartOptions['plugins']> {
  return {
    title: { display: true, text: title, font: { size: 16, weight: 'bold' }, padding: { top: 4, bottom: 2 } },
    subtitle: { display: subtitle.length > 0, text: subtitle, font: { size: 12 }, padding: { bottom: 8 } },
    legend: { display: legend, position: 'bottom', labels: { usePointStyle: true, boxWidth: 10, font: { size: 12 } } },
    errorBars: { bars },
    reportBackground: {},
  } as NonNullable<ChartOptions['plugins']>;
}

/** Error bars of points (dataset, index, y interval and optionally x interval), skipping points with none. */
export function errorBarsOf(datasetIndex: number, points: readonly ({ y: PlotValue; x?: PlotValue } | null)[]): ErrorBar[] {
  const bars: ErrorBar[] = [];
  points.forEach((p, index) => {
    if (!p) return;
    const y = p.y.low !== null && p.y.high !== null ? { yLow: p.y.low, yHigh: p.y.high } : {};
    const x = p.x && p.x.low !== null && p.x.high !== null ? { xLow: p.x.low, xHigh: p.x.high } : {};
    if (Object.keys(y).length || Object.keys(x).length) bars.push({ datasetIndex, index, ...y, ...x });
  });
  return bars;
}

/** Whether values spread over enough orders of magnitude (max/min >= `ratio`, all positive) for a log axis. */
export function wantsLog(values: readonly number[], ratio = 20): boolean {
  const pos = values.filter((v) => v > 0);
  return pos.length === values.length && pos.length > 1 && Math.max(...pos) / Math.min(...pos) >= ratio;
}

/** The short text of "lower/higher is better" for an axis title. */
export function betterText(direction: 'lower' | 'higher' | 'none'): string {
  return direction === 'lower' ? ' ↓ lower is better' : direction === 'higher' ? ' ↑ higher is better' : '';
}
