/**
 * Parsing data at the boundary with zod: one helper that turns a zod failure into an error naming the field's
 * path, the bad value and what is allowed.
 */
import { z } from 'zod';

/** Thrown when data at the boundary (settings, suite files, manifests) does not fit its schema. */
export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Parses `raw` with `schema`; on failure throws a SchemaError listing each bad field as `where.path: message (got value)`. */
export function parseWith<T extends z.ZodType>(schema: T, raw: unknown, where: string): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    const at = valueAt(raw, issue.path);
    // an unknown key: show its value rather than the whole object around it
    const got =
      issue.code === 'unrecognized_keys' && at !== null && typeof at === 'object'
        ? Object.fromEntries(issue.keys.map((k) => [k, (at as Record<string, unknown>)[k]]))
        : at;
    const shown = got === undefined ? 'missing' : JSON.stringify(got);
    return `${where}${path}: ${issue.message} (got ${shown && shown.length > 80 ? `${shown.slice(0, 77)}...` : shown})`;
  });
  throw new SchemaError(lines.join('\n'));
}

/**
 * A zod object that refuses unknown keys with a message naming them and listing the allowed keys (zod's own
 * message names only the unknown key).
 */
export function strictObject<T extends z.ZodRawShape>(shape: T): z.ZodObject<T, z.core.$strict> {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}; allowed: ${allowed}`
        : undefined,
  });
}
