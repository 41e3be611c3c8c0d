/**
 * What every VBench network adapter does around `runSession`: RGB24 frames to a planar NCHW float32 batch
 * (scaled, optionally normalised per channel), picking input/output names (the manifest's, else the
 * session's own), and checking what comes back (shape, finiteness) with messages that name the model file.
 */
import type { LoadedSession, TensorValue } from '../../models/onnx/runtime.ts';

/** Per-channel affine map applied after scaling: (x * scale - mean[c]) / std[c]. */
export interface PixelNormalisation {
  /** Multiplies the 0-255 value first: 1 keeps 0-255 (RAFT), 1/255 gives 0-1 (AMT, MUSIQ, CLIP before mean/std). */
  readonly scale: number;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

/** No mean/std: values x * scale. */
export function scaleOnly(scale: number): PixelNormalisation {
  return { scale, mean: [0, 0, 0], std: [1, 1, 1] };
}

/** Interleaved RGB images (bytes or 0-255 floats, each `height * width * 3`) to one float32 tensor [N, 3, height, width]. */
export function planarBatch(
  images: readonly (Uint8Array | Float32Array)[],
  width: number,
  height: number,
  norm: PixelNormalisation,
): TensorValue {
  const plane = width * height;
  const data = new Float32Array(images.length * 3 * plane);
  images.forEach((img, n) => {
    if (img.length !== plane * 3)
      throw new RangeError(`planarBatch: image ${n} has ${img.length} bytes; a ${width}x${height} RGB24 image has ${plane * 3}`);
    for (let c = 0; c < 3; c++) {
      const a = norm.scale / norm.std[c];
      const b = -norm.mean[c] / norm.std[c];
      const o = (n * 3 + c) * plane;
      for (let p = 0; p < plane; p++) data[o + p] = img[3 * p + c] * a + b;
    }
  });
  return { type: 'float32', data, dims: [images.length, 3, height, width] };
}

/** The input names to feed: the manifest's list, else the session's first `count` inputs. */
export function inputNames(session: LoadedSession, count: number, given: readonly string[] | undefined): string[] {
  const names = given ? [...given] : session.inputs.slice(0, count).map((i) => i.name);
  if (names.length !== count)
    throw new RangeError(
      `ONNX model ${session.file}: needs ${count} inputs, has ${session.inputs.length} (${session.inputs.map((i) => i.name).join(', ')})`,
    );
  for (const n of names) {
    if (!session.inputs.some((i) => i.name === n))
      throw new RangeError(`ONNX model ${session.file}: no input named '${n}'; inputs: ${session.inputs.map((i) => i.name).join(', ')}`);
  }
  return names;
}

/** The output name to read: the manifest's, else the session's last output (RAFT's `flow_up` follows `flow_low`). */
export function outputName(session: LoadedSession, given: string | undefined): string {
  const name = given ?? session.outputs[session.outputs.length - 1]?.name;
  if (name === undefined || !session.outputs.some((o) => o.name === name)) {
    throw new RangeError(
      `ONNX model ${session.file}: no output named '${given}'; outputs: ${session.outputs.map((o) => o.name).join(', ')}`,
    );
  }
  return name;
}

/** True when the model's declared batch axis of input `name` is symbolic or not 1, so several frames fit one run. */
export function batchable(session: LoadedSession, name: string): boolean {
  const dim = session.inputs.find((i) => i.name === name)?.shape[0];
  return dim === undefined || typeof dim === 'string' || dim > 1;
}

/** Checks an output's dims and values; returns its data as float32. */
export function checkedOutput(
  session: LoadedSession,
  outputs: Record<string, TensorValue>,
  name: string,
  dims: readonly number[],
): Float32Array {
  const out = outputs[name];
  if (out === undefined) throw new RangeError(`ONNX model ${session.file}: output '${name}' missing from the run's results`);
  if (out.type !== 'float32') throw new RangeError(`ONNX model ${session.file}: output '${name}' is ${out.type}; expected float32`);
  if (out.dims.length !== dims.length || out.dims.some((d, i) => d !== dims[i])) {
    throw new RangeError(`ONNX model ${session.file}: output '${name}' has shape [${out.dims.join(', ')}]; expected [${dims.join(', ')}]`);
  }
  const data = out.data as Float32Array;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]))
      throw new RangeError(`ONNX model ${session.file}: output '${name}' has a non-finite value (${data[i]}) at flat index ${i}`);
  }
  return data;
}
