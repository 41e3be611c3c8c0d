/**
 * The metrics a suite can name under `metrics:`. To add one, implement `MetricPlugin` (`./plugin.ts`) in its own
 * module and register it here:
 *  - issue 4 (feature extractors, FD/KID): one plug-in per distance whose `chunkState` runs the extractor on the
 *    chunk's samples (features cached per chunk like `fd-pixel`'s) and whose `finalize` calls the statistics and
 *    distance functions of `src/metrics/`; options name the extractor (e.g. `{extractor: i3d}`).
 *  - issue 5 (VBench dimensions): one plug-in per dimension, registered as `vbench/<dimension>`, whose chunk state
 *    holds the per-video scores and whose `finalize` aggregates them as VBench does (frame- or video-weighted).
 */
import { Registry } from '../../core/registry.ts';
import type { MetricPlugin } from './plugin.ts';
import { pixelFdMetric } from './pixel-fd.ts';
import { costMetric } from './cost.ts';
import { throughputMetric } from './throughput.ts';

/** Suite metrics by name. */
export const suiteMetrics = new Registry<MetricPlugin>('metric');
for (const m of [pixelFdMetric, costMetric, throughputMetric] as MetricPlugin[]) suiteMetrics.register(m.name, m, `v${m.version}: ${m.description}`);
