/**
 * `pyramid-bench report <run>`: everything a results folder turns into for people, written under an output
 * folder (the run's by default): `report.html` (self-contained) and `report/` with `summary.md`, `tables.tex`,
 * `summary.csv`, `samples.csv`, `charts/<chart>.<png|svg|pdf>` and `videos/<index>-<method>.gif`. Every file
 * depends only on the results folder, so the same run gives the same bytes.
 *
 * The new report is written whole into a staging folder beside the old one (`.report-<pid>-<n>.staging`) and
 * only then swapped in (the old `report/` renamed aside, the new one renamed in, `report.html` renamed over),
 * so a report that fails or is killed midway leaves the previous report as it was. A staging folder left by a
 * killed report is removed by the next one (an old `report/` set aside at that moment is put back first).
 *
 * A report names its suite in `.pyramid-bench-report.json` beside `report.html`. A report into another folder
 * than the run's (`--out`) refuses to replace another suite's report or run there, or a report that does not say
 * whose it is, unless asked to (`replace`).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { COST_TABLE_FILE, costTableMarkdown, type CostTable } from '../analysis/cost-table.ts';
import { findings, type Findings } from '../analysis/findings.ts';
import { pairedTestOf } from '../analysis/method-difference.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { insideFolder } from '../io/safe-path.ts';
import { lockFolder, processAlive } from '../io/folder-lock.ts';
import { latencyCharts } from './latency-chart.ts';
import { paretoCharts } from './pareto-chart.ts';
import { sweepCharts } from './sweeps-chart.ts';
import { throughputCharts } from './throughput-chart.ts';
import { vbenchCharts } from './vbench-chart.ts';
import { samplesCsv, summaryCsv } from './csv.ts';
import { reportHtml } from './html.ts';
import { latexDocument } from './latex.ts';
import { summaryMarkdown } from './markdown.ts';
import { MethodPalette } from './palette.ts';
import { provenanceOf } from './provenance.ts';
import { CHART_MIME, type ChartFormat } from './formats.ts';
import { renderChart, type ChartSpec } from './render.ts';
import { readRunFolder, type RunFolder } from './run-folder.ts';
import { headlineTables, metricTables } from './table.ts';
import { sideBySideVideos } from './videos.ts';

/** How to write a report. */
export interface ReportOptions {
  /** Output folder (default: the results folder). */
  readonly out?: string;
  /** Chart formats; the HTML embeds SVG when it is among them, else PNG. At least one. */
  readonly formats: readonly ChartFormat[];
  /** Samples per method shown as videos (0: none). */
  readonly videos: number;
  /** The chart renderer (default `renderChart`); a test injects a failing one. */
  readonly render?: (chart: ChartSpec, format: ChartFormat) => Buffer;
  /** Replace whatever report an `out` folder holds, also another suite's (default: refuse it). */
  readonly replace?: boolean;
  /**
   * What the run found, when the caller already computed it from this results folder (`findings(results,
   * {paired: pairedTestOf(dir, results)})`, as the run command does); computed here otherwise.
   */
  readonly findings?: Findings;
  /** Where notes go, one line each (a damaged store entry set aside); default: stderr, prefixed `[report]`. */
  readonly log?: (line: string) => void;
}

const stderrLog = (line: string) => {
  process.stderr.write(`[report] ${line}\n`);
};

/** Defaults of `ReportOptions`. */
export const DEFAULT_REPORT: ReportOptions = { formats: ['png', 'svg', 'pdf'], videos: 4 };

/** What a report wrote. */
export interface ReportOutcome {
  /** Every file written, relative to the output folder, sorted. */
  readonly files: readonly string[];
  /** Charts that could not be drawn, and why. */
  readonly skipped: readonly string[];
  readonly out: string;
}

/** Every chart of a run: Pareto, sweeps, throughput and stage time, latency, VBench. */
export function reportCharts(run: RunFolder, palette: MethodPalette): { charts: ChartSpec[]; skipped: string[] } {
  const r = run.results;
  const groups = [
    paretoCharts(r, palette),
    sweepCharts(r, palette),
    throughputCharts(r, palette),
    latencyCharts(r, run.latencies, palette),
    vbenchCharts(r, palette),
  ];
  return { charts: groups.flatMap((g) => g.charts), skipped: groups.flatMap((g) => g.skipped) };
}

/**
 * Writes the report of the results folder `dir`, holding the lock of its output folder (io/folder-lock.ts) while
 * it writes, so a run or another report cannot write there at the same time.
 */
export async function writeReport(dir: string, options: ReportOptions = DEFAULT_REPORT): Promise<ReportOutcome> {
  // not a results folder: refused by readRunFolder before the lock would create the folder
  if (!existsSync(path.join(dir, 'results.json'))) return writeReportFiles(dir, options);
  const lock = lockFolder(options.out ?? dir, 'pyramid-bench report');
  try {
    return await writeReportFiles(dir, options);
  } finally {
    lock.release();
  }
}

async function writeReportFiles(dir: string, options: ReportOptions): Promise<ReportOutcome> {
  if (options.formats.length === 0) throw new RangeError('report: no chart format; allowed: png, svg, pdf');
  if (!Number.isInteger(options.videos) || options.videos < 0)
    throw new RangeError(`report: videos ${options.videos}; allowed: an integer >= 0`);
  const run = readRunFolder(dir);
  const out = options.out ?? dir;
  if (!options.replace && path.resolve(out) !== path.resolve(dir)) checkReportOwner(run, out);
  recoverStaging(out);
  const stage = path.join(out, `${STAGING_PREFIX}${process.pid}-${stagingCounter++}${STAGING_SUFFIX}`);
  try {
    const outcome = await writeReportInto(run, stage, options);
    swapIn(stage, out);
    const { name, hash } = run.results.suite;
    writeFileAtomic(
      path.join(out, REPORT_OWNER_FILE),
      `${JSON.stringify({ suite: { name, hash }, results: path.resolve(dir) }, null, 2)}\n`,
    );
    return { ...outcome, out };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** The file beside `report.html` that names the suite the report is of. */
export const REPORT_OWNER_FILE = '.pyramid-bench-report.json';

/**
 * Refuses an output folder whose report or results belong to another suite than `run`'s, or whose report does not
 * say whose it is; a folder without either, or with the same suite's, is fine.
 */
function checkReportOwner(run: RunFolder, out: string): void {
  const suite = run.results.suite;
  const ours = `suite '${suite.name}' (hash ${suite.hash.slice(0, 12)})`;
  const refuse = (why: string) => {
    throw new Error(`report --out ${out}: ${why}; this is the report of ${ours}; use another --out, or --replace to replace it`);
  };
  const whose = (file: string, what: string) => {
    let old: { suite?: { name?: unknown; hash?: unknown } };
    try {
      old = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      return refuse(`${file} cannot be read as ${what} (${(error as Error).message})`);
    }
    if (old?.suite?.name !== suite.name || old?.suite?.hash !== suite.hash)
      refuse(`it holds the ${what} of suite '${String(old?.suite?.name)}' (hash ${String(old?.suite?.hash).slice(0, 12)}, ${file})`);
  };
  const results = path.join(out, 'results.json');
  if (existsSync(results)) whose(results, 'results');
  const owner = path.join(out, REPORT_OWNER_FILE);
  if (existsSync(owner)) whose(owner, 'report');
  else if (existsSync(path.join(out, 'report.html')) || existsSync(path.join(out, 'report')))
    refuse(`it holds a report that does not say which suite it is of (no ${REPORT_OWNER_FILE})`);
}

const STAGING_PREFIX = '.report-';
const STAGING_SUFFIX = '.staging';
const SET_ASIDE = 'report.old';
let stagingCounter = 0;

/**
 * Cleans up after a report killed midway in `out`: an old report it had set aside while swapping is put back
 * when no `report/` took its place, then its staging folder is removed. Staging folders of live processes are
 * left alone.
 */
function recoverStaging(out: string): void {
  if (!existsSync(out)) return;
  for (const name of readdirSync(out)) {
    if (!name.startsWith(STAGING_PREFIX) || !name.endsWith(STAGING_SUFFIX)) continue;
    const pid = Number(name.slice(STAGING_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) continue;
    const stage = path.join(out, name);
    const old = path.join(stage, SET_ASIDE);
    if (existsSync(old) && !existsSync(path.join(out, 'report'))) renameSync(old, path.join(out, 'report'));
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Swaps the finished report in `stage` into `out`: `report/` by two renames, then `report.html` over the old. */
function swapIn(stage: string, out: string): void {
  const sub = path.join(out, 'report');
  if (existsSync(sub)) renameSync(sub, path.join(stage, SET_ASIDE));
  renameSync(path.join(stage, 'report'), sub);
  renameSync(path.join(stage, 'report.html'), path.join(out, 'report.html'));
}

/** Writes every file of the report of `run` under `out` (a fresh staging folder). */
async function writeReportInto(run: RunFolder, out: string, options: ReportOptions): Promise<ReportOutcome> {
  const render = options.render ?? renderChart;
  const sub = path.join(out, 'report');
  const written: string[] = [];
  const write = (rel: string, data: string | Uint8Array) => {
    writeFileAtomic(insideFolder(out, [rel], `report file '${rel}'`), data);
    written.push(rel);
  };
  // the report folder is made even when nothing else goes in it, so the swap always has one
  mkdirSync(sub, { recursive: true });

  const r = run.results;
  const palette = new MethodPalette(r.methods.map((m) => m.name));
  const { charts, skipped } = reportCharts(run, palette);
  // browsers show SVG and PNG in <img>, not PDF
  const embed: ChartFormat | null = options.formats.includes('svg') ? 'svg' : options.formats.includes('png') ? 'png' : null;
  const rendered = charts.map((c) => {
    const files: Record<string, string> = {};
    let dataUri = '';
    for (const f of options.formats) {
      const bytes = render(c, f);
      const rel = path.join('report', 'charts', `${c.name}.${f}`);
      write(rel, bytes);
      files[f] = rel;
      if (f === embed) dataUri = `data:${CHART_MIME[f]};base64,${bytes.toString('base64')}`;
    }
    return { name: c.name, title: c.title, caption: c.caption, files, dataUri };
  });
  if (embed === null) skipped.push('the HTML report embeds charts as SVG or PNG; with --formats pdf it links the PDFs only');

  const videos = await sideBySideVideos(run, sub, options.videos, options.log ?? stderrLog);
  const uris = new Map<string, string>();
  if (!('reason' in videos)) {
    for (const row of videos.rows) {
      for (const c of row.cells) {
        written.push(path.join('report', c.file));
        uris.set(c.file, `data:image/gif;base64,${readFileSync(path.join(sub, c.file)).toString('base64')}`);
      }
    }
  }

  const found = options.findings ?? findings(r, { paired: pairedTestOf(run.dir, r) });
  const headline = headlineTables(r);
  const full = metricTables(r);
  const provenance = provenanceOf(run);
  const title = `pyramid-bench report: ${r.suite.name} v${r.suite.version}`;
  const summaryLine = `${r.methods.length} methods, ${r.methods[0]?.samples ?? 0} samples each; ${r.partial ? `PARTIAL results (shards ${r.shards.included.join(', ')} of ${r.shards.count})` : 'complete results'}; harness ${r.harness.version}; device ${r.device.name}.`;
  const samples = r.methods.flatMap((m) => run.samples.get(m.id) ?? []);
  write(path.join('report', 'summary.csv'), summaryCsv(r));
  if (samples.length) write(path.join('report', 'samples.csv'), samplesCsv(samples));
  write(path.join('report', 'tables.tex'), latexDocument(headline, `${title}; generated by pyramid-bench report from results.json`));
  write(
    path.join('report', 'summary.md'),
    summaryMarkdown({
      title,
      description: `${r.suite.description}\n\n${summaryLine}`,
      findings: found,
      headline,
      full,
      charts: rendered.map((c) => ({
        name: c.name,
        title: c.title,
        caption: c.caption,
        png: c.files.png ? path.relative('report', c.files.png) : null,
      })),
      skipped,
      provenance,
    }),
  );
  const html = reportHtml({
    title,
    description: r.suite.description,
    summary: summaryLine,
    findings: found,
    headline,
    full,
    charts: rendered,
    skipped,
    videos: 'reason' in videos ? videos : { ...videos, uris },
    costTable: readCostTable(run.dir),
    provenance,
    files: [...written].sort(),
  });
  write('report.html', html);
  return { files: [...new Set(written)].sort(), skipped, out };
}

/** The planned-compute table a run wrote (suites with `outputs.costTable: true`), as Markdown, or null. */
function readCostTable(dir: string): string | null {
  const file = path.join(dir, COST_TABLE_FILE);
  return existsSync(file) ? costTableMarkdown(JSON.parse(readFileSync(file, 'utf8')) as CostTable) : null;
}
