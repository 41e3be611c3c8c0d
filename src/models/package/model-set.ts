/**
 * What every engine makes of a model package the same way (docs/model-format.md): each network's ModelSpec, the
 * conditioning inputs (class labels, or text embeddings with the negative prompt for unconditional rows), the
 * text conditioner over the package's embedding table and an engine's encoder, and the sampler defaults.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeNpz } from '../../io/npy.ts';
import { hashValue } from '../../core/hash.ts';
import {
  modelSetSpec,
  type Condition,
  type ConditioningSpec,
  type Conditioner,
  type ModelSet,
  type ModelSpec,
  type VelocityModel,
} from '../contract/velocity-model.ts';
import { PackageError, type NetworkEntry, type PackageManifest } from './manifest.ts';

/** Maps conditions to the network's conditioning inputs. */
export interface ConditionInputs {
  /** Class label per row (null label for unconditional rows), or undefined for text/none models. */
  labels?(conditions: readonly Condition[]): BigInt64Array;
  /** Text embeddings per row [rows, tokens, dim] (negative prompt for unconditional rows). */
  text?(conditions: readonly Condition[]): Float32Array;
}

export function conditioningSpec(m: PackageManifest): ConditioningSpec {
  const c = m.conditioning;
  if (c.kind === 'class') return { kind: 'class', classes: c.classes };
  if (c.kind === 'text') return { kind: 'text', tokens: c.tokens, dim: c.dim };
  return { kind: 'none' };
}

/** The ModelSpec of one network of a package. */
export function specFor(m: PackageManifest, n: NetworkEntry): ModelSpec {
  return {
    role: n.role,
    channels: m.sample.channels,
    frames: m.sample.frames,
    height: n.height,
    width: n.width,
    pyramid:
      n.role === 'pyramid'
        ? {
            stages: m.pyramid!.stages,
            stageRange: m.pyramid!.stageRange,
            gamma: m.pyramid!.gamma,
            shift: m.pyramid!.shift,
            trainTimesteps: m.pyramid!.trainTimesteps,
          }
        : undefined,
    shift: m.pyramid?.shift ?? 1,
    conditioning: conditioningSpec(m),
    patchSize: m.patchSize,
    cost: m.cost
      ? {
          hidden: m.cost.hidden,
          depth: m.cost.depth,
          mlpRatio: m.cost.mlpRatio,
          conditionTokens: m.cost.conditionTokens,
          parameters: m.cost.parameters,
          attention: m.cost.attention,
          inputFlopsPerToken: m.cost.inputFlopsPerToken,
          outputFlopsPerToken: m.cost.outputFlopsPerToken,
        }
      : undefined,
    costSource: m.cost ? 'architecture' : undefined,
  };
}

/** A readable id of one network of a package, e.g. "onnx:shapes-cascade/cascade-base@16". */
export function networkId(engine: string, m: PackageManifest, n: NetworkEntry): string {
  return `${engine}:${m.name}/${n.role}${n.role.startsWith('cascade') ? `@${n.height}` : ''}`;
}

/** UTF-8 bytes of a prompt, 0-padded or truncated to `length`, as int64 token ids. */
export function byteTokens(prompt: string, length: number): BigInt64Array {
  const bytes = new TextEncoder().encode(prompt);
  const ids = new BigInt64Array(length);
  for (let i = 0; i < Math.min(length, bytes.length); i++) ids[i] = BigInt(bytes[i]);
  return ids;
}

/**
 * The text conditioner of a text package: prompts found in the package's embedding table come from there, any
 * other prompt from `encode` (the engine's condition encoder), which must return `tokens x dim` values.
 */
export async function textConditioner(
  dir: string,
  m: PackageManifest,
  encode: ((prompt: string) => Promise<Float32Array>) | undefined,
  encoderName: string | undefined,
): Promise<{ conditioner: Conditioner; negative: Float32Array }> {
  const c = m.conditioning;
  if (c.kind !== 'text') throw new Error('unreachable');
  const size = c.tokens * c.dim;
  const table = new Map<string, Float32Array>();
  if (c.embeddings) {
    const npz = decodeNpz(readFileSync(path.join(dir, c.embeddings)), c.embeddings);
    if (!npz.prompts || !npz.embeddings)
      throw new PackageError(`package ${dir}: ${c.embeddings} needs keys 'prompts' and 'embeddings', found ${Object.keys(npz).join(', ')}`);
    const prompts = JSON.parse(new TextDecoder().decode(npz.prompts.data as Uint8Array)) as string[];
    const e = npz.embeddings;
    if (e.dtype !== '<f4' || e.shape.length !== 3 || e.shape[0] !== prompts.length || e.shape[1] !== c.tokens || e.shape[2] !== c.dim) {
      throw new PackageError(
        `package ${dir}: ${c.embeddings} 'embeddings' must be float32 [${prompts.length}, ${c.tokens}, ${c.dim}], found ${e.dtype} [${e.shape.join(', ')}]`,
      );
    }
    prompts.forEach((p, i) => table.set(p, (e.data as Float32Array).subarray(i * size, (i + 1) * size)));
  }
  const embed = async (prompt: string): Promise<Float32Array> => {
    const known = table.get(prompt);
    if (known) return known;
    if (!encode)
      throw new RangeError(
        `package ${m.name}: no embedding for prompt '${prompt}' in ${c.embeddings ?? '(no table)'} and no condition encoder`,
      );
    const v = await encode(prompt);
    if (v.length !== size)
      throw new PackageError(
        `${encoderName ?? 'condition encoder'}: output has ${v.length} values, the manifest's text embedding is [${c.tokens}, ${c.dim}]`,
      );
    return v;
  };
  const negative = await embed(c.negativePrompt);
  const conditioner: Conditioner = {
    async encode(prompt: string): Promise<Condition> {
      return { kind: 'text', prompt, embedding: await embed(prompt), tokens: c.tokens, dim: c.dim };
    },
  };
  return { conditioner, negative };
}

/** Class labels or text embeddings per row, as the package's networks take them. */
export function conditionInputs(m: PackageManifest, negative: Float32Array | undefined): ConditionInputs {
  const c = m.conditioning;
  let lastText: { readonly sources: readonly Float32Array[]; readonly out: Float32Array } | undefined;
  return {
    labels: (conditions) =>
      BigInt64Array.from(conditions, (cond) => {
        if (c.kind !== 'class') throw new RangeError(`package ${m.name} is not class-conditional`);
        if (cond.kind === 'unconditional') return BigInt(c.nullLabel);
        if (cond.kind !== 'class') throw new RangeError(`package ${m.name} takes class labels, got a '${cond.kind}' condition`);
        return BigInt(cond.label);
      }),
    text: (conditions) => {
      if (c.kind !== 'text') throw new RangeError(`package ${m.name} is not text-conditional`);
      const size = c.tokens * c.dim;
      const sources = conditions.map((cond) => {
        if (cond.kind === 'text') return cond.embedding;
        if (cond.kind === 'unconditional') return negative!;
        throw new RangeError(`package ${m.name} takes text, got a '${cond.kind}' condition`);
      });
      // the same prompts over a sample's steps give the same array, so an engine can send it once
      if (lastText && lastText.sources.length === sources.length && lastText.sources.every((e, i) => e === sources[i])) return lastText.out;
      const out = new Float32Array(conditions.length * size);
      sources.forEach((e, r) => out.set(e, r * size));
      lastText = { sources, out };
      return out;
    },
  };
}

/** A package's velocity models (one per network, in manifest order) in the ModelSet slot its kind fills. */
export function modelsByKind<T>(m: PackageManifest, models: readonly T[]): { pyramid?: T; full?: T; cascade?: readonly T[] } {
  if (m.kind === 'pyramid') return { pyramid: models[0] };
  if (m.kind === 'full') return { full: models[0] };
  return { cascade: models };
}

/** Sampler settings a package was made for (steps, temporal mode), by sampler name. */
export function samplerDefaultsOf(m: PackageManifest): Record<string, Record<string, unknown>> {
  const d = m.defaults;
  const temporal = { temporal: m.temporal.mode, framesPerUnit: m.temporal.framesPerUnit };
  const samplerDefaults: Record<string, Record<string, unknown>> = {};
  if (m.kind === 'pyramid')
    samplerDefaults.pyramid = {
      ...temporal,
      ...(d.stepsPerStage ? { stepsPerStage: d.stepsPerStage } : {}),
      ...(d.videoStepsPerStage ? { videoStepsPerStage: d.videoStepsPerStage } : {}),
    };
  if (m.kind === 'full') samplerDefaults.full = { ...temporal, ...(d.steps ? { steps: d.steps } : {}) };
  if (m.kind === 'cascade' && d.stepsPerStage) samplerDefaults.cascade = { stepsPerStage: d.stepsPerStage };
  return samplerDefaults;
}

/** Where the official text defaults below were read: jy0205/Pyramid-Flow at this commit. */
export const OFFICIAL_DEFAULTS_SOURCE =
  'jy0205/Pyramid-Flow@3040d717b0ef48f0dfb10d0eb9f3c1d0b55442e0 pyramid_dit/pyramid_dit_for_video_gen_pipeline.py generate(); README';

/** The negative prompt Pyramid-Flow `generate()` encodes as the unconditional text (its `negative_prompt` default). */
export const OFFICIAL_NEGATIVE_PROMPT =
  'cartoon style, worst quality, low quality, blurry, absolute black, absolute white, low res, extra limbs, extra digits, misplaced objects, mutated anatomy, monochrome, horror';

/** What Pyramid-Flow `generate()` appends to every prompt before encoding it ("to improve aesthetics"). */
export const OFFICIAL_PROMPT_SUFFIX = ', hyper quality, Ultra HD, 8K';

/** The text conditioning a text-conditional set runs with, for provenance. */
export interface TextDefaults {
  /** Whether the official defaults were on (suite `officialDefaults`, `sample --no-official-defaults`). */
  readonly official: boolean;
  /** The unconditional text and where it came from: the package's `negativePrompt`, the official one, or empty. */
  readonly negativePrompt: { readonly text: string; readonly source: 'package' | 'official' | 'empty' };
  /** Appended to every prompt before it is encoded ('' when none). */
  readonly promptSuffix: string;
  readonly reference: string;
}

/** A model set with the text defaults applied, and what they were (null for a set that is not text-conditional). */
export interface WithTextDefaults {
  readonly models: ModelSet;
  readonly text: TextDefaults | null;
}

/** The package manifest behind a set loaded by a package engine (onnx:, torch:), if any. */
function packageManifest(models: ModelSet): PackageManifest | undefined {
  const m = (models as { manifest?: unknown }).manifest;
  return m !== null && typeof m === 'object' && (m as { format?: unknown }).format === 'pyramid-bench/model-package'
    ? (m as PackageManifest)
    : undefined;
}

/**
 * Applies Pyramid-Flow `generate()`'s text defaults to a text-conditional set (jy0205/Pyramid-Flow 3040d71):
 * with `official` on, every prompt is encoded with ", hyper quality, Ultra HD, 8K" appended (the condition keeps
 * the prompt as given, for file names and records), and a package whose manifest gives no (or an empty)
 * `negativePrompt` gets the official negative prompt as the unconditional text; a package's own non-empty
 * `negativePrompt` is kept. With `official` off the set is returned as loaded (the package's negative prompt,
 * else the empty prompt, as `generate()` makes of `negative_prompt=None`; no suffix). A set that is not
 * text-conditional is returned unchanged. The returned set's hash covers the negative prompt and suffix, so
 * samples made under one are never read back for the other; closing it closes the loaded set.
 */
export async function applyTextDefaults(models: ModelSet, official: boolean): Promise<WithTextDefaults> {
  const conditioning = modelSetSpec(models).conditioning;
  if (conditioning.kind !== 'text') return { models, text: null };
  const own = packageManifest(models)?.conditioning;
  const packageNegative = own?.kind === 'text' ? own.negativePrompt : '';
  if (!official) {
    const text: TextDefaults = {
      official,
      negativePrompt: { text: packageNegative, source: packageNegative ? 'package' : 'empty' },
      promptSuffix: '',
      reference: OFFICIAL_DEFAULTS_SOURCE,
    };
    return { models, text };
  }
  const inner = models.conditioner;
  const offSwitch = "or switch the official defaults off (sample --no-official-defaults, suite 'officialDefaults: false')";
  const encodeSuffixed = async (prompt: string): Promise<Condition> => {
    if (!inner) throw new RangeError(`model ${models.id} is text-conditional but has no condition encoder or embedding table`);
    let c: Condition;
    try {
      c = await inner.encode(prompt + OFFICIAL_PROMPT_SUFFIX);
    } catch (error) {
      throw new RangeError(
        `${(error as Error).message} (the official prompt suffix '${OFFICIAL_PROMPT_SUFFIX}' was appended to '${prompt}'; give the package embeddings of the suffixed prompts, ${offSwitch})`,
      );
    }
    return c.kind === 'text' ? { ...c, prompt } : c;
  };
  let negative: Condition | null = null;
  if (!packageNegative) {
    if (!inner) throw new RangeError(`model ${models.id} is text-conditional but has no condition encoder or embedding table`);
    try {
      negative = await inner.encode(OFFICIAL_NEGATIVE_PROMPT);
    } catch (error) {
      throw new RangeError(
        `${(error as Error).message} (the official negative prompt, used because the package sets no conditioning.negativePrompt; give the package its embedding, set a negativePrompt, ${offSwitch})`,
      );
    }
  }
  const text: TextDefaults = {
    official,
    negativePrompt: negative ? { text: OFFICIAL_NEGATIVE_PROMPT, source: 'official' } : { text: packageNegative, source: 'package' },
    promptSuffix: OFFICIAL_PROMPT_SUFFIX,
    reference: OFFICIAL_DEFAULTS_SOURCE,
  };
  // unconditional rows get the official negative prompt's embedding as a text row
  const withNegative = (model: VelocityModel | undefined): VelocityModel | undefined => {
    if (!model || !negative) return model;
    const n = negative;
    return {
      id: model.id,
      hash: model.hash,
      spec: model.spec,
      predict: (input) => model.predict({ ...input, conditions: input.conditions.map((c) => (c.kind === 'unconditional' ? n : c)) }),
    };
  };
  const wrapped: ModelSet = {
    ...models,
    hash: hashValue({ set: models.hash ?? null, negativePrompt: text.negativePrompt.text, promptSuffix: text.promptSuffix }),
    pyramid: withNegative(models.pyramid),
    full: withNegative(models.full),
    cascade: models.cascade?.map((m) => withNegative(m)!),
    conditioner: { encode: encodeSuffixed },
    close: () => models.close(),
  };
  return { models: wrapped, text };
}
