/**
 * A custom sampler written against the sampler contract alone (`src/samplers/contract/`): Heun's second-order
 * method on the full-resolution flow (Karras et al., 2022, "Elucidating the design space", Algorithm 1, with the
 * velocity in place of the denoiser), registered as `heun` so suites and the CLI can name it. docs/extending.md,
 * "A sampler".
 *
 * `main()` runs it on the exact analytic testbed (`analytic:tiny-image`) and compares its distance to the exact
 * ODE end point (Euler with 1000 steps) with plain Euler's at the same number of network evaluations.
 *
 * Run: npx tsx examples/custom-sampler.ts
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { type Tensor, assertFinite, stackSamples } from '../src/core/tensor.ts';
import { PhiloxNoise, type NoiseSource } from '../src/core/philox.ts';
import { parseWith } from '../src/core/schema.ts';
import type { ModelSet, VelocityInput, VelocityModel } from '../src/models/contract/velocity-model.ts';
import { flowSchedule } from '../src/models/contract/schedule.ts';
import {
  callRecord,
  eulerStep,
  guidedVelocity,
  jointGuidance,
  summarizeCost,
  validatePlan,
  type CallRecord,
  type GuidanceSettings,
  type Sampler,
  type SamplingPlan,
  type SampleResult,
  type StepObserver,
} from '../src/samplers/contract/sampling.ts';
import { blockTokens, totalPlannedCost, type PlannedCall } from '../src/samplers/contract/plan-cost.ts';
import { samplers } from '../src/samplers/index.ts';
import { loadModelSet } from '../src/models/load.ts';

/** Settings of the Heun sampler. */
export interface HeunSettings {
  /** Intervals of the time grid (flowSchedule(steps): steps values from 1 to 1/T, then 0). */
  readonly steps: number;
}

const settingsSchema = z.object({ steps: z.number().int().min(1).max(10000).default(10) }).strict();

function fullModel(models: ModelSet): VelocityModel {
  if (!models.full) throw new RangeError(`sampler 'heun' needs a full-resolution model; ${models.id} has none`);
  return models.full;
}

/**
 * Every call the sampler makes for one sample, without running it: two per interval (predictor and corrector),
 * but one on the last interval, which ends at r = 0 where the corrector would need the velocity at the data
 * itself (Karras et al. skip it at sigma = 0 too). 2 rows per sample under guidance.
 */
export function planHeun(models: ModelSet, settings: HeunSettings, frames: number, guidance: GuidanceSettings): PlannedCall[] {
  const spec = fullModel(models).spec;
  const calls = 2 * settings.steps - 1;
  const blocks = [blockTokens(frames, spec.height, spec.width, 0, spec.patchSize)];
  const rowsPerSample = jointGuidance(guidance, frames) === 1 ? 1 : 2;
  return Array.from({ length: calls }, () => ({ stage: 0, blocks, rowsPerSample }));
}

async function sampleHeun(
  models: ModelSet,
  plan: SamplingPlan<HeunSettings>,
  noise: NoiseSource,
  onStep?: StepObserver,
): Promise<SampleResult> {
  const model = fullModel(models);
  const frames = validatePlan(model, plan, 'heun');
  const { channels: C, height: H, width: W } = model.spec;
  const { ratios, timesteps } = flowSchedule(plan.settings.steps, model.spec.shift);
  const conditions = plan.items.map((i) => i.condition);
  const scale = jointGuidance(plan.guidance, frames);
  // the same initial noise as the other samplers (purpose "initial"), so samples are paired across samplers
  const x = stackSamples(
    plan.items.map((i) => noise.gaussian(i.index, 'initial', C * frames * H * W)),
    [C, frames, H, W],
  );
  const records: CallRecord[] = [];
  const velocity = (state: Tensor, ratio: number, timestep: number) => {
    const input: VelocityInput = { x: state, flow: { kind: 'full' }, ratio, timestep, conditions, history: [], firstFrame: 0 };
    return guidedVelocity(model, input, scale, (rowsPerSample, call, ms) =>
      records.push(callRecord(model, call, 0, 0, 0, rowsPerSample, ms)),
    );
  };
  for (let i = 0; i < timesteps.length; i++) {
    const [r, rNext] = [ratios[i], ratios[i + 1]];
    const v = await velocity(x, r, timesteps[i]);
    if (rNext > 0) {
      // predictor: an Euler step to rNext; corrector: the average of the velocities at both ends (trapezoid rule)
      const predicted = x.clone();
      eulerStep(predicted, v, r, rNext);
      const vNext = await velocity(predicted, rNext, timesteps[i + 1]);
      for (let j = 0; j < v.data.length; j++) v.data[j] = 0.5 * (v.data[j] + vNext.data[j]);
    }
    eulerStep(x, v, r, rNext);
    onStep?.({ unit: 0, units: 1, stage: 0, stages: 1, step: i, steps: timesteps.length, ratio: r, timestep: timesteps[i] });
  }
  assertFinite(x, `heun: model ${model.id}`);
  return { samples: x, cost: summarizeCost(records, plan.items.length) };
}

/** Heun's method on the full-resolution flow, with `plan` giving its calls up front. */
export const heunSampler: Sampler<HeunSettings> = {
  name: 'heun',
  description: "Heun's second-order method on the full-resolution flow (example: examples/custom-sampler.ts)",
  parseSettings(raw: unknown, models: ModelSet): HeunSettings {
    fullModel(models);
    return parseWith(settingsSchema, raw ?? {}, 'heun settings');
  },
  settingsFromSteps(steps, raw) {
    // `--steps a,b,c`: one flow, so the intervals are the counts summed
    return { ...raw, steps: steps.reduce((a, b) => a + b, 0) };
  },
  sample: sampleHeun,
  plan: planHeun,
};

/** Registers the sampler under its name (the registry rejects a second registration). */
export function registerHeun(): void {
  if (!samplers.has(heunSampler.name)) samplers.register(heunSampler.name, heunSampler as Sampler<unknown>, heunSampler.description);
}

/** What `main` computed. */
export interface SamplerExampleResult {
  readonly heun: { readonly nfe: number; readonly plannedNfe: number; readonly rmsError: number };
  readonly euler: { readonly nfe: number; readonly rmsError: number };
  readonly shape: readonly number[];
}

/** Heun with 8 intervals (15 evaluations) against Euler with 15 steps, each scored against Euler with 1000 steps. */
export async function main(): Promise<SamplerExampleResult> {
  registerHeun();
  const models = await loadModelSet('analytic:tiny-image');
  try {
    const items = [0, 1, 2, 3, 4, 5, 6, 7].map((index) => ({ index, condition: { kind: 'class' as const, label: index % 2 } }));
    const guidance = { firstFrame: 1, video: 1 };
    const run = (name: string, settings: unknown) => {
      const sampler = samplers.get(name);
      return sampler.sample(models, { items, guidance, settings: sampler.parseSettings(settings, models) }, new PhiloxNoise(0));
    };
    const exact = await run('full', { steps: 1000 });
    const rms = (a: Tensor) => Math.sqrt(a.data.reduce((s, v, i) => s + (v - exact.samples.data[i]) ** 2, 0) / a.size);
    const heun = await run('heun', { steps: 8 });
    const euler = await run('full', { steps: heun.cost.nfe });
    const planned = totalPlannedCost(heunSampler.plan(models, { steps: 8 }, 1, guidance));
    return {
      heun: { nfe: heun.cost.nfe, plannedNfe: planned.nfe, rmsError: rms(heun.samples) },
      euler: { nfe: euler.cost.nfe, rmsError: rms(euler.samples) },
      shape: heun.samples.shape,
    };
  } finally {
    await models.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then((result) => console.log(JSON.stringify(result, null, 2)));
}
