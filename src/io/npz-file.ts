/**
 * Reading .npz files that do not fit in memory (a guided-diffusion reference batch holds 10,000 images at 256x256,
 * about 2 GB, beside its statistics): the zip directory and .npy headers are read with positional reads, whole
 * arrays only on request, and rows of a stored (uncompressed, as `np.savez` writes) array a slice at a time.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  decodeNpy,
  memberBytes,
  memberDataStart,
  parseNpyPreamble,
  readZipDirectory,
  typedData,
  type ByteReader,
  type NpyArray,
  type NpyData,
  type NpyDtype,
  type ZipMember,
} from './npy.ts';

/** Dtype and shape of one member, without its data. */
export interface NpzEntry {
  readonly name: string;
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  readonly compressed: boolean;
}

/** Members larger than this are not inflated whole (rows of compressed arrays would need it). */
const MAX_INFLATE_BYTES = 2 ** 31 - 1;

/** An open .npz file. Call `close` when done. */
export class NpzFile {
  private readonly fd: number;
  private readonly read: ByteReader;
  private readonly members = new Map<string, ZipMember>();
  private readonly preambles = new Map<string, { preamble: ReturnType<typeof parseNpyPreamble>; dataStart: number }>();
  /** The last compressed member inflated (its header or its rows were read), kept for the next rows() call. */
  private inflated: { key: string; bytes: Uint8Array } | null = null;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'r');
    const size = fstatSync(this.fd).size;
    this.read = (offset, length) => {
      const buf = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const n = readSync(this.fd, buf, done, length - done, offset + done);
        if (n === 0) throw new RangeError(`${file}: unexpected end of file at byte ${offset + done}`);
        done += n;
      }
      return buf;
    };
    try {
      for (const m of readZipDirectory(this.read, size, file)) this.members.set(m.name.endsWith('.npy') ? m.name.slice(0, -4) : m.name, m);
    } catch (error) {
      closeSync(this.fd);
      throw error;
    }
  }

  /** Member names (without ".npy"), in archive order. */
  keys(): string[] {
    return [...this.members.keys()];
  }

  has(key: string): boolean {
    return this.members.has(key);
  }

  private member(key: string): ZipMember {
    const m = this.members.get(key);
    if (!m) throw new RangeError(`${this.file}: no array '${key}'; it holds: ${this.keys().join(', ') || '(nothing)'}`);
    return m;
  }

  /** The inflated bytes of a compressed member (once per member while it is the one being read). */
  private inflate(key: string, m: ZipMember): Uint8Array {
    if (this.inflated?.key !== key) this.inflated = { key, bytes: memberBytes(this.read, m, this.file) };
    return this.inflated.bytes;
  }

  private header(key: string) {
    const cached = this.preambles.get(key);
    if (cached) return cached;
    const m = this.member(key);
    let result: { preamble: ReturnType<typeof parseNpyPreamble>; dataStart: number };
    if (m.method === 0) {
      const dataStart = memberDataStart(this.read, m, this.file);
      const head = this.read(dataStart, Math.min(m.size, 65536 + 12));
      result = { preamble: parseNpyPreamble(head, `${this.file}:${key}`), dataStart };
    } else {
      // compressed: the header needs the start of the inflated stream
      result = { preamble: parseNpyPreamble(this.inflate(key, m), `${this.file}:${key}`), dataStart: -1 };
    }
    this.preambles.set(key, result);
    return result;
  }

  /** Dtype and shape of a member. */
  entry(key: string): NpzEntry {
    const { preamble } = this.header(key);
    return { name: key, dtype: preamble.dtype, shape: preamble.shape, compressed: this.member(key).method !== 0 };
  }

  /** One whole array. */
  array(key: string): NpyArray {
    const m = this.member(key);
    if (m.size > MAX_INFLATE_BYTES) throw new RangeError(`${this.file}: array '${key}' is ${m.size} bytes; read it by rows`);
    return decodeNpy(memberBytes(this.read, m, this.file), `${this.file}:${key}`);
  }

  /** Rows [start, start + count) along the first axis of a C-ordered array. */
  rows(key: string, start: number, count: number): NpyData {
    const { preamble, dataStart } = this.header(key);
    const { shape, dtype, fortran } = preamble;
    if (fortran && shape.length > 1)
      throw new RangeError(`${this.file}: array '${key}' is Fortran-ordered; rows can only be read from C-ordered arrays`);
    if (shape.length === 0 || start < 0 || count < 0 || start + count > shape[0])
      throw new RangeError(`${this.file}: rows ${start} to ${start + count - 1} of '${key}' are outside its shape [${shape.join(', ')}]`);
    const rowBytes = preamble.dataBytes / shape[0];
    const m = this.member(key);
    if (m.method === 0) return typedData(dtype, this.read(dataStart + preamble.dataOffset + start * rowBytes, count * rowBytes));
    if (m.size > MAX_INFLATE_BYTES)
      throw new RangeError(
        `${this.file}: array '${key}' is compressed and ${m.size} bytes; save it with np.savez (uncompressed) to read it in parts`,
      );
    const raw = this.inflate(key, m);
    const off = preamble.dataOffset + start * rowBytes;
    return typedData(dtype, raw.subarray(off, off + count * rowBytes));
  }

  close(): void {
    closeSync(this.fd);
  }
}
