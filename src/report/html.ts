/**
 * The self-contained HTML report (`report.html`): inline CSS, every chart and video embedded as a data URI
 * (charts as SVG when rendered, else PNG; videos as GIF), so the file makes no request and can be mailed or
 * archived alone; the files beside it (`report/`) hold the same charts as PNG/SVG/PDF and the GIFs.
 */
import type { Findings } from '../analysis/findings.ts';
import type { Provenance } from './provenance.ts';
import type { Table, ValueCell } from './table.ts';
import type { SideBySide } from './videos.ts';

/** Text with &, <, >, " and ' escaped for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A value cell as HTML: the interval in a smaller span, the power of ten as a superscript. */
export function htmlCell(c: ValueCell): string {
  if (c.value === null) return `<span class="missing" title="${escapeHtml(c.note ?? '')}">n/a</span>`;
  const p = c.exponent === 0 ? '' : `×10<sup>${c.exponent}</sup>`;
  let body = `${c.value}${c.stderr === null ? p : ''}`;
  if (c.stderr !== null) body = p ? `(${c.value} ± ${c.stderr})${p}` : `${c.value} ± ${c.stderr}`;
  else if (c.low !== null && c.high !== null) body += ` <span class="interval">[${c.low}, ${c.high}]${p}</span>`;
  if (c.invalid) body += ` <span class="invalid">(invalid: ${escapeHtml(c.invalid)})</span>`;
  return body;
}

/** A table as HTML with a caption; best cells carry class "best" (bold). */
export function htmlTable(t: Table): string {
  const arrow = (d: string) => (d === 'lower' ? ' ↓' : d === 'higher' ? ' ↑' : '');
  const head = `<tr><th>method</th>${t.columns.map((c) => `<th>${escapeHtml(c.header)}${arrow(c.direction)}<br><span class="unit">${escapeHtml(c.unit)}</span></th>`).join('')}</tr>`;
  const body = t.rows
    .map(
      (r) =>
        `<tr><th scope="row">${escapeHtml(r.method)}</th>${r.cells.map((c) => `<td${c.best ? ' class="best"' : ''}>${htmlCell(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="scroll">\n<table id="table-${escapeHtml(t.id)}">\n<caption>${escapeHtml(t.caption)} <span class="note">${escapeHtml(t.notes.join('; '))}.</span></caption>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>\n</div>`;
}

/** What the HTML report shows. */
export interface HtmlInput {
  readonly title: string;
  readonly description: string;
  readonly summary: string;
  /** What the run found: the first section. */
  readonly findings: Findings;
  readonly headline: readonly Table[];
  readonly full: readonly Table[];
  /** Charts with their embedded image (data URI; empty when neither SVG nor PNG was rendered) and links to their files (relative paths by format). */
  readonly charts: readonly {
    readonly name: string;
    readonly title: string;
    readonly caption: string;
    readonly dataUri: string;
    readonly files: Readonly<Record<string, string>>;
  }[];
  readonly skipped: readonly string[];
  /** Videos with each GIF as a data URI; or why there are none. */
  readonly videos: (SideBySide & { readonly uris: ReadonlyMap<string, string> }) | { readonly reason: string };
  /** The paper's planned-compute table (Markdown), when the run wrote one. */
  readonly costTable: string | null;
  readonly provenance: Provenance;
  /** Other files of the report, relative paths. */
  readonly files: readonly string[];
}

const CSS = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 0 auto; max-width: 1180px; padding: 24px; color: #222; line-height: 1.45; }
h1 { font-size: 26px; margin-bottom: 4px; } h2 { font-size: 20px; margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
table { border-collapse: collapse; margin: 12px 0 20px; font-size: 13px; }
caption { caption-side: bottom; text-align: left; font-size: 12px; color: #555; padding-top: 6px; }
th, td { border-top: 1px solid #ddd; border-bottom: 1px solid #ddd; padding: 4px 9px; text-align: right; vertical-align: top; }
thead th { border-bottom: 2px solid #444; border-top: 2px solid #444; text-align: center; }
tbody tr:last-child th, tbody tr:last-child td { border-bottom: 2px solid #444; }
th[scope=row] { text-align: left; font-weight: normal; }
td.best { font-weight: bold; }
.unit, .interval, .note { color: #666; font-size: 11px; font-weight: normal; }
.missing { color: #999; }
.findings { font-size: 15px; max-width: 980px; } .findings li { margin: 4px 0; }
.invalid { color: #b00; font-size: 11px; }
figure { margin: 18px 0 30px; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 13px; color: #444; max-width: 900px; }
.videos td, .videos th { text-align: center; }
.videos img { image-rendering: pixelated; width: 160px; height: auto; }
.scroll { overflow-x: auto; max-width: 100%; }
.kv { table-layout: fixed; width: 100%; } .kv th { text-align: left; width: 150px; } .kv td { text-align: left; overflow-wrap: anywhere; }
pre { background: #f6f6f6; padding: 10px; overflow-x: auto; font-size: 12px; }
`;

function videosSection(v: HtmlInput['videos']): string {
  if ('reason' in v) return `<p class="note">No videos: ${escapeHtml(v.reason)}.</p>`;
  const head = `<tr><th>sample</th>${v.methods.map((m) => `<th>${escapeHtml(m)}</th>`).join('')}</tr>`;
  const rows = v.rows.map(
    (r) =>
      `<tr><th scope="row">${r.index}<br><span class="unit">${escapeHtml(r.condition)}</span></th>${r.cells.map((c) => `<td><img src="${v.uris.get(c.file)}" alt="${escapeHtml(`${c.method}, sample ${r.index}`)}" width="${c.width}" height="${c.height}"></td>`).join('')}</tr>`,
  );
  return `<p>The same samples (index, seed and condition) from each method, looping at the suite's playback rate; frames from ${escapeHtml(v.source)}.</p>\n<div class="scroll">\n<table class="videos">\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>\n</div>`;
}

/** The whole HTML document. */
export function reportHtml(h: HtmlInput): string {
  const charts = h.charts.map(
    (c) =>
      `<figure id="chart-${escapeHtml(c.name)}">\n${c.dataUri ? `<img src="${c.dataUri}" alt="${escapeHtml(c.title)}">\n` : ''}<figcaption><b>${escapeHtml(c.title)}.</b> ${escapeHtml(c.caption)} ${Object.entries(
        c.files,
      )
        .map(([f, p]) => `<a href="${escapeHtml(p)}">${f.toUpperCase()}</a>`)
        .join(' ')}</figcaption>\n</figure>`,
  );
  const provenance = `<table class="kv">\n<tbody>\n${h.provenance.rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}\n</tbody>\n</table>`;
  const methods = `<div class="scroll">\n<table class="kv methods">\n<thead><tr><th>method</th><th>model</th><th>model hash</th><th>sampler</th><th>settings</th><th>guidance (first frame / video)</th><th>resolved</th></tr></thead>\n<tbody>\n${h.provenance.methods
    .map(
      (m) =>
        `<tr><th>${escapeHtml(m.id)}</th><td>${escapeHtml(m.model)}</td><td>${escapeHtml(m.modelHash)}</td><td>${escapeHtml(m.sampler)}</td><td>${escapeHtml(m.settings)}</td><td>${escapeHtml(m.guidance)}</td><td>${escapeHtml(m.resolved)}</td></tr>`,
    )
    .join('\n')}\n</tbody>\n</table>\n</div>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(h.title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(h.title)}</h1>
<p>${escapeHtml(h.description)}</p>
<p class="note">${escapeHtml(h.summary)}</p>
<h2 id="findings">Findings</h2>
<ul class="findings">
${h.findings.items.map((f) => `<li class="${f.topic}">${escapeHtml(f.text)}</li>`).join('\n')}
</ul>
<p class="note">${escapeHtml(h.findings.criterion)}</p>
<h2 id="results">Headline results</h2>
${h.headline.map(htmlTable).join('\n')}
<h2 id="charts">Charts</h2>
${charts.join('\n')}
${h.skipped.length ? `<p>Not drawn:</p>\n<ul>\n${h.skipped.map((s) => `<li>${escapeHtml(s)}</li>`).join('\n')}\n</ul>` : ''}
<h2 id="videos">Generated videos, side by side</h2>
${videosSection(h.videos)}
<h2 id="values">Every value</h2>
${h.full.map(htmlTable).join('\n')}
${h.costTable === null ? '' : `<h2 id="cost">Planned compute: pyramid vs full resolution vs cascade</h2>\n<pre>${escapeHtml(h.costTable)}</pre>\n`}<h2 id="provenance">Provenance</h2>
${provenance}
<h3>Methods</h3>
${methods}
<h2 id="files">Files</h2>
<ul>
${h.files.map((f) => `<li><a href="${escapeHtml(f)}">${escapeHtml(f)}</a></li>`).join('\n')}
</ul>
</body>
</html>
`;
}
