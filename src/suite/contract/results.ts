/**
 * The results file (`<out>/results.json`, schema `pyramid-bench/results@1`, documented in docs/results.md): the
 * suite and its locked settings, one entry per method with every metric's values (unit, direction, uncertainty),
 * and the planned-compute table. Results are compared or merged only when their locked settings agree; the
 * refusal names each setting that differs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../../core/hash.ts';
import { writeFileAtomic } from '../../io/atomic.ts';
import { safeName } from '../../io/safe-path.ts';
import type { GuidanceSettings } from '../../samplers/contract/sampling.ts';
import type { MetricValue } from './plugin.ts';
import type { DeviceInfo } from '../../models/contract/device.ts';
import type { MachineFingerprint } from './records.ts';

/** The schema tag of results files this harness writes and reads. */
export const RESULTS_SCHEMA = 'pyramid-bench/results@1';

/** Everything that must agree for two results to be compared (and, with the suite hash and methods, merged). */
export interface LockedSettings {
  readonly harnessVersion: string;
  readonly suite: { readonly name: string; readonly version: number; readonly format: number };
  readonly seed: number;
  readonly samples: number;
  readonly chunk: number;
  readonly conditions: unknown;
  /** SHA-256 of the prompt list, for prompt conditions. */
  readonly promptsHash: string | null;
  readonly frames: number | null;
  /** The suite's guidance, or null when the model sets' defaults apply. */
  readonly guidance: GuidanceSettings | null;
  readonly playbackFps: number;
  readonly protocol: { readonly name: string; readonly videos: number } | null;
  readonly reference: { readonly source: string; readonly seed: number };
  readonly metrics: readonly { readonly name: string; readonly id?: string; readonly version: number; readonly options: unknown }[];
  readonly outputs: unknown;
}

/** What identifies a method and how it generates. */
export interface MethodMeta {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly source: string;
  readonly model: string;
  readonly modelHash: string;
  readonly sampler: string;
  /** Sampler settings after defaults. */
  readonly settings: unknown;
  readonly guidance: GuidanceSettings;
  readonly sweep: Readonly<Record<string, unknown>>;
  readonly frames: number;
  readonly shape: readonly [number, number, number, number];
  readonly costSource: 'architecture' | 'notional' | 'unknown';
  /** Id of the reference samples distance metrics compare with, or null. */
  readonly reference: string | null;
  /** Settings the sampler resolved at run time (e.g. matched step counts), from the first sample, or null. */
  readonly resolved: Readonly<Record<string, unknown>> | null;
}

/** One method's results. */
export interface MethodResult extends MethodMeta {
  /** Samples the values are computed from. */
  readonly samples: number;
  /** Values by metric; `error` says why a metric has none (only in a shard's partial results). */
  readonly metrics: Readonly<
    Record<string, { readonly version: number; readonly values: readonly MetricValue[]; readonly error?: string }>
  >;
}

/** The results file. */
export interface Results {
  readonly schema: typeof RESULTS_SCHEMA;
  readonly harness: { readonly name: string; readonly version: string };
  readonly suite: { readonly name: string; readonly version: number; readonly description: string; readonly hash: string };
  readonly locked: LockedSettings;
  readonly shards: { readonly count: number; readonly included: readonly number[] };
  /** True when some shards are missing: values then cover only the included chunks. */
  readonly partial: boolean;
  readonly chunks: { readonly size: number; readonly total: number; readonly included: readonly number[] };
  /** The device of shard 0 (or of the run), and every distinct device the shards ran on. */
  readonly device: DeviceInfo;
  readonly devices: readonly DeviceInfo[];
  /**
   * The machine of the run, or of every merged shard in shard order (repeats kept out); absent in results of
   * harness versions before it was kept, whose times then count as no machine's.
   */
  readonly machines?: readonly MachineFingerprint[];
  readonly methods: readonly MethodResult[];
}

/** Paths where two values differ, as "path: a vs b" (canonical JSON of each side). */
export function differences(a: unknown, b: unknown, at = ''): string[] {
  const text = (v: unknown) => (v === undefined ? 'missing' : canonicalJson(v));
  if (text(a) === text(b)) return [];
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
    return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k));
  }
  return [`${at || '(root)'}: ${text(a)} vs ${text(b)}`];
}

/** Throws when two results' locked settings differ, naming each difference. */
export function assertComparable(a: Results, b: Results, what: string, names: [string, string]): void {
  const diff = differences(a.locked, b.locked);
  if (diff.length > 0)
    throw new RangeError(`cannot ${what} ${names[0]} and ${names[1]}: their locked settings differ:\n  ${diff.join('\n  ')}`);
}

/** Writes results.json (stable key order, trailing newline) atomically. */
export function writeResults(dir: string, results: Results): void {
  writeFileAtomic(path.join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

/** Reads `<dir>/results.json`, checking its schema tag. */
export function readResults(dir: string): Results {
  const file = path.join(dir, 'results.json');
  let parsed: { schema?: unknown };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RangeError(`${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  if (parsed.schema !== RESULTS_SCHEMA)
    throw new RangeError(`${file}: schema '${String(parsed.schema)}'; this harness reads '${RESULTS_SCHEMA}'`);
  const methods = (parsed as { methods?: unknown }).methods;
  if (!Array.isArray(methods)) throw new RangeError(`${file}: 'methods' is ${JSON.stringify(methods)}; allowed: a list of methods`);
  // slugs become folder and file names (samples/<slug>.jsonl, state/<slug>/, videos/<slug>/): data, so checked
  for (const [i, m] of methods.entries()) safeName((m as { slug?: unknown })?.slug, `slug of method ${i} in ${file}`);
  return parsed as Results;
}

/** The values of a result that do not depend on wall-clock time, by method id and metric key (for equality checks). */
export function deterministicValues(results: Results): Record<string, Record<string, MetricValue>> {
  const out: Record<string, Record<string, MetricValue>> = {};
  for (const m of results.methods) {
    const values: Record<string, MetricValue> = {};
    for (const [metric, r] of Object.entries(m.metrics)) for (const v of r.values) if (!v.measured) values[`${metric}.${v.key}`] = v;
    out[m.id] = values;
  }
  return out;
}

/** A file-name form of a method id: lowercase letters, digits and single dashes. */
export function slugOf(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
