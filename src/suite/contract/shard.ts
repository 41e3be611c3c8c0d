/**
 * Chunks and shards. A suite's samples are cut into chunks of `chunk` consecutive indices (the unit of caching,
 * sharding and the jackknife); shard i of n takes the chunks c with c mod n = i, the same slice on every machine,
 * so shards run as a Kubernetes Indexed Job or a Slurm array (docs/scaling.md) and merge exactly.
 */
/** Shard `index` of `count` (0-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The whole run as one shard. */
export const WHOLE: Shard = Object.freeze({ index: 0, count: 1 });

/** Parses "i/n" (0 <= i < n), as given to `--shard`. */
export function parseShard(text: string, where = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) {
    throw new RangeError(
      `${where} is '${text}'; allowed: i/n with 0 <= i < n, e.g. 0/4 (Kubernetes: $(JOB_COMPLETION_INDEX)/4, Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)`,
    );
  }
  return { index, count };
}

/** Number of chunks for `samples` samples in chunks of `chunk`. */
export function chunkCount(samples: number, chunk: number): number {
  return Math.ceil(samples / chunk);
}

/** The chunks of a shard, ascending. */
export function shardChunks(chunks: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let c = shard.index; c < chunks; c += shard.count) out.push(c);
  return out;
}

/** The positions [start, end) of chunk c among `samples` samples. */
export function chunkRange(c: number, chunk: number, samples: number): [number, number] {
  return [c * chunk, Math.min((c + 1) * chunk, samples)];
}

/** The sample positions of the given chunks, in chunk order. */
export function chunkPositions(chunks: readonly number[], chunk: number, samples: number): number[] {
  return chunks.flatMap((c) => {
    const [a, b] = chunkRange(c, chunk, samples);
    return Array.from({ length: b - a }, (_, i) => a + i);
  });
}
