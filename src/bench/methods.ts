/**
 * Resolving expanded suite methods into runnable ones: each model reference is loaded once through the backend
 * registry (`loadModelSet`: `analytic:<preset>` today, `onnx:<package>` when that backend is registered), the
 * sampler fills its defaults and validates the settings, and the sample shape is fixed.
 */
import { SchemaError } from '../core/schema.ts';
import { hashValue } from '../core/hash.ts';
import { loadModelSet } from '../models/load.ts';
import { samplers } from '../models/samplers.ts';
import type { Sampler } from '../models/sampling.ts';
import type { ModelSet, ModelSpec, VelocityModel } from '../models/velocity-model.ts';
import type { Suite } from './suite-schema.ts';
import type { ExpandedMethod } from './sweep.ts';

/** A method ready to sample. */
export interface ResolvedMethod extends Omit<ExpandedMethod, 'model'> {
  readonly model: string;
  readonly models: ModelSet;
  /** Content hash of the model set (the hashes of every model in it). */
  readonly modelHash: string;
  readonly samplerImpl: Sampler<unknown>;
  /** Settings after the sampler filled its defaults and validated them. */
  readonly parsedSettings: unknown;
  /** Frames generated per sample. */
  readonly frames: number;
  /** Shape of one generated sample: [channels, frames, height, width]. */
  readonly shape: readonly [number, number, number, number];
  /** The spec of the model set's output (full resolution). */
  readonly spec: ModelSpec;
}

/** Every model of a set. */
export function modelsOf(models: ModelSet): VelocityModel[] {
  return [models.pyramid, models.full, ...(models.cascade ?? [])].filter((m): m is VelocityModel => m !== undefined);
}

/** The spec of a set's full-resolution output: the pyramidal model's, else the full model's, else the last cascade stage's. */
export function modelSetSpec(models: ModelSet): ModelSpec {
  const model = models.pyramid ?? models.full ?? models.cascade?.[models.cascade.length - 1];
  if (!model) throw new RangeError(`model set ${models.id} has no models`);
  return model.spec;
}

/** Content hash of a model set: the hash of each of its models, by role. */
export function modelSetHash(models: ModelSet): string {
  return hashValue({ pyramid: models.pyramid?.hash ?? null, full: models.full?.hash ?? null, cascade: (models.cascade ?? []).map((m) => m.hash) });
}

/** Loads a model reference, naming the method on failure. */
export type ModelLoader = (reference: string) => Promise<ModelSet>;

/**
 * Resolves expanded methods: refuses one whose model comes from an argument that was not given (naming the
 * `--arg` to pass), loads each model reference once, and validates each method's settings with its sampler.
 */
export async function resolveMethods(expanded: readonly ExpandedMethod[], suite: Suite, where = 'suite', loader: ModelLoader = loadModelSet): Promise<ResolvedMethod[]> {
  const loaded = new Map<string, Promise<ModelSet>>();
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
    try {
      models = await loaded.get(reference)!;
    } catch (error) {
      throw new SchemaError(`${at}.model '${reference}': ${(error as Error).message}`);
    }
    const samplerImpl = samplers.get(m.sampler);
    let parsedSettings: unknown;
    try {
      parsedSettings = samplerImpl.parseSettings(m.settings, models);
    } catch (error) {
      throw new SchemaError(`${at}.settings: ${(error as Error).message}`);
    }
    const spec = modelSetSpec(models);
    const frames = suite.frames ?? spec.frames;
    if (frames > spec.frames) throw new SchemaError(`${where}.frames: ${frames} frames asked for, but ${reference} (${m.id}) generates at most ${spec.frames}`);
    out.push({ ...m, model: reference, models, modelHash: modelSetHash(models), samplerImpl, parsedSettings, frames, shape: [spec.channels, frames, spec.height, spec.width], spec });
  }
  return out;
}
