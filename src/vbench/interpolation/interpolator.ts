/**
 * The frame-interpolation interface motion smoothness is measured through (VBench uses AMT-S,
 * `vbench/motion_smoothness.py:70-160`, Vchitect/VBench 45e79ec), and the simplest interpolator, the blend
 * (the mean of the two frames), a baseline that ignores motion.
 */

/** Predicts the frame halfway between two frames. */
export interface FrameInterpolator {
  /** Names the method in results, e.g. "flow-warp:clg-pyramid" or "onnx:amt-s.onnx". */
  readonly name: string;
  /** "network": VBench's network (AMT) from ONNX; "substitute": the harness's own method in its place. */
  readonly kind: 'network' | 'substitute';
  /**
   * The midpoint (t = 1/2) between RGB24 frames `frame0` and `frame1` (`height * width * 3` bytes each), as
   * RGB floats on the 0-255 scale, interleaved like the input. The caller quantises it as VBench does.
   */
  interpolate(frame0: Uint8Array, frame1: Uint8Array, width: number, height: number): Promise<Float32Array>;
}

/** Checks that two frames fit `width` x `height` RGB24; `who` names the caller in the message. */
export function checkFramePair(who: string, frame0: Uint8Array, frame1: Uint8Array, width: number, height: number): void {
  const n = width * height * 3;
  if (frame0.length !== n || frame1.length !== n)
    throw new RangeError(`${who}: frames of ${frame0.length} and ${frame1.length} bytes; a ${width}x${height} RGB24 frame has ${n}`);
}

/** The mean of the two frames: exact for static videos and for linear fades, blind to motion. */
export class BlendInterpolator implements FrameInterpolator {
  readonly name = 'blend';
  readonly kind = 'substitute' as const;

  async interpolate(frame0: Uint8Array, frame1: Uint8Array, width: number, height: number): Promise<Float32Array> {
    checkFramePair(this.name, frame0, frame1, width, height);
    const out = new Float32Array(frame0.length);
    for (let i = 0; i < out.length; i++) out[i] = 0.5 * (frame0[i] + frame1[i]);
    return out;
  }
}
