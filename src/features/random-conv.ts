/**
 * Built-in feature networks that need no download: fixed convolutional networks with seeded random weights
 * (Fréchet distances on random-network features are a
 * known variant; their numbers are comparable only with themselves), written as ONNX by src/models/onnx/builder.ts.
 *
 * - `random-conv2d-v1`: images resized to 64x64 (clean bicubic), [-1, 1]; four 3x3 stride-2 convolutions, ReLU
 *   after the first three (3 -> 32 -> 64 -> 128 -> 256 channels), global average pool: 256 features.
 * - `random-conv3d-v1`: clips of 16 frames at 64x64 (clean bicubic per frame), [-1, 1]; four 3x3x3 convolutions,
 *   ReLU after the first three (strides 1x2x2, then 2x2x2), global average pool: 256 features.
 * - `random-conv3d-8f-v1`: the same network for short clips: the first 8 frames (the project's 9-frame clips).
 *
 * Weights are He-normal (std sqrt(2 / fan_in)) from Philox noise with a fixed seed, biases zero; the name's
 * version changes whenever the architecture, seed or preprocessing would change a feature.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HARNESS_ROOT } from '../core/harness-root.ts';
import { PhiloxNoise } from '../core/philox.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { GraphBuilder } from '../models/onnx/builder.ts';
import type { FeatureManifest } from './manifest.ts';

/** The seed of every built-in random network's weights. */
export const RANDOM_NETWORK_SEED = 20241125;

interface RandomNetworkSpec {
  readonly name: 'random-conv2d-v1' | 'random-conv3d-v1' | 'random-conv3d-8f-v1';
  readonly spatialDims: 2 | 3;
  readonly channels: readonly number[];
  readonly strides: readonly (readonly number[])[];
  readonly frames?: number;
  readonly size: number;
}

const RANDOM_CONV3D: RandomNetworkSpec = {
  name: 'random-conv3d-v1',
  spatialDims: 3,
  channels: [3, 32, 64, 128, 256],
  strides: [
    [1, 2, 2],
    [2, 2, 2],
    [2, 2, 2],
    [2, 2, 2],
  ],
  frames: 16,
  size: 64,
};

const SPECS: Record<RandomNetworkSpec['name'], RandomNetworkSpec> = {
  'random-conv2d-v1': {
    name: 'random-conv2d-v1',
    spatialDims: 2,
    channels: [3, 32, 64, 128, 256],
    strides: [
      [2, 2],
      [2, 2],
      [2, 2],
      [2, 2],
    ],
    size: 64,
  },
  'random-conv3d-v1': RANDOM_CONV3D,
  // The same network for clips of 8 frames (the shapes videos have 9): only the frame count differs.
  'random-conv3d-8f-v1': { ...RANDOM_CONV3D, name: 'random-conv3d-8f-v1', frames: 8 },
};

/** The ONNX bytes of a built-in random network (the same bytes on every machine and run). */
export function randomNetworkOnnx(name: RandomNetworkSpec['name']): Uint8Array {
  const spec = SPECS[name];
  const noise = new PhiloxNoise(RANDOM_NETWORK_SEED);
  const g = new GraphBuilder(name);
  const inputShape = spec.spatialDims === 2 ? ['batch', 3, spec.size, spec.size] : ['batch', 3, spec.frames!, spec.size, spec.size];
  let x = g.input('input', 'float32', inputShape);
  const kernel = Array.from({ length: spec.spatialDims }, () => 3);
  for (let layer = 0; layer + 1 < spec.channels.length; layer++) {
    const cin = spec.channels[layer];
    const cout = spec.channels[layer + 1];
    const fanIn = cin * 3 ** spec.spatialDims;
    const std = Math.sqrt(2 / fanIn);
    const w = noise.gaussian(layer, `${name}/conv${layer}/weight`, cout * fanIn).map((v) => v * std);
    const weight = g.initializer(`conv${layer}.weight`, 'float32', [cout, cin, ...kernel], w);
    const bias = g.initializer(`conv${layer}.bias`, 'float32', [cout], new Float32Array(cout));
    const pads = [...kernel.map(() => 1), ...kernel.map(() => 1)];
    const conv = g.op('Conv', [x, weight, bias], { kernel_shape: kernel, strides: [...spec.strides[layer]], pads });
    // no ReLU after the last convolution, so no feature is identically zero (a dead unit would make the covariance singular)
    x = layer + 2 < spec.channels.length ? g.op('Relu', [conv]) : conv;
  }
  const pooled = g.op('GlobalAveragePool', [x]);
  g.output(g.op('Flatten', [pooled], { axis: 1 }), 'features', 'float32', ['batch', spec.channels[spec.channels.length - 1]]);
  return g.toBytes({
    producer: 'pyramid-bench',
    docString: `${name}: seeded random-weight feature network (seed ${RANDOM_NETWORK_SEED}); not a trained model`,
  });
}

const cacheDir = path.join(HARNESS_ROOT, '.cache', 'features');

/** Each network's content hash, once per process (building the network draws all its weights). */
const hashes = new Map<RandomNetworkSpec['name'], { hash: string; bytes: Uint8Array }>();

/** Writes the network into .cache/features (named by its content hash) if absent; returns its manifest. */
export function randomNetworkManifest(name: RandomNetworkSpec['name']): FeatureManifest {
  const spec = SPECS[name];
  if (!hashes.has(name)) {
    const bytes = randomNetworkOnnx(name);
    hashes.set(name, { hash: createHash('sha256').update(bytes).digest('hex').slice(0, 16), bytes });
  }
  const { hash, bytes } = hashes.get(name)!;
  const file = path.join(cacheDir, `${name}-${hash}.onnx`);
  if (!existsSync(file)) writeFileAtomic(file, bytes);
  const video = spec.spatialDims === 3;
  return {
    name,
    version: `1+${hash}`,
    kind: video ? 'video' : 'image',
    model: file,
    description: video
      ? `seeded random-weight 3D conv net (${spec.frames} frames at 64x64, 256 features); comparable only with itself`
      : `seeded random-weight 2D conv net (64x64 input, 256 features); comparable only with itself`,
    input: {
      name: 'input',
      layout: video ? 'NCTHW' : 'NCHW',
      height: spec.size,
      width: spec.size,
      frames: spec.frames,
      frameStride: 1,
      dtype: 'float32',
      range: [-1, 1],
      mean: [0, 0, 0],
      std: [1, 1, 1],
    },
    resize: 'clean-bicubic',
    output: { name: 'features', dim: spec.channels[spec.channels.length - 1], pool: 'none' },
    batch: video ? 4 : 32,
  };
}
