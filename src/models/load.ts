/**
 * Resolves a model reference to the models a sampler can use. `analytic:<preset>` gives the exact analytic
 * testbed, `template:<frames>x<height>x<width>` the minimal backend to copy (docs/extending.md); other backends
 * register a loader for their own prefix or path form.
 */
import { Registry } from '../core/registry.ts';
import type { ModelSet } from './contract/velocity-model.ts';
import { analyticModelSet } from './analytic/backend.ts';
import { analyticPreset } from './analytic/presets.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadOnnxPackage } from './onnx/package.ts';
import { loadTemplateModelSet } from './template/backend.ts';
import { loadTorchPackage } from './torch/package.ts';

/** A backend: turns the part of a reference after its prefix into a model set. */
export type ModelLoader = (rest: string) => Promise<ModelSet>;

/** Model backends by prefix ("analytic"). */
export const backends = new Registry<ModelLoader>('backend');
backends.register(
  'analytic',
  async (rest) => analyticModelSet(analyticPreset(rest)),
  'exact ideal velocities for a Gaussian-mixture target (analytic:<preset>)',
);
backends.register(
  'onnx',
  async (rest) => loadOnnxPackage(rest),
  'ONNX model packages run with onnxruntime (onnx:<package folder>, or the folder itself)',
);
backends.register(
  'torch',
  loadTorchPackage,
  'model packages with a torch section, run by PyTorch in a worker process (torch:<package folder>[?device=cuda&dtype=bfloat16&threads=N&python=PATH&timeout=S])',
);
backends.register(
  'template',
  loadTemplateModelSet,
  'the backend to copy: flat colour per class, closed-form velocities (template:<frames>x<height>x<width>; docs/extending.md)',
);

/** Loads `reference` ("<backend>:<rest>", or a package folder holding manifest.json). */
export async function loadModelSet(reference: string): Promise<ModelSet> {
  if (existsSync(path.join(reference, 'manifest.json'))) return loadOnnxPackage(reference);
  const colon = reference.indexOf(':');
  if (colon <= 0)
    throw new RangeError(
      `model reference '${reference}' has no backend; use <backend>:<name>, e.g. analytic:tiny-video (backends: ${backends.names().join(', ')})`,
    );
  return backends.get(reference.slice(0, colon))(reference.slice(colon + 1));
}
