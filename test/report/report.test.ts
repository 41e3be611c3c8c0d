/**
 * The report of a results folder: every file (tables, CSV, charts in each format, videos, the HTML), the same
 * bytes from the same run, and what each file holds.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPORT_OWNER_FILE, writeReport } from '../../src/report/report.ts';
import { renderChart } from '../../src/report/render.ts';
import { rejects } from '../helpers/assert.ts';
import { parseCsv } from '../../src/vbench/published.ts';
import { reportRun, scratch } from '../helpers/report-runs.ts';
import { badInput, fault } from '../helpers/case-ledger.ts';

const CHARTS = [
  'latency-distribution',
  'pareto-fd-pixel-fd-flops',
  'pareto-fd-pixel-fd-nfe',
  'pareto-fd-pixel-fd-seconds',
  'stage-time',
  'sweep-steps-fd-pixel-fd',
  'throughput-fps',
  'vbench-dimensions',
];
const METHODS = ['pyramid-steps-2', 'pyramid-steps-4', 'cascade'];

test('a report writes the HTML, the tables, the CSV, every chart in every format and the videos; the same run gives the same bytes', async () => {
  const run = await reportRun('a');
  const out = scratch('report');
  const first = await writeReport(run, { out, formats: ['png', 'svg', 'pdf'], videos: 2 });
  const want = [
    'report.html',
    'report/samples.csv',
    'report/summary.csv',
    'report/summary.md',
    'report/tables.tex',
    ...CHARTS.flatMap((c) => ['png', 'svg', 'pdf'].map((f) => `report/charts/${c}.${f}`)),
    ...[0, 1].flatMap((i) => METHODS.map((m) => `report/videos/${i}-${m}.gif`)),
  ].sort();
  assert.equal(first.files, want);
  assert.equal(first.skipped, []);
  const again = scratch('report');
  await writeReport(run, { out: again, formats: ['png', 'svg', 'pdf'], videos: 2 });
  for (const f of want)
    assert.ok(
      readFileSync(path.join(out, f)).equals(readFileSync(path.join(again, f))),
      `${f} differs between two reports of the same run`,
    );
});

/** Every file under `dir` (relative path to bytes). */
function snapshot(dir: string): Map<string, Buffer> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(files.map((e) => [path.relative(dir, path.join(e.parentPath, e.name)), readFileSync(path.join(e.parentPath, e.name))]));
}

test('a report that fails midway leaves the previous report whole (videos included) and no staging files', () =>
  fault('recovery', 'a report that fails midway, then a stale staging folder', async () => {
    const run = await reportRun('a');
    const out = scratch('report');
    await writeReport(run, { out, formats: ['svg'], videos: 1 });
    const before = snapshot(out);
    assert.ok([...before.keys()].some((f) => f.startsWith('report/videos/')));
    let drawn = 0;
    const failing = (chart: Parameters<typeof renderChart>[0], format: Parameters<typeof renderChart>[1]) => {
      if (++drawn === 3) throw new Error('injected: the chart renderer fails');
      return renderChart(chart, format);
    };
    await rejects(() => writeReport(run, { out, formats: ['png'], videos: 0, render: failing }), /injected: the chart renderer fails/);
    const after = snapshot(out);
    assert.equal([...after.keys()].sort(), [...before.keys()].sort());
    for (const [f, bytes] of before) assert.ok(after.get(f)!.equals(bytes), `${f} changed`);
    // a report killed midway leaves its staging folder: the next report removes it and swaps in the new set
    const stale = path.join(out, '.report-999999999-0.staging');
    mkdirSync(path.join(stale, 'report'), { recursive: true });
    writeFileSync(path.join(stale, 'report', 'half.csv'), 'a,');
    const outcome = await writeReport(run, { out, formats: ['png'], videos: 0 });
    assert.equal(readdirSync(out).sort(), [REPORT_OWNER_FILE, 'report', 'report.html']);
    assert.equal([...snapshot(out).keys()].sort(), [...outcome.files, REPORT_OWNER_FILE].sort());
    assert.not.ok(existsSync(path.join(out, 'report', 'videos')));
  }));

test('the tables: booktabs LaTeX with the best values in bold, Markdown, CSV of every value and every sample', async () => {
  const run = await reportRun('a');
  const out = scratch('report');
  await writeReport(run, { out, formats: ['svg'], videos: 0 });
  const tex = readFileSync(path.join(out, 'report', 'tables.tex'), 'utf8');
  for (const rule of ['\\toprule', '\\midrule', '\\bottomrule', '\\label{tab:quality}', '\\label{tab:compute}'])
    assert.ok(tex.includes(rule), rule);
  assert.match(tex, /pyramid \[steps=4\] & \$\\mathbf\{[0-9.]+ \\pm [0-9.]+\}\$/);
  const md = readFileSync(path.join(out, 'report', 'summary.md'), 'utf8');
  assert.match(md, /^# pyramid-bench report: report-test v1\n/);
  // what the run found comes first: a sentence per quality value, the cost, the sweep
  const found = md.slice(md.indexOf('## Findings'), md.indexOf('## Headline results'));
  assert.ok(md.indexOf('## Findings') > 0 && found.length > 0, 'no Findings section before the headline tables');
  for (const sentence of [
    /\n- fd-pixel fd, lower is better: \S.* is best at [0-9.e-]+ \[[0-9.e-]+, [0-9.e-]+\], (better than|not distinguishable from) /,
    /\n- vbench\/motion_smoothness, higher is better: /,
    /\n- Cost of .* FLOP per video \(notional\): .* frames\/s/,
    /\n- fd-pixel fd, lower is better, pyramid along steps \(2 → 4\): /,
    /\n\nIntervals are 95%/,
  ])
    assert.match(found, sentence);
  const html = readFileSync(path.join(out, 'report.html'), 'utf8');
  assert.match(
    html,
    /<\/h1>\n<p>[^\n]*<\/p>\n<p class="note">[^\n]*<\/p>\n<h2 id="findings">Findings<\/h2>\n<ul class="findings">\n<li class="quality">fd-pixel fd, lower is better: /,
  );
  assert.match(md, /\| cascade \| \*\*6\*\* \|/);
  assert.match(md, /## Provenance\n\n\| \| \|\n\|---\|---\|\n\| suite \| report-test v1 \(test\.yaml\)/);
  const summary = parseCsv(readFileSync(path.join(out, 'report', 'summary.csv'), 'utf8'), 'csv');
  const results = JSON.parse(readFileSync(path.join(run, 'results.json'), 'utf8')) as {
    methods: { metrics: Record<string, { values: unknown[] }> }[];
  };
  assert.is(
    summary.length,
    results.methods.reduce((n, m) => n + Object.values(m.metrics).reduce((k, r) => k + r.values.length, 0), 0),
  );
  const samples = parseCsv(readFileSync(path.join(out, 'report', 'samples.csv'), 'utf8'), 'csv');
  assert.is(samples.length, 3 * 48);
  assert.equal([...new Set(samples.map((s) => s.method))], ['pyramid [steps=2]', 'pyramid [steps=4]', 'cascade']);
});

test('a results file whose method slug leaves the folder is refused before the report reads or writes anything', () =>
  badInput('paths', 'a report of a results file whose slug leaves the folder', async () => {
    const box = scratch('tampered');
    const run = path.join(box, 'run');
    cpSync(await reportRun('a'), run, { recursive: true });
    const file = path.join(run, 'results.json');
    const results = JSON.parse(readFileSync(file, 'utf8'));
    results.methods[0].slug = '../../evil';
    writeFileSync(file, JSON.stringify(results));
    // what the old code read through the slug: <run>/samples/../../evil.jsonl
    cpSync(path.join(run, 'samples', `${METHODS[0]}.jsonl`), path.join(box, 'evil.jsonl'));
    const before = readdirSync(box, { recursive: true }).sort();
    await rejects(
      () => writeReport(run, { formats: ['svg'], videos: 2 }),
      /^slug of method 0 in .*run\/results\.json is "\.\.\/\.\.\/evil"; allowed: a plain file name/,
    );
    assert.equal(readdirSync(box, { recursive: true }).sort(), before);
  }));

test('bad options are refused with the value and what is allowed', async () => {
  const run = await reportRun('a');
  await rejects(() => writeReport(run, { formats: [], videos: 1 }), /no chart format; allowed: png, svg, pdf/);
  await rejects(() => writeReport(run, { formats: ['png'], videos: -1 }), /videos -1; allowed: an integer >= 0/);
  await rejects(
    () => writeReport(path.join(run, 'nope'), { formats: ['png'], videos: 0 }),
    /nope is not a results folder: it has no results.json/,
  );
});

test('a damaged store entry met by the videos is reported on one line (path, what was wrong, where it went) and set aside', () =>
  fault('recovery', "a damaged store entry met by report's videos", async () => {
    // a run of its own: the report reads the store the run's manifest names
    const run = await reportRun('damaged-store');
    const samples = path.join(run, 'store', 'samples');
    const npy = readdirSync(samples, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.npy'))
      .map((f) => path.join(samples, f));
    for (const f of npy) truncateSync(f, 0);
    const lines: string[] = [];
    await writeReport(run, { formats: ['svg'], videos: 1, log: (line) => lines.push(line) });
    const damaged = lines.filter((l) => l.startsWith('store: damaged entry '));
    assert.ok(damaged.length >= 1, `no damaged entry reported: ${lines.join(' | ')}`);
    for (const line of damaged) {
      // the values and their record go aside together
      const m = /^store: damaged entry (\S+)\.(npy|json) \((.+)\); set aside as (\S+); its sample is left out of the videos$/.exec(line);
      assert.ok(m, line);
      assert.ok(npy.includes(`${m![1]}.npy`), line);
      const file = `${m![1]}.${m![2]}`;
      assert.ok(m![4].startsWith(`${file}.damaged-`) && existsSync(m![4]) && !existsSync(file), line);
    }
  }));

test.run();
