/**
 * Resolving expanded suite methods into runnable ones: each model reference is loaded once through the backend
 * registry (`loadModelSet`: `analytic:<preset>` today, `onnx:<package>` when that backend is registered), the
 * sampler fills its defaults and validates the settings, and the sample shape is fixed. The caller owns the sets
 * of the methods it gets back and releases them with `closeMethods` (planRun's caller does, via `closePlan`).
 */
import { SchemaError } from '../core/schema.ts';
import { hashValue } from '../core/hash.ts';
import { loadModelSet } from '../models/load.ts';
import { samplers } from '../samplers/index.ts';
import { defaultGuidance, resolveGuidance, type GuidanceSource, type Sampler } from '../samplers/contract/sampling.ts';
import { applyTextDefaults, type TextDefaults, type WithTextDefaults } from '../models/package/model-set.ts';
import { modelSetSpec, withDefaults, type ModelSet, type ModelSpec } from '../models/contract/velocity-model.ts';
import { Tensor } from '../core/tensor.ts';
import type { GuidanceSpec, Suite } from './suite-schema.ts';
import type { ExpandedMethod } from './sweep.ts';

/** A method ready to sample. */
export interface ResolvedMethod extends Omit<ExpandedMethod, 'model' | 'guidance'> {
  readonly model: string;
  /**
   * The guidance the samplers run with: the suite's, else the model set's default, else for a text-conditional set
   * the official 7 / 5 (unless the suite sets `officialDefaults: false`), else none (1, 1); a first-frame scale of
   * 0 (Pyramid-Flow's "guidance off") becomes 1 (`resolveGuidance`).
   */
  readonly guidance: GuidanceSpec;
  /** The guidance before `resolveGuidance`, and where it came from. */
  readonly guidanceGiven: GuidanceSpec;
  readonly guidanceSource: GuidanceSource;
  /** The text conditioning the set runs with (negative prompt, prompt suffix), or null for a set that is not text-conditional. */
  readonly textDefaults: TextDefaults | null;
  readonly models: ModelSet;
  /** Content hash of the model set (the hashes of every model in it). */
  readonly modelHash: string;
  readonly samplerImpl: Sampler<unknown>;
  /** Settings after the sampler filled its defaults and validated them. */
  readonly parsedSettings: unknown;
  /** Frames the sampler generates per sample (latent frames for a latent package). */
  readonly frames: number;
  /** Shape of one sample as stored and measured: [channels, frames, height, width], after the set's decoder if it has one. */
  readonly shape: readonly [number, number, number, number];
  /** The spec of the model set's output (full resolution). */
  readonly spec: ModelSpec;
}

/** Content hash of a model set: the set's own hash (a package's, covering its decoder and conditioner) and each model's, by role. */
export function modelSetHash(models: ModelSet): string {
  return hashValue({
    set: models.hash ?? null,
    pyramid: models.pyramid?.hash ?? null,
    full: models.full?.hash ?? null,
    cascade: (models.cascade ?? []).map((m) => m.hash),
  });
}

/** Loads a model reference, naming the method on failure. */
export type ModelLoader = (reference: string) => Promise<ModelSet>;

/** The shape [C, T, H, W] of one sample after the set's decoder: found by decoding one zero latent. */
async function decodedShape(
  models: ModelSet,
  latent: readonly [number, number, number, number],
): Promise<[number, number, number, number]> {
  if (!models.decoder) return [...latent];
  const out = await models.decoder.decode(new Tensor([1, ...latent]));
  return [out.shape[1], out.shape[2], out.shape[3], out.shape[4]];
}

/**
 * Closes the model sets of `methods`, each once (methods that share a model reference share its set), all of
 * them even when one fails; then throws the first failure.
 */
export async function closeMethods(methods: readonly { readonly models: ModelSet }[]): Promise<void> {
  await closeSets([...new Set(methods.map((m) => m.models))]);
}

async function closeSets(sets: readonly ModelSet[]): Promise<void> {
  const failed = (await Promise.allSettled(sets.map((s) => s.close()))).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Resolves expanded methods: refuses one whose model comes from an argument that was not given (naming the
 * `--arg` to pass), loads each model reference once, puts the set's sampler defaults under the method's
 * settings and validates them with the sampler, and takes the set's guidance when the suite gives none. The
 * caller closes the returned methods' sets (`closeMethods`); when resolving fails, the sets loaded so far are
 * closed here before the error is thrown.
 */
export async function resolveMethods(
  expanded: readonly ExpandedMethod[],
  suite: Suite,
  where = 'suite',
  loader: ModelLoader = loadModelSet,
): Promise<ResolvedMethod[]> {
  const loaded = new Map<string, Promise<WithTextDefaults>>();
  // the official text defaults (prompt suffix, negative prompt) apply to a set as it is loaded
  const official = suite.officialDefaults ?? true;
  const load = async (reference: string): Promise<WithTextDefaults> => {
    const set = await loader(reference);
    try {
      return await applyTextDefaults(set, official);
    } catch (error) {
      await set.close().catch(() => undefined);
      throw error;
    }
  };
  try {
    return await resolveWith(loaded, expanded, suite, where, load);
  } catch (error) {
    const settled = await Promise.allSettled(loaded.values());
    // the resolving error is the one to report; a failure to close under it would hide it
    await closeSets(settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value.models] : []))).catch(() => undefined);
    throw error;
  }
}

async function resolveWith(
  loaded: Map<string, Promise<WithTextDefaults>>,
  expanded: readonly ExpandedMethod[],
  suite: Suite,
  where: string,
  loader: (reference: string) => Promise<WithTextDefaults>,
): Promise<ResolvedMethod[]> {
  const shapes = new Map<string, Promise<[number, number, number, number]>>();
  const out: ResolvedMethod[] = [];
  for (const m of expanded) {
    const at = `${where}.${m.source} (${m.id})`;
    if (m.missingArgs.length > 0 || m.model === null) {
      const needs = m.missingArgs.map((a) => `--arg ${a}=<value> (${suite.args[a].description})`).join(', ');
      throw new SchemaError(`${at}: suite '${suite.name}' needs ${needs}; none was given`);
    }
    const reference = m.model;
    if (!loaded.has(reference)) loaded.set(reference, loader(reference));
    let models: ModelSet;
    let textDefaults: TextDefaults | null;
    try {
      ({ models, text: textDefaults } = await loaded.get(reference)!);
    } catch (error) {
      throw new SchemaError(`${at}.model '${reference}': ${(error as Error).message}`);
    }
    const samplerImpl = samplers.get(m.sampler);
    let parsedSettings: unknown;
    try {
      parsedSettings = samplerImpl.parseSettings(withDefaults(models, m.sampler, m.settings), models);
    } catch (error) {
      throw new SchemaError(`${at}.settings: ${(error as Error).message}`);
    }
    const spec = modelSetSpec(models);
    const frames = suite.frames ?? spec.frames;
    if (frames > spec.frames)
      throw new SchemaError(`${where}.frames: ${frames} frames asked for, but ${reference} (${m.id}) generates at most ${spec.frames}`);
    const shapeKey = `${reference}:${frames}`;
    if (!shapes.has(shapeKey)) shapes.set(shapeKey, decodedShape(models, [spec.channels, frames, spec.height, spec.width]));
    const shape = await shapes.get(shapeKey)!;
    const given = m.guidance ? { guidance: m.guidance, source: 'given' as const } : defaultGuidance(models, suite.officialDefaults ?? true);
    let guidance: GuidanceSpec;
    try {
      guidance = resolveGuidance(given.guidance, given.source === 'given' ? `${at}.guidance` : `${at}: ${reference}'s default guidance`);
    } catch (error) {
      throw new SchemaError((error as Error).message);
    }
    out.push({
      ...m,
      model: reference,
      guidance,
      guidanceGiven: given.guidance,
      guidanceSource: given.source,
      textDefaults,
      models,
      modelHash: modelSetHash(models),
      samplerImpl,
      parsedSettings,
      frames,
      shape,
      spec,
    });
  }
  return out;
}
