/**
 * Renders chart.js charts through chartjs-node-canvas (node-canvas on cairo) to PNG, SVG or PDF. SVG and PDF are
 * true vector output: cairo's SVG and PDF surfaces receive the same path and text calls as the PNG raster, and the
 * white background is a rectangle painted by a plugin (`reportPlugins`), not a raster. Output is deterministic:
 * the same chart gives the same bytes in any process (cairo's PDF creation date is fixed to 2000-01-01 and its
 * per-process SVG surface ids are renumbered; PNG has no timestamp).
 */
import type { Chart, ChartConfiguration } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { reportPlugins } from './plugins.ts';

import { CHART_MIME, type ChartFormat } from './formats.ts';

/** A chart to render: a file name, words for the report, and a fresh chart.js configuration on each call. */
export interface ChartSpec {
  /** File stem (letters, digits, - and _), e.g. "pareto-fd-pixel-fd-nfe". */
  readonly name: string;
  readonly title: string;
  /** One or two sentences: what is plotted, the units, what the error bars are. */
  readonly caption: string;
  /** Size in CSS pixels (= points in SVG and PDF); default 720 x 450. */
  readonly width?: number;
  readonly height?: number;
  /** A new configuration each call (chart.js writes into the object it is given). */
  config(): ChartConfiguration;
}

/** PNG pixels per CSS pixel: 720 x 450 charts become 2160 x 1350 PNGs, sharp at print size. */
export const PNG_SCALE = 3;

/** The font every chart uses (installed with the DejaVu fonts; cairo embeds the glyphs it draws). */
export const CHART_FONT = 'DejaVu Sans';

const renderers = new Map<string, ChartJSNodeCanvas>();

function renderer(format: ChartFormat, width: number, height: number): ChartJSNodeCanvas {
  const key = `${format}:${width}x${height}`;
  let r = renderers.get(key);
  if (!r) {
    r = new ChartJSNodeCanvas({
      width,
      height,
      ...(format === 'png' ? {} : { type: format }),
      chartCallback: (ChartJS: typeof Chart) => {
        ChartJS.defaults.font.family = CHART_FONT;
        ChartJS.defaults.font.size = 13;
        ChartJS.defaults.color = '#222222';
        ChartJS.defaults.borderColor = '#d9d9d9';
        ChartJS.register(...reportPlugins);
      },
    });
    renderers.set(key, r);
  }
  return r;
}

/** Fixes what cairo writes that depends on the time or on earlier renders in the process. */
export function normalizeVector(bytes: Buffer, format: 'svg' | 'pdf'): Buffer {
  if (format === 'pdf') {
    // "/CreationDate (D:20251125145040Z)": same length, so the cross-reference offsets stay valid
    const text = bytes.toString('latin1').replace(/\/(CreationDate|ModDate) \(D:(\d{14})/g, (_, k: string) => `/${k} (D:20000101000000`);
    return Buffer.from(text, 'latin1');
  }
  const ids = new Map<string, string>();
  const text = bytes.toString('utf8').replace(/surface(\d+)/g, (whole: string) => {
    if (!ids.has(whole)) ids.set(whole, `surface${ids.size + 1}`);
    return ids.get(whole)!;
  });
  return Buffer.from(text, 'utf8');
}

/** Renders a chart to the bytes of one format. */
export function renderChart(spec: ChartSpec, format: ChartFormat): Buffer {
  const width = spec.width ?? 720;
  const height = spec.height ?? 450;
  const config = spec.config();
  config.options = { ...config.options, devicePixelRatio: format === 'png' ? PNG_SCALE : 1 };
  const bytes = renderer(format, width, height).renderToBufferSync(config, CHART_MIME[format]);
  return format === 'png' ? bytes : normalizeVector(bytes, format);
}
