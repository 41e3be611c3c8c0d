/**
 * A flow-based frame interpolator of our own: estimate the flows F01 and F10 between the two frames with any
 * FlowEstimator, approximate the flows from the midpoint back to each frame as in Super SloMo (Jiang et al.,
 * CVPR 2018, eq. 4, at t = 1/2: F_t0 = (F10 - F01) / 4, F_t1 = (F01 - F10) / 4), warp both frames there
 * (bicubic, per channel) and average them. It is exact for static videos and for uniform translations in the
 * interior, and stands in for AMT where no AMT ONNX file is given.
 */
import type { FlowEstimator } from '../flow/flow-field.ts';
import { warpBicubic } from '../flow/image-ops.ts';
import type { FrameInterpolator } from './interpolator.ts';
import { checkFramePair } from './interpolator.ts';

/** One channel of an interleaved RGB24 frame as floats. */
function channel(frame: Uint8Array, plane: number, c: number): Float32Array {
  const out = new Float32Array(plane);
  for (let p = 0; p < plane; p++) out[p] = frame[3 * p + c];
  return out;
}

/** Midpoint frames from two warped copies, with flows from `estimator`. */
export class FlowInterpolator implements FrameInterpolator {
  readonly name: string;
  readonly kind = 'substitute' as const;

  constructor(readonly estimator: FlowEstimator) {
    this.name = `flow-warp:${estimator.name}`;
  }

  async interpolate(frame0: Uint8Array, frame1: Uint8Array, width: number, height: number): Promise<Float32Array> {
    checkFramePair(this.name, frame0, frame1, width, height);
    const plane = width * height;
    const f01 = await this.estimator.estimate(frame0, frame1, width, height);
    const f10 = await this.estimator.estimate(frame1, frame0, width, height);
    // Super SloMo eq. 4 at t = 1/2
    const ut0 = new Float32Array(plane);
    const vt0 = new Float32Array(plane);
    const ut1 = new Float32Array(plane);
    const vt1 = new Float32Array(plane);
    for (let p = 0; p < plane; p++) {
      ut0[p] = 0.25 * (f10.u[p] - f01.u[p]);
      vt0[p] = 0.25 * (f10.v[p] - f01.v[p]);
      ut1[p] = -ut0[p];
      vt1[p] = -vt0[p];
    }
    const out = new Float32Array(plane * 3);
    const w0 = new Float32Array(plane);
    const w1 = new Float32Array(plane);
    const valid = new Uint8Array(plane);
    for (let c = 0; c < 3; c++) {
      warpBicubic(channel(frame0, plane, c), width, height, ut0, vt0, w0, valid);
      warpBicubic(channel(frame1, plane, c), width, height, ut1, vt1, w1, valid);
      for (let p = 0; p < plane; p++) {
        const x = 0.5 * (w0[p] + w1[p]);
        out[3 * p + c] = x < 0 ? 0 : x > 255 ? 255 : x;
      }
    }
    return out;
  }
}
