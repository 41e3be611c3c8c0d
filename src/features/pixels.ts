/**
 * Raw pixels as features, for tiny images and clips: the RGB values at their own size, mapped to [-1, 1] by
 * u / 127.5 - 1 (the harness's quantisation, src/data/quantize.ts), in [C, T, H, W] order (T = 1 for images),
 * so the feature dimension is 3 T H W. Refused above 12288 (64x64 RGB): the covariance would be too large.
 */
import { checkClips, type Clip, type FeatureExtractor } from './extractor.ts';

/** The largest feature dimension the pixel extractor accepts. */
export const MAX_PIXEL_FEATURES = 12288;

/** The `pixels-v1` extractor. */
export function pixelExtractor(): FeatureExtractor {
  const info = {
    name: 'pixels-v1',
    version: '1',
    kind: 'any' as const,
    dim: null,
    description: 'raw RGB pixels in [-1, 1], [C, T, H, W] order, for tiny images and clips',
  };
  let shape: [number, number, number] | undefined;
  return {
    info,
    batchSize: 64,
    async extract(clips: readonly Clip[]): Promise<Float32Array> {
      checkClips(info, clips);
      if (clips.length === 0) return new Float32Array(0);
      const first = clips[0];
      shape ??= [first.frames.length, first.height, first.width];
      const [T, H, W] = shape;
      const dim = 3 * T * H * W;
      if (dim > MAX_PIXEL_FEATURES)
        throw new RangeError(
          `pixels-v1: ${T} frame(s) of ${H}x${W} give ${dim} features; at most ${MAX_PIXEL_FEATURES} are allowed (use random-conv2d-v1 or random-conv3d-v1 for larger inputs)`,
        );
      const plane = H * W;
      const out = new Float32Array(clips.length * dim);
      clips.forEach((clip, n) => {
        if (clip.frames.length !== T || clip.height !== H || clip.width !== W) {
          throw new RangeError(
            `pixels-v1: input ${n} is ${clip.frames.length} frame(s) of ${clip.height}x${clip.width}, but the first input was ${T} of ${H}x${W}; raw pixels need one size`,
          );
        }
        clip.frames.forEach((f, t) => {
          for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[n * dim + (c * T + t) * plane + p] = f[3 * p + c] / 127.5 - 1;
        });
      });
      return out;
    },
    close: async () => undefined,
  };
}
