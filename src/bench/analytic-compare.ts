/**
 * The exact-testbed comparison: each sampler generates from the ideal analytic models of one preset, and its
 * samples are compared with fresh samples of the target mixture by the pixel-space Fréchet distance, beside the
 * distance between two target sample sets of the same size (the floor any exact sampler sits on).
 */
import { PhiloxNoise } from '../core/philox.ts';
import type { Tensor } from '../core/tensor.ts';
import { analyticModelSet, type AnalyticPreset } from '../models/analytic/backend.ts';
import { samplers } from '../models/samplers.ts';
import type { Condition } from '../models/velocity-model.ts';
import type { CostSummary, GuidanceSettings, SampleItem } from '../models/sampling.ts';
import { accumulate, createStats, moments, type Moments } from '../metrics/feature-stats.ts';
import { frechetFromMoments } from '../metrics/frechet.ts';

/** One method of the comparison: a sampler and its raw settings. */
export interface AnalyticMethod {
  readonly name: string;
  readonly sampler: string;
  readonly settings: unknown;
}

/** The result of one method. */
export interface AnalyticMethodResult {
  readonly name: string;
  readonly sampler: string;
  /** Pixel-space Fréchet distance to the reference target samples (lower is better). */
  readonly fd: number;
  /** fd over the target-vs-target distance (1 is what an exact sampler gives on average). */
  readonly fdOverFloor: number;
  readonly nfe: number;
  readonly flopsPerSample: number | null;
  readonly tokensPerSample: number;
  /** Share of each component among the samples, by nearest component. */
  readonly componentShares: readonly number[];
  readonly wallSeconds: number;
  readonly resolved?: Readonly<Record<string, unknown>>;
  readonly cost: Omit<CostSummary, 'records'>;
  readonly warnings: readonly string[];
}

export interface AnalyticComparison {
  readonly preset: string;
  readonly samples: number;
  readonly seed: number;
  readonly dimension: number;
  /** Fréchet distance between two independent target sample sets of the same size. */
  readonly floorFd: number;
  readonly targetShares: readonly number[];
  readonly methods: readonly AnalyticMethodResult[];
}

/** The default methods: the pyramid, full resolution at the same steps and at the same compute, and the cascade. */
export function defaultMethods(steps: number): AnalyticMethod[] {
  const pyramid = { stepsPerStage: [steps, steps, steps], videoStepsPerStage: [steps, steps, steps] };
  return [
    { name: 'pyramid', sampler: 'pyramid', settings: pyramid },
    { name: 'full (same steps)', sampler: 'full', settings: { match: 'steps', pyramid, temporal: 'autoregressive' } },
    { name: 'full (same compute)', sampler: 'full', settings: { match: 'compute', pyramid, temporal: 'autoregressive' } },
    { name: 'cascade', sampler: 'cascade', settings: { stepsPerStage: [steps, steps, steps] } },
  ];
}

function targetMoments(preset: AnalyticPreset, items: readonly SampleItem[], seed: number): { moments: Moments; shares: number[] } {
  const mix = preset.mixture;
  const d = mix.components[0].mean.length;
  const noise = new PhiloxNoise(seed);
  const stats = createStats(d);
  const counts = new Array<number>(mix.components.length).fill(0);
  for (const item of items) {
    const s = mix.sample(noise, item.index, item.condition);
    accumulate(stats, s.values, 1);
    counts[s.component]++;
  }
  return { moments: moments(stats), shares: counts.map((c) => c / items.length) };
}

function sampleMoments(samples: Tensor): Moments {
  const stats = createStats(samples.sampleSize);
  accumulate(stats, samples.data, samples.batch);
  return moments(stats);
}

/** Runs the comparison; `onMethod` is told when each method starts. */
export async function runAnalyticComparison(
  preset: AnalyticPreset,
  options: { samples: number; seed: number; methods: readonly AnalyticMethod[]; conditions?: 'unconditional' | 'class-balanced'; guidance?: GuidanceSettings },
  onMethod?: (name: string) => void,
): Promise<AnalyticComparison> {
  const models = analyticModelSet(preset);
  const mix = preset.mixture;
  const condition = (i: number): Condition => (options.conditions === 'class-balanced' ? { kind: 'class', label: i % mix.classes } : { kind: 'unconditional' });
  const items: SampleItem[] = Array.from({ length: options.samples }, (_, i) => ({ index: i, condition: condition(i) }));
  // reference and floor: two target sets drawn with seeds that no sampler uses
  const reference = targetMoments(preset, items, options.seed + 1_000_003);
  const second = targetMoments(preset, items, options.seed + 2_000_003);
  const floor = frechetFromMoments(second.moments, reference.moments).fd;
  const methods: AnalyticMethodResult[] = [];
  for (const method of options.methods) {
    onMethod?.(method.name);
    const sampler = samplers.get(method.sampler);
    const settings = sampler.parseSettings(method.settings, models);
    const started = performance.now();
    const result = await sampler.sample(models, { items, guidance: options.guidance ?? { firstFrame: 1, video: 1 }, settings }, new PhiloxNoise(options.seed));
    const wallSeconds = (performance.now() - started) / 1000;
    const fd = frechetFromMoments(sampleMoments(result.samples), reference.moments);
    const counts = new Array<number>(mix.components.length).fill(0);
    for (let i = 0; i < result.samples.batch; i++) counts[mix.classify(result.samples.sample(i))]++;
    const { records: _records, ...cost } = result.cost;
    methods.push({
      name: method.name,
      sampler: method.sampler,
      fd: fd.fd,
      fdOverFloor: fd.fd / floor,
      nfe: result.cost.nfe,
      flopsPerSample: result.cost.flopsPerSample,
      tokensPerSample: result.cost.tokensPerSample,
      componentShares: counts.map((c) => c / items.length),
      wallSeconds,
      resolved: result.resolved,
      cost,
      warnings: fd.warnings,
    });
  }
  return {
    preset: preset.name,
    samples: options.samples,
    seed: options.seed,
    dimension: mix.components[0].mean.length,
    floorFd: floor,
    targetShares: reference.shares,
    methods,
  };
}

/** A Markdown table of a comparison. */
export function comparisonTable(c: AnalyticComparison): string {
  const lines = [
    `Analytic testbed '${c.preset}': ${c.samples} samples, seed ${c.seed}, pixel dimension ${c.dimension}`,
    `FD floor (target vs target, same size): ${c.floorFd.toFixed(4)}`,
    '',
    '| method | FD (lower is better) | FD / floor | NFE | notional GFLOPs/sample | tokens/sample | wall s |',
    '|---|---|---|---|---|---|---|',
    ...c.methods.map(
      (m) =>
        `| ${m.name} | ${m.fd.toFixed(4)} | ${m.fdOverFloor.toFixed(2)} | ${m.nfe} | ${m.flopsPerSample === null ? 'n/a' : (m.flopsPerSample / 1e9).toFixed(3)} | ${m.tokensPerSample} | ${m.wallSeconds.toFixed(2)} |`,
    ),
  ];
  return lines.join('\n');
}
