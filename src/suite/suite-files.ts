/**
 * The suites shipped with the harness, for `list`: every `suites/*.yaml` with `format: 1` (the runner's suites),
 * by file name, with its description. Other YAML files there (the metric suites of docs/metrics.md, in their own
 * format) are left out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Registry } from '../core/registry.ts';
import { HARNESS_ROOT } from './provenance.ts';

/** The folder of the shipped suites. */
export const SUITES_DIR = path.join(HARNESS_ROOT, 'suites');

/** Shipped suite files by file name (e.g. "default.yaml"); the value is the file's path. */
export const shippedSuites = new Registry<string>('suite');
if (existsSync(SUITES_DIR)) {
  for (const name of readdirSync(SUITES_DIR)
    .filter((n) => n.endsWith('.yaml'))
    .sort()) {
    const file = path.join(SUITES_DIR, name);
    let description = '';
    try {
      const raw = parseYaml(readFileSync(file, 'utf8')) as { format?: unknown; description?: unknown } | null;
      if (raw?.format === undefined) continue;
      description = typeof raw.description === 'string' ? raw.description.split('\n')[0] : '';
    } catch (error) {
      description = `(not valid YAML: ${(error as Error).message.split('\n')[0]})`;
    }
    shippedSuites.register(name, file, `suites/${name}: ${description}`);
  }
}
