/**
 * The report as Markdown (`report/summary.md`): what the run found (a sentence per question), the headline tables with the best values in bold, every
 * metric's full table, the charts (linked PNGs) with their captions, what could not be drawn, and the provenance.
 */
import { markdownCell, markdownText } from '../core/markdown-escape.ts';
import type { Findings } from '../analysis/findings.ts';
import type { Provenance } from './provenance.ts';
import { timesTen, type Table, type ValueCell } from './table.ts';

/**
 * A cell as plain text: "v ± s", "v [low, high]" or "v", with the power of ten; "n/a (why)" when missing; followed
 * by "(invalid: rule)" when the measurement misses its validity rule.
 */
export function textCell(c: ValueCell): string {
  if (c.value === null) return `n/a${c.note ? ` (${c.note})` : ''}`;
  const mark = c.invalid ? ` (invalid: ${c.invalid})` : '';
  const p = timesTen(c.exponent);
  if (c.stderr !== null) return (p ? `(${c.value} ± ${c.stderr})${p}` : `${c.value} ± ${c.stderr}`) + mark;
  if (c.low !== null && c.high !== null) return `${c.value}${p} [${c.low}, ${c.high}]${p ? ` ${p}` : ''}${mark}`;
  return `${c.value}${p}${mark}`;
}

const escapeCell = markdownCell;

/** A table as GitHub Markdown, best values in bold, notes under it. */
export function markdownTable(t: Table): string {
  const arrow = (d: string) => (d === 'lower' ? ' ↓' : d === 'higher' ? ' ↑' : '');
  const lines = [
    `| method | ${t.columns.map((c) => escapeCell(`${c.header} (${c.unit})${arrow(c.direction)}`)).join(' | ')} |`,
    `|---|${t.columns.map(() => '---|').join('')}`,
    ...t.rows.map(
      (r) =>
        `| ${escapeCell(r.method)} | ${r.cells.map((c) => (c.best ? `**${escapeCell(textCell(c))}**` : escapeCell(textCell(c)))).join(' | ')} |`,
    ),
    '',
    markdownText(`${t.caption} ${t.notes.join('; ')}.`),
  ];
  return `${lines.join('\n')}\n`;
}

/** What the Markdown summary shows. */
export interface SummaryInput {
  readonly title: string;
  readonly description: string;
  /** What the run found, first in the document. */
  readonly findings: Findings;
  readonly headline: readonly Table[];
  readonly full: readonly Table[];
  /** Charts: file stem, title, caption, PNG path relative to the summary (or null without PNG output). */
  readonly charts: readonly { readonly name: string; readonly title: string; readonly caption: string; readonly png: string | null }[];
  readonly skipped: readonly string[];
  readonly provenance: Provenance;
}

/** The Markdown summary document. */
export function summaryMarkdown(s: SummaryInput): string {
  const parts = [
    `# ${markdownText(s.title)}`,
    '',
    markdownText(s.description),
    '',
    '## Findings',
    '',
    ...s.findings.items.map((f) => `- ${markdownText(f.text)}`),
    '',
    markdownText(s.findings.criterion),
    '',
    '## Headline results',
    '',
  ];
  for (const t of s.headline) parts.push(markdownTable(t));
  if (s.charts.length) parts.push('## Charts', '');
  for (const c of s.charts)
    parts.push(
      `### ${markdownText(c.title)}`,
      '',
      ...(c.png ? [`![${markdownText(c.title).replace(/[[\]]/g, '\\$&')}](${encodeURI(c.png)})`, ''] : []),
      markdownText(c.caption),
      '',
    );
  if (s.skipped.length) parts.push('Not drawn:', '', ...s.skipped.map((x) => `- ${markdownText(x)}`), '');
  parts.push('## Every value', '');
  for (const t of s.full) parts.push(`### ${markdownText(t.caption.replace(/: every value\.$/, ''))}`, '', markdownTable(t));
  parts.push(
    '## Provenance',
    '',
    '| | |',
    '|---|---|',
    ...s.provenance.rows.map(([k, v]) => `| ${escapeCell(k)} | ${escapeCell(v)} |`),
    '',
  );
  return parts.join('\n');
}
