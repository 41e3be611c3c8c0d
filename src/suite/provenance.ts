/**
 * Provenance: the manifest each run writes beside its results (`manifest.json`, documented in docs/results.md):
 * the suite and its hash, the git commit and whether the tree was dirty, package versions (Node.js, the npm
 * packages as package-lock.json pins them, onnxruntime), execution providers, model hashes, the official
 * Pyramid-Flow defaults each method ran with (guidance, negative prompt, prompt suffix), seeds, the machine,
 * the store's hit counts, and start and end times.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedMethod } from './methods.ts';
import type { LoadedSuite } from './suite-schema.ts';
import type { Shard } from './contract/shard.ts';
import type { StoreCounts } from './contract/sample-store.ts';
import type { MachineDescription } from '../core/machine.ts';
import type { DeviceInfo } from '../models/contract/device.ts';
import type { GitState, Manifest, PackageVersions } from './contract/manifest.ts';
import { modelsOf } from '../models/contract/velocity-model.ts';
import { HARNESS_ROOT, harnessInfo } from '../core/harness-root.ts';
import { OFFICIAL_DEFAULTS_SOURCE } from '../models/package/model-set.ts';

// the harness root and version live in core/ (the CLI reads the version without loading the suite)
export { HARNESS_ROOT, harnessInfo };

/** The commit checked out in the harness's folder and whether the tree differs from it (null when git cannot say). */
export function gitState(root = HARNESS_ROOT): GitState {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8', timeout: 10_000 });
  const head = git('rev-parse', 'HEAD');
  if (head.error || head.status !== 0) {
    return {
      commit: null,
      branch: null,
      dirty: null,
      changedFiles: null,
      error: (head.error?.message ?? head.stderr).trim() || 'not a git checkout',
    };
  }
  const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
  const status = git('status', '--porcelain');
  const changed = status.status === 0 ? status.stdout.split('\n').filter((l) => l.trim().length > 0).length : null;
  return {
    commit: head.stdout.trim(),
    branch: branch.status === 0 ? branch.stdout.trim() : null,
    dirty: changed === null ? null : changed > 0,
    changedFiles: changed,
  };
}

/** Versions of Node.js and of the harness's npm dependencies as installed (package-lock.json). */
export async function packageVersions(root = HARNESS_ROOT): Promise<PackageVersions> {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages?: Record<string, { version?: string }>;
  };
  const npm: Record<string, string> = {};
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).sort()) {
    npm[name] = lock.packages?.[`node_modules/${name}`]?.version ?? 'not in package-lock.json';
  }
  return { node: process.version, npm };
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
    suite: {
      file: loaded.file,
      name: loaded.suite.name,
      version: loaded.suite.version,
      hash: loaded.hash,
      fileHash: loaded.fileHash,
      promptsHash: loaded.promptsHash,
    },
    git: gitState(),
    packages: await packageVersions(),
    models: [...byReference.values()].map((m) => ({
      reference: m.model,
      hash: m.modelHash,
      models: modelsOf(m.models).map((v) => ({ id: v.id, role: v.spec.role, hash: v.hash })),
      device: m.models.device,
    })),
    officialDefaults: {
      enabled: loaded.suite.officialDefaults ?? true,
      reference: OFFICIAL_DEFAULTS_SOURCE,
      methods: methods.map((m) => ({
        id: m.id,
        guidanceSource: m.guidanceSource,
        guidanceGiven: m.guidanceGiven,
        guidance: m.guidance,
        text: m.textDefaults ? { negativePrompt: m.textDefaults.negativePrompt, promptSuffix: m.textDefaults.promptSuffix } : null,
      })),
    },
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
