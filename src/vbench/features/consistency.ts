/**
 * The formula VBench's subject consistency (DINO, `vbench/subject_consistency.py:30-67`) and background
 * consistency (CLIP, `vbench/background_consistency.py:23-63`) share, over per-frame embeddings
 * (Vchitect/VBench 45e79ec). Each embedding is L2-normalised (`F.normalize`, eps 1e-12); for frames t >= 2,
 * s_t = (max(0, cos(e_{t-1}, e_t)) + max(0, cos(e_1, e_t))) / 2 (`F.cosine_similarity`, eps 1e-8). A video
 * scores mean_t s_t over its T - 1 terms; the dimension is frame-weighted: sum of all s_t over all videos
 * divided by the number of terms (single-process VBench; background consistency stays frame-weighted under
 * several GPUs, subject consistency then becomes the plain mean of video scores, `:79-81`).
 */

/** F.normalize(x, p=2, dim=-1): x / max(||x||, 1e-12). */
export function l2Normalise(x: Float32Array): Float64Array {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  const n = Math.max(Math.sqrt(s), 1e-12);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] / n;
  return out;
}

/** F.cosine_similarity(a, b, eps=1e-8): a.b / max(||a|| ||b||, 1e-8). */
export function cosineSimilarity(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new RangeError(`cosineSimilarity: vectors of length ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.max(Math.sqrt(na) * Math.sqrt(nb), 1e-8);
}

/** One video's consistency: the sum of its s_t, their count (T - 1), their mean, and each s_t. */
export interface ConsistencyVideo {
  readonly score: number;
  /** VBench's `video_sim`. */
  readonly sum: number;
  /** VBench's `cnt_per_video`. */
  readonly count: number;
  readonly terms: number[];
}

/** s_t for t = 2..T and their mean, from T per-frame embeddings (T >= 2). */
export function consistencyVideo(embeddings: readonly Float32Array[], id = 'video'): ConsistencyVideo {
  if (embeddings.length < 2)
    throw new RangeError(`consistency: ${id} has ${embeddings.length} frame; at least 2 are needed (VBench divides by T - 1)`);
  const dim = embeddings[0].length;
  embeddings.forEach((e, t) => {
    if (e.length !== dim)
      throw new RangeError(`consistency: ${id} frame ${t} has a ${e.length}-dimensional embedding, frame 0 a ${dim}-dimensional one`);
    for (let i = 0; i < e.length; i++)
      if (!Number.isFinite(e[i])) throw new RangeError(`consistency: ${id} frame ${t} embedding has a non-finite value at ${i}`);
  });
  const unit = embeddings.map(l2Normalise);
  const terms: number[] = [];
  for (let t = 1; t < unit.length; t++) {
    const previous = Math.max(0, cosineSimilarity(unit[t - 1], unit[t]));
    const first = Math.max(0, cosineSimilarity(unit[0], unit[t]));
    terms.push((previous + first) / 2);
  }
  const sum = terms.reduce((a, b) => a + b, 0);
  return { score: sum / terms.length, sum, count: terms.length, terms };
}

/** The dimension score: sum of all s_t over all videos / number of terms (frame-weighted). */
export function consistencyScore(videos: readonly { readonly sum: number; readonly count: number }[]): number {
  const count = videos.reduce((a, v) => a + v.count, 0);
  if (count === 0) throw new RangeError('consistency: no frame pairs to average');
  return videos.reduce((a, v) => a + v.sum, 0) / count;
}
