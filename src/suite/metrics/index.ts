/**
 * The metrics a suite can name under `metrics:`. To add one, implement `MetricPlugin` (`../contract/plugin.ts`)
 * in its own module and register it here (docs/extending.md). For example:
 *  - distances (`fd`, `fd-pixel`): `chunkState` runs the extractor on the chunk's samples (features cached per
 *    chunk) and `finalize` calls the statistics and distance functions of `src/metrics/`;
 *  - VBench dimensions: `vbench/<dimension>` (`./vbench-dimension.ts`) runs `src/vbench/`'s evaluation on each
 *    chunk's videos and aggregates as VBench does;
 *  - the moving-shapes domain's own judgements: `shapes-class-accuracy` (a trained classifier's conditional
 *    accuracy) and `shapes-motion` (a classical tracker against the data's motion model), each beside the data set's
 *    own figure.
 */
import { Registry } from '../../core/registry.ts';
import type { MetricPlugin } from '../contract/plugin.ts';
import { pixelFdMetric } from './pixel-fd.ts';
import { featureFdMetric } from './feature-fd.ts';
import { costMetric } from './cost.ts';
import { throughputMetric } from './throughput.ts';
import { vbenchMetrics } from './vbench-dimension.ts';
import { shapesClassAccuracyMetric } from './shapes-class-accuracy.ts';
import { shapesMotionMetric } from './shapes-motion.ts';

/** Suite metrics by name. */
export const suiteMetrics = new Registry<MetricPlugin>('metric');
for (const m of [
  pixelFdMetric,
  featureFdMetric,
  costMetric,
  throughputMetric,
  ...vbenchMetrics,
  shapesClassAccuracyMetric,
  shapesMotionMetric,
] as MetricPlugin[])
  suiteMetrics.register(m.name, m, `v${m.version}: ${m.description}`);
