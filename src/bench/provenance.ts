/**
 * Provenance: the manifest each run writes beside its results (`manifest.json`, documented in docs/results.md):
 * the suite and its hash, the git commit and whether the tree was dirty, package versions (Node.js, the npm
 * packages as package-lock.json pins them, onnxruntime), execution providers, model hashes, seeds, the machine,
 * the store's hit counts, and start and end times.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MachineDescription, DeviceInfo } from './machine.ts';
import type { ResolvedMethod } from './methods.ts';
import { modelsOf } from './methods.ts';
import type { LoadedSuite } from './suite-schema.ts';
import type { Shard } from './shard.ts';
import type { StoreCounts } from './sample-store.ts';

/** The harness's root folder (where package.json is). */
export const HARNESS_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The harness's name and version from package.json; the version is part of every sample key. */
export function harnessInfo(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(path.join(HARNESS_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}

/** The commit checked out in the harness's folder and whether the tree differs from it (null when git cannot say). */
export function gitState(root = HARNESS_ROOT): { commit: string | null; branch: string | null; dirty: boolean | null; changedFiles: number | null; error?: string } {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8', timeout: 10_000 });
  const head = git('rev-parse', 'HEAD');
  if (head.error || head.status !== 0) {
    return { commit: null, branch: null, dirty: null, changedFiles: null, error: (head.error?.message ?? head.stderr).trim() || 'not a git checkout' };
  }
  const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
  const status = git('status', '--porcelain');
  const changed = status.status === 0 ? status.stdout.split('\n').filter((l) => l.trim().length > 0).length : null;
  return { commit: head.stdout.trim(), branch: branch.status === 0 ? branch.stdout.trim() : null, dirty: changed === null ? null : changed > 0, changedFiles: changed };
}

/** Versions of Node.js and of the harness's npm dependencies as installed (package-lock.json), and onnxruntime's. */
export async function packageVersions(root = HARNESS_ROOT): Promise<{ node: string; npm: Record<string, string>; onnxruntime: string }> {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { version?: string }> };
  const npm: Record<string, string> = {};
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).sort()) {
    npm[name] = lock.packages?.[`node_modules/${name}`]?.version ?? 'not in package-lock.json';
  }
  // loaded on demand: the native module is only needed here and by ONNX models
  const { onnxRuntimeVersion } = await import('../models/onnx/runtime.ts');
  return { node: process.version, npm, onnxruntime: onnxRuntimeVersion };
}

/** The run manifest. */
export interface Manifest {
  readonly schema: 'pyramid-bench/manifest@1';
  readonly harness: { readonly name: string; readonly version: string };
  readonly command: readonly string[];
  readonly suite: { readonly file: string; readonly name: string; readonly version: number; readonly hash: string; readonly fileHash: string; readonly promptsHash: string | null };
  readonly git: ReturnType<typeof gitState>;
  readonly packages: Awaited<ReturnType<typeof packageVersions>>;
  readonly models: readonly {
    readonly reference: string;
    readonly hash: string;
    readonly models: readonly { readonly id: string; readonly role: string; readonly hash: string; readonly executionProvider: string }[];
  }[];
  readonly seeds: { readonly generation: number; readonly reference: number; readonly metrics: Readonly<Record<string, unknown>> };
  readonly shard: Shard;
  readonly machine: MachineDescription;
  readonly device: DeviceInfo;
  readonly store: { readonly root: string; readonly counts: Readonly<Record<string, StoreCounts>> };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly wallSeconds: number;
}

/** What `buildManifest` needs from the run. */
export interface ManifestInput {
  readonly loaded: LoadedSuite;
  readonly methods: readonly ResolvedMethod[];
  readonly shard: Shard;
  readonly machine: MachineDescription;
  readonly device: DeviceInfo;
  readonly store: { root: string; counts: Readonly<Record<string, StoreCounts>> };
  readonly started: Date;
  readonly finished: Date;
  readonly command: readonly string[];
}

/** Builds the manifest of a run. */
export async function buildManifest(input: ManifestInput): Promise<Manifest> {
  const { loaded, methods } = input;
  const byReference = new Map<string, ResolvedMethod>();
  for (const m of methods) if (!byReference.has(m.model)) byReference.set(m.model, m);
  const metricSeeds: Record<string, unknown> = {};
  for (const entry of loaded.suite.metrics) {
    const seed = (entry.options as { seed?: unknown } | null)?.seed;
    if (seed !== undefined) metricSeeds[entry.key] = seed;
  }
  return {
    schema: 'pyramid-bench/manifest@1',
    harness: harnessInfo(),
    command: input.command,
    suite: { file: loaded.file, name: loaded.suite.name, version: loaded.suite.version, hash: loaded.hash, fileHash: loaded.fileHash, promptsHash: loaded.promptsHash },
    git: gitState(),
    packages: await packageVersions(),
    models: [...byReference.values()].map((m) => ({
      reference: m.model,
      hash: m.modelHash,
      models: modelsOf(m.models).map((v) => ({ id: v.id, role: v.spec.role, hash: v.hash, executionProvider: v.provider ?? 'none (TypeScript backend)' })),
    })),
    seeds: { generation: loaded.suite.seed, reference: loaded.suite.reference.seed, metrics: metricSeeds },
    shard: input.shard,
    machine: input.machine,
    device: input.device,
    store: input.store,
    startedAt: input.started.toISOString(),
    finishedAt: input.finished.toISOString(),
    wallSeconds: (input.finished.getTime() - input.started.getTime()) / 1000,
  };
}
