/** Comparing several runs with the first: one paired comparison per run, the curves across runs, the Markdown. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareRuns, comparisonMarkdown, loadRun } from '../../src/analysis/compare.ts';
import { reportRun } from '../helpers/report-runs.ts';

const options = { resamples: 200, distanceResamples: 40, level: 0.95, seed: 0 };
const runs = async () => [
  loadRun(await reportRun('a'), 'steps 2'),
  loadRun(await reportRun('cascade3', { cascadeSteps: 3 }), 'steps 3'),
  loadRun(await reportRun('cascade4', { cascadeSteps: 4 }), 'steps 4'),
];

test('every run is compared with the first, and each value becomes a curve across the runs', async () => {
  const rs = await runs();
  const c = compareRuns(rs, options);
  assert.equal(
    c.comparisons.map((p) => [p.a, p.b]),
    [
      ['steps 2', 'steps 3'],
      ['steps 2', 'steps 4'],
    ],
  );
  const fd = c.series.find((s) => s.method === 'cascade' && s.metric === 'fd-pixel' && s.key === 'fd')!;
  assert.equal(
    fd.points.map((p) => p.run),
    ['steps 2', 'steps 3', 'steps 4'],
  );
  fd.points.forEach((p, i) => {
    const v = rs[i].results.methods.find((m) => m.id === 'cascade')!.metrics['fd-pixel'].values.find((x) => x.key === 'fd')!;
    assert.is(p.value, v.value);
    // the run's own interval: value +- 1.96 jackknife standard errors
    assert.ok(v.uncertainty.kind === 'stderr' && Math.abs(p.high! - p.value! - 1.959963984540054 * v.uncertainty.stderr) < 1e-9);
  });
  const nfe = c.series.find((s) => s.method === 'cascade' && s.key === 'nfe')!;
  assert.equal(
    nfe.points.map((p) => p.value),
    [6, 9, 12],
  );
});

test('the Markdown has a table per comparison, marks significant changes and explains each interval', async () => {
  const md = comparisonMarkdown(compareRuns(await runs(), options));
  assert.match(md, /^# Comparison with steps 2 /);
  assert.match(md, /## steps 3 against steps 2\n\npyramid \[steps=2\]: 48 paired samples \(identical: the same store keys\);/);
  assert.match(md, /\| cascade \| cost\.nfe \| evaluations \| 6 \| 9 \| \+3 \| \+50% \| \[3, 3\] \| worse \* \| \[\d\] \|/);
  assert.match(
    md,
    /\| pyramid \[steps=4\] \| fd-pixel\.fd \| \(pixel value\)\^2 \| [0-9.]+ \| [0-9.]+ \| 0 \| 0% \| \[0, 0\] \| {2}\| \[\d\] \|/,
  );
  assert.match(md, /\[\d\] paired bootstrap over 48 samples \(by seed and index\), 200 resamples, seed 0\n/);
  assert.match(md, /## Headline values across runs\n\n\| method \| value \| steps 2 \| steps 3 \| steps 4 \|/);
});

test('the Markdown passes no raw HTML: run labels and method names from the data are escaped', async () => {
  const [a, b] = await runs();
  const renamed = {
    ...b,
    label: '<script>alert(1)</script>',
    results: { ...b.results, methods: b.results.methods.map((m) => ({ ...m, id: `<b>${m.id}</b>` })) },
  };
  const md = comparisonMarkdown(compareRuns([{ ...a, label: 'a|<i>' }, renamed], options));
  assert.not.match(md, /<[a-z/]/i);
  assert.match(md, /## &lt;script&gt;alert\(1\)&lt;\/script&gt; against a\|&lt;i&gt;\n/);
  assert.match(md, /\| method \| value \| unit \| a\\\|&lt;i&gt; \| &lt;script&gt;alert\(1\)&lt;\/script&gt; \|/);
  assert.match(md, /only in &lt;script&gt;alert\(1\)&lt;\/script&gt;: &lt;b&gt;[^\n]*&lt;\/b&gt;/);
});

test('labels must differ, and a comparison needs two runs', async () => {
  const [a, b] = await runs();
  assert.throws(() => compareRuns([a, { ...b, label: a.label }], options), /two runs are labelled 'steps 2'; give distinct labels/);
  assert.throws(() => compareRuns([a], options), /at least two results folders, got 1/);
});

test.run();
