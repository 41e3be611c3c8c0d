/**
 * The ONNX backend: loads a model package folder (docs/model-format.md) into the models a sampler uses. Every
 * network's inputs and outputs are checked against the manifest at load time; text packages get a conditioner
 * (embedding table or byte-level condition encoder) and latent packages a decoder.
 */
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Tensor } from '../../core/tensor.ts';
import { decodeNpz } from '../../io/npy.ts';
import type { Condition, ConditioningSpec, Conditioner, Decoder, ModelSet, ModelSpec } from '../contract/velocity-model.ts';
import { checkContract } from './contract.ts';
import { fileSha256, PackageError, readManifest, type NetworkEntry, type PackageManifest } from './manifest.ts';
import {
  loadSession,
  providerDevice,
  releaseSession,
  runSession,
  type LoadedSession,
  type ProviderName,
  type RuntimeOptions,
} from './runtime.ts';
import { OnnxVelocityModel, type ConditionInputs } from './velocity.ts';

/** Options for loading a package. */
export interface PackageOptions extends RuntimeOptions {
  /** Where the one-time CPU-fallback notice goes (default stderr). */
  readonly report?: (message: string) => void;
  /**
   * On the CPU provider with more than one thread: calls with fewer input values than this run on a second,
   * single-threaded session of the same network (0 turns it off). Default SMALL_CALL_VALUES.
   */
  readonly smallCallValues?: number;
}

/**
 * Below this many input values a call runs faster on one thread: measured on the shapes checkpoints (2 cores), an
 * 8x8 pyramid stage of 64 rows (12k values) took 39 ms single-threaded and 50 ms on two threads, a 16x16 stage
 * (49k values) about the same either way, a 32x32 stage (197k values) 432 ms against 324 ms.
 */
const SMALL_CALL_VALUES = 32768;

/** Networks larger than this get no single-threaded companion session (it would hold a second copy of the weights). */
const SMALL_SESSION_MAX_BYTES = 256 * 2 ** 20;

/** A loaded package: its models plus what reports need. */
export interface OnnxModelSet extends ModelSet {
  readonly manifest: PackageManifest;
  readonly directory: string;
  /** sha256 of manifest.json (which pins every file by its own sha256). */
  readonly hash: string;
  /** The execution provider the networks run on. */
  readonly provider: ProviderName;
  readonly velocityModels: readonly OnnxVelocityModel[];
}

function conditioningSpec(m: PackageManifest): ConditioningSpec {
  const c = m.conditioning;
  if (c.kind === 'class') return { kind: 'class', classes: c.classes };
  if (c.kind === 'text') return { kind: 'text', tokens: c.tokens, dim: c.dim };
  return { kind: 'none' };
}

function specFor(m: PackageManifest, n: NetworkEntry): ModelSpec {
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

/** UTF-8 bytes of a prompt, 0-padded or truncated to `length`, as int64 token ids. */
export function byteTokens(prompt: string, length: number): BigInt64Array {
  const bytes = new TextEncoder().encode(prompt);
  const ids = new BigInt64Array(length);
  for (let i = 0; i < Math.min(length, bytes.length); i++) ids[i] = BigInt(bytes[i]);
  return ids;
}

async function textConditioner(
  dir: string,
  m: PackageManifest,
  options: PackageOptions,
  track: (s: LoadedSession) => LoadedSession,
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
  const encoder = m.conditionEncoder
    ? track(await loadSession(path.join(dir, m.conditionEncoder.file), options, options.report))
    : undefined;
  const embed = async (prompt: string): Promise<Float32Array> => {
    const known = table.get(prompt);
    if (known) return known;
    if (!encoder || !m.conditionEncoder)
      throw new RangeError(
        `package ${m.name}: no embedding for prompt '${prompt}' in ${c.embeddings ?? '(no table)'} and no condition encoder`,
      );
    const out = await runSession(
      encoder,
      {
        [m.conditionEncoder.input]: {
          type: 'int64',
          data: byteTokens(prompt, m.conditionEncoder.maxLength),
          dims: [1, m.conditionEncoder.maxLength],
        },
      },
      [m.conditionEncoder.output],
    );
    const v = out[m.conditionEncoder.output];
    if (v.data.length !== size)
      throw new PackageError(
        `${m.conditionEncoder.file}: output has ${v.data.length} values, the manifest's text embedding is [${c.tokens}, ${c.dim}]`,
      );
    return Float32Array.from(v.data as Float32Array);
  };
  const negative = await embed(c.negativePrompt);
  const conditioner: Conditioner = {
    async encode(prompt: string): Promise<Condition> {
      return { kind: 'text', prompt, embedding: await embed(prompt), tokens: c.tokens, dim: c.dim };
    },
  };
  return { conditioner, negative };
}

function conditionInputs(m: PackageManifest, negative: Float32Array | undefined): ConditionInputs {
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

/** Loads a package folder; refuses malformed manifests, corrupt or missing files and contract mismatches. */
export async function loadOnnxPackage(dir: string, options: PackageOptions = {}): Promise<OnnxModelSet> {
  // every session opened, so that close() (or a failed load) releases them all
  const sessions: LoadedSession[] = [];
  const track = (session: LoadedSession): LoadedSession => {
    sessions.push(session);
    return session;
  };
  try {
    return await openPackage(dir, options, sessions, track);
  } catch (error) {
    await Promise.allSettled(sessions.splice(0).map(releaseSession));
    throw error;
  }
}

async function openPackage(
  dir: string,
  options: PackageOptions,
  sessions: LoadedSession[],
  track: (s: LoadedSession) => LoadedSession,
): Promise<OnnxModelSet> {
  const m = readManifest(dir);
  const hash = fileSha256(path.join(dir, 'manifest.json'));
  const runtime: RuntimeOptions = {
    threads: options.threads ?? os.cpus().length,
    graphOptimization: options.graphOptimization ?? 'all',
    providers: options.providers,
  };
  let negative: Float32Array | undefined;
  let conditioner: Conditioner | undefined;
  if (m.conditioning.kind === 'text') ({ conditioner, negative } = await textConditioner(dir, m, options, track));
  const inputs = conditionInputs(m, negative);
  const velocityModels: OnnxVelocityModel[] = [];
  for (const n of m.networks) {
    const file = path.join(dir, n.file);
    const session = track(await loadSession(file, runtime, options.report));
    checkContract(file, m, n, session.inputs, session.outputs);
    const smallValues = options.smallCallValues ?? SMALL_CALL_VALUES;
    const small =
      session.provider === 'cpu' && runtime.threads !== 1 && smallValues > 0 && statSync(file).size <= SMALL_SESSION_MAX_BYTES
        ? {
            session: track(await loadSession(file, { ...runtime, threads: 1, providers: ['cpu'] }, options.report)),
            belowValues: smallValues,
          }
        : undefined;
    velocityModels.push(
      new OnnxVelocityModel(
        `onnx:${m.name}/${n.role}${n.role.startsWith('cascade') ? `@${n.height}` : ''}`,
        n.sha256,
        specFor(m, n),
        session,
        n,
        m,
        inputs,
        small,
      ),
    );
  }
  let decoder: Decoder | undefined;
  if (m.decoder) {
    const d = m.decoder;
    const session = track(await loadSession(path.join(dir, d.file), runtime, options.report));
    decoder = {
      fps: d.fps ?? m.sample.fps,
      async decode(latents: Tensor): Promise<Tensor> {
        const out = await runSession(session, { [d.input]: { type: 'float32', data: latents.data, dims: [...latents.shape] } }, [d.output]);
        const v = out[d.output];
        if (v.dims.length !== 5)
          throw new PackageError(`${d.file}: output '${d.output}' has rank ${v.dims.length}; a decoder must return [B, C, T, H, W]`);
        return new Tensor(v.dims as [number, number, number, number, number], v.data as Float32Array);
      },
    };
  }
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
  return {
    id: `onnx:${m.name}`,
    manifest: m,
    directory: dir,
    hash,
    provider: velocityModels[0].provider,
    device: providerDevice(velocityModels[0].provider),
    close: async () => {
      const open = sessions.splice(0);
      await Promise.all(open.map(releaseSession));
    },
    velocityModels,
    pyramid: m.kind === 'pyramid' ? velocityModels[0] : undefined,
    full: m.kind === 'full' ? velocityModels[0] : undefined,
    cascade: m.kind === 'cascade' ? velocityModels : undefined,
    decoder,
    conditioner,
    samplerDefaults,
    guidanceDefaults: d.guidance,
    fps: m.sample.fps,
  };
}
