/**
 * A readable summary of results (results.md and the run command's output): for each metric, a table with one
 * row per method and one column per value, each as "value ± stderr (n)" or "value [low, high] (n)", with the
 * unit and which direction is better in the header.
 */
import type { MetricValue } from '../suite/contract/plugin.ts';
import type { Results } from '../suite/contract/results.ts';
import { normalQuantile } from '../core/statistics.ts';
import { markdownCell as cell, markdownText as text } from '../core/markdown-escape.ts';

/** A number in 4 significant digits (exponent form when very large or small). */
export function formatNumber(v: number | null): string {
  if (v === null) return 'n/a';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e6 || a < 1e-3 ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}

/** A value with its uncertainty, followed by "(invalid: rule)" when it misses its validity rule. */
export function formatValue(v: MetricValue): string {
  const u = v.uncertainty;
  const base = formatNumber(v.value);
  if (v.value === null) return v.note ? `n/a (${v.note})` : 'n/a';
  const mark = v.validity && !v.validity.valid ? ` (invalid: ${v.validity.rule})` : '';
  switch (u.kind) {
    case 'stderr':
      return `${base} ± ${formatNumber(u.stderr)} (n=${u.n})${mark}`;
    case 'interval':
      return `${base} [${formatNumber(u.low)}, ${formatNumber(u.high)}] (n=${u.n})${mark}`;
    default:
      return base + mark;
  }
}

/**
 * A value's interval at coverage `level` (same unit as the value): an `interval` uncertainty as reported (its own
 * level), a standard error as value ± z(level) stderr (normal approximation); null for exact values, values with
 * no uncertainty and missing values.
 */
export function valueInterval(v: MetricValue, level = 0.95): { low: number; high: number; level: number } | null {
  if (v.value === null) return null;
  const u = v.uncertainty;
  if (u.kind === 'interval') return { low: u.low, high: u.high, level: u.level };
  if (u.kind === 'stderr') {
    const half = normalQuantile(0.5 + level / 2) * u.stderr;
    return { low: v.value - half, high: v.value + half, level };
  }
  return null;
}

const arrow = { lower: '↓', higher: '↑', none: '' } as const;

/** Markdown summary of results. */
export function resultsMarkdown(results: Results): string {
  const lines = [
    `# ${text(`${results.suite.name} v${results.suite.version}`)}`,
    '',
    text(results.suite.description),
    '',
    text(
      `Harness ${results.harness.version}; ${results.partial ? `PARTIAL: shards ${results.shards.included.join(', ')} of ${results.shards.count}` : 'all shards'}; device: ${results.device.name}.`,
    ),
    `Uncertainty: ± standard error, or [interval] at the stated level; n = observations (chunk groups, repeats). ↓ lower is better, ↑ higher is better.`,
  ];
  const invalid = results.methods.some((m) => Object.values(m.metrics).some((r) => r.values.some((v) => v.validity?.valid === false)));
  if (invalid)
    lines.push(
      'A value marked (invalid: rule) is a measurement that misses its validity rule (a minimum count and duration of the timed phase, enough observations for a percentile; docs/results.md, "Validity"): its number is shown, not vouched for.',
    );
  const metricNames = [...new Set(results.methods.flatMap((m) => Object.keys(m.metrics)))];
  for (const metric of metricNames) {
    const keys: MetricValue[] = [];
    for (const m of results.methods) for (const v of m.metrics[metric]?.values ?? []) if (!keys.some((k) => k.key === v.key)) keys.push(v);
    lines.push(
      '',
      `## ${text(metric)}`,
      '',
      `| method | samples | ${keys.map((k) => cell(`${k.key} (${k.unit}) ${arrow[k.direction]}`)).join(' | ')} |`,
      `|---|---|${keys.map(() => '---|').join('')}`,
    );
    for (const m of results.methods) {
      const error = m.metrics[metric]?.error;
      if (error) {
        lines.push(`| ${cell(m.id)} | ${m.samples} | ${cell(`not computed: ${error}`)} |`);
        continue;
      }
      const values = m.metrics[metric]?.values ?? [];
      lines.push(
        `| ${cell(m.id)} | ${m.samples} | ${keys
          .map((k) => {
            const v = values.find((x) => x.key === k.key);
            return v ? cell(formatValue(v)) : '';
          })
          .join(' | ')} |`,
      );
    }
  }
  return lines.join('\n');
}

/** The headline values of every method in one table (the run command's summary); the full tables are in results.md. */
export function headlineMarkdown(results: Results): string {
  const columns: { metric: string; value: MetricValue }[] = [];
  for (const m of results.methods) {
    for (const [metric, r] of Object.entries(m.metrics)) {
      for (const v of r.values)
        if (v.headline && !columns.some((c) => c.metric === metric && c.value.key === v.key)) columns.push({ metric, value: v });
    }
  }
  const lines = [
    // a value key that two metrics share (the same metric used twice) is prefixed with its metric
    `| method | ${columns.map((c) => cell(`${columns.filter((o) => o.value.key === c.value.key).length > 1 ? `${c.metric}.` : ''}${c.value.key} (${c.value.unit}) ${arrow[c.value.direction]}`)).join(' | ')} |`,
    `|---|${columns.map(() => '---|').join('')}`,
    ...results.methods.map(
      (m) =>
        `| ${cell(m.id)} | ${columns
          .map((c) => {
            const v = m.metrics[c.metric]?.values.find((x) => x.key === c.value.key);
            return v ? cell(formatValue(v)) : '';
          })
          .join(' | ')} |`,
    ),
  ];
  return lines.join('\n');
}
