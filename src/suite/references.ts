/**
 * Reference samples that distance metrics compare a method's samples with: for an analytic preset, fresh draws of
 * its target mixture (`GaussianMixture.sample`); for a trained package, the project's moving-shapes data set at
 * the model's resolution (`src/data/shapes.ts`). Two independent reference sets are drawn, the reference and a
 * second one of the same size, so a distance can be read beside its floor (what an exact sampler gets).
 */
import { PhiloxNoise } from '../core/philox.ts';
import { Registry } from '../core/registry.ts';
import { hashValue } from '../core/hash.ts';
import { SchemaError } from '../core/schema.ts';
import { AnalyticModel, presetHash } from '../models/analytic/backend.ts';
import type { ModelSet } from '../models/contract/velocity-model.ts';
import { SHAPE_CLASSES, shapesVideo } from '../data/shapes.ts';
import type { SuiteItem } from './contract/records.ts';
import { modelsOf } from '../models/contract/velocity-model.ts';

/** Which draw: 0 is the reference, 1 the second reference set (for the floor). */
export type ReferenceSet = 0 | 1;

/** What a reference source is built for: the method's model set and sample shape [C, T, H, W]. */
export interface ReferenceContext {
  readonly models: ModelSet;
  readonly shape: readonly [number, number, number, number];
  /** The suite's reference seed. */
  readonly seed: number;
}

/** A source of reference samples shaped like a method's samples. */
export interface ReferenceSource {
  /** A readable name, e.g. "analytic-target:tiny-video". */
  readonly id: string;
  /** Hash of everything that determines the reference values (source, its parameters, seed, shape). */
  readonly key: string;
  /** Reference sample for `item` (its index and condition) from set 0 or 1, [C, T, H, W] float32. */
  sample(set: ReferenceSet, item: SuiteItem): Float32Array;
}

/** Builds a reference source for a method; throws naming why it does not fit the method. */
export type ReferenceFactory = (context: ReferenceContext) => ReferenceSource;

/** Version of the shapes reference's parameters; bump when `shapesVideo` changes what it draws. */
const SHAPES_REFERENCE_VERSION = 1;

function analyticTarget(context: ReferenceContext): ReferenceSource {
  const model = modelsOf(context.models).find((m): m is AnalyticModel => m instanceof AnalyticModel);
  if (!model)
    throw new SchemaError(
      `reference 'analytic-target' needs an analytic model; ${context.models.id} is not one (use reference.source: shapes or none)`,
    );
  const { mixture } = model.preset;
  const [C, T, H, W] = context.shape;
  const full = mixture.shape;
  if (C !== full.channels || H !== full.height || W !== full.width || T > full.frames) {
    throw new SchemaError(
      `reference 'analytic-target': samples [${context.shape.join(', ')}] do not fit the target [${full.channels}, ${full.frames}, ${full.height}, ${full.width}]`,
    );
  }
  const noise = new PhiloxNoise(context.seed);
  const plane = H * W;
  return {
    id: `analytic-target:${model.preset.name}`,
    key: hashValue({ source: 'analytic-target', preset: presetHash(model.preset), seed: context.seed, shape: context.shape }),
    sample(set, item) {
      const values = mixture.sample(noise, item.index, item.condition, set === 0 ? 'reference' : 'reference-second').values;
      if (T === full.frames) return values;
      // the first T frames of each channel
      const out = new Float32Array(C * T * plane);
      for (let c = 0; c < C; c++) out.set(values.subarray(c * full.frames * plane, (c * full.frames + T) * plane), c * T * plane);
      return out;
    },
  };
}

function shapesReference(context: ReferenceContext): ReferenceSource {
  const [C, T, H, W] = context.shape;
  if (C !== 3)
    throw new SchemaError(
      `reference 'shapes' is RGB; the samples of ${context.models.id} have ${C} channels (a latent model needs a decoder first)`,
    );
  const config = { frames: T, height: H, width: W };
  return {
    id: `shapes:${T}x${H}x${W}`,
    key: hashValue({ source: 'shapes', version: SHAPES_REFERENCE_VERSION, seed: context.seed, shape: context.shape }),
    sample(set, item) {
      const c = item.condition;
      if (c.kind === 'text') throw new SchemaError(`reference 'shapes' has class labels, not prompts (sample ${item.index})`);
      if (c.kind === 'class' && c.label >= SHAPE_CLASSES.length) {
        throw new SchemaError(
          `reference 'shapes': class ${c.label} of sample ${item.index} is not one of its ${SHAPE_CLASSES.length} classes (${SHAPE_CLASSES.join(', ')})`,
        );
      }
      const label = c.kind === 'class' ? c.label : item.index % SHAPE_CLASSES.length;
      return shapesVideo(context.seed + set, item.index, config, label).values;
    },
  };
}

/** Reference sources by name. */
export const referenceSources = new Registry<ReferenceFactory>('reference');
referenceSources.register('analytic-target', analyticTarget, "fresh draws of an analytic preset's target mixture, same conditions");
referenceSources.register('shapes', shapesReference, 'the moving-shapes data set at the samples\u2019 resolution, same class labels');

/**
 * The reference for a method: `auto` picks the analytic target for analytic models and the shapes data set
 * otherwise; `none` gives null.
 */
export function resolveReference(source: string, context: ReferenceContext): ReferenceSource | null {
  if (source === 'none') return null;
  if (source === 'auto') {
    const analytic = modelsOf(context.models).some((m) => m instanceof AnalyticModel);
    return referenceSources.get(analytic ? 'analytic-target' : 'shapes')(context);
  }
  return referenceSources.get(source)(context);
}
