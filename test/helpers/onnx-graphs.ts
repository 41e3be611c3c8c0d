/**
 * Tiny ONNX graphs, written with src/models/onnx/builder.ts, that stand in for VBench's networks in plumbing
 * tests: each computes a simple, hand-checkable function with the real network's inputs and outputs.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { GraphBuilder } from '../../src/models/onnx/builder.ts';

const i64 = (values: number[]) => BigInt64Array.from(values.map(BigInt));

/** RAFT's interface: image1, image2 [1, 3, H, W] -> flow_low (dummy), flow_up [1, 2, H, W] = (image2 - image1)[:, 0:2] * scale. */
export function flowGraph(scale = 1): Uint8Array {
  const g = new GraphBuilder('flow-stub');
  const a = g.input('image1', 'float32', [1, 3, 'h', 'w']);
  const b = g.input('image2', 'float32', [1, 3, 'h', 'w']);
  const diff = g.op('Mul', [g.op('Sub', [b, a]), g.initializer('scale', 'float32', [], Float32Array.of(scale))]);
  const starts = g.initializer('starts', 'int64', [1], i64([0]));
  const ends = g.initializer('ends', 'int64', [1], i64([2]));
  const axes = g.initializer('axes', 'int64', [1], i64([1]));
  const sliced = g.op('Slice', [diff, starts, ends, axes]);
  g.output(g.op('Identity', [a]), 'flow_low', 'float32', [1, 3, 'h', 'w']);
  g.output(sliced, 'flow_up', 'float32', [1, 2, 'h', 'w']);
  return g.toBytes();
}

/** A flow model with the wrong output: all 3 channels of image2 - image1. */
export function badFlowGraph(): Uint8Array {
  const g = new GraphBuilder('bad-flow');
  const a = g.input('image1', 'float32', [1, 3, 'h', 'w']);
  const b = g.input('image2', 'float32', [1, 3, 'h', 'w']);
  g.output(g.op('Sub', [b, a]), 'flow', 'float32', [1, 3, 'h', 'w']);
  return g.toBytes();
}

/** AMT's interface: img0, img1 [1, 3, H, W] in 0-1, embt [1, 1, 1, 1] -> imgt_pred = img0 (1 - embt) + img1 embt. */
export function interpolatorGraph(): Uint8Array {
  const g = new GraphBuilder('interp-stub');
  const a = g.input('img0', 'float32', [1, 3, 'h', 'w']);
  const b = g.input('img1', 'float32', [1, 3, 'h', 'w']);
  const t = g.input('embt', 'float32', [1, 1, 1, 1]);
  const one = g.initializer('one', 'float32', [], Float32Array.of(1));
  const mixed = g.op('Add', [g.op('Mul', [a, g.op('Sub', [one, t])]), g.op('Mul', [b, t])]);
  g.output(mixed, 'imgt_pred', 'float32', [1, 3, 'h', 'w']);
  return g.toBytes();
}

/** An image encoder: x [N, 3, H, W] -> the per-channel spatial mean [N, 3] (dynamic batch). */
export function poolEncoderGraph(): Uint8Array {
  const g = new GraphBuilder('pool-encoder');
  const x = g.input('pixel_values', 'float32', ['n', 3, 'h', 'w']);
  g.output(g.op('Flatten', [g.op('GlobalAveragePool', [x])], { axis: 1 }), 'features', 'float32', ['n', 3]);
  return g.toBytes();
}

/** A linear head: f [N, 3] -> f W + b [N, 1]. */
export function linearHeadGraph(weights: [number, number, number], bias: number): Uint8Array {
  const g = new GraphBuilder('linear-head');
  const x = g.input('features', 'float32', ['n', 3]);
  const w = g.initializer('W', 'float32', [3, 1], Float32Array.from(weights));
  const b = g.initializer('b', 'float32', [1], Float32Array.of(bias));
  g.output(g.op('Add', [g.op('MatMul', [x, w]), b]), 'score', 'float32', ['n', 1]);
  return g.toBytes();
}

/** A quality scorer: x [1, 3, H, W] -> the sum of all values [1] (so the input's size can be read back). */
export function sumScorerGraph(): Uint8Array {
  const g = new GraphBuilder('sum-scorer');
  const x = g.input('image', 'float32', [1, 3, 'h', 'w']);
  g.output(g.op('ReduceSum', [x], { keepdims: 0 }), 'score', 'float32', []);
  return g.toBytes();
}

/**
 * A shapes classifier's interface (extractors/shapes-*-v1): frames [N, 3, H, W] ('frames') or clips [N, 3, T, H, W]
 * ('clips') -> 'features' [N, 3], the per-channel mean, and 'logits' [N, 6] = (r, g, b, -r, -g, -b) of that mean.
 * Linear, so a frame network's logits averaged over a clip's frames equal the clip network's.
 */
export function colourClassifierGraph(kind: 'image' | 'video'): Uint8Array {
  const g = new GraphBuilder(`colour-classifier-${kind}`);
  const x = kind === 'image' ? g.input('frames', 'float32', ['n', 3, 'h', 'w']) : g.input('clips', 'float32', ['n', 3, 't', 'h', 'w']);
  const mean = g.op('Flatten', [g.op('GlobalAveragePool', [x])], { axis: 1 });
  const w = g.initializer('W', 'float32', [3, 6], Float32Array.from([1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1]));
  g.output(g.op('Identity', [mean]), 'features', 'float32', ['n', 3]);
  g.output(g.op('MatMul', [mean, w]), 'logits', 'float32', ['n', 6]);
  return g.toBytes();
}

/** Writes `bytes` to `dir/name` and returns the path. */
export function writeModel(dir: string, name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}
