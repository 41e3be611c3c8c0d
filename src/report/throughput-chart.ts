/**
 * Throughput by method: frames per second over the whole run (bars with their bootstrap intervals), and the
 * time of one video in the timed phase broken down by stage (model time of each stage, the decoder, and the
 * rest of the sampler: noise, resampling and renoising at the jump points), stacked.
 */
import type { ChartConfiguration } from 'chart.js';
import type { Results } from '../suite/contract/results.ts';
import { categoryAxis, chartPlugins, errorBarsOf, extentOf, numericAxis } from './axes.ts';
import type { MethodPalette } from './palette.ts';
import type { ChartSpec } from './render.ts';
import { metricKeyOf, plotValue, metricValueOf } from './values.ts';

/** Colours of stages 0, 1, 2, ... (light to dark), the decoder and the remainder. */
const STAGE_COLOURS = ['#9ecae1', '#4292c6', '#08519c', '#08306b', '#041b3d'];
const DECODE_COLOUR = '#fdae6b';
const OTHER_COLOUR = '#bdbdbd';

function framesPerSecondChart(results: Results, palette: MethodPalette): ChartSpec | null {
  const key = metricKeyOf(results, 'throughput');
  const rows = results.methods.map((m) => ({ m, v: plotValue(metricValueOf(m, key, 'framesPerSecond')) })).filter((r) => r.v !== null);
  if (rows.length === 0) return null;
  const title = 'Throughput by method';
  return {
    name: 'throughput-fps',
    title,
    caption: `Generated frames per second of sampler wall time over all of the run's samples at the suite's batch size (${results.device.name}); whiskers: 95% bootstrap intervals over chunks.`,
    config(): ChartConfiguration {
      return {
        type: 'bar',
        data: {
          labels: rows.map((r) => r.m.id),
          datasets: [
            {
              label: 'frames per second',
              data: rows.map((r) => r.v!.value),
              backgroundColor: rows.map((r) => palette.colour(r.m.name)),
              borderColor: '#333333',
              borderWidth: 0,
            },
          ],
        },
        options: {
          layout: { padding: 8 },
          scales: {
            x: categoryAxis('method'),
            y: numericAxis('frames per second (frames/s) ↑ higher is better', {
              extent: [0, ...extentOf(rows.map((r) => r.v))],
              nonNegative: true,
            }),
          },
          plugins: chartPlugins(
            title,
            `${results.suite.name} v${results.suite.version}, ${results.device.name}`,
            errorBarsOf(
              0,
              rows.map((r) => ({ y: r.v! })),
            ),
            false,
          ),
        },
      } as ChartConfiguration;
    },
  };
}

function stageTimeChart(results: Results): ChartSpec | null {
  const key = metricKeyOf(results, 'throughput');
  const rows = results.methods
    .map((m) => {
      const total = metricValueOf(m, key, 'latencyMs.mean')?.value ?? null;
      const stages = (m.metrics[key]?.values ?? [])
        .filter((v) => /^stage\d+\.modelMs$/.test(v.key) && v.value !== null)
        .map((v) => ({ stage: Number(v.key.slice(5, -8)), ms: v.value! }));
      const decode = metricValueOf(m, key, 'decodeMs')?.value ?? 0;
      return { m, total, stages, decode };
    })
    .filter((r) => r.total !== null);
  if (rows.length === 0) return null;
  const stageCount = Math.max(...rows.map((r) => Math.max(0, ...r.stages.map((s) => s.stage + 1))));
  const repeats = metricValueOf(rows[0].m, key, 'latencyMs.mean')?.uncertainty;
  const n = repeats && 'n' in repeats ? repeats.n : null;
  const title = 'Time per video by stage';
  return {
    name: 'stage-time',
    title,
    caption: `Mean wall time of one video in the timed phase${n ? ` (${n} repeats)` : ''}, split into the model time of each stage (stage 0 is the lowest resolution of a pyramid or cascade; a full-resolution sampler has one stage), the decoder, and the rest of the sampler (noise, resampling, renoising).`,
    height: Math.max(300, 120 + 48 * rows.length),
    config(): ChartConfiguration {
      const datasets = [
        ...Array.from({ length: stageCount }, (_, k) => ({
          label: `stage ${k} model`,
          data: rows.map((r) => r.stages.find((s) => s.stage === k)?.ms ?? 0),
          backgroundColor: STAGE_COLOURS[k % STAGE_COLOURS.length],
        })),
        ...(rows.some((r) => r.decode > 0) ? [{ label: 'decoder', data: rows.map((r) => r.decode), backgroundColor: DECODE_COLOUR }] : []),
        {
          label: 'rest of the sampler',
          data: rows.map((r) => Math.max(0, r.total! - r.decode - r.stages.reduce((a, s) => a + s.ms, 0))),
          backgroundColor: OTHER_COLOUR,
        },
      ];
      return {
        type: 'bar',
        data: { labels: rows.map((r) => r.m.id), datasets },
        options: {
          indexAxis: 'y',
          layout: { padding: 8 },
          scales: {
            x: { ...numericAxis('time per video (ms)', { extent: [0, ...rows.map((r) => r.total!)], nonNegative: true }), stacked: true },
            y: { ...categoryAxis('method'), stacked: true },
          },
          plugins: chartPlugins(title, `${results.suite.name} v${results.suite.version}, ${results.device.name}`, []),
        },
      } as ChartConfiguration;
    },
  };
}

/** The throughput and stage-time charts, and why either is missing. */
export function throughputCharts(results: Results, palette: MethodPalette): { charts: ChartSpec[]; skipped: string[] } {
  const charts: ChartSpec[] = [];
  const skipped: string[] = [];
  const fps = framesPerSecondChart(results, palette);
  if (fps) charts.push(fps);
  else skipped.push('throughput: no method has frames per second (the throughput metric is needed)');
  const stages = stageTimeChart(results);
  if (stages) charts.push(stages);
  else skipped.push('time per video by stage: no timed phase (the throughput metric measures it in shard 0)');
  return { charts, skipped };
}
