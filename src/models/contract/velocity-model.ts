/**
 * The interface between samplers and backends: given the noisy state at one stage's resolution, the time, the
 * conditioning and the history of earlier frames, a model returns the velocity d x / d r (Pyramid-Flow's
 * network output: `start - end`, so the Euler step with decreasing r moves towards the end point).
 */
import type { Tensor } from '../../core/tensor.ts';
import type { PyramidConfig } from './schedule.ts';
import type { TransformerCost } from './cost-model.ts';
import type { ComputeDevice } from './device.ts';

/** What a sample is conditioned on. */
export type Condition =
  | { readonly kind: 'class'; readonly label: number }
  | {
      readonly kind: 'text';
      readonly prompt: string;
      /** Token embeddings, row-major [tokens, dim]. */
      readonly embedding: Float32Array;
      readonly tokens: number;
      readonly dim: number;
    }
  /** The unconditional input of classifier-free guidance (null class, or the negative/empty prompt). */
  | { readonly kind: 'unconditional' };

/** What a model can be conditioned on. */
export type ConditioningSpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'class'; readonly classes: number }
  | { readonly kind: 'text'; readonly tokens: number; readonly dim: number };

/** Which flow a call belongs to; a model refuses a flow it was not trained for. */
export type FlowRef =
  /** Stage `stage` of the unified pyramidal model's own pyramid. */
  | { readonly kind: 'pyramid'; readonly stage: number }
  /** A plain flow from noise to data at the model's resolution (full-resolution model, cascade base stage). */
  | { readonly kind: 'full' }
  /** A cascade super-resolution flow: noise to data at this stage, given the previous stage's output. */
  | { readonly kind: 'super-resolution' };

/** Earlier clean frames given to the model, at a reduced resolution. */
export interface HistoryEntry {
  /** Downsampling exponent relative to full resolution (0 = full). */
  readonly level: number;
  /** Index of the entry's first frame in the video. */
  readonly firstFrame: number;
  /** [rows, C, frames, H / 2^level, W / 2^level]; rows match the call's batch. */
  readonly tensor: Tensor;
}

/** One velocity call. */
export interface VelocityInput {
  /** Noisy state [rows, C, frames, h, w] at the flow's resolution. */
  readonly x: Tensor;
  readonly flow: FlowRef;
  /** Local time r in [0, 1]: 1 is the flow's start point, 0 its end point. */
  readonly ratio: number;
  /** The network's timestep input for this step (Pyramid-Flow's `timestep_ratio`, 1000 = pure noise). */
  readonly timestep: number;
  /** One condition per row. */
  readonly conditions: readonly Condition[];
  /** Earlier frames, oldest first (empty for the first unit or when not autoregressive). */
  readonly history: readonly HistoryEntry[];
  /** Index of x's first frame in the video. */
  readonly firstFrame: number;
  /** Super-resolution flows: the previous stage's clean output [rows, C, frames, h/2, w/2]. */
  readonly previousStage?: Tensor;
}

/** The shape a model generates and how it was trained. */
export interface ModelSpec {
  /** Channels of the generated tensor (latent or pixel). */
  readonly channels: number;
  /** Most frames the model generates. */
  readonly frames: number;
  /** Height and width of the model's output: full resolution for pyramid and full models, the stage's own for a cascade stage. */
  readonly height: number;
  readonly width: number;
  /** The flows this model serves. */
  readonly role: 'pyramid' | 'full' | 'cascade-base' | 'cascade-super-resolution';
  /** Unified pyramidal models: the pyramid they were trained with. */
  readonly pyramid?: PyramidConfig;
  /** Timestep shift for plain flows (1 = none). */
  readonly shift: number;
  readonly conditioning: ConditioningSpec;
  /** Spatial patch size: tokens per frame = (h / patch) * (w / patch). */
  readonly patchSize: number;
  /** Transformer dimensions for the FLOP model; absent when the backend cannot say. */
  readonly cost?: TransformerCost;
  /** Whether `cost` describes the network that runs ('measured-architecture') or a notional one ('notional'). */
  readonly costSource?: 'architecture' | 'notional';
}

/** What `ModelSet.memoryReport` says. */
export interface MemoryReport {
  /** Peak device (GPU) memory allocated, bytes, or null where the set computes on a CPU. */
  readonly devicePeakBytes: number | null;
  /** Peak resident set size of the set's worker process, bytes, or null without one. */
  readonly workerMaxRssBytes: number | null;
}

/** Something that predicts a velocity. Backends (analytic, ONNX) implement it. */
export interface VelocityModel {
  /** A readable name, e.g. "analytic:tiny-video/pyramid". */
  readonly id: string;
  /** Content hash of what defines the model (weights, or the analytic preset's parameters). */
  readonly hash: string;
  readonly spec: ModelSpec;
  /**
   * The velocity for every row of `input.x`, same shape as `input.x`, in a tensor the caller owns (samplers combine
   * guidance in place in it, so a backend must not hand out a buffer it keeps).
   */
  predict(input: VelocityInput): Promise<Tensor>;
}

/** Turns generated latents into pixels (a package's optional decoder). */
export interface Decoder {
  /** [B, C, T, h, w] latents -> [B, 3, T', H, W] pixels in [-1, 1]. */
  decode(latents: Tensor): Promise<Tensor>;
  /** Playback rate of decoded frames, frames per second. */
  readonly fps: number;
}

/** Turns prompts into text conditions (a package's condition encoder or embedding table). */
export interface Conditioner {
  encode(prompt: string): Promise<Condition>;
}

/**
 * The models a sampler may use: a unified pyramidal model, a full-resolution model, the stages of a cascade. A
 * backend's loader returns one; it owns what it opened (sessions, worker processes, device memory) until
 * `close()`, and says which device it computes on. docs/extending.md shows a whole backend.
 */
export interface ModelSet {
  /** A readable name of the set, e.g. "analytic:tiny-video". */
  readonly id: string;
  /** Content hash of the whole set when the backend has one (a package's manifest, which pins every file). */
  readonly hash?: string;
  readonly pyramid?: VelocityModel;
  readonly full?: VelocityModel;
  /** Base first (lowest resolution), then each super-resolution stage at twice the previous resolution. */
  readonly cascade?: readonly VelocityModel[];
  readonly decoder?: Decoder;
  readonly conditioner?: Conditioner;
  /** Sampler settings the model was made for, by sampler name; explicit settings override them. */
  readonly samplerDefaults?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Guidance scales the model was made for. */
  readonly guidanceDefaults?: { readonly firstFrame: number; readonly video: number };
  /** Playback rate of generated frames, frames per second. */
  readonly fps?: number;
  /** The device the set computes on (device-hours are GPU-hours when it is a GPU). */
  readonly device: ComputeDevice;
  /**
   * Memory the set's own processes and devices used, for backends that compute outside the harness's process:
   * peak GPU memory allocated since the set was loaded or last reset (null on a CPU), and the peak resident set
   * size of a worker process. `reset` starts a new period after reading.
   */
  memoryReport?(reset?: boolean): Promise<MemoryReport>;
  /** Releases what the set opened; callers close every set they load, also on error. Closing twice is harmless. */
  close(): Promise<void>;
}

/** Raw sampler settings with the model set's defaults for that sampler underneath. */
export function withDefaults(models: ModelSet, sampler: string, raw: unknown): unknown {
  const defaults = models.samplerDefaults?.[sampler];
  if (!defaults) return raw ?? {};
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) return raw;
  return { ...defaults, ...((raw as Record<string, unknown> | undefined) ?? {}) };
}

/** Throws when a condition does not fit the model's conditioning, naming the row and what is allowed. */
export function validateCondition(condition: Condition, spec: ConditioningSpec, where: string): void {
  if (condition.kind === 'unconditional') return;
  if (spec.kind === 'none') {
    throw new RangeError(`${where}: condition '${condition.kind}' given, but the model is unconditional; allowed: unconditional`);
  }
  if (spec.kind === 'class') {
    if (condition.kind !== 'class') throw new RangeError(`${where}: condition '${condition.kind}' given; the model takes a class label`);
    if (!Number.isInteger(condition.label) || condition.label < 0 || condition.label >= spec.classes) {
      throw new RangeError(`${where}: class label ${condition.label} is not allowed; allowed: an integer from 0 to ${spec.classes - 1}`);
    }
    return;
  }
  if (condition.kind !== 'text') throw new RangeError(`${where}: condition '${condition.kind}' given; the model takes a text embedding`);
  if (condition.tokens !== spec.tokens || condition.dim !== spec.dim || condition.embedding.length !== spec.tokens * spec.dim) {
    throw new RangeError(
      `${where}: text embedding is [${condition.tokens}, ${condition.dim}] with ${condition.embedding.length} values; the model takes [${spec.tokens}, ${spec.dim}]`,
    );
  }
}

/** A short text for a condition, for reports and sample keys. */
export function describeCondition(condition: Condition): string {
  switch (condition.kind) {
    case 'class':
      return `class:${condition.label}`;
    case 'text':
      return `text:${condition.prompt}`;
    case 'unconditional':
      return 'unconditional';
  }
}

/** Every model of a set. */
/** Every velocity model of a set: the pyramidal model, the full-resolution model, then the cascade stages. */
export function modelsOf(models: ModelSet): VelocityModel[] {
  return [models.pyramid, models.full, ...(models.cascade ?? [])].filter((m): m is VelocityModel => m !== undefined);
}

/** The spec of a set's full-resolution output: the pyramidal model's, else the full model's, else the last cascade stage's. */
export function modelSetSpec(models: ModelSet): ModelSpec {
  const model = models.pyramid ?? models.full ?? models.cascade?.[models.cascade.length - 1];
  if (!model) throw new RangeError(`model set ${models.id} has no models`);
  return model.spec;
}
