/**
 * What the report's charts and tables read from results: a method's value by metric and key, the quality
 * measures a Pareto chart can use (every distance's `fd`, and VBench's Quality or Total score when all their
 * dimensions were computed), and the sweeps of a suite as series of methods.
 */
import type { MetricValue } from '../suite/contract/plugin.ts';
import type { MethodResult, Results } from '../suite/contract/results.ts';
import { valueInterval } from '../analysis/summary.ts';
import { aggregate } from '../vbench/aggregate.ts';
import { DIMENSIONS, QUALITY_IDS, type DimensionId } from '../vbench/dimensions.ts';
import { slugOf } from '../suite/contract/results.ts';

/** The results key of the suite's first metric of plugin `name` (its `id` when the suite gives one; else `name`). */
export function metricKeyOf(results: Results, name: string): string {
  const entry = results.locked.metrics.find((m) => m.name === name);
  return entry ? (entry.id ?? entry.name) : name;
}

/** The plugin name behind a results key (`key` itself when the suite does not list it). */
export function metricNameOf(results: Results, key: string): string {
  return results.locked.metrics.find((m) => (m.id ?? m.name) === key)?.name ?? key;
}

/** The value `key` of `metric` for a method, or undefined. */
export function metricValueOf(m: MethodResult, metric: string, key: string): MetricValue | undefined {
  return m.metrics[metric]?.values.find((v) => v.key === key);
}

/** A plotted number with its 95% interval (null when the value has none) and where it came from. */
export interface PlotValue {
  readonly value: number;
  readonly low: number | null;
  readonly high: number | null;
}

/** A value as a plotted number with its interval, or null when the value is missing. */
export function plotValue(v: MetricValue | undefined): PlotValue | null {
  if (!v || v.value === null || !Number.isFinite(v.value)) return null;
  const i = valueInterval(v, 0.95);
  return { value: v.value, low: i?.low ?? null, high: i?.high ?? null };
}

/** A quality measure: how to read it from a method, and how to label it. */
export interface QualityMeasure {
  /** File-name form, e.g. "fd-pixel-fd" or "vbench-quality". */
  readonly id: string;
  /** Axis title with unit, e.g. "FD, fd-pixel ((pixel value)^2)". */
  readonly label: string;
  readonly direction: 'lower' | 'higher';
  read(m: MethodResult): PlotValue | null;
}

/** VBench dimension scores of a method (the `vbench/<dimension>` metrics with a value). */
export function vbenchScores(m: MethodResult): Partial<Record<DimensionId, number>> {
  const out: Partial<Record<DimensionId, number>> = {};
  for (const d of DIMENSIONS) {
    const v = metricValueOf(m, `vbench/${d.id}`, d.id)?.value;
    if (v !== null && v !== undefined) out[d.id] = v;
  }
  return out;
}

/**
 * VBench's Quality score (its 7 quality dimensions, normalised and weighted as the leaderboard does) when all 7
 * were computed, and the Total when all 16 were; null otherwise (a partial aggregate would not be VBench's).
 */
export function vbenchAggregate(m: MethodResult, which: 'quality' | 'total'): number | null {
  const scores = vbenchScores(m);
  const quality = QUALITY_IDS.every((id) => scores[id] !== undefined);
  if (!quality || (which === 'total' && DIMENSIONS.some((d) => scores[d.id] === undefined))) return null;
  // with every dimension of the group present, the leaderboard's aggregate of that group is exact
  const a = aggregate(scores, 'zero');
  return which === 'quality' ? a.quality : a.total;
}

/** The quality measures these results allow, in metric order: each metric's `fd`, then VBench Quality and Total. */
export function qualityMeasures(results: Results): QualityMeasure[] {
  const out: QualityMeasure[] = [];
  const metrics = [...new Set(results.methods.flatMap((m) => Object.keys(m.metrics)))];
  for (const metric of metrics) {
    const sample = results.methods.map((m) => metricValueOf(m, metric, 'fd')).find((v) => v !== undefined);
    if (!sample || sample.direction === 'none') continue;
    out.push({
      id: slugOf(`${metric}-fd`),
      label: `FD, ${metric} (${sample.unit})`,
      direction: sample.direction,
      read: (m) => plotValue(metricValueOf(m, metric, 'fd')),
    });
  }
  for (const which of ['quality', 'total'] as const) {
    if (!results.methods.some((m) => vbenchAggregate(m, which) !== null)) continue;
    out.push({
      id: `vbench-${which}`,
      label: `VBench ${which === 'quality' ? 'Quality' : 'Total'} score (0-1, leaderboard normalisation)`,
      direction: 'higher',
      read: (m) => {
        const v = vbenchAggregate(m, which);
        return v === null ? null : { value: v, low: null, high: null };
      },
    });
  }
  return out;
}

/** Methods that differ only in one sweep's value, in the order of its values. */
export interface SweepSeries {
  readonly sweep: string;
  /** The method name, with the other sweeps' values when there are several, e.g. "pyramid [cfg=3]". */
  readonly label: string;
  /** The suite method's name (for its colour). */
  readonly name: string;
  readonly points: readonly { readonly value: unknown; readonly method: MethodResult }[];
  /** Every sweep value is a number. */
  readonly numeric: boolean;
  /** The methods differ in their model (a checkpoint sweep). */
  readonly models: boolean;
}

/** The series of each sweep with at least two values, grouped by method name and the other sweeps' values. */
export function sweepSeries(results: Results): SweepSeries[] {
  const sweeps = [...new Set(results.methods.flatMap((m) => Object.keys(m.sweep)))];
  const out: SweepSeries[] = [];
  for (const sweep of sweeps) {
    const groups = new Map<string, { name: string; label: string; points: { value: unknown; method: MethodResult }[] }>();
    for (const m of results.methods) {
      if (!(sweep in m.sweep)) continue;
      const others = Object.entries(m.sweep).filter(([k]) => k !== sweep);
      const label = others.length ? `${m.name} [${others.map(([k, v]) => `${k}=${String(v)}`).join(', ')}]` : m.name;
      const g = groups.get(label) ?? { name: m.name, label, points: [] };
      g.points.push({ value: m.sweep[sweep], method: m });
      groups.set(label, g);
    }
    for (const g of groups.values()) {
      if (g.points.length < 2) continue;
      const numeric = g.points.every((p) => typeof p.value === 'number');
      const points = numeric ? [...g.points].sort((a, b) => (a.value as number) - (b.value as number)) : g.points;
      out.push({ sweep, label: g.label, name: g.name, points, numeric, models: new Set(points.map((p) => p.method.model)).size > 1 });
    }
  }
  return out;
}
