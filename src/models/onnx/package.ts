/**
 * The ONNX backend: loads a model package folder (docs/model-format.md) into the models a sampler uses. Every
 * network's inputs and outputs are checked against the manifest at load time; text packages get a conditioner
 * (embedding table or byte-level condition encoder) and latent packages a decoder.
 */
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Tensor } from '../../core/tensor.ts';
import type { Conditioner, Decoder, ModelSet } from '../contract/velocity-model.ts';
import { checkContract } from './contract.ts';
import { fileSha256, PackageError, readManifest, type PackageManifest } from '../package/manifest.ts';
import { byteTokens, conditionInputs, modelsByKind, networkId, samplerDefaultsOf, specFor, textConditioner } from '../package/model-set.ts';
import {
  loadSession,
  providerDevice,
  releaseSession,
  runSession,
  type LoadedSession,
  type ProviderName,
  type RuntimeOptions,
} from './runtime.ts';
import { OnnxVelocityModel } from './velocity.ts';

export { byteTokens } from '../package/model-set.ts';

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
  const missing = m.networks.filter((n) => !n.file);
  if (missing.length)
    throw new PackageError(
      `package ${dir}: network '${missing[0].role}' has no ONNX file; the package runs on the PyTorch engine only (use torch:${dir})`,
    );
  const hash = fileSha256(path.join(dir, 'manifest.json'));
  const runtime: RuntimeOptions = {
    threads: options.threads ?? os.cpus().length,
    graphOptimization: options.graphOptimization ?? 'all',
    providers: options.providers,
  };
  let negative: Float32Array | undefined;
  let conditioner: Conditioner | undefined;
  if (m.conditioning.kind === 'text') {
    const e = m.conditionEncoder;
    const encoder = e ? track(await loadSession(path.join(dir, e.file), runtime, options.report)) : undefined;
    const encode =
      encoder && e
        ? async (prompt: string): Promise<Float32Array> => {
            const out = await runSession(
              encoder,
              { [e.input]: { type: 'int64', data: byteTokens(prompt, e.maxLength), dims: [1, e.maxLength] } },
              [e.output],
            );
            return Float32Array.from(out[e.output].data as Float32Array);
          }
        : undefined;
    ({ conditioner, negative } = await textConditioner(dir, m, encode, e?.file));
  }
  const inputs = conditionInputs(m, negative);
  const velocityModels: OnnxVelocityModel[] = [];
  for (const n of m.networks) {
    const file = path.join(dir, n.file!);
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
    velocityModels.push(new OnnxVelocityModel(networkId('onnx', m, n), n.sha256!, specFor(m, n), session, n, m, inputs, small));
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
  const samplerDefaults = samplerDefaultsOf(m);
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
    ...modelsByKind(m, velocityModels),
    decoder,
    conditioner,
    samplerDefaults,
    guidanceDefaults: d.guidance,
    fps: m.sample.fps,
  };
}
