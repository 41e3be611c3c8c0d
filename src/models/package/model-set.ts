/**
 * What every engine makes of a model package the same way (docs/model-format.md): each network's ModelSpec, the
 * conditioning inputs (class labels, or text embeddings with the negative prompt for unconditional rows), the
 * text conditioner over the package's embedding table and an engine's encoder, and the sampler defaults.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeNpz } from '../../io/npy.ts';
import type { Condition, ConditioningSpec, Conditioner, ModelSpec } from '../contract/velocity-model.ts';
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
      const out = new Float32Array(conditions.length * size);
      conditions.forEach((cond, r) => {
        if (cond.kind === 'text') out.set(cond.embedding, r * size);
        else if (cond.kind === 'unconditional') out.set(negative!, r * size);
        else throw new RangeError(`package ${m.name} takes text, got a '${cond.kind}' condition`);
      });
      return out;
    },
  };
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
