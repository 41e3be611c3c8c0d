/**
 * Tiles a batch of clips into one clip (a grid with a 1-pixel gap), for looking at samples side by side.
 */
import type { Tensor } from '../core/tensor.ts';
import { tensorToFrames } from './quantize.ts';

/** A batch [N, C, T, H, W] in [-1, 1] as T RGB24 frames of a grid with `columns` columns (default: near-square). */
export function gridFrames(
  samples: Tensor,
  columns = Math.ceil(Math.sqrt(samples.batch)),
): { frames: Uint8Array[]; width: number; height: number } {
  const [N, C, T, H, W] = samples.shape;
  const cols = Math.min(columns, N);
  const rows = Math.ceil(N / cols);
  const gap = 1;
  const width = cols * W + (cols - 1) * gap;
  const height = rows * H + (rows - 1) * gap;
  // even sizes for H.264
  const evenW = width + (width % 2);
  const evenH = height + (height % 2);
  const frames = Array.from({ length: T }, () => new Uint8Array(evenW * evenH * 3).fill(255));
  for (let i = 0; i < N; i++) {
    const clip = tensorToFrames(samples.sample(i), C, T, H, W);
    const ox = (i % cols) * (W + gap);
    const oy = Math.floor(i / cols) * (H + gap);
    clip.forEach((f, t) => {
      for (let y = 0; y < H; y++) frames[t].set(f.subarray(y * W * 3, (y + 1) * W * 3), ((oy + y) * evenW + ox) * 3);
    });
  }
  return { frames, width: evenW, height: evenH };
}
