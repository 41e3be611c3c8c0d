/**
 * The content-addressed store: each generated sample under the hash of everything that determines its values
 * (harness version, model hash, sampler and its settings, guidance, frames, condition, seed, index), metric
 * states under the hash of their inputs, timing records under the hash of the method and machine. Every file is
 * written atomically (temporary file, then rename), so a run killed at any point leaves only whole files, and a
 * restarted run reads back what was finished instead of recomputing it.
 *
 * Layout under the root: `samples/<ab>/<key>.json` (the generation record: cost and measured seconds) then
 * `samples/<ab>/<key>.npy` (float32 [C, T, H, W]; written second, so its presence means the entry is complete),
 * `states/<ab>/<key>.npz`, `timings/<key>.json`.
 *
 * An entry that cannot be read back (truncated, zero bytes, not the format it should be: a disk that filled up,
 * a copy cut short) is damaged: the read reports its path and the reason, sets the file aside as
 * `<file>.damaged-<time>` (kept for inspection, never read again) and answers a miss, so the caller recomputes
 * the entry and writes it anew instead of every later run stopping on it.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson, hashValue, sha256Hex } from '../../core/hash.ts';
import { writeFileAtomic } from '../../io/atomic.ts';
import { decodeNpy, encodeNpy, npyArray } from '../../io/npy.ts';
import type { SampleRecord } from './records.ts';
import type { GuidanceSettings } from '../../samplers/contract/sampling.ts';

/** Format of the store's layout and records; part of every sample key. */
export const STORE_FORMAT = 1;

/** Everything that determines a sample's values. */
export interface SampleKeyParts {
  /** Harness version (package.json): bumping it invalidates every stored sample. */
  readonly harness: string;
  readonly modelHash: string;
  readonly sampler: string;
  /** The sampler's settings after defaults were filled in. */
  readonly settings: unknown;
  readonly guidance: GuidanceSettings;
  readonly frames: number;
  /** The condition's key text (`SuiteItem.conditionKey`). */
  readonly condition: string;
  readonly seed: number;
  readonly index: number;
}

/** The key of a sample: SHA-256 of its parts' canonical JSON. */
export function sampleKey(parts: SampleKeyParts): string {
  return hashValue({ store: STORE_FORMAT, ...parts });
}

/**
 * `sampleKey` for many samples of one method: the canonical JSON of the parts every sample shares is made once
 * and each sample's condition and index are spliced in, so a plan of N samples serialises the settings once, not
 * N times. Gives exactly `sampleKey`'s keys (test/suite/contract/sample-store.test.ts checks it).
 */
export function sampleKeyer(base: Omit<SampleKeyParts, 'condition' | 'index'>): (condition: string, index: number) => string {
  const conditionMark = '\u0000condition\u0000';
  const indexMark = '\u0000index\u0000';
  const text = canonicalJson({ store: STORE_FORMAT, ...base, condition: conditionMark, index: indexMark });
  const [head, rest, ...more] = text.split(JSON.stringify(conditionMark));
  const [middle, tail, ...more2] = (rest ?? '').split(JSON.stringify(indexMark));
  // a setting that happens to hold a mark: no splicing, the plain key
  if (more.length || more2.length || rest === undefined || tail === undefined)
    return (condition, index) => sampleKey({ ...base, condition, index });
  return (condition, index) => {
    if (!Number.isFinite(index)) return sampleKey({ ...base, condition, index });
    return sha256Hex(`${head}${JSON.stringify(condition)}${middle}${JSON.stringify(index)}${tail}`);
  };
}

/** Hit and miss counts of one kind of entry. */
export interface StoreCounts {
  hits: number;
  misses: number;
  writes: number;
}

type Kind = 'samples' | 'states' | 'timings';

/** A damaged entry found on a read and set aside. */
export interface DamagedEntry {
  /** The file as it was in the store. */
  readonly file: string;
  /** Why it could not be read. */
  readonly reason: string;
  /** Where it was moved. */
  readonly movedTo: string;
}

/** A content-addressed store rooted at a folder. */
export class SampleStore {
  /** Reads that found an entry, reads that did not, and writes, by kind. */
  readonly counts: Record<Kind, StoreCounts> = {
    samples: { hits: 0, misses: 0, writes: 0 },
    states: { hits: 0, misses: 0, writes: 0 },
    timings: { hits: 0, misses: 0, writes: 0 },
  };

  /** Damaged entries found (and set aside) by this store's reads, in order. */
  readonly damaged: DamagedEntry[] = [];

  /**
   * @param root the store's folder
   * @param onDamaged told of each damaged entry as it is set aside (e.g. the run's log)
   */
  constructor(
    readonly root: string,
    private readonly onDamaged: (message: string) => void = () => {},
  ) {}

  /** Sets a damaged file aside as `<file>.damaged-<time>`, records and reports it. */
  private setAside(file: string, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const movedTo = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    if (existsSync(file)) renameSync(file, movedTo);
    this.damaged.push({ file, reason, movedTo });
    this.onDamaged(`store: damaged entry ${file} (${reason}); set aside as ${path.basename(movedTo)}, recomputing it`);
  }

  private file(kind: Kind, key: string, ext: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new RangeError(`store key '${key}' is not a SHA-256 hex digest`);
    return kind === 'timings' ? path.join(this.root, kind, `${key}${ext}`) : path.join(this.root, kind, key.slice(0, 2), `${key}${ext}`);
  }

  /** Whether a complete sample entry exists (not counted). */
  hasSample(key: string): boolean {
    return existsSync(this.file('samples', key, '.npy')) && existsSync(this.file('samples', key, '.json'));
  }

  /** The stored sample and its record, or null (counted as a hit or a miss). */
  readSample(key: string): { values: Float32Array; record: SampleRecord } | null {
    if (!this.hasSample(key)) {
      this.counts.samples.misses++;
      return null;
    }
    const npyFile = this.file('samples', key, '.npy');
    const jsonFile = this.file('samples', key, '.json');
    let values: Float32Array;
    let record: SampleRecord;
    try {
      const array = decodeNpy(readFileSync(npyFile), npyFile);
      if (array.dtype !== '<f4') throw new RangeError(`dtype ${array.dtype}; the store holds float32 samples`);
      values = array.data as Float32Array;
    } catch (error) {
      // the values are written last: without them the record is orphaned, so both go aside
      this.setAside(npyFile, error);
      this.setAside(jsonFile, new RangeError(`record of the damaged values ${path.basename(npyFile)}`));
      this.counts.samples.misses++;
      return null;
    }
    try {
      record = JSON.parse(readFileSync(jsonFile, 'utf8')) as SampleRecord;
      if (record === null || typeof record !== 'object' || record.key !== key)
        throw new RangeError(`record is for key ${(record as SampleRecord | null)?.key}, not ${key}`);
      const size = Array.isArray(record.shape) ? record.shape.reduce((a, b) => a * b, 1) : Number.NaN;
      if (size !== values.length) throw new RangeError(`record shape [${record.shape}] does not hold the ${values.length} stored values`);
    } catch (error) {
      this.setAside(jsonFile, error);
      this.setAside(npyFile, new RangeError(`values of the damaged record ${path.basename(jsonFile)}`));
      this.counts.samples.misses++;
      return null;
    }
    this.counts.samples.hits++;
    return { values, record };
  }

  /** Stores a sample: the record first, then the values (whose presence completes the entry). */
  writeSample(record: SampleRecord, values: Float32Array): void {
    const size = record.shape.reduce((a, b) => a * b, 1);
    if (values.length !== size)
      throw new RangeError(`store: sample ${record.index} has ${values.length} values for shape [${record.shape.join(', ')}]`);
    writeFileAtomic(this.file('samples', record.key, '.json'), `${JSON.stringify(record)}\n`);
    writeFileAtomic(this.file('samples', record.key, '.npy'), encodeNpy(npyArray(values, record.shape)));
    this.counts.samples.writes++;
  }

  /**
   * A stored metric state decoded by `decode` (which throws on bytes it cannot read), or null when there is
   * none or it was damaged (then set aside).
   */
  readState<T>(key: string, decode: (bytes: Uint8Array, where: string) => T): T | null {
    return this.readDecoded('states', key, '.npz', decode);
  }

  writeState(key: string, bytes: Uint8Array): void {
    writeFileAtomic(this.file('states', key, '.npz'), bytes);
    this.counts.states.writes++;
  }

  /** A stored timing record, or null when there is none or it was damaged (then set aside). */
  readTiming<T>(key: string): T | null {
    return this.readDecoded('timings', key, '.json', (bytes) => {
      const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
      if (value === null || typeof value !== 'object') throw new RangeError('not a JSON object');
      return value as T;
    });
  }

  writeTiming(key: string, record: unknown): void {
    writeFileAtomic(this.file('timings', key, '.json'), `${JSON.stringify(record)}\n`);
    this.counts.timings.writes++;
  }

  private readDecoded<T>(kind: Kind, key: string, ext: string, decode: (bytes: Uint8Array, where: string) => T): T | null {
    const file = this.file(kind, key, ext);
    if (!existsSync(file)) {
      this.counts[kind].misses++;
      return null;
    }
    let value: T;
    try {
      value = decode(readFileSync(file), file);
    } catch (error) {
      this.setAside(file, error);
      this.counts[kind].misses++;
      return null;
    }
    this.counts[kind].hits++;
    return value;
  }
}
