/**
 * chart.js plugins of the report's charts:
 *  - `reportBackground` paints the whole canvas white before anything else is drawn: a filled rectangle, so
 *    SVG and PDF output stay vector (chartjs-node-canvas's `backgroundColour` option is not used);
 *  - `vectorText` keeps text as glyphs (not outlines) in SVG and PDF;
 *  - `errorBars` draws interval whiskers (vertical, or horizontal for x intervals) on the points or bars listed in
 *    the chart's `plugins.errorBars.bars`, in the dataset's border colour.
 */
import type { Chart, ChartType, Plugin } from 'chart.js';

/** One whisker: the data index of a dataset's element and its interval, in data units of the dataset's axes. */
export interface ErrorBar {
  readonly datasetIndex: number;
  readonly index: number;
  /** Interval of the y value (vertical whisker). */
  readonly yLow?: number;
  readonly yHigh?: number;
  /** Interval of the x value (horizontal whisker). */
  readonly xLow?: number;
  readonly xHigh?: number;
}

/** Options of the `errorBars` plugin. */
export interface ErrorBarOptions {
  readonly bars: readonly ErrorBar[];
  /** Cap half-width, CSS pixels. */
  readonly cap?: number;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    errorBars?: ErrorBarOptions;
    reportBackground?: { colour?: string };
    pointLabels?: { labels?: readonly (readonly string[] | undefined)[] };
  }
}

/** Fills the canvas with white (or `plugins.reportBackground.colour`) before drawing. */
export const backgroundPlugin: Plugin = {
  id: 'reportBackground',
  beforeDraw(chart: Chart, _args, options: { colour?: string }) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = options?.colour ?? '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/**
 * Text as text in SVG and PDF: node-canvas outlines text as paths by default; in 'glyph' mode cairo places
 * font glyphs (embedded, subset), so the words of a vector chart can be selected and searched.
 */
export const vectorTextPlugin: Plugin = {
  id: 'vectorText',
  beforeDraw(chart: Chart) {
    const ctx = chart.ctx as unknown as { textDrawingMode?: string; canvas?: { type?: string } };
    if (ctx.canvas?.type === 'pdf' || ctx.canvas?.type === 'svg') ctx.textDrawingMode = 'glyph';
  },
};

/** Draws the whiskers of `plugins.errorBars.bars` after the datasets. */
export const errorBarsPlugin: Plugin = {
  id: 'errorBars',
  afterDatasetsDraw(chart: Chart, _args, options: ErrorBarOptions) {
    const bars = options?.bars ?? [];
    const cap = options?.cap ?? 4;
    const { ctx, chartArea } = chart;
    ctx.save();
    // whiskers stop at the plot area's edges
    ctx.beginPath();
    ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
    ctx.clip();
    for (const bar of bars) {
      if (!chart.isDatasetVisible(bar.datasetIndex)) continue;
      const meta = chart.getDatasetMeta(bar.datasetIndex);
      const element = meta.data[bar.index] as unknown as { x: number; y: number } | undefined;
      if (!element) continue;
      const dataset = chart.data.datasets[bar.datasetIndex] as { borderColor?: unknown };
      ctx.strokeStyle = typeof dataset.borderColor === 'string' ? dataset.borderColor : '#333333';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      if (bar.yLow !== undefined && bar.yHigh !== undefined && meta.yAxisID) {
        const scale = chart.scales[meta.yAxisID];
        const [y0, y1] = [scale.getPixelForValue(bar.yLow), scale.getPixelForValue(bar.yHigh)];
        ctx.moveTo(element.x, y0);
        ctx.lineTo(element.x, y1);
        for (const y of [y0, y1]) {
          ctx.moveTo(element.x - cap, y);
          ctx.lineTo(element.x + cap, y);
        }
      }
      if (bar.xLow !== undefined && bar.xHigh !== undefined && meta.xAxisID) {
        const scale = chart.scales[meta.xAxisID];
        const [x0, x1] = [scale.getPixelForValue(bar.xLow), scale.getPixelForValue(bar.xHigh)];
        ctx.moveTo(x0, element.y);
        ctx.lineTo(x1, element.y);
        for (const x of [x0, x1]) {
          ctx.moveTo(x, element.y - cap);
          ctx.lineTo(x, element.y + cap);
        }
      }
      ctx.stroke();
    }
    ctx.restore();
  },
};

/** The plugins every report chart registers. */
/**
 * Writes `plugins.pointLabels.labels[datasetIndex][index]` beside each point, in the dataset's colour, so that
 * points sharing a colour and a mark (the variants of a swept method) can be told apart.
 */
export const pointLabelsPlugin: Plugin = {
  id: 'pointLabels',
  afterDatasetsDraw(chart: Chart, _args, options: { labels?: readonly (readonly string[] | undefined)[] }) {
    const labels = options?.labels ?? [];
    const { ctx } = chart;
    ctx.save();
    ctx.font = '11px sans-serif';
    ctx.textBaseline = 'bottom';
    labels.forEach((texts, datasetIndex) => {
      if (!texts || !chart.isDatasetVisible(datasetIndex)) return;
      const meta = chart.getDatasetMeta(datasetIndex);
      const dataset = chart.data.datasets[datasetIndex] as { borderColor?: unknown };
      ctx.fillStyle = typeof dataset.borderColor === 'string' ? dataset.borderColor : '#333333';
      texts.forEach((text, index) => {
        const element = meta.data[index] as unknown as { x: number; y: number } | undefined;
        if (element && text) ctx.fillText(text, element.x + 8, element.y - 4);
      });
    });
    ctx.restore();
  },
};

export const reportPlugins: readonly Plugin[] = [vectorTextPlugin, backgroundPlugin, errorBarsPlugin, pointLabelsPlugin];
