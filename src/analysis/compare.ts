/**
 * Comparing results folders: the first is the baseline, and every other is compared with it by
 * `pairedComparison` (refused when their locked settings differ, naming each difference). A series of runs, e.g.
 * the same suite run on successive checkpoints, also gives each value's curve across the runs (with each run's own
 * interval), which `src/report/` draws.
 */
import path from 'node:path';
import { markdownCell as cell, markdownText as text } from '../core/markdown-escape.ts';
import type { Direction } from '../suite/contract/plugin.ts';
import {
  DEFAULT_PAIRED,
  pairedComparison,
  type LoadedRun,
  type PairedComparison,
  type PairedOptions,
  type ValueDifference,
} from './paired-compare.ts';
import { readResults } from '../suite/contract/results.ts';
import { formatNumber, valueInterval } from './summary.ts';

/** One value of one method across the runs, in run order. */
export interface Series {
  readonly method: string;
  readonly metric: string;
  readonly key: string;
  readonly unit: string;
  readonly direction: Direction;
  /** Shown in the run's short summary. */
  readonly headline: boolean;
  readonly measured: boolean;
  /** One point per run that has the method (value null when the run could not compute it), with its interval at `level`. */
  readonly points: readonly {
    readonly run: string;
    readonly value: number | null;
    readonly low: number | null;
    readonly high: number | null;
  }[];
}

/** Every run compared with the first, and the curves of the values across runs. */
export interface Comparison {
  readonly runs: readonly { readonly dir: string; readonly label: string }[];
  readonly options: PairedOptions;
  /** Run i (i >= 1) against run 0. */
  readonly comparisons: readonly PairedComparison[];
  readonly series: readonly Series[];
}

/** Reads a results folder for a comparison; the label defaults to the folder's name. */
export function loadRun(dir: string, label = path.basename(path.resolve(dir))): LoadedRun {
  return { dir, label, results: readResults(dir) };
}

/** The curves of every value across runs, in the baseline's method and value order. */
export function seriesOf(runs: readonly LoadedRun[], level: number): Series[] {
  const out: Series[] = [];
  for (const m of runs[0].results.methods) {
    for (const [metric, r] of Object.entries(m.metrics)) {
      for (const v of r.values) {
        const points = runs.flatMap((run) => {
          const other = run.results.methods.find((x) => x.id === m.id)?.metrics[metric]?.values.find((x) => x.key === v.key);
          if (!other) return [];
          const interval = valueInterval(other, level);
          return [{ run: run.label, value: other.value, low: interval?.low ?? null, high: interval?.high ?? null }];
        });
        out.push({
          method: m.id,
          metric,
          key: v.key,
          unit: v.unit,
          direction: v.direction,
          headline: v.headline === true,
          measured: v.measured,
          points,
        });
      }
    }
  }
  return out;
}

/** Compares runs[1..] with runs[0]; needs at least two runs with distinct labels. */
export function compareRuns(runs: readonly LoadedRun[], options: PairedOptions = DEFAULT_PAIRED): Comparison {
  if (runs.length < 2) throw new RangeError(`compare needs at least two results folders, got ${runs.length}`);
  const labels = runs.map((r) => r.label);
  const repeated = labels.find((l, i) => labels.indexOf(l) !== i);
  if (repeated !== undefined) throw new RangeError(`two runs are labelled '${repeated}'; give distinct labels (--labels a,b,...)`);
  return {
    runs: runs.map((r) => ({ dir: r.dir, label: r.label })),
    options,
    comparisons: runs.slice(1).map((b) => pairedComparison(runs[0], b, options)),
    series: seriesOf(runs, options.level),
  };
}

/** A difference's interval as "[low, high]". */
function intervalText(d: ValueDifference): string {
  return d.interval ? `[${formatNumber(d.interval.low)}, ${formatNumber(d.interval.high)}]` : '';
}

function signed(v: number | null, suffix = ''): string {
  if (v === null) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? '+inf' : '-inf';
  return `${v > 0 ? '+' : ''}${formatNumber(v)}${suffix}`;
}

const MARK: Record<ValueDifference['verdict'], string> = {
  better: 'better *',
  worse: 'worse *',
  changed: 'changed *',
  same: '',
  unknown: '?',
};

/** One comparison as Markdown: one row per value; bases as numbered notes under the table. */
export function pairedMarkdown(c: PairedComparison, level: number): string {
  const bases: string[] = [];
  const note = (basis: string) => {
    if (!bases.includes(basis)) bases.push(basis);
    return bases.indexOf(basis) + 1;
  };
  const lines = [
    `## ${text(`${c.b} against ${c.a}`)}`,
    '',
    text(
      `${Object.entries(c.pairs)
        .map(([m, p]) => `${m}: ${p.count} paired samples${p.identical ? ' (identical: the same store keys)' : ''}`)
        .join('; ')}.`,
    ),
    '',
    `| method | value | unit | ${cell(c.a)} | ${cell(c.b)} | difference | relative | ${Math.round(level * 100)}% interval | | how |`,
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const d of c.values) {
    const relative = d.relative === null ? '' : signed(d.relative * 100, '%');
    lines.push(
      `| ${cell(d.method)} | ${cell(`${d.metric}.${d.key}`)} | ${cell(d.unit)} | ${formatNumber(d.a)} | ${formatNumber(d.b)} | ${signed(d.difference)} | ${relative} | ${intervalText(d)} | ${MARK[d.verdict]} | [${note(d.basis)}] |`,
    );
  }
  lines.push(
    '',
    '`*`: the interval excludes 0; better/worse by the value\u2019s direction.',
    '',
    ...bases.map((b, i) => `[${i + 1}] ${text(b)}`),
  );
  if (c.onlyA.length) lines.push('', text(`only in ${c.a}: ${c.onlyA.join(', ')}`));
  if (c.onlyB.length) lines.push('', text(`only in ${c.b}: ${c.onlyB.join(', ')}`));
  return `${lines.join('\n')}\n`;
}

/** The whole comparison as Markdown: each run against the baseline, then the headline values across runs. */
export function comparisonMarkdown(c: Comparison): string {
  const parts = [
    `# ${text(`Comparison with ${c.runs[0].label} (${c.runs[0].dir})`)}`,
    '',
    text(`Runs: ${c.runs.map((r) => `${r.label} (${r.dir})`).join(', ')}.`),
    '',
  ];
  for (const p of c.comparisons) parts.push(pairedMarkdown(p, c.options.level));
  if (c.runs.length > 2) {
    const headline = c.series.filter((s) => s.headline);
    parts.push(
      '## Headline values across runs',
      '',
      `| method | value | ${c.runs.map((r) => cell(r.label)).join(' | ')} |`,
      `|---|---|${c.runs.map(() => '---|').join('')}`,
    );
    for (const s of headline)
      parts.push(
        `| ${cell(s.method)} | ${cell(`${s.metric}.${s.key} (${s.unit})`)} | ${c.runs.map((r) => formatNumber(s.points.find((p) => p.run === r.label)?.value ?? null)).join(' | ')} |`,
      );
    parts.push('');
  }
  return parts.join('\n');
}
