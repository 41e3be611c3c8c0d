/**
 * AMT (or any frame-interpolation network) exported to ONNX behind the FrameInterpolator interface. VBench
 * feeds AMT-S two RGB frames as floats 0-1 of shape [1, 3, H, W] (padded to a multiple of 16 by the caller)
 * and `embt` = 0.5 of shape [1, 1, 1, 1], and reads `imgt_pred` [1, 3, H, W] on the 0-1 scale
 * (`vbench/motion_smoothness.py:118-151`; `img2tensor` divides by 255, `tensor2img` multiplies by 255).
 */
import type { LoadedSession } from '../../models/onnx/runtime.ts';
import { runSession } from '../../models/onnx/runtime.ts';
import { checkedOutput, inputNames, outputName, planarBatch, scaleOnly } from '../video/onnx-io.ts';
import type { FrameInterpolator } from './interpolator.ts';
import { checkFramePair } from './interpolator.ts';

/** Tensor names; they default to the session's first three inputs (img0, img1, embt) and last output. */
export interface OnnxInterpolatorOptions {
  readonly inputs?: readonly [string, string, string];
  readonly output?: string;
  readonly name?: string;
}

/** A frame-interpolation network in an ONNX session. */
export class OnnxInterpolator implements FrameInterpolator {
  readonly name: string;
  readonly kind = 'network' as const;
  private readonly inputs: [string, string, string];
  private readonly output: string;

  constructor(
    readonly session: LoadedSession,
    options: OnnxInterpolatorOptions = {},
  ) {
    const [a, b, c] = inputNames(session, 3, options.inputs);
    this.inputs = [a, b, c];
    this.output = outputName(session, options.output);
    this.name = options.name ?? `onnx:${session.file.split(/[\\/]/).pop()}`;
  }

  async interpolate(frame0: Uint8Array, frame1: Uint8Array, width: number, height: number): Promise<Float32Array> {
    checkFramePair(this.name, frame0, frame1, width, height);
    const norm = scaleOnly(1 / 255);
    const embt = { type: 'float32' as const, data: Float32Array.of(0.5), dims: [1, 1, 1, 1] };
    const outputs = await runSession(
      this.session,
      {
        [this.inputs[0]]: planarBatch([frame0], width, height, norm),
        [this.inputs[1]]: planarBatch([frame1], width, height, norm),
        [this.inputs[2]]: embt,
      },
      [this.output],
    );
    const data = checkedOutput(this.session, outputs, this.output, [1, 3, height, width]);
    // planar 0-1 back to interleaved 0-255, as tensor2img's `img_t * 255.` (float32)
    const plane = width * height;
    const out = new Float32Array(plane * 3);
    for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) out[3 * p + c] = data[c * plane + p] * 255;
    return out;
  }
}
