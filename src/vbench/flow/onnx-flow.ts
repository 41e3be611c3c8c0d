/**
 * RAFT (or any flow network) exported to ONNX behind the FlowEstimator interface. VBench runs RAFT
 * (raft-things, 20 iterations, `test_mode=True`) on RGB frames as floats 0-255 of shape [1, 3, H, W] and reads
 * `flow_up` [1, 2, H, W] (x then y displacement, pixels; `vbench/dynamic_degree.py:64-81`). The padding to a
 * multiple of 8 is done by the caller (dynamic degree, static filter), as VBench's does it around the model.
 */
import type { LoadedSession } from '../../models/onnx/runtime.ts';
import { runSession } from '../../models/onnx/runtime.ts';
import { checkedOutput, inputNames, outputName, planarBatch, scaleOnly } from '../video/onnx-io.ts';
import type { FlowEstimator, FlowField } from './flow-field.ts';

/** Where the adapter finds its tensors; names default to the session's first two inputs and last output. */
export interface OnnxFlowOptions {
  readonly inputs?: readonly [string, string];
  readonly output?: string;
  /** Pixel scale the network expects: 1 for 0-255 floats (RAFT), 1/255 for 0-1. */
  readonly scale?: number;
  /** Name used in results (default `onnx:<file name>`). */
  readonly name?: string;
}

/** A flow network in an ONNX session. */
export class OnnxFlowEstimator implements FlowEstimator {
  readonly name: string;
  readonly kind = 'network' as const;
  private readonly inputs: [string, string];
  private readonly output: string;
  private readonly scale: number;

  constructor(
    readonly session: LoadedSession,
    options: OnnxFlowOptions = {},
  ) {
    const [a, b] = inputNames(session, 2, options.inputs);
    this.inputs = [a, b];
    this.output = outputName(session, options.output);
    this.scale = options.scale ?? 1;
    if (!(this.scale > 0)) throw new RangeError(`ONNX flow model ${session.file}: scale ${this.scale} must be > 0`);
    this.name = options.name ?? `onnx:${session.file.split(/[\\/]/).pop()}`;
  }

  async estimate(frame1: Uint8Array, frame2: Uint8Array, width: number, height: number): Promise<FlowField> {
    const norm = scaleOnly(this.scale);
    const outputs = await runSession(
      this.session,
      { [this.inputs[0]]: planarBatch([frame1], width, height, norm), [this.inputs[1]]: planarBatch([frame2], width, height, norm) },
      [this.output],
    );
    const data = checkedOutput(this.session, outputs, this.output, [1, 2, height, width]);
    const plane = width * height;
    return { width, height, u: data.slice(0, plane), v: data.slice(plane, 2 * plane) };
  }
}
