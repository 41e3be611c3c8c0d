import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MetricValue } from '../../src/suite/contract/plugin.ts';
import type { MethodResult } from '../../src/suite/contract/results.ts';
import { markdownTable, summaryMarkdown, textCell } from '../../src/report/markdown.ts';
import { methodTable, valueCell } from '../../src/report/table.ts';
import { badInput } from '../helpers/case-ledger.ts';

const v = (value: number | null, uncertainty: MetricValue['uncertainty']): MetricValue => ({
  key: 'k',
  label: '',
  value,
  unit: 'u',
  direction: 'higher',
  uncertainty,
  measured: false,
});

test('cells as text: ± stderr, [low, high], powers of ten as superscripts, n/a with the reason', () => {
  assert.is(textCell(valueCell(v(0.0106, { kind: 'stderr', stderr: 0.0083, n: 8, method: '' }))), '0.0106 ± 0.0083');
  assert.is(
    textCell(valueCell(v(0.96563, { kind: 'interval', low: 0.96487, high: 0.96639, level: 0.95, n: 9, method: '' }))),
    '0.96563 [0.96487, 0.96639]',
  );
  assert.is(textCell(valueCell(v(1.1719e12, { kind: 'exact', reason: '' }))), '1.172×10¹²');
  assert.is(textCell(valueCell(v(null, { kind: 'none', reason: '' }))), 'n/a (not computed)');
});

test('an invalid measurement is marked with its rule', () => {
  const p99: MetricValue = {
    ...v(412, { kind: 'exact', reason: '' }),
    validity: { valid: false, rule: 'p99 needs >= 299 observations, has 8' },
  };
  assert.is(textCell(valueCell(p99)), '412 (invalid: p99 needs >= 299 observations, has 8)');
  assert.is(textCell(valueCell({ ...p99, validity: { valid: true, rule: 'p50 needs >= 5 observations, has 8' } })), '412');
});

test('a table: header with unit and arrow, best in bold, pipes escaped, caption and notes under it; the summary sections', () => {
  const methods = [
    { id: 'a|b', metrics: { m: { version: 1, values: [v(1, { kind: 'exact', reason: '' })] } } },
    { id: 'c', metrics: { m: { version: 1, values: [v(2, { kind: 'exact', reason: '' })] } } },
  ] as unknown as MethodResult[];
  const t = methodTable('t', 'Caption.', methods, [{ metric: 'm', key: 'k' }]);
  assert.is(
    markdownTable(t),
    '| method | k (u) ↑ |\n|---|---|\n| a\\|b | 1 |\n| c | **2** |\n\nCaption. bold: the best value of the column by its direction (↓ lower is better, ↑ higher is better).\n',
  );
  const md = summaryMarkdown({
    title: 'T',
    description: 'D',
    findings: { items: [{ topic: 'quality', text: 'm k: c is best.' }], criterion: 'Criterion.' },
    headline: [t],
    full: [t],
    charts: [{ name: 'x', title: 'X', caption: 'cap', png: 'charts/x.png' }],
    skipped: ['why'],
    provenance: { rows: [['suite', 's']], methods: [] },
  });
  for (const part of [
    '# T\n\nD\n\n## Findings\n\n- m k: c is best.\n\nCriterion.\n\n## Headline results',
    '### X\n\n![X](charts/x.png)\n\ncap',
    'Not drawn:\n\n- why',
    '## Every value',
    '## Provenance\n\n| | |\n|---|---|\n| suite | s |',
  ])
    assert.ok(md.includes(part), part);
});

test('the summary passes no raw HTML: method names, titles, captions, notes and provenance from the data are escaped', () =>
  badInput('recovery', 'HTML in method names, titles, captions, notes and provenance (Markdown summary)', () => {
    const methods = [
      { id: '<script>alert(1)</script>', metrics: { m: { version: 1, values: [v(1, { kind: 'exact', reason: '' })] } } },
    ] as unknown as MethodResult[];
    const t = methodTable('<t>', 'Caption <b>&', methods, [{ metric: 'm', key: 'k' }]);
    const md = summaryMarkdown({
      title: '<h1>T</h1>',
      description: '<img src=x onerror=alert(1)>',
      findings: { items: [{ topic: 'quality', text: '<b>best</b>' }], criterion: '<i>c</i>' },
      headline: [t],
      full: [t],
      charts: [{ name: 'x', title: '<X>', caption: '<cap>', png: 'charts/x.png' }],
      skipped: ['<why>'],
      provenance: { rows: [['<suite>', 'a|<s>']], methods: [] },
    });
    assert.not.match(md, /<[a-z/]/i);
    for (const part of [
      '# &lt;h1&gt;T&lt;/h1&gt;\n\n&lt;img src=x onerror=alert(1)&gt;\n',
      '| &lt;script&gt;alert(1)&lt;/script&gt; | 1 |',
      'Caption &lt;b&gt;&amp;',
      '### &lt;X&gt;\n\n![&lt;X&gt;](charts/x.png)\n\n&lt;cap&gt;',
      '- &lt;why&gt;',
      '- &lt;b&gt;best&lt;/b&gt;\n\n&lt;i&gt;c&lt;/i&gt;',
      '| &lt;suite&gt; | a\\|&lt;s&gt; |',
    ])
      assert.ok(md.includes(part), part);
  }));

test.run();
