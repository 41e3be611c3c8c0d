/**
 * Where the harness is installed, for the files beside the code that it reads at run time: package.json, the
 * shipped suites, the OpenBLAS addon in build/native, the .cache folder.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The harness's root folder (where package.json is). This file is `src/core/harness-root.ts` in the sources and
 * `dist/core/harness-root.js` in the build (tsconfig.build.json maps src/ onto dist/), so two folders up is the
 * root from either.
 */
export const HARNESS_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The harness's name and version from package.json; the version is part of every sample key. */
export function harnessInfo(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(path.join(HARNESS_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}
