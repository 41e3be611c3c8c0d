/**
 * Turns clips into a network's input tensor as a manifest describes it: frames chosen (first `frames`, every
 * `frameStride`-th), each resized by the manifest's method to height x width, values mapped from 0..255 onto
 * `range`, normalised per channel by mean/std, and laid out as NCHW/NHWC (images) or NCTHW/NTHWC/NTCHW (video).
 */
import type { Clip } from './extractor.ts';
import type { FeatureManifest } from './manifest.ts';
import { resizeRgb, type ResizeMethod } from './resize.ts';

/** The frames of `clip` the network sees. */
export function selectFrames(clip: Clip, frames: number, stride: number, where: string): readonly Uint8Array[] {
  const needed = (frames - 1) * stride + 1;
  if (clip.frames.length < needed) {
    throw new RangeError(
      `${where}: the clip has ${clip.frames.length} frames; the network takes ${frames} frames${stride > 1 ? ` every ${stride}` : ''} (${needed} needed)`,
    );
  }
  return Array.from({ length: frames }, (_, t) => clip.frames[t * stride]);
}

/** The input tensor for `clips` (float32 or uint8) and its dimensions. */
export function preprocess(clips: readonly Clip[], manifest: FeatureManifest): { data: Float32Array | Uint8Array; dims: number[] } {
  const { input } = manifest;
  const H = input.height;
  const W = input.width;
  const T = manifest.kind === 'video' ? input.frames! : 1;
  const plane = H * W;
  const perClip = 3 * T * plane;
  const data = input.dtype === 'uint8' ? new Uint8Array(clips.length * perClip) : new Float32Array(clips.length * perClip);
  const [lo, hi] = input.range;
  // where value (c, t, y, x) of a clip goes, and the tensor's shape, per layout
  const layouts = {
    NCHW: { stride: [T * plane, plane, W, 1], dims: [clips.length, 3, H, W] },
    NCTHW: { stride: [T * plane, plane, W, 1], dims: [clips.length, 3, T, H, W] },
    NHWC: { stride: [1, 3 * plane, 3 * W, 3], dims: [clips.length, H, W, 3] },
    NTHWC: { stride: [1, 3 * plane, 3 * W, 3], dims: [clips.length, T, H, W, 3] },
    NTCHW: { stride: [plane, 3 * plane, W, 1], dims: [clips.length, T, 3, H, W] },
  } as const;
  const { stride, dims } = layouts[input.layout];
  const [sc, st, sy, sx] = stride;
  clips.forEach((clip, n) => {
    const frames = manifest.kind === 'video' ? selectFrames(clip, T, input.frameStride, `${manifest.name} input ${n}`) : [clip.frames[0]];
    frames.forEach((frame, t) => {
      const planes = resizeRgb(frame, clip.height, clip.width, H, W, manifest.resize as ResizeMethod);
      for (let c = 0; c < 3; c++) {
        const mean = input.mean[c];
        const std = input.std[c];
        for (let y = 0; y < H; y++) {
          const from = c * plane + y * W;
          const to = n * perClip + c * sc + t * st + y * sy;
          if (input.dtype === 'uint8') {
            for (let x = 0; x < W; x++) data[to + x * sx] = Math.min(255, Math.max(0, Math.round(planes[from + x])));
          } else {
            for (let x = 0; x < W; x++) data[to + x * sx] = (lo + (planes[from + x] * (hi - lo)) / 255 - mean) / std;
          }
        }
      }
    });
  });
  return { data, dims: [...dims] };
}
