/**
 * The full-resolution flow-matching baseline: Euler steps on one flow from noise to data at full resolution
 * (rectified flow / SD3 sampling, diffusers `FlowMatchEulerDiscreteScheduler`), either all frames jointly
 * (full-sequence generation) or frame unit by frame unit with an uncompressed full-resolution history. Its
 * step count is set directly, or matched to a pyramid plan by total steps or by compute.
 */
import { z } from 'zod';
import { type Tensor, concatFrames, sliceFrames, assertFinite } from '../core/tensor.ts';
import type { NoiseSource } from '../core/philox.ts';
import { parseWith, SchemaError } from '../core/schema.ts';
import { withDefaults, type HistoryEntry, type ModelSet, type ModelSpec, type VelocityModel } from '../models/contract/velocity-model.ts';
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
} from './contract/sampling.ts';
import { flowSchedule, type FlowSchedule } from '../models/contract/schedule.ts';
import { videoUnits, type UnitFrames } from './pyramid/temporal-pyramid.ts';
import { initialNoise, pyramidSampler, type PyramidSettings } from './pyramid/sampler.ts';
import { blockTokens, computeMeasure, totalPlannedCost, type PlannedCall } from './contract/plan-cost.ts';

/** Settings of the full-resolution sampler. */
export interface FullSettings {
  /** Euler steps for the first unit (or for all frames when joint); null when matched to a pyramid plan. */
  readonly steps: number | null;
  /** Euler steps for later units (autoregressive only); null when matched. */
  readonly videoSteps: number | null;
  readonly temporal: 'joint' | 'autoregressive';
  readonly framesPerUnit: number;
  /** Match a pyramid plan: the same total Euler steps, or the same compute per sample (FLOPs, else tokens). */
  readonly match: { readonly mode: 'steps' | 'compute'; readonly pyramid: PyramidSettings } | null;
}

/** Step counts after matching, and the compute ratio full / pyramid they give. */
export interface ResolvedSteps {
  readonly steps: number;
  readonly videoSteps: number;
  /** Per-sample compute of this plan over the matched pyramid plan's; null when not matched. */
  readonly computeRatio: number | null;
}

const stepsSchema = z.number().int().min(1).max(100000);
const rawSchema = z
  .object({
    steps: stepsSchema.optional(),
    videoSteps: stepsSchema.optional(),
    temporal: z.enum(['joint', 'autoregressive']).default('joint'),
    framesPerUnit: z.number().int().min(1).default(1),
    match: z.enum(['steps', 'compute']).optional(),
    /** Pyramid sampler settings to match (defaults to the pyramid sampler's defaults). */
    pyramid: z.unknown().optional(),
  })
  .strict();

interface FullUnitPlan extends UnitFrames {
  readonly guidanceScale: number;
  readonly schedule: FlowSchedule;
}

/** The full-resolution Euler timeline: one unit (joint) or the autoregressive units. */
export function fullTimeline(
  settings: Pick<FullSettings, 'temporal' | 'framesPerUnit'>,
  steps: { steps: number; videoSteps: number },
  frames: number,
  guidance: GuidanceSettings,
  shift: number,
): FullUnitPlan[] {
  const joint = settings.temporal === 'joint';
  const units: UnitFrames[] = joint ? [{ unit: 0, firstFrame: 0, frames }] : videoUnits(frames, settings.framesPerUnit);
  return units.map((u) => ({
    ...u,
    guidanceScale: joint ? jointGuidance(guidance, frames) : u.unit === 0 ? guidance.firstFrame : guidance.video,
    schedule: flowSchedule(u.unit === 0 ? steps.steps : steps.videoSteps, shift),
  }));
}

/** Every call of a full-resolution plan, per sample. */
export function plannedFullCalls(spec: ModelSpec, timeline: readonly FullUnitPlan[]): PlannedCall[] {
  const calls: PlannedCall[] = [];
  for (const unit of timeline) {
    const history = unit.firstFrame > 0 ? [blockTokens(unit.firstFrame, spec.height, spec.width, 0, spec.patchSize)] : [];
    const blocks = [...history, blockTokens(unit.frames, spec.height, spec.width, 0, spec.patchSize)];
    for (let i = 0; i < unit.schedule.timesteps.length; i++)
      calls.push({ stage: 0, blocks, rowsPerSample: unit.guidanceScale === 1 ? 1 : 2, cost: spec.cost });
  }
  return calls;
}

function fullModel(models: ModelSet): VelocityModel {
  if (!models.full) throw new RangeError(`sampler 'full' needs a full-resolution model; ${models.id} has none`);
  return models.full;
}

function parseFullSettings(raw: unknown, models: ModelSet): FullSettings {
  // a model's default step counts give way when the caller asks to match a pyramid plan
  const asksMatch = typeof raw === 'object' && raw !== null && 'match' in raw;
  const { steps: _steps, videoSteps: _videoSteps, ...otherDefaults } = models.samplerDefaults?.full ?? {};
  const merged = asksMatch ? { ...otherDefaults, ...(raw as object) } : withDefaults(models, 'full', raw);
  const r = parseWith(rawSchema, merged, 'full settings');
  fullModel(models);
  const base = { temporal: r.temporal, framesPerUnit: r.framesPerUnit };
  if (r.match === undefined) {
    if (r.pyramid !== undefined) throw new SchemaError(`full settings.pyramid is only read with 'match'; allowed: match: steps | compute`);
    const steps = r.steps ?? 50;
    return { ...base, steps, videoSteps: r.videoSteps ?? steps, match: null };
  }
  if (r.steps !== undefined || r.videoSteps !== undefined) {
    throw new SchemaError(
      `full settings: give either steps or match, not both (got steps ${r.steps ?? r.videoSteps} and match '${r.match}')`,
    );
  }
  return {
    ...base,
    steps: null,
    videoSteps: null,
    match: { mode: r.match, pyramid: pyramidSampler.parseSettings(r.pyramid ?? {}, models) },
  };
}

/**
 * The step counts a plan runs with. Matched by steps: the pyramid's total steps per unit. Matched by compute:
 * both counts scaled by one factor (keeping the pyramid's video/first-frame step ratio) to the per-sample
 * compute closest to the pyramid plan's (the pyramid sampler's `plan`), for the same frames and guidance.
 */
export function resolveFullSteps(models: ModelSet, settings: FullSettings, frames: number, guidance: GuidanceSettings): ResolvedSteps {
  const model = fullModel(models);
  const costOf = (steps: number, videoSteps: number) =>
    computeMeasure(
      totalPlannedCost(plannedFullCalls(model.spec, fullTimeline(settings, { steps, videoSteps }, frames, guidance, model.spec.shift))),
    );
  const pyramidCost = (p: PyramidSettings) => computeMeasure(totalPlannedCost(pyramidSampler.plan(models, p, frames, guidance)));
  if (settings.match === null) return { steps: settings.steps!, videoSteps: settings.videoSteps!, computeRatio: null };
  if (!models.pyramid?.spec.pyramid)
    throw new RangeError(`full: match '${settings.match.mode}' needs the pyramidal model of ${models.id}; it has none`);
  const p = settings.match.pyramid;
  const stepsFirst = p.stepsPerStage.reduce((a, b) => a + b, 0);
  const stepsVideo = p.videoStepsPerStage.reduce((a, b) => a + b, 0);
  const target = pyramidCost(p);
  if (settings.match.mode === 'steps')
    return { steps: stepsFirst, videoSteps: stepsVideo, computeRatio: costOf(stepsFirst, stepsVideo) / target };
  let best = { steps: 1, videoSteps: 1, gap: Infinity, cost: 0 };
  for (let steps = 1; steps <= 100000; steps++) {
    const videoSteps = Math.max(1, Math.round((steps * stepsVideo) / stepsFirst));
    const cost = costOf(steps, videoSteps);
    const gap = Math.abs(cost - target);
    if (gap < best.gap) best = { steps, videoSteps, gap, cost };
    if (cost > target) break;
  }
  return { steps: best.steps, videoSteps: best.videoSteps, computeRatio: best.cost / target };
}

async function sampleFull(
  models: ModelSet,
  plan: SamplingPlan<FullSettings>,
  noise: NoiseSource,
  onStep?: StepObserver,
): Promise<SampleResult> {
  const model = fullModel(models);
  const frames = validatePlan(model, plan, 'full');
  const { channels: C, height: H, width: W } = model.spec;
  const resolved = resolveFullSteps(models, plan.settings, frames, plan.guidance);
  const timeline = fullTimeline(plan.settings, resolved, frames, plan.guidance, model.spec.shift);
  const indices = plan.items.map((i) => i.index);
  const conditions = plan.items.map((i) => i.condition);
  const start = initialNoise(noise, indices, [C, frames, H, W], 0);
  const records: CallRecord[] = [];
  const finished: Tensor[] = [];
  for (const unit of timeline) {
    const x = sliceFrames(start, unit.firstFrame, unit.firstFrame + unit.frames);
    const history: HistoryEntry[] = unit.firstFrame > 0 ? [{ level: 0, firstFrame: 0, tensor: concatFrames(finished) }] : [];
    const { ratios, timesteps } = unit.schedule;
    for (let i = 0; i < timesteps.length; i++) {
      const v = await guidedVelocity(
        model,
        { x, flow: { kind: 'full' }, ratio: ratios[i], timestep: timesteps[i], conditions, history, firstFrame: unit.firstFrame },
        unit.guidanceScale,
        (rowsPerSample, call, ms) => records.push(callRecord(model, call, unit.unit, 0, 0, rowsPerSample, ms)),
      );
      eulerStep(x, v, ratios[i], ratios[i + 1]);
      onStep?.({
        unit: unit.unit,
        units: timeline.length,
        stage: 0,
        stages: 1,
        step: i,
        steps: timesteps.length,
        ratio: ratios[i],
        timestep: timesteps[i],
      });
    }
    assertFinite(x, `full: unit ${unit.unit} of model ${model.id}`);
    finished.push(x);
  }
  return { samples: concatFrames(finished), cost: summarizeCost(records, plan.items.length), resolved: { ...resolved } };
}

/** Full-resolution flow matching: Euler from noise to data at full resolution. */
export const fullResolutionSampler: Sampler<FullSettings> = {
  name: 'full',
  description: 'full-resolution flow matching (Euler), joint or autoregressive; steps set, or matched to a pyramid by steps or compute',
  parseSettings: parseFullSettings,
  settingsFromSteps(steps, raw) {
    // one flow: the per-stage counts summed, as when matching a pyramid plan by steps
    return { ...raw, steps: steps.reduce((a, b) => a + b, 0) };
  },
  plan(models, settings, frames, guidance) {
    const model = fullModel(models);
    return plannedFullCalls(
      model.spec,
      fullTimeline(settings, resolveFullSteps(models, settings, frames, guidance), frames, guidance, model.spec.shift),
    );
  },
  sample: sampleFull,
};
