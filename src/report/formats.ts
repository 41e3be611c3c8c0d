/**
 * Chart output formats and the `--formats` option (no chart library here, so commands can parse options
 * without loading chart.js and node-canvas).
 */

/** Output formats of charts: PNG raster, SVG and PDF vector. */
export const CHART_FORMATS = ['png', 'svg', 'pdf'] as const;
/** One of `CHART_FORMATS`. */
export type ChartFormat = (typeof CHART_FORMATS)[number];

/** The MIME type of each chart format (what the renderer is asked for, and data: URIs). */
export const CHART_MIME = { png: 'image/png', svg: 'image/svg+xml', pdf: 'application/pdf' } as const satisfies Record<ChartFormat, string>;

/** Parses a `--formats` list ("png,svg,pdf"); throws naming the bad entry and the allowed formats. */
export function parseFormats(text: string): ChartFormat[] {
  const formats = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (formats.length === 0) throw new RangeError(`--formats '${text}' names no format; allowed: ${CHART_FORMATS.join(', ')}`);
  for (const f of formats)
    if (!(CHART_FORMATS as readonly string[]).includes(f))
      throw new RangeError(`--formats: '${f}' is not a chart format; allowed: ${CHART_FORMATS.join(', ')}`);
  return [...new Set(formats)] as ChartFormat[];
}
