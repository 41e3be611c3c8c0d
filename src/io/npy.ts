/**
 * NumPy's .npy and .npz formats (NEP 1, "A simple file format for NumPy arrays"): version 1.0/2.0/3.0 headers,
 * little-endian float32/float64/uint8/int32/int64/bool arrays in C order, and .npz as a zip archive of .npy
 * members (stored or deflated; written stored, as `np.savez` does).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Element types this module reads and writes, by NumPy dtype string. */
export type NpyDtype = '<f4' | '<f8' | '|u1' | '<i4' | '<i8' | '|b1';

export type NpyData = Float32Array | Float64Array | Uint8Array | Int32Array | BigInt64Array;

/** One array: dtype, shape (C order) and data. */
export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  readonly data: NpyData;
}

const BYTES: Record<NpyDtype, number> = { '<f4': 4, '<f8': 8, '|u1': 1, '<i4': 4, '<i8': 8, '|b1': 1 };
const ALIASES: Record<string, NpyDtype> = {
  '<f4': '<f4',
  '<f8': '<f8',
  '|u1': '|u1',
  '<u1': '|u1',
  '|i1': '|u1',
  '<i4': '<i4',
  '<i8': '<i8',
  '|b1': '|b1',
};

/** An array from typed data, checking that the shape fits. */
export function npyArray(data: NpyData, shape: readonly number[], dtype?: NpyDtype): NpyArray {
  const inferred: NpyDtype =
    dtype ??
    (data instanceof Float32Array
      ? '<f4'
      : data instanceof Float64Array
        ? '<f8'
        : data instanceof Uint8Array
          ? '|u1'
          : data instanceof Int32Array
            ? '<i4'
            : '<i8');
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new RangeError(`array of shape [${shape.join(', ')}] needs ${size} values, got ${data.length}`);
  return { dtype: inferred, shape: [...shape], data };
}

/** Serialises one array as .npy bytes (format version 1.0, header padded to a multiple of 64 bytes). */
export function encodeNpy(array: NpyArray): Buffer {
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${array.dtype}', 'fortran_order': False, 'shape': ${shape}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = `${header + ' '.repeat(pad % 64)}\n`;
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
}

function parseHeader(text: string, where: string): { dtype: NpyDtype; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new RangeError(`${where}: malformed .npy header: ${text.trim()}`);
  const dtype = ALIASES[descr];
  if (!dtype) throw new RangeError(`${where}: dtype '${descr}' is not supported; allowed: ${Object.keys(ALIASES).join(', ')}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number(s.replace(/L$/, '')));
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw new RangeError(`${where}: bad shape (${shapeText})`);
  return { dtype, fortran: fortran === 'True', shape };
}

/** Where an .npy array's data starts and what it holds, from the first bytes of the file (at least the header). */
export interface NpyPreamble {
  readonly dtype: NpyDtype;
  readonly fortran: boolean;
  readonly shape: number[];
  /** Byte offset of the data. */
  readonly dataOffset: number;
  /** Bytes of data the shape needs. */
  readonly dataBytes: number;
}

/** Parses the magic, version and header of .npy bytes (the data need not be present). */
export function parseNpyPreamble(bytes: Uint8Array, where = '.npy'): NpyPreamble {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new RangeError(`${where}: not a .npy file (bad magic)`);
  const major = buf[6];
  if (major < 1 || major > 3) throw new RangeError(`${where}: .npy version ${major} is not supported; allowed 1, 2, 3`);
  const headerLength = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  if (buf.length < start + headerLength) throw new RangeError(`${where}: truncated .npy header`);
  const { dtype, fortran, shape } = parseHeader(buf.toString(major === 3 ? 'utf8' : 'latin1', start, start + headerLength), where);
  const size = shape.reduce((a, b) => a * b, 1);
  return { dtype, fortran, shape, dataOffset: start + headerLength, dataBytes: size * BYTES[dtype] };
}

/** Typed data over a copy of `raw` (bytes of one dtype, little-endian). */
export function typedData(dtype: NpyDtype, raw: Uint8Array): NpyData {
  const copy = new Uint8Array(raw.length);
  copy.set(raw);
  switch (dtype) {
    case '<f4':
      return new Float32Array(copy.buffer);
    case '<f8':
      return new Float64Array(copy.buffer);
    case '<i4':
      return new Int32Array(copy.buffer);
    case '<i8':
      return new BigInt64Array(copy.buffer);
    default:
      return copy;
  }
}

/** Parses .npy bytes. Fortran-ordered arrays are transposed to C order. */
export function decodeNpy(bytes: Uint8Array, where = '.npy'): NpyArray {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { dtype, fortran, shape, dataOffset: offset, dataBytes: bytesNeeded } = parseNpyPreamble(bytes, where);
  if (buf.length - offset < bytesNeeded)
    throw new RangeError(`${where}: truncated: shape [${shape.join(', ')}] needs ${bytesNeeded} bytes, found ${buf.length - offset}`);
  let data = typedData(dtype, buf.subarray(offset, offset + bytesNeeded));
  if (fortran && shape.length > 1) data = fortranToC(data, shape);
  return { dtype, shape, data };
}

function fortranToC(data: NpyData, shape: readonly number[]): NpyData {
  const out = new (data.constructor as { new (n: number): NpyData })(data.length);
  const n = shape.length;
  const cStrides = new Array<number>(n);
  const fStrides = new Array<number>(n);
  cStrides[n - 1] = 1;
  for (let i = n - 2; i >= 0; i--) cStrides[i] = cStrides[i + 1] * shape[i + 1];
  fStrides[0] = 1;
  for (let i = 1; i < n; i++) fStrides[i] = fStrides[i - 1] * shape[i - 1];
  for (let c = 0; c < data.length; c++) {
    let rest = c;
    let f = 0;
    for (let i = 0; i < n; i++) {
      const idx = Math.floor(rest / cStrides[i]);
      rest -= idx * cStrides[i];
      f += idx * fStrides[i];
    }
    (out as unknown as number[])[c] = (data as unknown as number[])[f];
  }
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, as zip uses). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Builds .npz bytes from named arrays ("name" becomes member "name.npy"); `compress` deflates as `np.savez_compressed`. */
export function encodeNpz(arrays: Readonly<Record<string, NpyArray>>, compress = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, array] of Object.entries(arrays)) {
    const fileName = Buffer.from(`${name}.npy`, 'utf8');
    const raw = encodeNpy(array);
    const body = compress ? deflateRawSync(raw) : raw;
    const crc = crc32(raw);
    if (body.length >= 0xffffffff || raw.length >= 0xffffffff || offset >= 0xffffffff)
      throw new RangeError(`npz member ${name} is over 4 GiB; zip64 is not supported`);
    const method = compress ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01, fixed so the same arrays give the same bytes
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, body);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + body.length;
  }
  const centralSize = centrals.reduce((a, b) => a + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = Object.keys(arrays).length;
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** One member of a zip archive, from its central directory (zip64 sizes resolved). */
export interface ZipMember {
  readonly name: string;
  /** 0 stored, 8 deflate. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

/** Reads `length` bytes at `offset` of an archive (a buffer slice or a positional file read). */
export type ByteReader = (offset: number, length: number) => Buffer;

/** The members of a zip archive of `fileSize` bytes, read through `read` (end record, zip64 locator, directory). */
export function readZipDirectory(read: ByteReader, fileSize: number, where: string): ZipMember[] {
  const tailLength = Math.min(fileSize, 22 + 65535);
  const tail = read(fileSize - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new RangeError(`${where}: not a zip archive (no end-of-central-directory record); .npz files are zip archives`);
  let count = tail.readUInt16LE(eocd + 10);
  let centralSize = tail.readUInt32LE(eocd + 12);
  let centralOffset = tail.readUInt32LE(eocd + 16);
  if (centralOffset === 0xffffffff || count === 0xffff || centralSize === 0xffffffff) {
    const locator = eocd - 20;
    if (locator >= 0 && tail.readUInt32LE(locator) === 0x07064b50) {
      const z64 = read(Number(tail.readBigUInt64LE(locator + 8)), 56);
      count = Number(z64.readBigUInt64LE(32));
      centralSize = Number(z64.readBigUInt64LE(40));
      centralOffset = Number(z64.readBigUInt64LE(48));
    }
  }
  const dir = read(centralOffset, Math.min(centralSize, fileSize - centralOffset));
  const members: ZipMember[] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== 0x02014b50)
      throw new RangeError(`${where}: corrupt central directory at byte ${centralOffset + p}`);
    const method = dir.readUInt16LE(p + 10);
    let compressedSize = dir.readUInt32LE(p + 20);
    let size = dir.readUInt32LE(p + 24);
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    let localOffset = dir.readUInt32LE(p + 42);
    const name = dir.toString('utf8', p + 46, p + 46 + nameLength);
    // zip64 extra field (id 1): sizes and offset that overflowed 32 bits, in that order
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = dir.readUInt16LE(e);
      const len = dir.readUInt16LE(e + 2);
      if (id === 1) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = Number(dir.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(dir.readBigUInt64LE(q));
          q += 8;
        }
        if (localOffset === 0xffffffff) localOffset = Number(dir.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    p = extraEnd + commentLength;
    members.push({ name, method, compressedSize, size, localOffset });
  }
  return members;
}

/** Byte offset of a member's (possibly compressed) data, after its local header. */
export function memberDataStart(read: ByteReader, member: ZipMember, where: string): number {
  const local = read(member.localOffset, 30);
  if (local.readUInt32LE(0) !== 0x04034b50) throw new RangeError(`${where}: corrupt local header for member ${member.name}`);
  return member.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
}

/** The uncompressed bytes of a member. */
export function memberBytes(read: ByteReader, member: ZipMember, where: string): Uint8Array {
  const body = read(memberDataStart(read, member, where), member.compressedSize);
  let raw: Uint8Array;
  if (member.method === 0) raw = body;
  else if (member.method === 8) raw = inflateRawSync(body);
  else
    throw new RangeError(`${where}: member ${member.name} uses zip compression method ${member.method}; allowed: 0 (stored), 8 (deflate)`);
  if (raw.length !== member.size)
    throw new RangeError(`${where}: member ${member.name} is ${raw.length} bytes, the directory says ${member.size}`);
  return raw;
}

/** Reads every member of .npz bytes into named arrays (member names without ".npy"). Zip64 archives are supported. */
export function decodeNpz(bytes: Uint8Array, where = '.npz'): Record<string, NpyArray> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read: ByteReader = (offset, length) => buf.subarray(offset, offset + length);
  const out: Record<string, NpyArray> = {};
  for (const member of readZipDirectory(read, buf.length, where)) {
    const key = member.name.endsWith('.npy') ? member.name.slice(0, -4) : member.name;
    out[key] = decodeNpy(memberBytes(read, member, where), `${where}:${member.name}`);
  }
  return out;
}
