/**
 * Streaming feature statistics: a count, float64 sums of the features and of their outer products (the sums
 * StyleGAN2-ADA's `metric_utils.FeatureStats` keeps), from which the mean and the unbiased covariance (divide by
 * N - 1, as `np.cov` and pytorch-fid) come out at the end. Only O(d^2 log N) numbers are held, never the N x d
 * features.
 *
 * Mergeable bit for bit. Rows are numbered globally (a shard says where it starts). Rows are grouped in blocks
 * of `STATS_BLOCK_ROWS` aligned on that numbering; a complete block's sums are computed from its rows in row
 * order (each entry one sequential float64 sum), and blocks combine in a fixed binary tree over block numbers
 * (node = left child + right child, children aligned as in a segment tree). The rows of an incomplete first or
 * last block are kept as they are (fewer than one block each) until a merge completes the block. The total is
 * then the left-to-right sum of the tree's maximal nodes over the range, so it depends only on the rows and
 * their numbers: two shards merged give exactly the bytes of one pass, whatever the split.
 */

/** Rows per block: the unit of the fixed summation tree (and the most raw rows kept at either end). */
export const STATS_BLOCK_ROWS = 128;

/** Sums over a complete, aligned range of blocks [index * 2^level, (index + 1) * 2^level). */
export interface StatsNode {
  readonly level: number;
  readonly index: number;
  /** Sum of the rows, length d. */
  readonly sum: Float64Array;
  /** Sum of outer products x x^T, upper triangle packed by rows (length d (d + 1) / 2). */
  readonly outer: Float64Array;
}

/** Streaming statistics of the rows [start, start + count) of a feature stream of dimension d. */
export interface FeatureStats {
  readonly dim: number;
  /** Global number of the first row. */
  readonly start: number;
  count: number;
  /** Raw rows (row-major) of the incomplete block the range starts in, when `start` is not block-aligned. */
  head: Float64Array[];
  /** Maximal complete-block nodes, in row order. */
  nodes: StatsNode[];
  /** Raw rows of the incomplete block the range ends in. */
  tail: Float64Array[];
}

/** Length of the packed upper triangle of a d x d matrix. */
export function packedLength(dim: number): number {
  return (dim * (dim + 1)) / 2;
}

/** Empty statistics for dimension `dim` whose first row will have the global number `start`. */
export function createStats(dim: number, start = 0): FeatureStats {
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`feature dimension ${dim} must be an integer >= 1`);
  if (!Number.isInteger(start) || start < 0) throw new RangeError(`first row number ${start} must be an integer >= 0`);
  return { dim, start, count: 0, head: [], nodes: [], tail: [] };
}

/** Sums of a list of rows, each entry summed sequentially in row order (the leaf rule of the tree). */
function leafOf(rows: readonly Float64Array[], dim: number): { sum: Float64Array; outer: Float64Array } {
  const n = rows.length;
  const sum = new Float64Array(dim);
  const outer = new Float64Array(packedLength(dim));
  // columns of the block, so each dot product runs over contiguous memory
  const cols = new Float64Array(dim * n);
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    for (let i = 0; i < dim; i++) cols[i * n + r] = row[i];
  }
  for (let i = 0; i < dim; i++) {
    const ci = i * n;
    let s = 0;
    for (let r = 0; r < n; r++) s += cols[ci + r];
    sum[i] = s;
  }
  let p = 0;
  for (let i = 0; i < dim; i++) {
    const ci = i * n;
    let j = i;
    // four entries at a time; each is still one sequential sum over the rows
    for (; j + 3 < dim; j += 4) {
      const c0 = j * n;
      const c1 = c0 + n;
      const c2 = c1 + n;
      const c3 = c2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let r = 0; r < n; r++) {
        const x = cols[ci + r];
        s0 += x * cols[c0 + r];
        s1 += x * cols[c1 + r];
        s2 += x * cols[c2 + r];
        s3 += x * cols[c3 + r];
      }
      outer[p++] = s0;
      outer[p++] = s1;
      outer[p++] = s2;
      outer[p++] = s3;
    }
    for (; j < dim; j++) {
      const cj = j * n;
      let s = 0;
      for (let r = 0; r < n; r++) s += cols[ci + r] * cols[cj + r];
      outer[p++] = s;
    }
  }
  return { sum, outer };
}

function addInto(target: Float64Array, source: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i] += source[i];
}

/** Appends a node at the end and merges sibling pairs (left + right, in that order) while there are any. */
function pushNode(stats: FeatureStats, node: StatsNode): void {
  const nodes = stats.nodes;
  nodes.push(node);
  for (;;) {
    const k = nodes.length;
    if (k < 2) return;
    const left = nodes[k - 2];
    const right = nodes[k - 1];
    if (left.level !== right.level || left.index % 2 !== 0 || left.index + 1 !== right.index) return;
    // in place: every node in `stats` is its own (fresh leaves, or copies made by cloneStats and mergeStats)
    addInto(left.sum, right.sum);
    addInto(left.outer, right.outer);
    nodes.splice(k - 2, 2, { level: left.level + 1, index: left.index / 2, sum: left.sum, outer: left.outer });
  }
}

/** Appends one row (global number start + count). */
function pushRow(stats: FeatureStats, row: Float64Array): void {
  const g = stats.start + stats.count;
  const firstBoundary = Math.ceil(stats.start / STATS_BLOCK_ROWS) * STATS_BLOCK_ROWS;
  if (g < firstBoundary) stats.head.push(row);
  else {
    stats.tail.push(row);
    if (stats.tail.length === STATS_BLOCK_ROWS) {
      const leaf = leafOf(stats.tail, stats.dim);
      stats.tail = [];
      pushNode(stats, { level: 0, index: Math.floor(g / STATS_BLOCK_ROWS), ...leaf });
    }
  }
  stats.count++;
}

/**
 * Adds `rows` feature vectors stored row-major in `features` (rows x d), numbered from the current end.
 * Refuses non-finite values, naming the row and the feature.
 */
export function accumulate(stats: FeatureStats, features: ArrayLike<number>, rows: number): void {
  const d = stats.dim;
  if (features.length !== rows * d) throw new RangeError(`accumulate: ${features.length} values for ${rows} rows of dimension ${d}`);
  for (let r = 0; r < rows; r++) {
    const row = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      const v = features[r * d + i];
      if (!Number.isFinite(v))
        throw new RangeError(`accumulate: feature ${i} of row ${stats.start + stats.count} is ${v}; features must be finite`);
      row[i] = v;
    }
    pushRow(stats, row);
  }
}

/** A deep copy. */
export function cloneStats(stats: FeatureStats): FeatureStats {
  return {
    dim: stats.dim,
    start: stats.start,
    count: stats.count,
    head: stats.head.map((r) => Float64Array.from(r)),
    nodes: stats.nodes.map((n) => ({ level: n.level, index: n.index, sum: Float64Array.from(n.sum), outer: Float64Array.from(n.outer) })),
    tail: stats.tail.map((r) => Float64Array.from(r)),
  };
}

/**
 * Statistics of rows [a.start, b.start + b.count) from two adjacent shards (new object). b must start where a
 * ends; the result equals one pass over all rows bit for bit.
 */
export function mergeStats(a: FeatureStats, b: FeatureStats): FeatureStats {
  if (a.dim !== b.dim) throw new RangeError(`cannot merge statistics of dimension ${a.dim} and ${b.dim}`);
  const end = a.start + a.count;
  if (b.start !== end) {
    throw new RangeError(
      `cannot merge: the second shard starts at row ${b.start} but the first covers rows ${a.start} to ${end - 1}; shards merge in row order, each starting where the previous one ends`,
    );
  }
  const out = cloneStats(a);
  for (const row of b.head) pushRow(out, Float64Array.from(row));
  for (const node of b.nodes) {
    const first = node.index * 2 ** node.level * STATS_BLOCK_ROWS;
    if (out.tail.length !== 0 || out.start + out.count !== first)
      throw new Error(`mergeStats: internal error: node at row ${first} does not follow row ${out.start + out.count}`);
    pushNode(out, { level: node.level, index: node.index, sum: Float64Array.from(node.sum), outer: Float64Array.from(node.outer) });
    out.count += 2 ** node.level * STATS_BLOCK_ROWS;
  }
  for (const row of b.tail) pushRow(out, Float64Array.from(row));
  return out;
}

/** Total sums of all rows: the raw first block, the nodes and the raw last block, added left to right. */
export function totalSums(stats: FeatureStats): { count: number; sum: Float64Array; outer: Float64Array } {
  const parts: { sum: Float64Array; outer: Float64Array }[] = [];
  if (stats.head.length) parts.push(leafOf(stats.head, stats.dim));
  parts.push(...stats.nodes);
  if (stats.tail.length) parts.push(leafOf(stats.tail, stats.dim));
  const sum = new Float64Array(stats.dim);
  const outer = new Float64Array(packedLength(stats.dim));
  for (const p of parts) {
    addInto(sum, p.sum);
    addInto(outer, p.outer);
  }
  return { count: stats.count, sum, outer };
}

/** Mean and unbiased covariance (N - 1), both float64, d x d row-major. */
export interface Moments {
  readonly count: number;
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
}

/** mu = sum / N; sigma = (sum x x^T - N mu mu^T) / (N - 1), as `np.cov(X, rowvar=False)`. Needs N >= 2. */
export function moments(stats: FeatureStats): Moments {
  return momentsOfSums(totalSums(stats), stats.dim);
}

/**
 * `moments` from the sums themselves (`totalSums`' form: the outer products' upper triangle packed by rows), for
 * callers that add or leave out groups of rows by their sums (a jackknife over groups).
 */
export function momentsOfSums(sums: { count: number; sum: Float64Array; outer: Float64Array }, dim: number): Moments {
  const { count: n, sum, outer } = sums;
  const d = dim;
  if (sum.length !== d || outer.length !== packedLength(d))
    throw new RangeError(`moments: sums of length ${sum.length} and ${outer.length} are not those of dimension ${d}`);
  if (n < 2) throw new RangeError(`covariance needs at least 2 samples, got ${n}`);
  const mu = Float64Array.from(sum, (s) => s / n);
  const sigma = new Float64Array(d * d);
  let p = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = (outer[p++] - n * mu[i] * mu[j]) / (n - 1);
      sigma[i * d + j] = v;
      sigma[j * d + i] = v;
    }
  }
  return { count: n, mu, sigma };
}

/** Moments of the rows of the chunks at `positions` (each chunk `rows` x `dim` features, row-major), in that order. */
export function momentsOfChunks(
  chunks: readonly { readonly rows: number; readonly dim: number; readonly features: ArrayLike<number> }[],
  positions: readonly number[],
): Moments {
  const stats = createStats(chunks[0].dim);
  for (const p of positions) accumulate(stats, chunks[p].features, chunks[p].rows);
  return moments(stats);
}

/** Moments of rows x d features in one call. */
export function momentsOf(features: ArrayLike<number>, rows: number, dim: number): Moments {
  const s = createStats(dim);
  accumulate(s, features, rows);
  return moments(s);
}
