/**
 * Content hashes for cache keys and provenance: a canonical JSON text (object keys sorted, no whitespace, so two
 * equal values always give the same text) and SHA-256 in hex.
 */
import { createHash } from 'node:crypto';

/**
 * The canonical JSON text of a value: objects with their keys sorted, arrays in order, `undefined` members left
 * out, typed arrays as plain arrays. Throws on values JSON cannot carry exactly (NaN, Infinity, bigint,
 * functions), naming the path, so a cache key never silently collapses two different inputs.
 */
export function canonicalJson(value: unknown, path = '$'): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`canonicalJson: ${path} is ${value}; only finite numbers have a canonical form`);
      return JSON.stringify(value);
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
        return canonicalJson(Array.from(value as unknown as ArrayLike<number>), path);
      }
      if (Array.isArray(value)) return `[${value.map((v, i) => canonicalJson(v, `${path}[${i}]`)).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new RangeError(`canonicalJson: ${path} is a ${typeof value}; allowed: null, numbers, strings, booleans, arrays, plain objects`);
  }
}

/** SHA-256 of bytes or of a string's UTF-8 bytes, as 64 lowercase hex digits. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of a value's canonical JSON text. */
export function hashValue(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
