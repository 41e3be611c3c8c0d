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
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { hashValue } from '../../core/hash.ts';
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

/** Hit and miss counts of one kind of entry. */
export interface StoreCounts {
  hits: number;
  misses: number;
  writes: number;
}

type Kind = 'samples' | 'states' | 'timings';

/** A content-addressed store rooted at a folder. */
export class SampleStore {
  /** Reads that found an entry, reads that did not, and writes, by kind. */
  readonly counts: Record<Kind, StoreCounts> = {
    samples: { hits: 0, misses: 0, writes: 0 },
    states: { hits: 0, misses: 0, writes: 0 },
    timings: { hits: 0, misses: 0, writes: 0 },
  };

  constructor(readonly root: string) {}

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
    const array = decodeNpy(readFileSync(npyFile), npyFile);
    if (array.dtype !== '<f4') throw new RangeError(`${npyFile}: dtype ${array.dtype}; the store holds float32 samples`);
    const record = JSON.parse(readFileSync(this.file('samples', key, '.json'), 'utf8')) as SampleRecord;
    if (record.key !== key) throw new RangeError(`${npyFile}: record is for key ${record.key}`);
    this.counts.samples.hits++;
    return { values: array.data as Float32Array, record };
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

  /** A stored metric state's bytes, or null. */
  readState(key: string): Uint8Array | null {
    return this.readBytes('states', key, '.npz');
  }

  writeState(key: string, bytes: Uint8Array): void {
    writeFileAtomic(this.file('states', key, '.npz'), bytes);
    this.counts.states.writes++;
  }

  /** A stored timing record, or null. */
  readTiming<T>(key: string): T | null {
    const bytes = this.readBytes('timings', key, '.json');
    return bytes === null ? null : (JSON.parse(Buffer.from(bytes).toString('utf8')) as T);
  }

  writeTiming(key: string, record: unknown): void {
    writeFileAtomic(this.file('timings', key, '.json'), `${JSON.stringify(record)}\n`);
    this.counts.timings.writes++;
  }

  private readBytes(kind: Kind, key: string, ext: string): Uint8Array | null {
    const file = this.file(kind, key, ext);
    if (!existsSync(file)) {
      this.counts[kind].misses++;
      return null;
    }
    this.counts[kind].hits++;
    return readFileSync(file);
  }
}
