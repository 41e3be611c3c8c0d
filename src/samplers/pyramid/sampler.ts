/**
 * The pyramidal flow sampler (Jin et al., 2024): per unit of frames, the spatial pyramid runs its stages from
 * the lowest resolution up, Euler steps within each stage's window, and a jump point (nearest upsample, rescale,
 * block noise) between stages; units after the first are conditioned on the compressed history of the temporal
 * pyramid. Matches Pyramid-Flow `generate` / `generate_one_unit` (commit 3040d71); `../shared/docs/pyramid-flow.md`.
 */
import { z } from 'zod';
import { type Tensor, concatFrames, down2Noise, sliceFrames, stackSamples, assertFinite } from '../../core/tensor.ts';
import type { NoiseSource } from '../../core/philox.ts';
import { parseWith } from '../../core/schema.ts';
import { withDefaults, type ModelSet, type ModelSpec, type VelocityModel } from '../../models/contract/velocity-model.ts';
import { blockTokens, type PlannedCall } from '../contract/plan-cost.ts';
import {
  callRecord,
  eulerStep,
  guidedVelocity,
  summarizeCost,
  validatePlan,
  jointGuidance,
  type CallRecord,
  type Sampler,
  type SamplingPlan,
  type SampleResult,
  type StepObserver,
} from '../contract/sampling.ts';
import { pyramidSchedule, type PyramidConfig, type StageSchedule } from '../../models/contract/schedule.ts';
import { jump, jumpCoefficients, type JumpOptions } from './renoise.ts';
import { buildHistory, historyLayout, videoUnits, type HistorySlice, type UnitFrames } from './temporal-pyramid.ts';

/** Settings of the pyramidal sampler. */
export interface PyramidSettings {
  /** Euler steps per stage for the first unit (Pyramid-Flow `num_inference_steps`, [20, 20, 20]). */
  readonly stepsPerStage: readonly number[];
  /** Euler steps per stage for later units (`video_num_inference_steps`, [10, 10, 10]). */
  readonly videoStepsPerStage: readonly number[];
  /** Latent frames per unit after the first (`frame_per_unit`, 1). */
  readonly framesPerUnit: number;
  /** 'autoregressive': the temporal pyramid, unit by unit; 'joint': all frames in one unit, no history. */
  readonly temporal: 'autoregressive' | 'joint';
  /** The jump point; anything but block noise with the corrected rescale is an ablation. */
  readonly jump: JumpOptions;
}

const settingsSchema = (stages: number) =>
  z
    .object({
      stepsPerStage: z.array(z.number().int().min(1).max(10000)).length(stages).default(Array(stages).fill(20)),
      videoStepsPerStage: z.array(z.number().int().min(1).max(10000)).length(stages).default(Array(stages).fill(10)),
      framesPerUnit: z.number().int().min(1).default(1),
      temporal: z.enum(['autoregressive', 'joint']).default('autoregressive'),
      jump: z
        .object({
          noise: z.enum(['block', 'independent', 'none']).default('block'),
          rescale: z.enum(['corrected', 'none']).default('corrected'),
        })
        .strict()
        .default({ noise: 'block', rescale: 'corrected' }),
    })
    .strict();

/** One unit of the timeline: its frames, guidance, stage grids and the history each stage sees. */
export interface PyramidUnitPlan extends UnitFrames {
  readonly guidanceScale: number;
  readonly stages: readonly StageSchedule[];
  /** Per stage, the earlier frames given as history (empty for the first unit and in joint mode). */
  readonly history: readonly (readonly HistorySlice[])[];
}

/** The whole generation as data: every unit, every stage's time grid, every history layout. */
export function pyramidTimeline(
  cfg: PyramidConfig,
  settings: PyramidSettings,
  frames: number,
  guidance: SamplingPlan<unknown>['guidance'],
): PyramidUnitPlan[] {
  const joint = settings.temporal === 'joint';
  const units: UnitFrames[] = joint ? [{ unit: 0, firstFrame: 0, frames }] : videoUnits(frames, settings.framesPerUnit);
  return units.map((u) => {
    const first = u.unit === 0;
    const stages = pyramidSchedule(cfg, first ? settings.stepsPerStage : settings.videoStepsPerStage);
    const generated = u.firstFrame;
    return {
      ...u,
      guidanceScale: joint ? jointGuidance(guidance, frames) : first ? guidance.firstFrame : guidance.video,
      stages,
      history: stages.map((s) => (settings.temporal === 'joint' ? [] : historyLayout(u.unit, s.stage, generated, settings.framesPerUnit))),
    };
  });
}

/** Every call the timeline will make, per sample, for the cost model (no model is run). */
export function plannedPyramidCalls(spec: ModelSpec, cfg: PyramidConfig, timeline: readonly PyramidUnitPlan[]): PlannedCall[] {
  const calls: PlannedCall[] = [];
  const K = cfg.stages;
  for (const unit of timeline) {
    for (const stage of unit.stages) {
      const history = unit.history[stage.stage].map((s) => blockTokens(s.frames, spec.height, spec.width, K - 1 - s.stage, spec.patchSize));
      const blocks = [...history, blockTokens(unit.frames, spec.height, spec.width, stage.level, spec.patchSize)];
      for (let i = 0; i < stage.timesteps.length; i++) {
        calls.push({ stage: stage.stage, blocks, rowsPerSample: unit.guidanceScale === 1 ? 1 : 2, cost: spec.cost });
      }
    }
  }
  return calls;
}

function pyramidModel(models: ModelSet): VelocityModel & { spec: { pyramid: PyramidConfig } } {
  const model = models.pyramid;
  if (!model) throw new RangeError(`sampler 'pyramid' needs a unified pyramidal model; ${models.id} has none`);
  if (!model.spec.pyramid) throw new RangeError(`model ${model.id} has no pyramid configuration; the pyramid sampler needs one`);
  return model as VelocityModel & { spec: { pyramid: PyramidConfig } };
}

/** Initial noise of every sample at full resolution (purpose "initial"), taken down K-1 times as noise. */
export function initialNoise(
  noise: NoiseSource,
  indices: readonly number[],
  shape: readonly [number, number, number, number],
  levels: number,
): Tensor {
  let t = stackSamples(
    indices.map((i) => noise.gaussian(i, 'initial', shape[0] * shape[1] * shape[2] * shape[3])),
    shape,
  );
  for (let l = 0; l < levels; l++) t = down2Noise(t);
  return t;
}

async function samplePyramid(
  models: ModelSet,
  plan: SamplingPlan<PyramidSettings>,
  noise: NoiseSource,
  onStep?: StepObserver,
): Promise<SampleResult> {
  const model = pyramidModel(models);
  const cfg = model.spec.pyramid;
  const frames = validatePlan(model, plan, 'pyramid');
  const { channels: C, height: H, width: W } = model.spec;
  const K = cfg.stages;
  if (H % 2 ** (K - 1) !== 0 || W % 2 ** (K - 1) !== 0) {
    throw new RangeError(`pyramid: ${H}x${W} cannot be halved ${K - 1} times; height and width must be multiples of ${2 ** (K - 1)}`);
  }
  const timeline = pyramidTimeline(cfg, plan.settings, frames, plan.guidance);
  const indices = plan.items.map((i) => i.index);
  const conditions = plan.items.map((i) => i.condition);
  const start = initialNoise(noise, indices, [C, frames, H, W], K - 1);
  const records: CallRecord[] = [];
  const finished: Tensor[] = [];
  let generated: Tensor | undefined;

  for (const unit of timeline) {
    let x = sliceFrames(start, unit.firstFrame, unit.firstFrame + unit.frames);
    for (const stage of unit.stages) {
      if (stage.stage > 0) {
        // jump point: upsample, rescale and add block noise (Pyramid-Flow generate_one_unit)
        const coefficients = jumpCoefficients(stage.rawStartSigma, cfg.gamma);
        x = jump(x, indices, `jump/unit${unit.unit}/stage${stage.stage}`, coefficients, cfg.gamma, noise, plan.settings.jump);
      }
      const history = generated ? buildHistory(generated, unit.history[stage.stage], K) : [];
      const steps = stage.timesteps.length;
      for (let i = 0; i < steps; i++) {
        const ratio = stage.ratios[i];
        const v = await guidedVelocity(
          model,
          {
            x,
            flow: { kind: 'pyramid', stage: stage.stage },
            ratio,
            timestep: stage.timesteps[i],
            conditions,
            history,
            firstFrame: unit.firstFrame,
          },
          unit.guidanceScale,
          (rowsPerSample, call, ms) => records.push(callRecord(model, call, unit.unit, stage.stage, stage.level, rowsPerSample, ms)),
        );
        eulerStep(x, v, ratio, stage.ratios[i + 1]);
        onStep?.({
          unit: unit.unit,
          units: timeline.length,
          stage: stage.stage,
          stages: K,
          step: i,
          steps,
          ratio,
          timestep: stage.timesteps[i],
        });
      }
    }
    assertFinite(x, `pyramid: unit ${unit.unit} of model ${model.id}`);
    finished.push(x);
    generated = generated ? concatFrames([generated, x]) : x;
  }
  return { samples: concatFrames(finished), cost: summarizeCost(records, plan.items.length) };
}

/** The pyramidal sampler: spatial pyramid with jump points, temporal pyramid, classifier-free guidance. */
export const pyramidSampler: Sampler<PyramidSettings> = {
  name: 'pyramid',
  description: 'pyramidal flow matching: spatial pyramid with corrective renoising, autoregressive temporal pyramid, CFG',
  parseSettings(raw: unknown, models: ModelSet): PyramidSettings {
    const cfg = pyramidModel(models).spec.pyramid;
    return parseWith(settingsSchema(cfg.stages), withDefaults(models, 'pyramid', raw), 'pyramid settings');
  },
  settingsFromSteps(steps, raw) {
    // one count for both: later units take the first unit's steps unless they are given apart
    return { ...raw, stepsPerStage: steps, ...(raw.videoStepsPerStage === undefined ? { videoStepsPerStage: steps } : {}) };
  },
  plan(models, settings, frames, guidance) {
    const model = pyramidModel(models);
    return plannedPyramidCalls(model.spec, model.spec.pyramid, pyramidTimeline(model.spec.pyramid, settings, frames, guidance));
  },
  sample: samplePyramid,
};
