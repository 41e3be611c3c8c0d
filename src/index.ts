/**
 * The programmatic API of pyramid-bench, the package's one entry point (`package.json` `exports`; built to
 * `dist/index.js` with declarations in `dist/index.d.ts`). It re-exports, grouped in the order the data flows:
 * the core (tensors, seeded noise, schemas, the registry), the model and sampler contracts and their
 * registries, the metrics (features -> statistics -> number), the suite (load, plan, run, merge), the analysis
 * of finished runs, and the report. Everything else under `src/` is internal and may change.
 */

// core: tensors, counter-based noise, schemas at the boundary, the generic registry
export { Tensor, type Shape5 } from './core/tensor.ts';
export { PhiloxNoise, type NoiseSource } from './core/philox.ts';
export { parseWith, strictObject, SchemaError } from './core/schema.ts';
export { Registry } from './core/registry.ts';

// models: the contract every backend implements, and the backends by name
export type {
  Condition,
  ConditioningSpec,
  Conditioner,
  Decoder,
  HistoryEntry,
  MemoryReport,
  ModelSet,
  ModelSpec,
  VelocityInput,
  VelocityModel,
} from './models/contract/velocity-model.ts';
export { cpuDevice, type ComputeDevice, type DeviceInfo } from './models/contract/device.ts';
export { backends, loadModelSet, type ModelLoader } from './models/load.ts';
export { loadTorchPackage, parseTorchReference, TorchWorkerError, type TorchModelSet, type TorchOptions } from './models/torch/package.ts';

// samplers: one signature for the pyramid, full resolution and the cascade, and the helpers they share
export {
  callRecord,
  eulerStep,
  guidedVelocity,
  summarizeCost,
  validatePlan,
  type CallRecord,
  type CostSummary,
  type GuidanceSettings,
  type SampleItem,
  type SampleResult,
  type Sampler,
  type SamplingPlan,
  type StageCost,
  type StepEvent,
  type StepObserver,
} from './samplers/contract/sampling.ts';
export { samplers } from './samplers/index.ts';

// metrics: features -> mergeable statistics -> a number
export { accumulate, createStats, mergeStats, moments, momentsOf, type FeatureStats, type Moments } from './metrics/feature-stats.ts';
export {
  FRECHET_COMPAT,
  frechetDistance,
  frechetFromMoments,
  type FrechetOptions,
  type FrechetResult,
  type GaussianStats,
} from './metrics/frechet.ts';
export { kernelInceptionDistance, type FeatureMatrix, type KidOptions, type KidResult } from './metrics/kid.ts';
export { readStatsFile, writeStatsFile, type StatsData, type StatsFormat } from './metrics/stats-file.ts';
export {
  MOTION_BOUNDS,
  measureMotion,
  movesAsData,
  trackShape,
  type MotionMeasure,
  type ShapeTrack,
} from './metrics/shapes-tracker.ts';

// the suite: metric plug-ins, then load, plan, run and merge
export type { Direction, MethodContext, MetricPlugin, MetricValue, SampleChunk, Uncertainty } from './suite/contract/plugin.ts';
export type { Results } from './suite/contract/results.ts';
export { suiteMetrics } from './suite/metrics/index.ts';
export { loadSuite, parseSuite, type LoadedSuite, type Suite } from './suite/suite-schema.ts';
export { planRun, type RunPlan } from './suite/plan.ts';
export { runSuite, type RunOptions, type RunOutcome } from './suite/runner.ts';
export { mergeRuns } from './suite/merge.ts';

// analysis of finished runs, and the report
export { compareRuns, comparisonMarkdown, loadRun, type Comparison } from './analysis/compare.ts';
export { DEFAULT_PAIRED, type LoadedRun, type PairedOptions } from './analysis/paired-compare.ts';
export { findings, type Finding, type Findings, type FindingsOptions, type PairedTest } from './analysis/findings.ts';
export { pairedMethodDifference, pairedTestOf } from './analysis/method-difference.ts';
export { DEFAULT_REPORT, writeReport, type ReportOptions, type ReportOutcome } from './report/report.ts';
