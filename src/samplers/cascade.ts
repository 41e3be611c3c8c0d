/**
 * The cascaded baseline (Ho et al., 2022, "Cascaded Diffusion Models", in flow-matching form): a base model
 * generates at low resolution, then each super-resolution model, a separate network, generates at twice the
 * previous resolution from fresh noise, conditioned on the previous stage's output. All frames are generated
 * jointly at every stage.
 */
import { z } from 'zod';
import { type Tensor, assertFinite, stackSamples } from '../core/tensor.ts';
import type { NoiseSource } from '../core/philox.ts';
import { parseWith } from '../core/schema.ts';
import { withDefaults, type ModelSet, type ModelSpec, type VelocityModel } from '../models/contract/velocity-model.ts';
import {
  callRecord,
  eulerStep,
  guidedVelocity,
  jointGuidance,
  summarizeCost,
  validatePlan,
  type CallRecord,
  type Sampler,
  type SamplingPlan,
  type SampleResult,
  type StepObserver,
} from './contract/sampling.ts';
import { flowSchedule } from '../models/contract/schedule.ts';
import { initialNoise } from './pyramid/sampler.ts';
import { blockTokens, type PlannedCall } from './contract/plan-cost.ts';

/** Settings of the cascade: Euler steps for the base and for each super-resolution stage. */
export interface CascadeSettings {
  readonly stepsPerStage: readonly number[];
}

function cascadeModels(models: ModelSet): readonly VelocityModel[] {
  const stages = models.cascade;
  if (!stages || stages.length === 0) throw new RangeError(`sampler 'cascade' needs cascade stage models; ${models.id} has none`);
  stages.forEach((m, s) => {
    const want = s === 0 ? 'cascade-base' : 'cascade-super-resolution';
    if (m.spec.role !== want) throw new RangeError(`cascade stage ${s} (${m.id}) has role '${m.spec.role}'; expected '${want}'`);
    if (s > 0) {
      const prev = stages[s - 1].spec;
      if (m.spec.height !== 2 * prev.height || m.spec.width !== 2 * prev.width || m.spec.channels !== prev.channels) {
        throw new RangeError(
          `cascade stage ${s} (${m.id}) is ${m.spec.channels}x${m.spec.height}x${m.spec.width}; it must be twice stage ${s - 1}'s ${prev.channels}x${prev.height}x${prev.width}`,
        );
      }
    }
  });
  return stages;
}

/** Every call of a cascade plan, per sample: steps of each stage at its own resolution. */
export function plannedCascadeCalls(
  specs: readonly ModelSpec[],
  steps: readonly number[],
  frames: number,
  guidanceScale: number,
): PlannedCall[] {
  const calls: PlannedCall[] = [];
  specs.forEach((spec, s) => {
    const blocks = [blockTokens(frames, spec.height, spec.width, 0, spec.patchSize)];
    for (let i = 0; i < steps[s]; i++) calls.push({ stage: s, blocks, rowsPerSample: guidanceScale === 1 ? 1 : 2, cost: spec.cost });
  });
  return calls;
}

async function sampleCascade(
  models: ModelSet,
  plan: SamplingPlan<CascadeSettings>,
  noise: NoiseSource,
  onStep?: StepObserver,
): Promise<SampleResult> {
  const stages = cascadeModels(models);
  const last = stages[stages.length - 1];
  const frames = validatePlan(stages[0], plan, 'cascade');
  for (const m of stages.slice(1)) validatePlan(m, plan, 'cascade');
  const indices = plan.items.map((i) => i.index);
  const conditions = plan.items.map((i) => i.condition);
  const scale = jointGuidance(plan.guidance, frames);
  const records: CallRecord[] = [];
  let previous: Tensor | undefined;
  for (const [s, model] of stages.entries()) {
    const { channels: C, height: h, width: w } = model.spec;
    // base: the full-resolution initial noise taken down (paired with the other samplers); later stages: fresh noise
    const x =
      s === 0
        ? initialNoise(noise, indices, [C, frames, last.spec.height, last.spec.width], stages.length - 1)
        : stackSamples(
            indices.map((i) => noise.gaussian(i, `cascade/stage${s}`, C * frames * h * w)),
            [C, frames, h, w],
          );
    const { ratios, timesteps } = flowSchedule(plan.settings.stepsPerStage[s], model.spec.shift);
    const level = stages.length - 1 - s;
    for (let i = 0; i < timesteps.length; i++) {
      const v = await guidedVelocity(
        model,
        {
          x,
          flow: s === 0 ? { kind: 'full' } : { kind: 'super-resolution' },
          ratio: ratios[i],
          timestep: timesteps[i],
          conditions,
          history: [],
          firstFrame: 0,
          previousStage: previous,
        },
        scale,
        (rowsPerSample, call, ms) => records.push(callRecord(model, call, 0, s, level, rowsPerSample, ms)),
      );
      eulerStep(x, v, ratios[i], ratios[i + 1]);
      onStep?.({
        unit: 0,
        units: 1,
        stage: s,
        stages: stages.length,
        step: i,
        steps: timesteps.length,
        ratio: ratios[i],
        timestep: timesteps[i],
      });
    }
    assertFinite(x, `cascade: stage ${s} (${model.id})`);
    previous = x;
  }
  return { samples: previous!, cost: summarizeCost(records, plan.items.length) };
}

/** Cascaded generation: a base model, then separate super-resolution models. */
export const cascadeSampler: Sampler<CascadeSettings> = {
  name: 'cascade',
  description: 'cascaded generation: low-resolution base model, then separate 2x super-resolution models conditioned on the previous stage',
  parseSettings(raw: unknown, models: ModelSet): CascadeSettings {
    const n = cascadeModels(models).length;
    const schema = z.object({ stepsPerStage: z.array(z.number().int().min(1).max(100000)).length(n).default(Array(n).fill(20)) }).strict();
    return parseWith(schema, withDefaults(models, 'cascade', raw), 'cascade settings');
  },
  settingsFromSteps(steps, raw) {
    return { ...raw, stepsPerStage: steps };
  },
  plan(models, settings, frames, guidance) {
    return plannedCascadeCalls(
      cascadeModels(models).map((m) => m.spec),
      settings.stepsPerStage,
      frames,
      jointGuidance(guidance, frames),
    );
  },
  sample: sampleCascade,
};
