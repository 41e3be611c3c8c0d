/**
 * The plan of a run, made before anything is generated: methods expanded and resolved, each method's items
 * (paired across methods) and sample keys, its reference source, the metrics with their options checked
 * against each method, the device, and the locked settings. `validate`, `run`, `--dry-run` and `merge` share it.
 */
import { hashValue } from '../core/hash.ts';
import { checkAllocation, float32Bytes } from '../core/memory-limits.ts';
import { SchemaError } from '../core/schema.ts';
import { suiteItems } from './conditions.ts';
import { runDevice } from '../models/contract/device.ts';
import { closeMethods, resolveMethods, type ModelLoader, type ResolvedMethod } from './methods.ts';
import { suiteMetrics } from './metrics/index.ts';
import type { MethodContext } from './contract/plugin.ts';
import { referenceSetsOf } from './contract/plugin.ts';
import { harnessInfo } from './provenance.ts';
import { resolveReference, type ReferenceSource } from './references.ts';
import type { LockedSettings, MethodMeta } from './contract/results.ts';
import { sampleKeyer } from './contract/sample-store.ts';
import { chunkCount } from './contract/shard.ts';
import { samplesPerMethod, type LoadedSuite } from './suite-schema.ts';
import { expandMethods, type ExpandedMethod } from './sweep.ts';
import type { MachineFingerprint, SuiteItem } from './contract/records.ts';
import { machineFingerprint } from './machine-fingerprint.ts';
import { describeMachine, type MachineDescription } from '../core/machine.ts';
import type { DeviceInfo } from '../models/contract/device.ts';
import type { MetricEntry } from './contract/plugin.ts';

/** One method of the run. */
export interface MethodPlan {
  readonly method: ResolvedMethod;
  readonly items: readonly SuiteItem[];
  /** Store key of each item's sample, by position. */
  readonly keys: readonly string[];
  readonly reference: ReferenceSource | null;
  readonly context: MethodContext;
  /** The method's description in results (`resolved` is filled once a sample exists). */
  readonly meta: MethodMeta;
}

/** The whole run. */
export interface RunPlan {
  readonly loaded: LoadedSuite;
  readonly harness: { readonly name: string; readonly version: string };
  readonly samples: number;
  readonly chunks: number;
  readonly metrics: readonly MetricEntry[];
  readonly methods: readonly MethodPlan[];
  readonly machine: MachineDescription;
  readonly device: DeviceInfo;
  /** This machine's fingerprint, stamped on every sample it generates. */
  readonly fingerprint: MachineFingerprint;
  readonly locked: LockedSettings;
  /** Methods left out because they need arguments that were not given (only with `deferMissingArgs`). */
  readonly deferred: readonly ExpandedMethod[];
}

/**
 * Plans a run of `loaded` with command-line `args`; throws naming the suite field at fault. With
 * `deferMissingArgs` (for `validate`), methods that need arguments not given are left out and listed in `deferred`
 * instead of refused. The plan holds its methods' model sets open: its caller owns them and calls `closePlan`
 * when done, also on error (`runSuite` and `dryRun` only borrow them); when planning fails, the sets loaded so
 * far are closed before the error is thrown.
 */
export async function planRun(
  loaded: LoadedSuite,
  args: Readonly<Record<string, string>>,
  options: { loader?: ModelLoader; deferMissingArgs?: boolean } = {},
): Promise<RunPlan> {
  const { suite, file } = loaded;
  const harness = harnessInfo();
  const samples = samplesPerMethod(loaded);
  const expanded = expandMethods(suite, args, file);
  const deferred = options.deferMissingArgs ? expanded.filter((m) => m.missingArgs.length > 0) : [];
  const methods = await resolveMethods(
    expanded.filter((m) => !deferred.includes(m)),
    suite,
    file,
    options.loader,
  );
  try {
    return await planMethods(loaded, harness, samples, methods, deferred);
  } catch (error) {
    // the planning error is the one to report; a failure to close under it would hide it
    await closeMethods(methods).catch(() => undefined);
    throw error;
  }
}

/** Releases the model sets of a plan, each once; closing a plan twice is harmless. */
export async function closePlan(run: RunPlan): Promise<void> {
  await closeMethods(run.methods.map((m) => m.method));
}

async function planMethods(
  loaded: LoadedSuite,
  harness: RunPlan['harness'],
  samples: number,
  methods: readonly ResolvedMethod[],
  deferred: readonly ExpandedMethod[],
): Promise<RunPlan> {
  const { suite, file } = loaded;
  const machine = describeMachine();
  const device = runDevice(methods.map((m) => ({ id: m.id, device: m.models.device })));
  const fingerprint = machineFingerprint(machine, device);
  const metrics: MetricEntry[] = suite.metrics.map((m) => ({
    key: m.key,
    plugin: suiteMetrics.get(m.name),
    options: m.options,
    optionsHash: hashValue(m.options),
  }));
  const needsReference = metrics.filter((m) => referenceSetsOf(m).length > 0);
  if (suite.reference.source === 'none' && needsReference.length > 0) {
    throw new SchemaError(
      `${file}.reference.source: 'none', but metric ${needsReference.map((m) => `'${m.key}'`).join(', ')} compares with reference samples; allowed: auto, analytic-target, shapes`,
    );
  }
  const plans: MethodPlan[] = [];
  for (const method of methods) {
    const where = `${file}.${method.source} (${method.id})`;
    // a chunk's samples (and its reference samples) and a batch's are held in memory at once
    const sampleShape = `[${method.shape.join(', ')}] float32`;
    for (const [field, count] of [
      ['chunk', Math.min(suite.chunk, samples)],
      ['batch', Math.min(suite.batch, samples)],
    ] as const)
      checkAllocation(
        float32Bytes(count, method.shape),
        `${file}.${field}`,
        `${count} samples of ${method.id} (${sampleShape}) held in memory`,
        (m) => new SchemaError(m),
      );
    const items = await suiteItems(suite.conditions, samples, loaded.prompts, method.models, where);
    const reference = needsReference.length > 0 ? resolveReferenceAt(suite.reference, method, where) : null;
    const costSource = method.spec.cost ? (method.spec.costSource ?? 'architecture') : 'unknown';
    const context: MethodContext = {
      id: method.id,
      shape: method.shape,
      costSource,
      playbackFps: suite.playbackFps,
      protocolVideos: suite.protocol?.videos ?? samples,
      conditions: suite.conditions.kind,
      device,
      machines: [fingerprint],
    };
    metrics.forEach((m, i) => {
      try {
        m.plugin.check?.(m.options, context);
      } catch (error) {
        throw new SchemaError(`${file}.metrics[${i}] (${m.key}): ${(error as Error).message}`);
      }
    });
    const keyBase = {
      harness: harness.version,
      modelHash: method.modelHash,
      sampler: method.sampler,
      settings: method.parsedSettings,
      guidance: method.guidance,
      frames: method.frames,
      seed: suite.seed,
    };
    const keyOf = sampleKeyer(keyBase);
    const keys = items.map((item) => keyOf(item.conditionKey, item.index));
    const meta: MethodMeta = {
      id: method.id,
      slug: method.slug,
      name: method.name,
      description: method.description,
      source: method.source,
      model: method.model,
      modelHash: method.modelHash,
      sampler: method.sampler,
      settings: method.parsedSettings,
      guidance: method.guidance,
      sweep: method.sweep,
      frames: method.frames,
      shape: method.shape,
      costSource,
      reference: reference?.id ?? null,
      resolved: null,
    };
    plans.push({ method, items, keys, reference, context, meta });
  }
  const versions = Object.fromEntries(metrics.map((m) => [m.key, m.plugin.version]));
  return {
    loaded,
    harness,
    samples,
    chunks: chunkCount(samples, suite.chunk),
    metrics,
    methods: plans,
    machine,
    device,
    fingerprint,
    locked: lockedSettings(loaded, harness.version, versions, samples),
    deferred,
  };
}

function resolveReferenceAt(spec: { source: string; seed: number }, method: ResolvedMethod, where: string): ReferenceSource | null {
  try {
    return resolveReference(spec.source, { models: method.models, shape: method.shape, seed: spec.seed });
  } catch (error) {
    throw new SchemaError(`${where}: reference: ${(error as Error).message}`);
  }
}

/** The locked settings of a loaded suite. */
export function lockedSettings(
  loaded: LoadedSuite,
  harnessVersion: string,
  metricVersions: Readonly<Record<string, number>>,
  samples: number,
): LockedSettings {
  const s = loaded.suite;
  return {
    harnessVersion,
    suite: { name: s.name, version: s.version, format: s.format },
    seed: s.seed,
    samples,
    chunk: s.chunk,
    conditions: s.conditions,
    promptsHash: loaded.promptsHash,
    frames: s.frames ?? null,
    guidance: s.guidance ?? null,
    playbackFps: s.playbackFps,
    protocol: s.protocol ?? null,
    reference: s.reference,
    metrics: s.metrics.map((m) => ({
      name: m.name,
      ...(m.key !== m.name ? { id: m.key } : {}),
      version: metricVersions[m.key],
      options: m.options,
    })),
    outputs: s.outputs,
  };
}
