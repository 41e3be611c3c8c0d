/**
 * Optical flow as VBench's RAFT users see it: a dense field (u, v) in pixels from frame 1 to frame 2
 * (frame1(x) ~ frame2(x + (u, v))), one estimator interface for the classical TypeScript method and for RAFT
 * exported to ONNX, and the statistic both dynamic degree and the static filter take from a field: the mean
 * of the largest `int(H * W * fraction)` magnitudes (`get_score`, `vbench/dynamic_degree.py:42-56` with 5 %,
 * `static_filter.py:41-55` with 2 %; Vchitect/VBench 45e79ec).
 */

import { kthLargest } from '../../core/select.ts';

/** A dense flow field; `u` (x, to the right) and `v` (y, down) in pixels, row-major, `height * width` each. */
export interface FlowField {
  readonly width: number;
  readonly height: number;
  readonly u: Float32Array;
  readonly v: Float32Array;
}

/** Estimates flow between two RGB24 frames of the same size. */
export interface FlowEstimator {
  /** Names the method in results and reports, e.g. "clg-pyramid" or "onnx:raft-things". */
  readonly name: string;
  /** "network": VBench's network (RAFT) from ONNX; "substitute": the harness's own method in its place. */
  readonly kind: 'network' | 'substitute';
  /** The flow from `frame1` to `frame2` (RGB24, `height * width * 3` bytes each), same size as the frames. */
  estimate(frame1: Uint8Array, frame2: Uint8Array, width: number, height: number): Promise<FlowField>;
}

/** How many magnitudes VBench averages: `int(h * w * fraction)`, the product taken in float64 as Python does. */
export function topCount(pixels: number, fraction: number): number {
  return Math.trunc(pixels * fraction);
}

/**
 * Mean of the `int(H * W * fraction)` largest flow magnitudes sqrt(u^2 + v^2), in pixels. When that count is 0
 * (a field smaller than 1 / fraction pixels) NumPy's mean of an empty slice is NaN, and so is this: VBench
 * then compares NaN with its thresholds, which is never true.
 */
export function topFractionMeanMagnitude(field: FlowField, fraction: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`topFractionMeanMagnitude: fraction ${fraction} must be in (0, 1]`);
  const n = field.width * field.height;
  const k = topCount(n, fraction);
  if (k === 0) return NaN;
  const magnitude = new Float32Array(n);
  const { u, v } = field;
  for (let i = 0; i < n; i++) magnitude[i] = Math.sqrt(u[i] * u[i] + v[i] * v[i]);
  const threshold = kthLargest(magnitude, k);
  let sum = 0;
  let above = 0;
  for (let i = 0; i < n; i++) {
    if (magnitude[i] > threshold) {
      sum += magnitude[i];
      above++;
    }
  }
  return (sum + (k - above) * threshold) / k;
}
