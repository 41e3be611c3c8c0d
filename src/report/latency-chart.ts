/**
 * The latency distribution of each method: the empirical cumulative distribution of the timed phase's
 * generations (one step per timed repeat), so medians and tails can be read off and compared.
 */
import type { ChartConfiguration } from 'chart.js';
import type { Results } from '../suite/contract/results.ts';
import { chartPlugins, numericAxis, wantsLog } from './axes.ts';
import type { MethodPalette } from './palette.ts';
import type { ChartSpec } from './render.ts';

/** Latencies of one method's timed repeats, milliseconds. */
export interface MethodLatencies {
  readonly id: string;
  readonly name: string;
  readonly ms: readonly number[];
  /** Videos per timed generation and frames per video. */
  readonly batch: number;
  readonly frames: number;
}

/** The step points of an empirical CDF: (x_(1), 0), then (x_(i), i / n) for the sorted values. */
export function ecdfPoints(values: readonly number[]): { x: number; y: number }[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  return [{ x: sorted[0], y: 0 }, ...sorted.map((x, i) => ({ x, y: (i + 1) / sorted.length }))];
}

/** The latency ECDF chart, or why there is none. */
export function latencyCharts(
  results: Results,
  latencies: readonly MethodLatencies[],
  palette: MethodPalette,
): { charts: ChartSpec[]; skipped: string[] } {
  const rows = latencies.filter((l) => l.ms.length > 0);
  if (rows.length === 0)
    return {
      charts: [],
      skipped: ['latency distribution: no timed phase in these results (the throughput metric measures it in shard 0)'],
    };
  const all = rows.flatMap((r) => r.ms);
  const what = `${rows[0].batch} video${rows[0].batch > 1 ? 's' : ''} of ${rows[0].frames} frames`;
  const title = 'Latency distribution';
  const chart: ChartSpec = {
    name: 'latency-distribution',
    title,
    caption: `Empirical cumulative distribution of the wall time of one generation of ${what} over each method's timed repeats (after untimed warm-up), ${results.device.name}.`,
    config(): ChartConfiguration {
      return {
        type: 'scatter',
        data: {
          datasets: rows.map((r) => ({
            label: `${r.id} (n=${r.ms.length})`,
            data: ecdfPoints(r.ms),
            showLine: true,
            stepped: 'before' as const,
            borderColor: palette.colour(r.name),
            backgroundColor: palette.colour(r.name),
            pointStyle: palette.pointStyle(r.name),
            pointRadius: 2.5,
            borderWidth: 2,
          })),
        },
        options: {
          layout: { padding: 8 },
          scales: {
            x: numericAxis(`latency of one generation (ms) ↓ lower is better`, { log: wantsLog(all, 8), extent: all }),
            y: numericAxis('fraction of timed generations ≤ latency', { min: 0, max: 1 }),
          },
          plugins: chartPlugins(title, `${results.suite.name} v${results.suite.version}, ${results.device.name}`, []),
        },
      } as ChartConfiguration;
    },
  };
  return { charts: [chart], skipped: [] };
}
