/**
 * The FLOP model of a diffusion transformer call: linear layers cost in proportion to tokens, attention in
 * proportion to the query-key pairs its (block-causal) mask allows. `../shared/docs/pyramid-flow.md` section 6.
 * Counts multiply-adds as 2 FLOPs; embeddings, norms, softmax and the final projection are left out (they are a
 * few percent of a DiT block stack at the sizes that matter).
 */

/** The dimensions of a transformer that set its cost per token. */
export interface TransformerCost {
  /** Hidden width d. */
  readonly hidden: number;
  /** Number of transformer blocks. */
  readonly depth: number;
  /** MLP width / d (4 for DiT, SD3). */
  readonly mlpRatio: number;
  /** Condition tokens processed beside the video tokens (text tokens of an MMDiT; 0 for adaLN class conditioning). */
  readonly conditionTokens: number;
  /** Parameter count, for reports; optional. */
  readonly parameters?: number;
  /**
   * 'block-causal': attention costs only the allowed query-key pairs (a kernel that skips masked blocks);
   * 'dense': every pair is computed and masked afterwards (a plain masked matmul). Default 'block-causal'.
   */
  readonly attention?: 'block-causal' | 'dense';
  /** FLOPs per token before the blocks (patch embedding), for every token of the call; default 0. */
  readonly inputFlopsPerToken?: number;
  /** FLOPs per token after the blocks (output projection, pixel refinement), for the current unit's tokens; default 0. */
  readonly outputFlopsPerToken?: number;
}

/** Tokens of one frame of h x w with the given patch size (partial patches count as whole ones). */
export function tokensPerFrame(height: number, width: number, patchSize: number): number {
  return Math.ceil(height / patchSize) * Math.ceil(width / patchSize);
}

/**
 * FLOPs of one row of a call whose tokens come in causal blocks (history entries oldest first, then the
 * current unit): each block attends to itself and every earlier block, and the condition tokens attend to and
 * are attended by everything (with dense attention, every token pair counts). Embedding and output-head FLOPs
 * per token are added when the model states them.
 *   per block: (8 + 4 * mlpRatio) d^2 FLOPs per token (QKV, output projection, MLP);
 *   attention: 4 d FLOPs per allowed query-key pair (QK^T and AV).
 */
export function rowFlops(cost: TransformerCost, blockTokens: readonly number[]): number {
  const d = cost.hidden;
  const c = cost.conditionTokens;
  const videoTokens = blockTokens.reduce((a, b) => a + b, 0);
  const tokens = videoTokens + c;
  let pairs = c * tokens; // condition queries see everything
  let seen = c;
  for (const n of blockTokens) {
    seen += n;
    pairs += n * seen;
  }
  if (cost.attention === 'dense') pairs = tokens * tokens;
  const linear = (8 + 4 * cost.mlpRatio) * d * d * tokens;
  const attention = 4 * d * pairs;
  const current = blockTokens.length ? blockTokens[blockTokens.length - 1] : 0;
  return cost.depth * (linear + attention) + (cost.inputFlopsPerToken ?? 0) * videoTokens + (cost.outputFlopsPerToken ?? 0) * current;
}

/**
 * Share of the full-resolution per-step token count that a spatial pyramid processes on average (current unit
 * only, no history): sum_k steps_k * 4^-(K-1-k) / sum_k steps_k. For 3 stages with equal steps this is
 * (1/16 + 1/4 + 1) / 3 = 0.4375.
 */
export function pyramidTokenShare(stepsPerStage: readonly number[]): number {
  const K = stepsPerStage.length;
  const total = stepsPerStage.reduce((a, b) => a + b, 0);
  const weighted = stepsPerStage.reduce((a, n, k) => a + n * 4 ** -(K - 1 - k), 0);
  return weighted / total;
}
