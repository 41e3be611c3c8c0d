/**
 * The in-memory video every VBench dimension reads: RGB24 frames at native size (height x width x 3 bytes each,
 * the layout OpenCV gives after BGR -> RGB and decord gives directly), and the frame rate where the container
 * states one. Frame folders and the harness's sample store have no frame rate; VBench reads frame folders
 * without fps subsampling (`vbench/dynamic_degree.py:116-130`), and so does the harness when `fps` is null.
 */

/** One video, decoded. */
export interface VideoClip {
  /** What results call it: VBench's `video_path` (a file path, a folder, or `file.npz#i`). */
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** Frames per second, or null when the source has none (frame folders, sample stores without `--fps`). */
  readonly fps: number | null;
  /** RGB24 frames, each `height * width * 3` bytes, row-major, channels last. */
  readonly frames: readonly Uint8Array[];
}

/** Checks sizes and frame lengths; returns the clip. Throws naming the clip and the bad frame. */
export function checkClip(clip: VideoClip): VideoClip {
  const { id, width, height, fps, frames } = clip;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new RangeError(`video ${id}: size ${width}x${height} is not allowed; width and height must be integers >= 1`);
  }
  if (fps !== null && !(fps > 0 && Number.isFinite(fps)))
    throw new RangeError(`video ${id}: fps ${fps} is not allowed; a finite number > 0, or null when unknown`);
  if (frames.length === 0) throw new RangeError(`video ${id} has no frames`);
  const bytes = width * height * 3;
  frames.forEach((f, t) => {
    if (f.length !== bytes)
      throw new RangeError(`video ${id}: frame ${t} has ${f.length} bytes; a ${width}x${height} RGB24 frame has ${bytes}`);
  });
  return clip;
}

/** BT.601 luma of an RGB24 frame, 0-255 floats (the grey image the classical flow estimator works on). */
export function luma(frame: Uint8Array, width: number, height: number, out = new Float32Array(width * height)): Float32Array {
  const n = width * height;
  for (let p = 0, q = 0; p < n; p++, q += 3) out[p] = 0.299 * frame[q] + 0.587 * frame[q + 1] + 0.114 * frame[q + 2];
  return out;
}
