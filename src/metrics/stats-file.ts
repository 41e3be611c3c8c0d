/**
 * Statistics files, ours and those people already have (frechet.md section 4):
 *
 * - `pytorch-fid` (also TTUR): `mu` (d,), `sigma` (d, d), float64, `np.savez_compressed` (fid_score.py).
 * - `clean-fid`: `mu` (float32 when made from float32 features), `sigma` float64; KID files hold `feats`
 *   [N, d] (all reference features) instead (features.py, fid.py `make_custom_stats`).
 * - `adm` (guided-diffusion evaluator reference batch): `arr_0` uint8 [N, H, W, 3] images beside `mu`/`sigma`
 *   (2048-d pool_3) and `mu_s`/`sigma_s` (sFID spatial features); the evaluator uses `mu`/`sigma` when present.
 * - `pyramid-bench`: `mu`, `sigma` (float64), `count` (int64), `meta` (UTF-8 JSON bytes: format, extractor
 *   name and version, input) and, for merging shards bit for bit, the streaming state (`state_*` arrays).
 *   NumPy reads it: `d = np.load(f); d['mu'], d['count'], json.loads(bytes(d['meta']))`.
 *
 * Reading checks keys, dtypes, shapes, finiteness and symmetry, and names the file, the key, what was expected
 * and what was found. Sizes are checked against what this machine can hold (core/memory-limits.ts) from the
 * .npy headers, before any array or the covariance computed from one is allocated.
 */
import { firstNonFinite } from '../core/finite.ts';
import { checkAllocation } from '../core/memory-limits.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { encodeNpz, npyArray, type NpyArray } from '../io/npy.ts';
import { NpzFile } from '../io/npz-file.ts';
import { momentsOf, packedLength, STATS_BLOCK_ROWS, type FeatureStats, type StatsNode } from './feature-stats.ts';

/** Formats this module reads and writes. */
export type StatsFormat = 'pyramid-bench' | 'pytorch-fid' | 'clean-fid' | 'clean-fid-kid' | 'adm';
/** Every format `writeStatsFile` takes, as `stats --format` lists them. */
export const STATS_FORMATS: readonly StatsFormat[] = ['pyramid-bench', 'pytorch-fid', 'clean-fid', 'clean-fid-kid', 'adm'];

/** Extractor provenance kept with our statistics. */
export interface StatsMeta {
  readonly format: 'pyramid-bench-stats';
  readonly version: 1;
  readonly extractor: { readonly name: string; readonly version: string } | null;
  readonly input?: string;
  readonly [key: string]: unknown;
}

/** What a statistics file holds, whatever its format. */
export interface StatsData {
  /** The format that was read (for mu/sigma-only files: `pytorch-fid`, which clean-fid files match too). */
  readonly format: StatsFormat;
  readonly mu: Float64Array;
  /** d x d row-major. */
  readonly sigma: Float64Array;
  readonly dim: number;
  /** Sample count when the file says (ours, clean-fid KID features, ADM's arr_0 is not the stats' sample). */
  readonly count: number | null;
  readonly meta?: StatsMeta;
  /** All features (clean-fid KID files), row-major count x dim. */
  readonly features?: Float32Array | Float64Array;
  /** Streaming state (ours, when written with it). */
  readonly state?: FeatureStats;
  /** ADM's spatial statistics, when present. */
  readonly spatial?: { readonly mu: Float64Array; readonly sigma: Float64Array; readonly dim: number };
}

/** Thrown for a statistics file that does not fit its format. */
export class StatsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatsFileError';
  }
}

const describe = (a: NpyArray) => `${a.dtype} [${a.shape.join(', ')}]`;

/**
 * Refuses, before allocation, an array of `file`'s key `key` that this machine cannot hold: `bytes` is what
 * reading it (or computing from it) takes, `what` says how (e.g. "a 100000x100000 float64 covariance").
 */
function checkHeld(file: string, key: string, bytes: number, what: string): void {
  checkAllocation(bytes, `${file}: key '${key}'`, what, (m) => new StatsFileError(m));
}

/** Bytes of one entry's data, from its .npy header (dtype and shape) alone. */
function entryBytes(npz: NpzFile, key: string): { bytes: number; shape: readonly number[]; dtype: string } {
  const e = npz.entry(key);
  const itemBytes = Number(/\d+$/.exec(e.dtype)?.[0] ?? 8);
  return { bytes: e.shape.reduce((a, b) => a * b, 1) * itemBytes, shape: e.shape, dtype: e.dtype };
}

/** A d x d float64 matrix in bytes (a covariance read or computed). */
const squareBytes = (d: number) => d * d * 8;

function floatArray(file: string, key: string, a: NpyArray, shape: readonly number[], what: string): Float64Array {
  const okType = a.dtype === '<f8' || a.dtype === '<f4';
  if (!okType || a.shape.length !== shape.length || a.shape.some((n, i) => n !== shape[i])) {
    throw new StatsFileError(`${file}: key '${key}': expected float64 or float32 [${shape.join(', ')}] (${what}), found ${describe(a)}`);
  }
  const out = Float64Array.from(a.data as Float64Array | Float32Array);
  const bad = firstNonFinite(out);
  if (bad >= 0) throw new StatsFileError(`${file}: key '${key}': entry ${bad} is ${out[bad]}; statistics must be finite`);
  return out;
}

/** Reads a mean/covariance pair, checking shapes, finiteness and symmetry (relative 1e-9 of the largest entry). */
function gaussian(file: string, npz: NpzFile, muKey: string, sigmaKey: string): { mu: Float64Array; sigma: Float64Array; dim: number } {
  const muHeader = entryBytes(npz, muKey);
  checkHeld(file, muKey, muHeader.bytes, `${muHeader.dtype} [${muHeader.shape.join(', ')}]`);
  if (muHeader.shape.length === 1) {
    const d = muHeader.shape[0];
    checkHeld(file, sigmaKey, squareBytes(d), `the ${d}x${d} float64 covariance matching ${muKey} [${d}]`);
  }
  const muRaw = npz.array(muKey);
  if (muRaw.shape.length !== 1)
    throw new StatsFileError(`${file}: key '${muKey}': expected a float vector [d] (the feature mean), found ${describe(muRaw)}`);
  const dim = muRaw.shape[0];
  const mu = floatArray(file, muKey, muRaw, [dim], 'the feature mean');
  const sigma = floatArray(file, sigmaKey, npz.array(sigmaKey), [dim, dim], `the ${dim}x${dim} covariance matching ${muKey}`);
  let scale = 0;
  for (const v of sigma) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < dim; i++) {
    for (let j = i + 1; j < dim; j++) {
      const diff = Math.abs(sigma[i * dim + j] - sigma[j * dim + i]);
      if (diff > 1e-9 * scale) {
        throw new StatsFileError(
          `${file}: key '${sigmaKey}': expected a symmetric covariance, found entries (${i}, ${j}) = ${sigma[i * dim + j]} and (${j}, ${i}) = ${sigma[j * dim + i]}`,
        );
      }
    }
  }
  return { mu, sigma, dim };
}

function scalarInt(file: string, npz: NpzFile, key: string): number {
  const a = npz.array(key);
  if (a.dtype !== '<i8' || a.data.length !== 1) throw new StatsFileError(`${file}: key '${key}': expected one int64, found ${describe(a)}`);
  return Number((a.data as BigInt64Array)[0]);
}

function readState(file: string, npz: NpzFile, dim: number): FeatureStats {
  const start = scalarInt(file, npz, 'state_start');
  const block = scalarInt(file, npz, 'state_block_rows');
  if (block !== STATS_BLOCK_ROWS)
    throw new StatsFileError(`${file}: key 'state_block_rows': expected ${STATS_BLOCK_ROWS} (this version's block size), found ${block}`);
  // the state's sums are what `stats --merge` adds up: a NaN there would be written into the merged file
  const finite = (key: string, a: NpyArray) => {
    const bad = firstNonFinite(a.data as Float64Array);
    if (bad >= 0)
      throw new StatsFileError(`${file}: key '${key}': entry ${bad} is ${(a.data as Float64Array)[bad]}; statistics must be finite`);
  };
  const rowsOf = (key: string) => {
    const h = entryBytes(npz, key);
    checkHeld(file, key, h.bytes * 2, `${h.dtype} [${h.shape.join(', ')}] read and copied into rows`);
    const a = npz.array(key);
    if (a.dtype !== '<f8' || a.shape.length !== 2 || a.shape[1] !== dim)
      throw new StatsFileError(`${file}: key '${key}': expected float64 [rows, ${dim}], found ${describe(a)}`);
    finite(key, a);
    return Array.from({ length: a.shape[0] }, (_, r) => Float64Array.from((a.data as Float64Array).subarray(r * dim, (r + 1) * dim)));
  };
  for (const key of ['state_node_level', 'state_node_index', 'state_node_sum', 'state_node_outer']) {
    const h = entryBytes(npz, key);
    checkHeld(file, key, h.bytes * 2, `${h.dtype} [${h.shape.join(', ')}] read and copied into nodes`);
  }
  const levels = npz.array('state_node_level');
  const k = levels.shape[0] ?? 0;
  const indices = npz.array('state_node_index');
  const sums = npz.array('state_node_sum');
  const outers = npz.array('state_node_outer');
  if (
    levels.dtype !== '<i8' ||
    indices.dtype !== '<i8' ||
    indices.shape[0] !== k ||
    sums.dtype !== '<f8' ||
    sums.shape.join() !== `${k},${dim}` ||
    outers.dtype !== '<f8' ||
    outers.shape.join() !== `${k},${packedLength(dim)}`
  ) {
    throw new StatsFileError(
      `${file}: the state_node_* arrays do not agree: levels ${describe(levels)}, indices ${describe(indices)}, sums ${describe(sums)}, outer sums ${describe(outers)} (expected int64 [k], int64 [k], float64 [k, ${dim}], float64 [k, ${packedLength(dim)}])`,
    );
  }
  finite('state_node_sum', sums);
  finite('state_node_outer', outers);
  const nodes: StatsNode[] = Array.from({ length: k }, (_, i) => ({
    level: Number((levels.data as BigInt64Array)[i]),
    index: Number((indices.data as BigInt64Array)[i]),
    sum: Float64Array.from((sums.data as Float64Array).subarray(i * dim, (i + 1) * dim)),
    outer: Float64Array.from((outers.data as Float64Array).subarray(i * packedLength(dim), (i + 1) * packedLength(dim))),
  }));
  const head = rowsOf('state_head');
  const tail = rowsOf('state_tail');
  const count = head.length + tail.length + nodes.reduce((a, n) => a + 2 ** n.level * STATS_BLOCK_ROWS, 0);
  return { dim, start, count, head, nodes, tail };
}

/** Reads any supported statistics file; refuses wrong keys, dtypes, shapes or non-symmetric covariances. */
export function readStatsFile(file: string): StatsData {
  let npz: NpzFile;
  try {
    npz = new NpzFile(file);
  } catch (error) {
    throw new StatsFileError(`${file}: cannot read as .npz: ${(error as Error).message}`);
  }
  try {
    const keys = npz.keys();
    if (npz.has('feats') && !npz.has('mu')) {
      const e = npz.entry('feats');
      if ((e.dtype !== '<f4' && e.dtype !== '<f8') || e.shape.length !== 2 || e.shape[0] < 2)
        throw new StatsFileError(
          `${file}: key 'feats': expected float32 [N >= 2, d] (clean-fid KID features), found ${e.dtype} [${e.shape.join(', ')}]`,
        );
      const [n, d] = e.shape;
      checkHeld(file, 'feats', entryBytes(npz, 'feats').bytes, `${e.dtype} [${n}, ${d}] (every feature vector)`);
      checkHeld(file, 'feats', squareBytes(d), `the ${d}x${d} float64 covariance of its ${d}-dimensional features`);
      const features = npz.array('feats').data as Float32Array | Float64Array;
      const { mu, sigma } = momentsOf(features, n, d);
      return { format: 'clean-fid-kid', mu, sigma, dim: d, count: n, features };
    }
    if (!npz.has('mu') || !npz.has('sigma')) {
      throw new StatsFileError(
        `${file}: expected keys 'mu' and 'sigma' (pytorch-fid, clean-fid, guided-diffusion or pyramid-bench statistics) or 'feats' (clean-fid KID features); found: ${keys.join(', ') || '(none)'}`,
      );
    }
    const { mu, sigma, dim } = gaussian(file, npz, 'mu', 'sigma');
    if (npz.has('meta')) {
      const metaRaw = npz.array('meta');
      let meta: StatsMeta;
      try {
        meta = JSON.parse(Buffer.from(metaRaw.data as Uint8Array).toString('utf8'));
      } catch {
        throw new StatsFileError(`${file}: key 'meta': expected UTF-8 JSON bytes (uint8), found ${describe(metaRaw)} that do not parse`);
      }
      if (meta.format !== 'pyramid-bench-stats')
        throw new StatsFileError(`${file}: key 'meta': expected format 'pyramid-bench-stats', found '${String(meta.format)}'`);
      const count = scalarInt(file, npz, 'count');
      const state = npz.has('state_start') ? readState(file, npz, dim) : undefined;
      if (state && state.count !== count)
        throw new StatsFileError(`${file}: the streaming state covers ${state.count} rows but 'count' says ${count}`);
      return { format: 'pyramid-bench', mu, sigma, dim, count, meta, ...(state ? { state } : {}) };
    }
    if (npz.has('arr_0')) {
      const e = npz.entry('arr_0');
      if (e.dtype !== '|u1' || e.shape.length !== 4 || e.shape[3] !== 3)
        throw new StatsFileError(
          `${file}: key 'arr_0': expected uint8 images [N, H, W, 3] (a guided-diffusion reference batch), found ${e.dtype} [${e.shape.join(', ')}]`,
        );
      const spatial = npz.has('mu_s') || npz.has('sigma_s') ? gaussian(file, npz, 'mu_s', 'sigma_s') : undefined;
      return { format: 'adm', mu, sigma, dim, count: null, ...(spatial ? { spatial } : {}) };
    }
    return { format: 'pytorch-fid', mu, sigma, dim, count: npz.has('count') ? scalarInt(file, npz, 'count') : null };
  } finally {
    npz.close();
  }
}

/** True when `file` looks like a statistics file rather than an input (an .npz with mu/sigma or feats). */
export function isStatsFile(file: string): boolean {
  if (!file.toLowerCase().endsWith('.npz')) return false;
  try {
    const npz = new NpzFile(file);
    const yes = (npz.has('mu') && npz.has('sigma')) || (npz.has('feats') && !npz.has('arr_0'));
    npz.close();
    return yes;
  } catch {
    return false;
  }
}

/** What to write; `features` is needed for clean-fid KID files, `images` for ADM batches, `state` for merging. */
export interface StatsToWrite {
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly count: number;
  readonly meta: StatsMeta;
  readonly state?: FeatureStats;
  readonly features?: { readonly data: Float32Array; readonly rows: number; readonly dim: number };
  readonly images?: { readonly data: Uint8Array; readonly count: number; readonly height: number; readonly width: number };
}

/** Writes statistics in `format`, atomically. */
export function writeStatsFile(file: string, format: StatsFormat, stats: StatsToWrite): void {
  const d = stats.mu.length;
  for (const [key, values] of [
    ['mu', stats.mu],
    ['sigma', stats.sigma],
  ] as const) {
    const bad = firstNonFinite(values);
    if (bad >= 0) throw new StatsFileError(`${file}: not written: ${key} entry ${bad} is ${values[bad]}; statistics must be finite`);
  }
  if (stats.sigma.length !== d * d)
    throw new StatsFileError(
      `${file}: not written: sigma has ${stats.sigma.length} entries for a mean of dimension ${d} (expected ${d * d})`,
    );
  const gaussianArrays = { mu: npyArray(stats.mu, [d]), sigma: npyArray(stats.sigma, [d, d]) };
  let arrays: Record<string, NpyArray>;
  let compress = false;
  switch (format) {
    case 'pytorch-fid':
      arrays = gaussianArrays;
      compress = true;
      break;
    case 'clean-fid':
      // clean-fid's mean comes from float32 features (np.mean keeps float32); its covariance is float64
      arrays = { mu: npyArray(Float32Array.from(stats.mu), [d]), sigma: gaussianArrays.sigma };
      compress = true;
      break;
    case 'clean-fid-kid':
      if (!stats.features)
        throw new StatsFileError(
          `${file}: clean-fid KID files hold every feature vector; they were not kept (the stats command keeps them for --format clean-fid-kid)`,
        );
      arrays = { feats: npyArray(stats.features.data, [stats.features.rows, stats.features.dim]) };
      compress = true;
      break;
    case 'adm':
      if (!stats.images)
        throw new StatsFileError(
          `${file}: guided-diffusion reference batches hold the images (arr_0); they were not kept (the stats command keeps them for --format adm)`,
        );
      arrays = { arr_0: npyArray(stats.images.data, [stats.images.count, stats.images.height, stats.images.width, 3]), ...gaussianArrays };
      break;
    case 'pyramid-bench': {
      arrays = {
        ...gaussianArrays,
        count: npyArray(BigInt64Array.of(BigInt(stats.count)), [], '<i8'),
        meta: npyArray(new Uint8Array(Buffer.from(JSON.stringify(stats.meta), 'utf8')), [Buffer.byteLength(JSON.stringify(stats.meta))]),
      };
      const s = stats.state;
      if (s) {
        const rows = (list: Float64Array[]) => {
          const out = new Float64Array(list.length * d);
          list.forEach((r, i) => out.set(r, i * d));
          return npyArray(out, [list.length, d]);
        };
        const k = s.nodes.length;
        const sums = new Float64Array(k * d);
        const outers = new Float64Array(k * packedLength(d));
        s.nodes.forEach((n, i) => {
          sums.set(n.sum, i * d);
          outers.set(n.outer, i * packedLength(d));
        });
        Object.assign(arrays, {
          state_start: npyArray(BigInt64Array.of(BigInt(s.start)), [], '<i8'),
          state_block_rows: npyArray(BigInt64Array.of(BigInt(STATS_BLOCK_ROWS)), [], '<i8'),
          state_head: rows(s.head),
          state_tail: rows(s.tail),
          state_node_level: npyArray(
            BigInt64Array.from(s.nodes, (n) => BigInt(n.level)),
            [k],
            '<i8',
          ),
          state_node_index: npyArray(
            BigInt64Array.from(s.nodes, (n) => BigInt(n.index)),
            [k],
            '<i8',
          ),
          state_node_sum: npyArray(sums, [k, d]),
          state_node_outer: npyArray(outers, [k, packedLength(d)]),
        });
      }
      break;
    }
    default:
      throw new StatsFileError(`statistics format '${format as string}' is not known; allowed: ${STATS_FORMATS.join(', ')}`);
  }
  writeFileAtomic(file, encodeNpz(arrays, compress));
}
