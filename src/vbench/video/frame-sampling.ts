/**
 * The frame bookkeeping every VBench dimension shares: Python's rounding (VBench's thresholds use the built-in
 * `round`, which rounds halves to even), "middle" frame sampling (`vbench/utils.py:68-106`,
 * `get_frame_indices(..., sample="middle")`), and the ~8 fps subsampling of dynamic degree
 * (`vbench/dynamic_degree.py:96-113`). All at Vchitect/VBench 45e79ec.
 */

/**
 * Python 3's `round(x)` for a float: the nearest integer, halves to the even neighbour (round(0.5) = 0,
 * round(1.5) = 2, round(2.5) = 2). VBench's count thresholds and fps interval go through it.
 */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`roundHalfEven: ${x} is not a finite number`);
  const fraction = Math.abs(x % 1);
  if (fraction === 0.5) return 2 * Math.round(x / 2);
  return Math.round(x);
}

/**
 * The frame indices VBench's `get_frame_indices(numFrames, vlen, sample="middle")` returns: [0, vlen) is split
 * at `int(linspace(0, vlen, n + 1))` into n = min(numFrames, vlen) intervals and the middle index
 * `(start + end - 1) // 2` of each is taken; when the video has fewer frames than asked, the list is padded with
 * its last index up to `numFrames` entries (`vbench/utils.py:68-106`).
 */
export function middleFrameIndices(numFrames: number, videoLength: number): number[] {
  if (!Number.isInteger(numFrames) || numFrames < 1)
    throw new RangeError(`middleFrameIndices: numFrames ${numFrames} must be an integer >= 1`);
  if (!Number.isInteger(videoLength) || videoLength < 1)
    throw new RangeError(
      `middleFrameIndices: video length ${videoLength} must be an integer >= 1 (a video with no frames cannot be sampled)`,
    );
  const n = Math.min(numFrames, videoLength);
  // numpy.linspace: i * (stop / n) in float64, the last point set to stop exactly; astype(int) truncates
  const step = videoLength / n;
  const bounds = Array.from({ length: n + 1 }, (_, i) => (i === n ? videoLength : Math.trunc(i * step)));
  const indices: number[] = [];
  for (let i = 0; i < n; i++) indices.push(Math.floor((bounds[i] + bounds[i + 1] - 1) / 2));
  while (indices.length < numFrames) indices.push(indices[n - 1]);
  return indices;
}

/**
 * The stride dynamic degree reads frames at so that the kept frames run at about 8 per second:
 * `max(1, round(fps / 8))` with Python's rounding (`vbench/dynamic_degree.py:99`; the `max(1, ...)` fix of
 * December 2024 keeps fps <= 4 from giving a stride of 0). `fps` in frames per second.
 */
export function subsampleInterval(fps: number): number {
  if (!(fps > 0) || !Number.isFinite(fps)) throw new RangeError(`subsampleInterval: fps ${fps} must be a finite number > 0`);
  return Math.max(1, roundHalfEven(fps / 8));
}

/** Every `interval`-th item from `start` (VBench's `extract_frame`, `dynamic_degree.py:107-111`, `motion_smoothness.py:63-67`). */
export function everyNth<T>(items: readonly T[], interval: number, start = 0): T[] {
  if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`everyNth: interval ${interval} must be an integer >= 1`);
  if (!Number.isInteger(start) || start < 0) throw new RangeError(`everyNth: start ${start} must be an integer >= 0`);
  const out: T[] = [];
  for (let i = start; i < items.length; i += interval) out.push(items[i]);
  return out;
}
