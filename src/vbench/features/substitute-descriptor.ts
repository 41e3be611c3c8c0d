/**
 * The substitute backbone for subject and background consistency when no DINO / CLIP ONNX file is given: a
 * fixed, training-free descriptor of colour and gradient statistics on a 4 x 4 grid of cells. Per cell: the
 * mean R, G, B (0-1), and the mean luma-gradient magnitude (grey levels / 255 per pixel) in each of 8
 * orientation bins of 45 degrees (central differences, edge-replicated borders), a histogram of oriented
 * gradients in the manner of Dalal and Triggs (CVPR 2005) without block normalisation. 16 x 11 = 176 values.
 * It reacts to an object changing colour, shape, place or orientation, but it is not DINO or CLIP: results
 * computed with it are marked "substitute backbone" and are not comparable with VBench's numbers.
 */
import { luma } from '../video/clip.ts';
import type { Backbone, FrameEmbedder } from './extractor.ts';

/** Cells per side of the grid. */
export const GRID = 4;
/** Orientation bins per cell. */
export const ORIENTATION_BINS = 8;
/** Values per cell: 3 colour means and the orientation bins. */
export const CELL_VALUES = 3 + ORIENTATION_BINS;

/** The descriptor of one RGB24 frame (length GRID * GRID * CELL_VALUES). */
export function colourGradientDescriptor(frame: Uint8Array, width: number, height: number): Float32Array {
  if (frame.length !== width * height * 3)
    throw new RangeError(`colourGradientDescriptor: ${frame.length} bytes for a ${width}x${height} RGB24 frame`);
  const grey = luma(frame, width, height);
  const sums = new Float64Array(GRID * GRID * CELL_VALUES);
  const counts = new Float64Array(GRID * GRID);
  const cellX = new Int32Array(width);
  for (let x = 0; x < width; x++) cellX[x] = Math.min(GRID - 1, Math.floor((x * GRID) / width));
  const binWidth = (2 * Math.PI) / ORIENTATION_BINS;
  for (let y = 0; y < height; y++) {
    const cy = Math.min(GRID - 1, Math.floor((y * GRID) / height));
    const up = (y > 0 ? y - 1 : y) * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const cell = cy * GRID + cellX[x];
      const o = cell * CELL_VALUES;
      counts[cell]++;
      sums[o] += frame[3 * p];
      sums[o + 1] += frame[3 * p + 1];
      sums[o + 2] += frame[3 * p + 2];
      const gx = 0.5 * (grey[y * width + (x < width - 1 ? x + 1 : x)] - grey[y * width + (x > 0 ? x - 1 : x)]);
      const gy = 0.5 * (grey[down + x] - grey[up + x]);
      const m = Math.sqrt(gx * gx + gy * gy);
      if (m === 0) continue;
      let angle = Math.atan2(gy, gx);
      if (angle < 0) angle += 2 * Math.PI;
      const bin = Math.min(ORIENTATION_BINS - 1, Math.floor(angle / binWidth));
      sums[o + 3 + bin] += m;
    }
  }
  const out = new Float32Array(sums.length);
  for (let cell = 0; cell < GRID * GRID; cell++) {
    const n = counts[cell];
    if (n === 0) continue;
    for (let k = 0; k < CELL_VALUES; k++) out[cell * CELL_VALUES + k] = sums[cell * CELL_VALUES + k] / (255 * n);
  }
  return out;
}

/** The colour-gradient grid descriptor behind the FrameEmbedder interface. */
export class ColourGradientEmbedder implements FrameEmbedder {
  readonly backbone: Backbone = { kind: 'substitute', name: 'colour-gradient-grid-v1' };

  async embed(frames: readonly Uint8Array[], width: number, height: number): Promise<Float32Array[]> {
    return frames.map((f) => colourGradientDescriptor(f, width, height));
  }
}
