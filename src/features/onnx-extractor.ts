/**
 * A feature extractor over any ONNX network described by a manifest: clips are preprocessed (preprocess.ts),
 * run through onnxruntime (src/models/onnx/runtime.ts) in batches, and the manifest's output is read, pooled if
 * asked and checked against the declared dimension.
 */
import { existsSync, readFileSync } from 'node:fs';
import { sha256Hex } from '../core/hash.ts';
import { loadSession, runSession, type RuntimeOptions } from '../models/onnx/runtime.ts';
import { checkClips, type Clip, type FeatureExtractor } from './extractor.ts';
import type { FeatureManifest } from './manifest.ts';
import { preprocess } from './preprocess.ts';

/** Averages an (N, C, ...) output over the axes after C. */
function poolMean(data: Float32Array, dims: readonly number[]): Float32Array {
  const [n, c] = dims;
  const rest = dims.slice(2).reduce((a, b) => a * b, 1);
  const out = new Float32Array(n * c);
  for (let i = 0; i < n * c; i++) {
    let s = 0;
    for (let k = 0; k < rest; k++) s += data[i * rest + k];
    out[i] = s / rest;
  }
  return out;
}

/** Opens the manifest's network; errors name the manifest, the input/output names and the shapes found. */
export async function openOnnxExtractor(manifest: FeatureManifest, runtime: RuntimeOptions = {}): Promise<FeatureExtractor> {
  if (!existsSync(manifest.model))
    throw new RangeError(
      `feature network ${manifest.name}: ONNX file ${manifest.model} does not exist (see docs/feature-extractors.md for how to export it)`,
    );
  if (manifest.sha256) {
    const found = sha256Hex(readFileSync(manifest.model));
    if (found !== manifest.sha256)
      throw new RangeError(
        `feature network ${manifest.name} ${manifest.version}: ${manifest.model} has sha256 ${found}, but its manifest pins ${manifest.sha256}; use the file the manifest was written for, or re-export it with its recipe (docs/feature-extractors.md)`,
      );
  }
  const session = await loadSession(manifest.model, runtime);
  const inputName = manifest.input.name ?? session.inputs[0]?.name;
  const outputName = manifest.output.name ?? session.outputs[0]?.name;
  if (!session.inputs.some((i) => i.name === inputName)) {
    throw new RangeError(
      `feature network ${manifest.name}: input '${inputName}' is not in ${manifest.model}; its inputs: ${session.inputs.map((i) => i.name).join(', ')}`,
    );
  }
  if (!session.outputs.some((o) => o.name === outputName)) {
    throw new RangeError(
      `feature network ${manifest.name}: output '${outputName}' is not in ${manifest.model}; its outputs: ${session.outputs.map((o) => o.name).join(', ')}`,
    );
  }
  const info = {
    name: manifest.name,
    version: manifest.version,
    kind: manifest.kind,
    dim: manifest.output.dim,
    description: manifest.description,
    resize: manifest.resize,
    inputSize:
      manifest.kind === 'video'
        ? [manifest.input.frames!, manifest.input.height, manifest.input.width]
        : [manifest.input.height, manifest.input.width],
    ...(manifest.kind === 'video' ? { framesNeeded: (manifest.input.frames! - 1) * manifest.input.frameStride + 1 } : {}),
  };
  return {
    info,
    batchSize: manifest.batch,
    async extract(clips: readonly Clip[]): Promise<Float32Array> {
      checkClips(info, clips);
      const out = new Float32Array(clips.length * manifest.output.dim);
      for (let start = 0; start < clips.length; start += manifest.batch) {
        const batch = clips.slice(start, start + manifest.batch);
        const { data, dims } = preprocess(batch, manifest);
        const result = await runSession(session, { [inputName]: { type: manifest.input.dtype, data, dims } }, [outputName]);
        const value = result[outputName];
        if (value.type !== 'float32')
          throw new RangeError(`feature network ${manifest.name}: output '${outputName}' is ${value.type}; float32 features are expected`);
        let features = value.data as Float32Array;
        if (manifest.output.pool === 'mean') features = poolMean(features, value.dims);
        const rows = batch.length;
        if (value.dims[0] !== rows || features.length !== rows * manifest.output.dim) {
          throw new RangeError(
            `feature network ${manifest.name}: output '${outputName}' has shape [${value.dims.join(', ')}]${manifest.output.pool === 'mean' ? ` (pooled to ${features.length / rows} per row)` : ''}; the manifest says ${manifest.output.dim} features per input`,
          );
        }
        out.set(features, start * manifest.output.dim);
      }
      return out;
    },
    close: () => session.session.release(),
  };
}
