/**
 * What every sampler shares: the plan (which samples, with which conditions), the result (samples plus their
 * cost), classifier-free guidance, and the per-call cost accounting. The pyramidal sampler, the full-resolution
 * sampler and the cascade all have the signature `sample(models, plan, noise, onStep?)`.
 */
import { concatBatch, formatShape, Tensor, sameShape } from '../../core/tensor.ts';
import type { NoiseSource } from '../../core/philox.ts';
import { rowFlops, tokensPerFrame } from '../../models/contract/cost-model.ts';
import type { PlannedCall } from './plan-cost.ts';
import {
  validateCondition,
  type Condition,
  type HistoryEntry,
  type ModelSet,
  type VelocityInput,
  type VelocityModel,
} from '../../models/contract/velocity-model.ts';

/** One sample to generate: its index (which addresses its noise) and its condition. */
export interface SampleItem {
  readonly index: number;
  readonly condition: Condition;
}

/** Classifier-free guidance scales; 1 means no guidance (and no unconditional call). */
export interface GuidanceSettings {
  /** Scale for the first frame (Pyramid-Flow `guidance_scale`, 7 by default). */
  readonly firstFrame: number;
  /** Scale for later frames (Pyramid-Flow `video_guidance_scale`, 5 by default). */
  readonly video: number;
}

/** The scale used when all frames are generated together: the first-frame scale for an image, else the video scale. */
export function jointGuidance(guidance: GuidanceSettings, frames: number): number {
  return frames === 1 ? guidance.firstFrame : guidance.video;
}

export const NO_GUIDANCE: GuidanceSettings = Object.freeze({ firstFrame: 1, video: 1 });

/** What to generate, common to every sampler, plus the sampler's own settings. */
export interface SamplingPlan<S> {
  readonly items: readonly SampleItem[];
  /** Frames to generate (latent frames); defaults to the model's frame count. */
  readonly frames?: number;
  readonly guidance: GuidanceSettings;
  readonly settings: S;
}

/** Progress of a sampler, reported after every Euler step. */
export interface StepEvent {
  readonly unit: number;
  readonly units: number;
  readonly stage: number;
  readonly stages: number;
  readonly step: number;
  readonly steps: number;
  readonly ratio: number;
  readonly timestep: number;
}

export type StepObserver = (event: StepEvent) => void;

/** One network call as the cost model sees it. */
export interface CallRecord {
  readonly model: string;
  readonly unit: number;
  readonly stage: number;
  /** Downsampling exponent of the call's resolution relative to full resolution. */
  readonly level: number;
  /** Rows in the call: the batch, doubled under classifier-free guidance. */
  readonly rows: number;
  /** Rows per sample (2 under guidance, else 1): the network evaluations each sample receives. */
  readonly rowsPerSample: number;
  readonly frames: number;
  readonly height: number;
  readonly width: number;
  /** Tokens of the current state, per row. */
  readonly tokens: number;
  /** Tokens of the history, per row. */
  readonly historyTokens: number;
  /** FLOPs of the whole call (all rows), or null when the backend cannot say. */
  readonly flops: number | null;
  /** Wall time of the model's predict, milliseconds (0 until measured). */
  readonly durationMs: number;
}

/** Cost totals of one stage (or cascade model). */
export interface StageCost {
  readonly stage: number;
  readonly calls: number;
  /** Network evaluations per sample. */
  readonly nfe: number;
  /** Tokens processed per sample (current plus history, summed over evaluations). */
  readonly tokensPerSample: number;
  readonly flopsPerSample: number | null;
  /** Summed wall time of this stage's model calls, seconds (the whole batch). */
  readonly modelSeconds: number;
}

/** What generation cost, per sample and in total. */
export interface CostSummary {
  /** Network calls for the whole batch. */
  readonly calls: number;
  /** Network evaluations per sample (a guided call counts 2). */
  readonly nfe: number;
  readonly tokensPerSample: number;
  readonly flopsPerSample: number | null;
  /** Summed wall time of all model calls, seconds (the whole batch). */
  readonly modelSeconds: number;
  readonly stages: readonly StageCost[];
  readonly records: readonly CallRecord[];
}

/** Samples [B, C, T, H, W] in plan order, and their cost. */
export interface SampleResult {
  readonly samples: Tensor;
  readonly cost: CostSummary;
  /** Settings the sampler derived at run time (e.g. matched step counts), for reports. */
  readonly resolved?: Readonly<Record<string, unknown>>;
}

/**
 * A sampler: one signature for all, settings checked by `parseSettings`, its calls known before it runs
 * (`plan`), so the cost table, compute matching and commands need no sampler's name.
 */
export interface Sampler<S> {
  readonly name: string;
  readonly description: string;
  /** Fills defaults and validates raw settings (e.g. from a suite file); throws naming the bad field. */
  parseSettings(raw: unknown, models: ModelSet): S;
  /**
   * Raw settings for a generic step count given per stage (a command line's `--steps 20,20,20`), laid over
   * `raw`; the sampler says what the count means for it (per stage, or summed). `parseSettings` checks the result.
   */
  settingsFromSteps(steps: readonly number[], raw: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /**
   * Every network call one sample will receive under `settings`, `frames` (latent frames) and `guidance`, in
   * order, with the calling model's transformer dimensions; nothing runs. `sample` records the same calls, so
   * `totalPlannedCost(plan(...))` equals the recorded cost per sample (tested for every sampler).
   */
  plan(models: ModelSet, settings: S, frames: number, guidance: GuidanceSettings): PlannedCall[];
  sample(models: ModelSet, plan: SamplingPlan<S>, noise: NoiseSource, onStep?: StepObserver): Promise<SampleResult>;
}

/** Sums call records into a cost summary; `batch` is the number of samples generated. */
export function summarizeCost(records: readonly CallRecord[], batch: number): CostSummary {
  const byStage = new Map<number, CallRecord[]>();
  for (const r of records) {
    const list = byStage.get(r.stage) ?? [];
    list.push(r);
    byStage.set(r.stage, list);
  }
  const stageCost = (stage: number, list: readonly CallRecord[]): StageCost => {
    const nfe = list.reduce((a, r) => a + r.rowsPerSample, 0);
    const tokens = list.reduce((a, r) => a + r.rowsPerSample * (r.tokens + r.historyTokens), 0);
    const flops = list.every((r) => r.flops !== null) ? list.reduce((a, r) => a + (r.flops as number), 0) / Math.max(batch, 1) : null;
    const modelSeconds = list.reduce((a, r) => a + r.durationMs, 0) / 1000;
    return { stage, calls: list.length, nfe, tokensPerSample: tokens, flopsPerSample: flops, modelSeconds };
  };
  const stages = [...byStage.keys()].sort((a, b) => a - b).map((s) => stageCost(s, byStage.get(s)!));
  const total = stageCost(-1, records);
  return {
    calls: total.calls,
    nfe: total.nfe,
    tokensPerSample: total.tokensPerSample,
    flopsPerSample: total.flopsPerSample,
    modelSeconds: total.modelSeconds,
    stages,
    records,
  };
}

/** Tokens of a tensor [rows, C, frames, h, w] for a model's patch size. */
export function tensorTokens(model: VelocityModel, frames: number, height: number, width: number): number {
  return frames * tokensPerFrame(height, width, model.spec.patchSize);
}

/**
 * The cost record of one call: tokens from the shapes, FLOPs from the model's transformer dimensions (history
 * blocks oldest first, then the current unit, block-causal).
 */
export function callRecord(
  model: VelocityModel,
  input: VelocityInput,
  unit: number,
  stage: number,
  level: number,
  rowsPerSample: number,
  durationMs = 0,
): CallRecord {
  const [rows, , frames, height, width] = input.x.shape;
  const tokens = tensorTokens(model, frames, height, width);
  const historyBlocks = input.history.map((h) => tensorTokens(model, h.tensor.frames, h.tensor.height, h.tensor.width));
  const historyTokens = historyBlocks.reduce((a, b) => a + b, 0);
  const cost = model.spec.cost;
  const flops = cost ? rows * rowFlops(cost, [...historyBlocks, tokens]) : null;
  return { model: model.id, unit, stage, level, rows, rowsPerSample, frames, height, width, tokens, historyTokens, flops, durationMs };
}

/** Guidance's doubled copies of history and previous-stage tensors, which samplers never modify once given. */
const doubledInputs = new WeakMap<Tensor, Tensor>();

/**
 * The guided velocity for a batch: with scale 1 one conditional call; otherwise one call over
 * [unconditional rows, conditional rows] and v = v_uncond + scale (v_cond - v_uncond) (Ho & Salimans, 2022,
 * eq. 6 in velocity form; Pyramid-Flow `generate_one_unit` chunks uncond first).
 */
export async function guidedVelocity(
  model: VelocityModel,
  input: VelocityInput,
  scale: number,
  record: (rowsPerSample: number, call: VelocityInput, durationMs: number) => void,
): Promise<Tensor> {
  const B = input.x.batch;
  if (scale === 1) {
    const started = performance.now();
    const v = await model.predict(input);
    record(1, input, performance.now() - started);
    return checkVelocity(model, input, v);
  }
  const doubled = (t: Tensor) => concatBatch([t, t]);
  // history and the previous stage stay the same over a stage's steps: doubled once (and, being the same
  // tensor, sent once to a worker that caches them)
  const doubledOnce = (t: Tensor) => {
    let d = doubledInputs.get(t);
    if (!d) {
      d = doubled(t);
      doubledInputs.set(t, d);
    }
    return d;
  };
  const unconditional: Condition[] = input.conditions.map(() => ({ kind: 'unconditional' }));
  const call: VelocityInput = {
    ...input,
    x: doubled(input.x),
    conditions: [...unconditional, ...input.conditions],
    history: input.history.map((h): HistoryEntry => ({ ...h, tensor: doubledOnce(h.tensor) })),
    previousStage: input.previousStage ? doubledOnce(input.previousStage) : undefined,
  };
  const started = performance.now();
  const predicted = await model.predict(call);
  record(2, call, performance.now() - started);
  const v = checkVelocity(model, call, predicted);
  // combined in place into the unconditional half of the network's output (a fresh buffer per call)
  const n = B * input.x.sampleSize;
  const d = v.data;
  for (let i = 0; i < n; i++) {
    const u = d[i];
    d[i] = u + scale * (d[n + i] - u);
  }
  return new Tensor(input.x.shape, d.subarray(0, n));
}

function checkVelocity(model: VelocityModel, input: VelocityInput, v: Tensor): Tensor {
  if (!sameShape(v.shape, input.x.shape)) {
    throw new RangeError(
      `model ${model.id} returned a velocity of shape ${formatShape(v.shape)} for an input of shape ${formatShape(input.x.shape)}`,
    );
  }
  return v;
}

/** Euler step in place: x <- x + (rNext - r) v (Pyramid-Flow scheduler `step`). */
export function eulerStep(x: Tensor, v: Tensor, r: number, rNext: number): void {
  const h = rNext - r;
  const xd = x.data;
  const vd = v.data;
  for (let i = 0; i < xd.length; i++) xd[i] += h * vd[i];
}

/** Checks the parts of a plan every sampler shares; returns the frame count. */
export function validatePlan(model: VelocityModel, plan: SamplingPlan<unknown>, sampler: string): number {
  if (plan.items.length === 0) throw new RangeError(`${sampler}: the plan has no items; give at least one sample`);
  plan.items.forEach((item, i) => {
    if (!Number.isInteger(item.index) || item.index < 0 || item.index > 0xffffffff) {
      throw new RangeError(`${sampler}: items[${i}].index is ${item.index}; allowed: an integer from 0 to 4294967295`);
    }
    validateCondition(item.condition, model.spec.conditioning, `${sampler}: items[${i}].condition`);
  });
  const frames = plan.frames ?? model.spec.frames;
  if (!Number.isInteger(frames) || frames < 1 || frames > model.spec.frames) {
    throw new RangeError(`${sampler}: frames is ${frames}; model ${model.id} generates 1 to ${model.spec.frames} frames`);
  }
  for (const key of ['firstFrame', 'video'] as const) {
    const s = plan.guidance[key];
    if (!Number.isFinite(s) || s < 0)
      throw new RangeError(`${sampler}: guidance.${key} is ${s}; allowed: a finite number >= 0 (1 = no guidance)`);
    if (s !== 1 && model.spec.conditioning.kind === 'none') {
      throw new RangeError(`${sampler}: guidance.${key} is ${s}, but model ${model.id} is unconditional; allowed: 1`);
    }
  }
  return frames;
}
