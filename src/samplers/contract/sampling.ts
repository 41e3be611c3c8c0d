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
  modelSetSpec,
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

/**
 * Classifier-free guidance scales as the samplers take them: 1 means no guidance (one conditional call, no
 * unconditional call); a scale of 0 or below never reaches a sampler (`resolveGuidance` maps the official
 * "guidance off" scale to 1).
 */
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

/**
 * The guidance Pyramid-Flow's README runs (`guidance_scale=7`, `video_guidance_scale=5`, jy0205/Pyramid-Flow
 * README at 3040d71): the default for text-to-video packages that set none. `generate()`'s own signature
 * defaults differ (7 for both, with 28 steps per stage).
 */
export const OFFICIAL_GUIDANCE: GuidanceSettings = Object.freeze({ firstFrame: 7, video: 5 });

/** Where a run's guidance came from: the suite or command line, the package, the official default, or none (1, 1). */
export type GuidanceSource = 'given' | 'package' | 'official' | 'none';

/**
 * The guidance a set runs with when the suite or command line gives none: the package's, else for a
 * text-conditional set with `official` on Pyramid-Flow's README guidance (7 / 5), else none (1, 1). Class-
 * conditional and unconditional sets never get the official default (it belongs to the text-to-video model).
 */
export function defaultGuidance(models: ModelSet, official: boolean): { guidance: GuidanceSettings; source: GuidanceSource } {
  if (models.guidanceDefaults) return { guidance: models.guidanceDefaults, source: 'package' };
  if (official && modelSetSpec(models).conditioning.kind === 'text') return { guidance: OFFICIAL_GUIDANCE, source: 'official' };
  return { guidance: NO_GUIDANCE, source: 'none' };
}

/**
 * Guidance as given (a suite, a command line, a package) turned into what the samplers take, following
 * Pyramid-Flow `generate()` (jy0205/Pyramid-Flow 3040d71, `do_classifier_free_guidance` is
 * `guidance_scale > 0`): a first-frame scale of 0 turns guidance off for every frame (conditional prediction only),
 * which the samplers take as 1 (one conditional call). With a first-frame scale above 0 every frame is guided
 * with the formula, so a video scale of 0 gives the unconditional prediction for later frames, as there. Refused,
 * naming `where`: a negative or non-finite scale, and a first-frame scale of 0 with a video scale other than 0
 * or 1 (the official code would ignore it).
 */
export function resolveGuidance(given: GuidanceSettings, where: string): GuidanceSettings {
  for (const key of ['firstFrame', 'video'] as const) {
    const s = given[key];
    if (!Number.isFinite(s) || s < 0)
      throw new RangeError(
        `${where}.${key} is ${s}; allowed: a finite number >= 0 (1 = one conditional call; 0 = guidance off, as Pyramid-Flow's generate() treats a scale <= 0)`,
      );
  }
  if (given.firstFrame > 0) return given;
  if (given.video !== 0 && given.video !== 1)
    throw new RangeError(
      `${where}.video is ${given.video} with firstFrame 0; Pyramid-Flow's generate() turns guidance off for every frame when the first-frame scale is 0, so the video scale would be ignored; allowed: video 0 or 1 with firstFrame 0, or a firstFrame above 0`,
    );
  return NO_GUIDANCE;
}

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
 * eq. 6 in velocity form; Pyramid-Flow `generate_one_unit` chunks uncond first). At scale 1 Pyramid-Flow still
 * doubles the batch (its guidance is on at any scale > 0) and computes v_uncond + 1 (v_cond - v_uncond), which
 * is v_cond up to float rounding: the one conditional call here gives the same numbers at half the cost.
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
    if (key === 'firstFrame' && s === 0)
      throw new RangeError(
        `${sampler}: guidance.firstFrame is 0; the samplers take guidance off as 1 (resolveGuidance maps Pyramid-Flow's scale 0 to it); allowed: a number > 0`,
      );
    if (s !== 1 && model.spec.conditioning.kind === 'none') {
      throw new RangeError(`${sampler}: guidance.${key} is ${s}, but model ${model.id} is unconditional; allowed: 1`);
    }
  }
  return frames;
}
