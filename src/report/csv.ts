/**
 * The results as CSV (csv-stringify, RFC 4180 quoting): `summary.csv` with one row per method and value (value,
 * unit, direction, every field of its uncertainty, whether it is a wall-clock measurement), and `samples.csv`
 * with every method's per-sample rows (index, condition, seed, store key, cost, generation seconds).
 */
import { stringify } from 'csv-stringify/sync';
import type { Results } from '../suite/contract/results.ts';
import type { SampleRow } from '../suite/contract/sample-rows.ts';

/** Columns of `summary.csv`, in order. */
export const SUMMARY_COLUMNS = [
  'method',
  'method_name',
  'metric',
  'key',
  'value',
  'unit',
  'direction',
  'uncertainty',
  'stderr',
  'low',
  'high',
  'level',
  'n',
  'uncertainty_method',
  'measured',
  'headline',
  'label',
  'note',
  'validity',
] as const;

/** `summary.csv`: one row per method and value; empty fields where a value or uncertainty has none. */
export function summaryCsv(results: Results): string {
  const rows: Record<(typeof SUMMARY_COLUMNS)[number], string | number | boolean>[] = [];
  for (const m of results.methods) {
    for (const [metric, r] of Object.entries(m.metrics)) {
      for (const v of r.values) {
        const u = v.uncertainty;
        rows.push({
          method: m.id,
          method_name: m.name,
          metric,
          key: v.key,
          value: v.value ?? '',
          unit: v.unit,
          direction: v.direction,
          uncertainty: u.kind,
          stderr: u.kind === 'stderr' ? u.stderr : '',
          low: u.kind === 'interval' ? u.low : '',
          high: u.kind === 'interval' ? u.high : '',
          level: u.kind === 'interval' ? u.level : '',
          n: u.kind === 'stderr' || u.kind === 'interval' ? u.n : '',
          uncertainty_method: u.kind === 'stderr' || u.kind === 'interval' ? u.method : u.reason,
          measured: v.measured,
          headline: v.headline === true,
          label: v.label,
          note: v.note ?? '',
          // empty: no validity rule applies
          validity: v.validity ? (v.validity.valid ? `valid: ${v.validity.rule}` : `invalid: ${v.validity.rule}`) : '',
        });
      }
    }
  }
  return stringify(rows, { header: true, columns: [...SUMMARY_COLUMNS], cast: { boolean: (b) => String(b) } });
}

/** Columns of `samples.csv`, in order (the fields of `SampleRow`). */
export const SAMPLE_COLUMNS = [
  'method',
  'index',
  'condition',
  'label',
  'prompt',
  'repeat',
  'seed',
  'key',
  'nfe',
  'tokensPerSample',
  'flopsPerSample',
  'generationSeconds',
] as const;

/** `samples.csv`: the per-sample rows of every method, methods in results order, samples by index. */
export function samplesCsv(rows: readonly SampleRow[]): string {
  const records = rows.map((r) => Object.fromEntries(SAMPLE_COLUMNS.map((c) => [c, r[c] ?? ''])));
  return stringify(records, { header: true, columns: [...SAMPLE_COLUMNS] });
}
