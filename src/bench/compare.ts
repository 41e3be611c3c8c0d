/**
 * Comparing two results folders: refused when their locked settings differ (naming each difference); otherwise
 * the values of the methods both have, side by side, with the difference and whether it is within the combined
 * uncertainty.
 */
import { assertComparable, type Results } from './results.ts';
import type { MetricValue } from './metrics/plugin.ts';
import { formatNumber, formatValue } from './summary.ts';

/** One value of one method in both results. */
export interface ComparedValue {
  readonly method: string;
  readonly key: string;
  readonly unit: string;
  readonly direction: MetricValue['direction'];
  readonly a: MetricValue;
  readonly b: MetricValue;
  /** b - a, or null when either is missing. */
  readonly difference: number | null;
  /** |b - a| <= 2 sqrt(se_a^2 + se_b^2) when both have a standard error; null when that cannot be said. */
  readonly withinTwoStderr: boolean | null;
}

/** Values of the methods present in both results, and the method ids present in only one. */
export function compareResults(a: Results, b: Results, names: [string, string]): { values: ComparedValue[]; onlyA: string[]; onlyB: string[] } {
  assertComparable(a, b, 'compare', names);
  const values: ComparedValue[] = [];
  for (const ma of a.methods) {
    const mb = b.methods.find((m) => m.id === ma.id);
    if (!mb) continue;
    for (const [metric, ra] of Object.entries(ma.metrics)) {
      for (const va of ra.values) {
        const vb = mb.metrics[metric]?.values.find((v) => v.key === va.key);
        if (!vb) continue;
        const difference = va.value !== null && vb.value !== null ? vb.value - va.value : null;
        const within =
          difference !== null && va.uncertainty.kind === 'stderr' && vb.uncertainty.kind === 'stderr'
            ? Math.abs(difference) <= 2 * Math.hypot(va.uncertainty.stderr, vb.uncertainty.stderr)
            : null;
        values.push({ method: ma.id, key: `${metric}.${va.key}`, unit: va.unit, direction: va.direction, a: va, b: vb, difference, withinTwoStderr: within });
      }
    }
  }
  return {
    values,
    onlyA: a.methods.filter((m) => !b.methods.some((x) => x.id === m.id)).map((m) => m.id),
    onlyB: b.methods.filter((m) => !a.methods.some((x) => x.id === m.id)).map((m) => m.id),
  };
}

/** The comparison as a Markdown table. */
export function comparisonMarkdown(c: ReturnType<typeof compareResults>, names: [string, string]): string {
  const lines = [`| method | value | unit | ${names[0]} | ${names[1]} | difference | within 2 stderr |`, '|---|---|---|---|---|---|---|'];
  for (const v of c.values) {
    lines.push(`| ${v.method} | ${v.key} | ${v.unit} | ${formatValue(v.a)} | ${formatValue(v.b)} | ${formatNumber(v.difference)} | ${v.withinTwoStderr === null ? '' : v.withinTwoStderr ? 'yes' : 'no'} |`);
  }
  if (c.onlyA.length) lines.push('', `only in ${names[0]}: ${c.onlyA.join(', ')}`);
  if (c.onlyB.length) lines.push('', `only in ${names[1]}: ${c.onlyB.join(', ')}`);
  return lines.join('\n') + '\n';
}
