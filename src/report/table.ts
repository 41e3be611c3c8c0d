/**
 * The report's tables as data, rendered by `markdown.ts`, `latex.ts` and `html.ts`: one row per method, one
 * column per value (its key, unit and which direction is better), each cell the value with its uncertainty
 * rounded to the uncertainty's precision (two significant digits of the standard error or of the interval's
 * half-widths), and the best value of each column marked (lowest or highest by its direction; values that
 * print the same tie).
 */
import type { Direction, MetricValue } from '../suite/contract/plugin.ts';
import type { MethodResult, Results } from '../suite/contract/results.ts';
import { metricNameOf } from './values.ts';

/** A number split for typesetting: mantissa text and a power of ten (0: none). */
export interface Scaled {
  readonly mantissa: string;
  readonly exponent: number;
}

/** A value cell: the value and its uncertainty, all in the same power of ten. */
export interface ValueCell {
  readonly kind: 'value';
  /** Null when the value is missing; `note` says why. */
  readonly value: string | null;
  /** "± stderr" text, or the distances down and up to an interval's ends. */
  readonly stderr: string | null;
  readonly minus: string | null;
  readonly plus: string | null;
  /** The interval's ends, for text formats that print [low, high]. */
  readonly low: string | null;
  readonly high: string | null;
  readonly exponent: number;
  readonly best: boolean;
  readonly note?: string;
  /** The validity rule a measured value misses (`MetricValue.validity`); absent when it is valid or has none. */
  readonly invalid?: string;
}

/** A column: which value, its unit and direction. */
export interface Column {
  readonly metric: string;
  readonly key: string;
  /** Short header, e.g. "FD" or "latency p50". */
  readonly header: string;
  readonly unit: string;
  readonly direction: Direction;
}

/** A table of methods by values. */
export interface Table {
  readonly id: string;
  readonly caption: string;
  readonly columns: readonly Column[];
  readonly rows: readonly { readonly method: string; readonly cells: readonly ValueCell[] }[];
  /** What the uncertainties are (one line per kind used). */
  readonly notes: readonly string[];
}

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** "10ᵏ" with the exponent in superscript digits. */
export function powerOfTen(exponent: number): string {
  return `10${String(exponent).replace(/./g, (c) => SUPERSCRIPT[c])}`;
}

/** "×10ᵏ" for a power of ten (empty for 0). */
export function timesTen(exponent: number): string {
  return exponent === 0 ? '' : `×${powerOfTen(exponent)}`;
}

/** Decimal places that show `x` to `digits` significant digits (negative: round to tens, hundreds...). */
function decimalsFor(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  return digits - 1 - Math.floor(Math.log10(Math.abs(x)));
}

/** `x` in units of 10^exponent with `decimals` places (never negative zero). */
function fixed(x: number, exponent: number, decimals: number): string {
  const v = x / 10 ** exponent;
  const d = Math.max(0, decimals);
  const text = (d > 0 ? v : Math.round(v / 10 ** -decimals) * 10 ** -decimals).toFixed(d);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** The power of ten (a multiple of 3) that typesets |x| >= 1e5 or < 1e-3, else 0. */
export function engineeringExponent(x: number): number {
  const a = Math.abs(x);
  return a !== 0 && Number.isFinite(a) && (a >= 1e5 || a < 1e-3) ? 3 * Math.floor(Math.log10(a) / 3) : 0;
}

/**
 * The cell of a value in units of 10^`exponent` (default: the value's own engineering exponent; a table passes
 * its column's, so a column shares one power of ten): the uncertainty's two significant digits set the decimals;
 * without an uncertainty the value keeps 4 significant digits, and an integer none.
 */
export function valueCell(v: MetricValue | undefined, best = false, exponent?: number): ValueCell {
  const empty = { kind: 'value' as const, stderr: null, minus: null, plus: null, low: null, high: null, exponent: 0, best: false };
  if (!v) return { ...empty, value: null, note: 'not measured' };
  if (v.value === null) return { ...empty, value: null, note: v.note ?? 'not computed' };
  const e = exponent ?? engineeringExponent(v.value);
  const u = v.uncertainty;
  // the precision of the smaller positive half-width of an interval (or of the standard error)
  const halves = u.kind === 'stderr' ? [u.stderr] : u.kind === 'interval' ? [v.value - u.low, u.high - v.value] : [];
  const positive = halves.filter((h) => h > 0);
  const spread = positive.length ? Math.min(...positive) : 0;
  const decimals = spread > 0 ? decimalsFor(spread, 2) + e : e === 0 && Number.isInteger(v.value) ? 0 : decimalsFor(v.value, 4) + e;
  const f = (x: number) => fixed(x, e, decimals);
  const base = { ...empty, exponent: e, best, value: f(v.value), ...(v.validity && !v.validity.valid ? { invalid: v.validity.rule } : {}) };
  if (u.kind === 'stderr') return { ...base, stderr: f(u.stderr) };
  if (u.kind === 'interval')
    return { ...base, minus: f(Math.max(0, v.value - u.low)), plus: f(Math.max(0, u.high - v.value)), low: f(u.low), high: f(u.high) };
  return base;
}

const HEADERS: Readonly<Record<string, string>> = {
  fd: 'FD',
  fdOverFloor: 'FD / floor',
  fdFloor: 'FD floor',
  nfe: 'NFE',
  flopsPerSample: 'FLOPs / video',
  tokensPerSample: 'tokens / video',
  'latencyMs.p50': 'latency p50',
  'latencyMs.p90': 'latency p90',
  'latencyMs.p99': 'latency p99',
  'latencyMs.mean': 'mean latency',
  framesPerSecond: 'frames / s',
  realTimeFactor: 'real-time factor',
  secondsPerVideo: 's / video',
  deviceHours: 'device-hours',
  deviceHoursProtocol: 'device-hours, protocol',
};

/** A short column header for a value key. */
export function headerOf(metric: string, key: string): string {
  return HEADERS[key] ?? (metric.startsWith('vbench/') ? key.replace(/_/g, ' ') : key);
}

/**
 * Indices of the rows holding the best value of a column (none when its direction is 'none'): the extreme value and
 * every value that prints the same in the column (`shown`, the cells' text at the column's exponent).
 */
function bestRows(values: readonly (MetricValue | undefined)[], shown: readonly (string | null)[], direction: Direction): Set<number> {
  if (direction === 'none') return new Set();
  // an invalid measurement is never the best
  const present = values
    .map((v, i) => ({ v: v?.validity?.valid === false ? null : (v?.value ?? null), i }))
    .filter((x): x is { v: number; i: number } => x.v !== null && Number.isFinite(x.v));
  if (present.length < 2) return new Set();
  const target = direction === 'lower' ? Math.min(...present.map((x) => x.v)) : Math.max(...present.map((x) => x.v));
  const targetText = shown[present.find((x) => x.v === target)!.i];
  const best = present.filter((x) => x.v === target || shown[x.i] === targetText).map((x) => x.i);
  // a column where every method ties has no best value
  return best.length === present.length ? new Set() : new Set(best);
}

/** A table of the given values (metric, key) for every method. */
export function methodTable(
  id: string,
  caption: string,
  methods: readonly MethodResult[],
  wanted: readonly { metric: string; key: string }[],
): Table {
  const columns: Column[] = [];
  const cells: ValueCell[][] = methods.map(() => []);
  const kinds = new Set<string>();
  for (const { metric, key } of wanted) {
    const values = methods.map((m) => m.metrics[metric]?.values.find((v) => v.key === key));
    const first = values.find((v) => v !== undefined);
    if (!first) continue;
    const ambiguous = wanted.filter((w) => w.key === key).length > 1;
    columns.push({
      metric,
      key,
      header: ambiguous ? `${headerOf(metric, key)} (${metric})` : headerOf(metric, key),
      unit: first.unit,
      direction: first.direction,
    });
    const present = values.map((v) => v?.value ?? null).filter((x): x is number => x !== null && Number.isFinite(x));
    const exponent = present.length ? engineeringExponent(Math.max(...present.map(Math.abs))) : 0;
    const column = values.map((v) => valueCell(v, false, exponent));
    const best = bestRows(
      values,
      column.map((c) => c.value),
      first.direction,
    );
    values.forEach((v, i) => {
      cells[i].push({ ...column[i], best: best.has(i) });
      if (v && v.value !== null)
        kinds.add(
          v.uncertainty.kind === 'stderr'
            ? `stderr:${v.uncertainty.method}`
            : v.uncertainty.kind === 'interval'
              ? `interval:${Math.round(v.uncertainty.level * 100)}`
              : v.uncertainty.kind,
        );
    });
  }
  const notes: string[] = [];
  const stderrMethods = [...kinds].filter((k) => k.startsWith('stderr:')).map((k) => k.slice(7));
  if (stderrMethods.length) notes.push(`± one standard error (${[...new Set(stderrMethods)].join('; ')})`);
  const levels = [...kinds].filter((k) => k.startsWith('interval:')).map((k) => k.slice(9));
  if (levels.length)
    notes.push(`${[...new Set(levels)].join('/')}% bootstrap interval, shown as distances below and above the value (or [low, high])`);
  notes.push('bold: the best value of the column by its direction (↓ lower is better, ↑ higher is better)');
  if (cells.some((row) => row.some((c) => c.invalid)))
    notes.push('invalid: a measurement that misses its validity rule (the rule is given), never counted as the best');
  return { id, caption, columns, rows: methods.map((m, i) => ({ method: m.id, cells: cells[i] })), notes };
}

/** Headline values of the given metrics, in the order the methods report them. */
function headlineKeys(results: Results, keep: (metric: string) => boolean): { metric: string; key: string }[] {
  const out: { metric: string; key: string }[] = [];
  for (const m of results.methods) {
    for (const [metric, r] of Object.entries(m.metrics)) {
      if (!keep(metric)) continue;
      for (const v of r.values)
        if (v.headline && !out.some((o) => o.metric === metric && o.key === v.key)) out.push({ metric, key: v.key });
    }
  }
  return out;
}

/** Metrics that describe cost and speed rather than quality. */
const COMPUTE_METRICS = new Set(['cost', 'throughput']);

/** The two headline tables of a paper: quality (distances, VBench) and compute (cost, throughput). */
export function headlineTables(results: Results): Table[] {
  const suite = `${results.suite.name} v${results.suite.version}, ${results.methods[0]?.samples ?? 0} samples per method`;
  const quality = headlineKeys(results, (m) => !COMPUTE_METRICS.has(metricNameOf(results, m)));
  const compute = headlineKeys(results, (m) => COMPUTE_METRICS.has(metricNameOf(results, m)));
  const tables: Table[] = [];
  if (quality.length) tables.push(methodTable('quality', `Sample quality (${suite}).`, results.methods, quality));
  if (compute.length)
    tables.push(methodTable('compute', `Cost and speed per video (${suite}; ${results.device.name}).`, results.methods, compute));
  return tables;
}

/** One table per metric with every value it reports. */
export function metricTables(results: Results): Table[] {
  const metrics = [...new Set(results.methods.flatMap((m) => Object.keys(m.metrics)))];
  return metrics.map((metric) => {
    const keys: { metric: string; key: string }[] = [];
    for (const m of results.methods)
      for (const v of m.metrics[metric]?.values ?? []) if (!keys.some((k) => k.key === v.key)) keys.push({ metric, key: v.key });
    return methodTable(`metric-${metric}`, `${metric}: every value.`, results.methods, keys);
  });
}
