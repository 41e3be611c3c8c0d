/**
 * Planned cost: the tokens and FLOPs per sample that a sampler will spend, computed from its timeline alone
 * (no model call). Every sampler lists its planned calls (`Sampler.plan`) and records the same quantities call
 * by call; a test checks that the two agree. Used by the cost table and to give the full-resolution baseline
 * the same compute as a pyramid plan.
 */
import { rowFlops, tokensPerFrame, type TransformerCost } from '../../models/contract/cost-model.ts';

/** One planned call of one sample: the token blocks (history oldest first, then the current unit). */
export interface PlannedCall {
  readonly stage: number;
  readonly blocks: readonly number[];
  /** Evaluations per sample (2 under guidance). */
  readonly rowsPerSample: number;
  /** Transformer dimensions of the model making the call; absent when its backend cannot say. */
  readonly cost?: TransformerCost;
}

/** Totals per sample. */
export interface PlannedCost {
  readonly nfe: number;
  readonly tokensPerSample: number;
  /** Null when no transformer dimensions are known. */
  readonly flopsPerSample: number | null;
}

/**
 * Sums planned calls. FLOPs come from `cost` when given, else from each call's own model (as `summarizeCost`
 * sums recorded calls); they are null when some call has no transformer dimensions.
 */
export function totalPlannedCost(calls: readonly PlannedCall[], cost?: TransformerCost): PlannedCost {
  let nfe = 0;
  let tokens = 0;
  let flops: number | null = 0;
  for (const c of calls) {
    nfe += c.rowsPerSample;
    tokens += c.rowsPerSample * c.blocks.reduce((a, b) => a + b, 0);
    const dims = cost ?? c.cost;
    flops = flops !== null && dims ? flops + c.rowsPerSample * rowFlops(dims, c.blocks) : null;
  }
  return { nfe, tokensPerSample: tokens, flopsPerSample: flops };
}

/** Tokens of `frames` frames at full size H x W taken down `level` times. */
export function blockTokens(frames: number, height: number, width: number, level: number, patchSize: number): number {
  return frames * tokensPerFrame(height / 2 ** level, width / 2 ** level, patchSize);
}

/** A compute measure that exists for every model: FLOPs when known, else tokens. */
export function computeMeasure(c: PlannedCost): number {
  return c.flopsPerSample ?? c.tokensPerSample;
}
