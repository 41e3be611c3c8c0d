import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MetricValue } from '../../src/suite/contract/plugin.ts';
import type { MethodResult } from '../../src/suite/contract/results.ts';
import { escapeLatex, latexCell, latexDocument, latexTable } from '../../src/report/latex.ts';
import { methodTable, valueCell } from '../../src/report/table.ts';

const v = (value: number, uncertainty: MetricValue['uncertainty'], direction: MetricValue['direction'] = 'lower'): MetricValue => ({
  key: 'fd',
  label: '',
  value,
  unit: '(pixel value)^2',
  direction,
  uncertainty,
  measured: false,
});

test('special characters are escaped; arrows, ± and ² go to math mode', () => {
  assert.is(
    escapeLatex('a_b & 50% #1 {x} $y ~ ^z \\'),
    'a\\_b \\& 50\\% \\#1 \\{x\\} \\$y \\textasciitilde{} \\textasciicircum{}z \\textbackslash{}',
  );
  assert.is(escapeLatex('(pixel value)^2 ↓ ± ≤'), '(pixel value)$^2$ $\\downarrow$ $\\pm$ $\\leq$');
});

test('cells: value ± stderr, value with interval distances as super/subscripts, powers of ten, bold when best', () => {
  assert.is(latexCell(valueCell(v(0.0106, { kind: 'stderr', stderr: 0.0083, n: 8, method: '' }))), '$0.0106 \\pm 0.0083$');
  assert.is(
    latexCell(valueCell(v(36.48, { kind: 'interval', low: 30.71, high: 43.81, level: 0.95, n: 20, method: '' }), true)),
    '$\\mathbf{36.5^{+7.3}_{-5.8}}$',
  );
  assert.is(latexCell(valueCell(v(1.1719e12, { kind: 'exact', reason: '' }))), '$1.172\\times10^{12}$');
  assert.is(latexCell(valueCell(v(2.5e12, { kind: 'stderr', stderr: 1.2e10, n: 4, method: '' }))), '$(2.500 \\pm 0.012)\\times10^{12}$');
  assert.is(latexCell(valueCell(undefined)), '--');
});

test('an invalid measurement is marked with its rule after the number', () => {
  const p99: MetricValue = {
    ...v(412, { kind: 'exact', reason: '' }),
    validity: { valid: false, rule: 'p99 needs >= 299 observations, has 8' },
  };
  assert.is(latexCell(valueCell(p99)), '$412$ {\\footnotesize (invalid: p99 needs $\\geq$ 299 observations, has 8)}');
});

test('a booktabs table: rules, header with units and arrows, one row per method, caption with the notes', () => {
  const methods = [
    {
      id: 'pyramid',
      metrics: { 'fd-pixel': { version: 1, values: [v(0.0106, { kind: 'stderr', stderr: 0.0083, n: 8, method: 'jackknife' })] } },
    },
    {
      id: 'full (same steps)',
      metrics: { 'fd-pixel': { version: 1, values: [v(0.0153, { kind: 'stderr', stderr: 0.0164, n: 8, method: 'jackknife' })] } },
    },
  ] as unknown as MethodResult[];
  const tex = latexTable(methodTable('quality', 'Sample quality (x_1).', methods, [{ metric: 'fd-pixel', key: 'fd' }]));
  assert.is(
    tex,
    [
      '\\begin{table}[t]',
      '  \\centering',
      '  \\small',
      '  \\caption{Sample quality (x\\_1). $\\pm$ one standard error (jackknife); bold: the best value of the column by its direction ($\\downarrow$ lower is better, $\\uparrow$ higher is better).}',
      '  \\label{tab:quality}',
      '  \\begin{tabular}{lc}',
      '    \\toprule',
      '    method & FD $\\downarrow$ \\\\',
      '     & {\\footnotesize ((pixel value)$^2$)} \\\\',
      '    \\midrule',
      '    pyramid & $\\mathbf{0.0106 \\pm 0.0083}$ \\\\',
      '    full (same steps) & $0.015 \\pm 0.016$ \\\\',
      '    \\bottomrule',
      '  \\end{tabular}',
      '\\end{table}',
      '',
    ].join('\n'),
  );
  assert.match(latexDocument([], 'src'), /^% src\n% needs \\usepackage\{booktabs\}/);
});

test.run();
