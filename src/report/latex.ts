/**
 * Tables as LaTeX for a paper: booktabs rules (`\toprule`, `\midrule`, `\bottomrule`; `\usepackage{booktabs}`),
 * one column per value with its unit and an arrow for the better direction, values in math mode as
 * `v \pm s` (standard error) or `v^{+a}_{-b}` (interval), powers of ten factored out as `(\dots)\times10^{k}`,
 * the best value of each column in bold, and the uncertainties explained under the table.
 */
import type { Table, ValueCell } from './table.ts';

const SPECIAL: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '%': '\\%',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '↓': '$\\downarrow$',
  '↑': '$\\uparrow$',
  '±': '$\\pm$',
  '²': '$^2$',
  '≤': '$\\leq$',
};

/** Text with LaTeX's special characters escaped (and the arrows, ±, ² and ≤ of the report's text in math mode). */
export function escapeLatex(text: string): string {
  return text.replace(/\^2/g, '²').replace(/[\\{}$&#%_~^↓↑±²≤]/g, (c) => SPECIAL[c]);
}

/** A cell in math mode: bold when best, `--` when missing, followed by "(invalid: rule)" when it misses its validity rule. */
export function latexCell(c: ValueCell): string {
  if (c.value === null) return '--';
  let body = c.value;
  if (c.stderr !== null) body = `${c.value} \\pm ${c.stderr}`;
  else if (c.plus !== null && c.minus !== null) body = `${c.value}^{+${c.plus}}_{-${c.minus}}`;
  if (c.exponent !== 0) body = `${c.stderr !== null ? `(${body})` : body}\\times10^{${c.exponent}}`;
  const mark = c.invalid ? ` {\\footnotesize (invalid: ${escapeLatex(c.invalid).replace(/>=/g, '$\\geq$')})}` : '';
  return (c.best ? `$\\mathbf{${body}}$` : `$${body}$`) + mark;
}

/** A table as a LaTeX `table` environment with booktabs rules and a caption and label. */
export function latexTable(t: Table): string {
  const arrow = (d: string) => (d === 'lower' ? ' $\\downarrow$' : d === 'higher' ? ' $\\uparrow$' : '');
  const header = ['method', ...t.columns.map((c) => `${escapeLatex(c.header)}${arrow(c.direction)}`)];
  const units = ['', ...t.columns.map((c) => `{\\footnotesize (${escapeLatex(c.unit)})}`)];
  const lines = [
    '\\begin{table}[t]',
    '  \\centering',
    '  \\small',
    `  \\caption{${escapeLatex(t.caption)} ${escapeLatex(t.notes.join('; '))}.}`,
    `  \\label{tab:${t.id.replace(/[^A-Za-z0-9:-]/g, '-')}}`,
    `  \\begin{tabular}{l${'c'.repeat(t.columns.length)}}`,
    '    \\toprule',
    `    ${header.join(' & ')} \\\\`,
    `    ${units.join(' & ')} \\\\`,
    '    \\midrule',
    ...t.rows.map((r) => `    ${[escapeLatex(r.method), ...r.cells.map(latexCell)].join(' & ')} \\\\`),
    '    \\bottomrule',
    '  \\end{tabular}',
    '\\end{table}',
  ];
  return `${lines.join('\n')}\n`;
}

/** Several tables in one file, with a comment saying what it needs. */
export function latexDocument(tables: readonly Table[], source: string): string {
  return [`% ${source}`, '% needs \\usepackage{booktabs}; \\input{} this file or paste a table.', '', ...tables.map(latexTable)].join('\n');
}
