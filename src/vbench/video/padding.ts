/**
 * The `InputPadder` both of VBench's networks use: pad height and width up to a multiple of `d` with replicated
 * edge pixels, split evenly between the two sides (the extra pixel, if any, on the bottom/right). RAFT pads to 8
 * ("sintel" mode, `vbench/third_party/RAFT/core/utils_core/utils.py:7-24`) and AMT to 16
 * (`vbench/third_party/amt/utils/utils.py:54-78`); Vchitect/VBench 45e79ec.
 */

/** Pixels added on each side. */
export interface Pads {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** How much `InputPadder(dims, d)` pads an image of `height` x `width`. */
export function padAmounts(height: number, width: number, multiple: number): Pads {
  if (!Number.isInteger(multiple) || multiple < 1) throw new RangeError(`padAmounts: multiple ${multiple} must be an integer >= 1`);
  const padH = ((Math.floor(height / multiple) + 1) * multiple - height) % multiple;
  const padW = ((Math.floor(width / multiple) + 1) * multiple - width) % multiple;
  return { left: Math.floor(padW / 2), right: padW - Math.floor(padW / 2), top: Math.floor(padH / 2), bottom: padH - Math.floor(padH / 2) };
}

/** True when the pads add nothing. */
export function noPadding(p: Pads): boolean {
  return p.left === 0 && p.right === 0 && p.top === 0 && p.bottom === 0;
}

type Pixels = Uint8Array | Float32Array;

/** Replicate-pads an interleaved image (`channels` values per pixel); returns a new array of the padded size. */
export function padReplicate<T extends Pixels>(image: T, width: number, height: number, channels: number, pads: Pads): T {
  if (image.length !== width * height * channels)
    throw new RangeError(`padReplicate: ${image.length} values for ${width}x${height}x${channels}`);
  if (noPadding(pads)) return image;
  const W = width + pads.left + pads.right;
  const H = height + pads.top + pads.bottom;
  const out = new (image.constructor as { new (n: number): T })(W * H * channels);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(height - 1, Math.max(0, y - pads.top));
    for (let x = 0; x < W; x++) {
      const sx = Math.min(width - 1, Math.max(0, x - pads.left));
      const s = (sy * width + sx) * channels;
      const d = (y * W + x) * channels;
      for (let c = 0; c < channels; c++) out[d + c] = image[s + c];
    }
  }
  return out;
}

/** Cuts the pads off again (`InputPadder.unpad`): `width` x `height` is the padded size. */
export function unpad<T extends Pixels>(image: T, width: number, height: number, channels: number, pads: Pads): T {
  if (image.length !== width * height * channels) throw new RangeError(`unpad: ${image.length} values for ${width}x${height}x${channels}`);
  if (noPadding(pads)) return image;
  const w = width - pads.left - pads.right;
  const h = height - pads.top - pads.bottom;
  if (w < 1 || h < 1) throw new RangeError(`unpad: pads ${JSON.stringify(pads)} leave nothing of ${width}x${height}`);
  const out = new (image.constructor as { new (n: number): T })(w * h * channels);
  for (let y = 0; y < h; y++) {
    const s = ((y + pads.top) * width + pads.left) * channels;
    out.set(image.subarray(s, s + w * channels), y * w * channels);
  }
  return out;
}
