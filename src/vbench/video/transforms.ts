/**
 * VBench's named preprocessing (`vbench/utils.py:33-66`, `vbench/imaging_quality.py:17-41`, Vchitect/VBench
 * 45e79ec, after the explicit `antialias=False` of commit ee896a9):
 * - `clip_transform(224)`: bicubic resize of the shorter side to 224, centre crop 224, /255, CLIP mean/std;
 * - `dino_transform(224)`: bilinear resize of the shorter side to 224 (aspect kept, no crop), /255, ImageNet
 *   mean/std;
 * - imaging quality's resize rule (`--imaging_quality_preprocessing_mode`, default `longer`).
 * The resize steps return float RGB on the 0-255 scale (VBench resizes float tensors); the /255 and mean/std
 * step is the PixelNormalisation given to the ONNX input.
 */
import type { PixelNormalisation } from './onnx-io.ts';
import { centerCropRgb, resizeRgb, shorterSideSize, type RgbPixels } from './resize.ts';

/** CLIP's normalisation on 0-1 values. */
export const CLIP_NORMALISATION: PixelNormalisation = {
  scale: 1 / 255,
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
};
/** ImageNet's normalisation on 0-1 values (DINO). */
export const IMAGENET_NORMALISATION: PixelNormalisation = { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** A frame after a transform's geometric steps: RGB on the 0-255 scale (floats once resized). */
export interface TransformedFrame {
  readonly data: RgbPixels;
  readonly width: number;
  readonly height: number;
}

/** The geometric part of `clip_transform(n)`: bicubic shorter side -> n, centre crop n x n. */
export function clipGeometry(frame: Uint8Array, width: number, height: number, n = 224): TransformedFrame {
  const [w, h] = shorterSideSize(width, height, n);
  return { data: centerCropRgb(resizeRgb(frame, width, height, w, h, 'bicubic'), w, h, n), width: n, height: n };
}

/** The geometric part of `dino_transform(n)`: bilinear shorter side -> n, aspect kept. */
export function dinoGeometry(frame: Uint8Array, width: number, height: number, n = 224): TransformedFrame {
  const [w, h] = shorterSideSize(width, height, n);
  return { data: resizeRgb(frame, width, height, w, h, 'bilinear'), width: w, height: h };
}

/** Imaging quality's resize modes (`evaluate.py:89-101`). */
export const IMAGING_QUALITY_MODES = ['longer', 'shorter', 'shorter_centercrop', 'None'] as const;
export type ImagingQualityMode = (typeof IMAGING_QUALITY_MODES)[number];

/**
 * Imaging quality's resize rule: `longer` (default) scales so the longer side is 512 when it exceeds 512;
 * `shorter` scales the shorter side to 512 when it exceeds 512 and `shorter_centercrop` then crops 512 x 512;
 * `None` keeps the frame. Sizes are `int(scale * h)`, `int(scale * w)` with scale = 512 / side (bilinear,
 * antialias off).
 */
export function imagingQualityGeometry(
  frame: Uint8Array,
  width: number,
  height: number,
  mode: ImagingQualityMode = 'longer',
): TransformedFrame {
  if (!IMAGING_QUALITY_MODES.includes(mode))
    throw new RangeError(`imaging quality preprocessing mode '${mode}' is not known; allowed: ${IMAGING_QUALITY_MODES.join(', ')}`);
  const side = mode === 'longer' ? Math.max(width, height) : Math.min(width, height);
  if (mode === 'None' || side <= 512) return { data: frame, width, height };
  const scale = 512 / side;
  const h = Math.trunc(scale * height);
  const w = Math.trunc(scale * width);
  const resized = resizeRgb(frame, width, height, w, h, 'bilinear');
  if (mode === 'shorter_centercrop') return { data: centerCropRgb(resized, w, h, 512), width: 512, height: 512 };
  return { data: resized, width: w, height: h };
}
