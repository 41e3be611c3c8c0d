/**
 * Paths built from data stay inside their folder. A name read from a file (a method slug in results.json, a
 * metric key, a file a model manifest names) is checked before it becomes a path: no NUL, no absolute part,
 * no `..`, no separator where a plain name is expected; the joined path is resolved and compared with the
 * folder's real path (symbolic links followed), so a tampered file cannot make the harness read or write
 * elsewhere. Errors are one line naming the value, where it came from and what is allowed.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** Quotes a value for an error message (control characters escaped). */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Checks that `name` is a plain file or folder name (one path segment): a non-empty string without '/', '\\',
 * NUL or control characters, not '.' or '..'. `what` says where it came from (e.g. "method slug in
 * runs/a/results.json"). Returns the name unchanged.
 */
export function safeName(name: unknown, what: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new RangeError(`${what} is ${shown(name)}; allowed: a non-empty file name`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (name === '.' || name === '..' || /[/\\\u0000-\u001f]/.test(name))
    throw new RangeError(
      `${what} is ${shown(name)}; allowed: a plain file name without '/', '\\', NUL or control characters, not '.' or '..'`,
    );
  return name;
}

/** The real path of `p`'s deepest existing ancestor, joined with the rest (so not-yet-written files resolve too). */
function realPathOf(p: string): string {
  const rest: string[] = [];
  let at = p;
  while (!existsSync(at)) {
    const parent = path.dirname(at);
    if (parent === at) break;
    rest.unshift(path.basename(at));
    at = parent;
  }
  return path.join(existsSync(at) ? realpathSync(at) : at, ...rest);
}

/**
 * Joins `parts` (relative paths, possibly several segments, from data) under `root` and returns the path,
 * after checking that no part is absolute or holds NUL or a '..' segment and that the result, resolved through
 * symbolic links, stays inside `root`'s real path. `what` says where the parts came from.
 */
export function insideFolder(root: string, parts: readonly string[], what: string): string {
  for (const part of parts) {
    if (typeof part !== 'string' || part.length === 0)
      throw new RangeError(`${what}: path part ${shown(part)} under ${root}; allowed: a non-empty relative path`);
    if (part.includes('\0') || path.isAbsolute(part) || path.win32.isAbsolute(part) || part.split(/[/\\]/).includes('..'))
      throw new RangeError(
        `${what}: path ${shown(part)} under ${root}; allowed: a relative path inside the folder, without '..', NUL or a leading '/'`,
      );
  }
  const joined = path.join(root, ...parts);
  const realRoot = realPathOf(path.resolve(root));
  const real = realPathOf(path.resolve(joined));
  const rel = path.relative(realRoot, real);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel))
    throw new RangeError(`${what}: ${shown(parts.join('/'))} resolves to ${real}, outside ${realRoot}; allowed: a path inside the folder`);
  return joined;
}
