/**
 * The temporal pyramid (Jin et al., 2024, pyramidal temporal condition): a video is generated unit by unit, and
 * each unit sees the earlier frames compressed, the most recent at the current stage's resolution and older ones
 * one stage lower per unit back, everything beyond stage 0 at stage 0's resolution. Matches the history built in
 * Pyramid-Flow `generate` (commit 3040d71); `../shared/docs/pyramid-flow.md` section 5.
 */
import { type Tensor, downN, sliceFrames } from '../../core/tensor.ts';
import type { HistoryEntry } from '../../models/contract/velocity-model.ts';

/** Frames of one unit: unit 0 is the first frame alone, unit u >= 1 is frames [1 + (u-1) f, 1 + u f). */
export interface UnitFrames {
  readonly unit: number;
  readonly firstFrame: number;
  readonly frames: number;
}

/** The units of a video of `frames` frames with `framesPerUnit` frames per later unit. */
export function videoUnits(frames: number, framesPerUnit: number): UnitFrames[] {
  if (!Number.isInteger(framesPerUnit) || framesPerUnit < 1) {
    throw new RangeError(`framesPerUnit is ${framesPerUnit}; allowed: an integer >= 1`);
  }
  if (!Number.isInteger(frames) || frames < 1 || (frames - 1) % framesPerUnit !== 0) {
    throw new RangeError(`frames is ${frames}; with framesPerUnit ${framesPerUnit} allowed: 1 + a multiple of ${framesPerUnit}`);
  }
  const units: UnitFrames[] = [{ unit: 0, firstFrame: 0, frames: 1 }];
  for (let u = 1; 1 + (u - 1) * framesPerUnit < frames; u++) {
    units.push({ unit: u, firstFrame: 1 + (u - 1) * framesPerUnit, frames: framesPerUnit });
  }
  return units;
}

/** Which earlier frames a stage sees, at which pyramid stage's resolution. */
export interface HistorySlice {
  /** Pyramid stage whose resolution the frames are given at. */
  readonly stage: number;
  readonly firstFrame: number;
  readonly frames: number;
}

/**
 * The history of unit `unit` (>= 1) at stage `stage`, oldest first, when `generated` frames exist. Newest unit at
 * the stage's own resolution; then one stage lower per unit back until stage 0 would be reached; everything older
 * at stage 0. Slices that would start before frame 0 are clipped, empty ones dropped.
 */
export function historyLayout(unit: number, stage: number, generated: number, framesPerUnit: number): HistorySlice[] {
  if (unit === 0) return [];
  const f = framesPerUnit;
  const slices: HistorySlice[] = [];
  const push = (s: number, start: number, end: number) => {
    const a = Math.max(start, 0);
    if (end > a) slices.push({ stage: s, firstFrame: a, frames: end - a });
  };
  push(stage, generated - f, generated);
  let current = stage;
  let back = 1;
  while (back < unit) {
    current = Math.max(current - 1, 0);
    if (current === 0) break;
    back += 1;
    push(current, generated - back * f, generated - (back - 1) * f);
  }
  if (current === 0 && back < unit) push(0, 0, generated - back * f);
  return slices.reverse();
}

/**
 * History tensors for one stage from the clean generated frames [B, C, G, H, W] at full resolution: each slice
 * taken down to its stage's resolution (2x2 means, Pyramid-Flow `get_pyramid_latent`).
 */
export function buildHistory(generated: Tensor, layout: readonly HistorySlice[], stages: number): HistoryEntry[] {
  return layout.map((slice) => {
    const level = stages - 1 - slice.stage;
    return {
      level,
      firstFrame: slice.firstFrame,
      tensor: downN(sliceFrames(generated, slice.firstFrame, slice.firstFrame + slice.frames), level),
    };
  });
}
