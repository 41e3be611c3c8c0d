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
    throw new RangeError(`${where}: the clip has ${clip.frames.length} frames; the network takes ${frames} frames${stride > 1 ? ` every ${stride}` : ''} (${needed} needed)`);
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
  clips.forEach((clip, n) => {
    const frames = manifest.kind === 'video' ? selectFrames(clip, T, input.frameStride, `${manifest.name} input ${n}`) : [clip.frames[0]];
    frames.forEach((frame, t) => {
      const planes = resizeRgb(frame, clip.height, clip.width, H, W, manifest.resize as ResizeMethod);
      for (let c = 0; c < 3; c++) {
        for (let p = 0; p < plane; p++) {
          const x = planes[c * plane + p];
          const y = Math.floor(p / W);
          const xx = p % W;
          let index: number;
          switch (input.layout) {
            case 'NCHW':
            case 'NCTHW':
              index = ((c * T + t) * H + y) * W + xx;
              break;
            case 'NHWC':
            case 'NTHWC':
              index = ((t * H + y) * W + xx) * 3 + c;
              break;
            case 'NTCHW':
              index = ((t * 3 + c) * H + y) * W + xx;
              break;
          }
          data[n * perClip + index] = input.dtype === 'uint8' ? Math.min(255, Math.max(0, Math.round(x))) : (lo + (x * (hi - lo)) / 255 - input.mean[c]) / input.std[c];
        }
      }
    });
  });
  const dims =
    input.layout === 'NCHW'
      ? [clips.length, 3, H, W]
      : input.layout === 'NHWC'
        ? [clips.length, H, W, 3]
        : input.layout === 'NCTHW'
          ? [clips.length, 3, T, H, W]
          : input.layout === 'NTHWC'
            ? [clips.length, T, H, W, 3]
            : [clips.length, T, 3, H, W];
  return { data, dims };
}
