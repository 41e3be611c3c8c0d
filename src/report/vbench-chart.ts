/**
 * The VBench dimensions side by side: a dot plot with one group per dimension the run computed and one point
 * per method (offset within the group), each with its bootstrap interval over videos. Dimension scores sit
 * close to 1, so the axis spans the data rather than starting at 0; points, unlike bars, do not suggest that
 * their length from 0 means something.
 */
import type { ChartConfiguration } from 'chart.js';
import type { Results } from '../suite/contract/results.ts';
import { chartPlugins, errorBarsOf, extentOf, groupedCategoryAxis, groupOffset, numericAxis } from './axes.ts';
import type { MethodPalette } from './palette.ts';
import type { ChartSpec } from './render.ts';
import { plotValue, metricValueOf } from './values.ts';

/** The VBench chart, or why there is none. */
export function vbenchCharts(results: Results, palette: MethodPalette): { charts: ChartSpec[]; skipped: string[] } {
  const metrics = [...new Set(results.methods.flatMap((m) => Object.keys(m.metrics)))].filter((k) => k.startsWith('vbench/'));
  const dimensions = metrics
    .map((metric) => ({ metric, key: metric.slice('vbench/'.length) }))
    .filter((d) => results.methods.some((m) => plotValue(metricValueOf(m, d.metric, d.key)) !== null));
  if (dimensions.length === 0) return { charts: [], skipped: ['VBench dimensions: the suite computes none (metrics vbench/<dimension>)'] };
  const values = results.methods.map((m) => dimensions.map((d) => plotValue(metricValueOf(m, d.metric, d.key))));
  const extent = extentOf(values.flat());
  const how = [
    ...new Set(
      dimensions.flatMap((d) =>
        results.methods.map((m) => metricValueOf(m, d.metric, d.key)?.label.match(/\(([^)]*)\)$/)?.[1]).filter((x): x is string => !!x),
      ),
    ),
  ];
  const title = 'VBench dimensions by method';
  const chart: ChartSpec = {
    name: 'vbench-dimensions',
    title,
    caption: `VBench dimension scores (0-1, higher is better) of each method; whiskers: 95% bootstrap intervals over videos. The axis spans the data and does not start at 0. Computed as: ${how.join('; ') || 'see the tables'}.`,
    config(): ChartConfiguration {
      const labels = dimensions.map((d) => d.key.replace(/_/g, ' '));
      return {
        type: 'scatter',
        data: {
          datasets: results.methods.map((m, i) => ({
            label: m.id,
            data: values[i].flatMap((v, d) => (v ? [{ x: d + groupOffset(i, results.methods.length), y: v.value }] : [])),
            backgroundColor: palette.colour(m.name),
            borderColor: palette.colour(m.name),
            pointStyle: palette.pointStyle(m.name),
            pointRadius: 6,
          })),
        },
        options: {
          layout: { padding: 8 },
          scales: {
            x: groupedCategoryAxis('VBench dimension', labels),
            y: numericAxis('score (0-1) ↑ higher is better', { extent }),
          },
          plugins: chartPlugins(
            title,
            `${results.suite.name} v${results.suite.version}, ${results.methods[0]?.samples ?? 0} videos per method`,
            values.flatMap((row, d) =>
              errorBarsOf(
                d,
                row.filter((v) => v !== null).map((v) => ({ y: v! })),
              ),
            ),
          ),
        },
      } as ChartConfiguration;
    },
  };
  return { charts: [chart], skipped: [] };
}
