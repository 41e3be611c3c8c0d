/**
 * The one place that imports onnxruntime-node: loading sessions with threads, graph optimisation and execution
 * providers chosen by availability (TensorRT, CUDA, then CPU, saying once why a GPU provider was not used),
 * describing their inputs and outputs, and running them. Every ONNX user (velocity models, feature extractors,
 * VBench networks) goes through here.
 */
import * as ort from 'onnxruntime-node';
import { existsSync, statSync } from 'node:fs';
import { nvidiaGpus } from '../../core/machine.ts';
import { cpuDevice, type ComputeDevice } from '../contract/device.ts';

export type ProviderName = 'tensorrt' | 'cuda' | 'cpu';

/** How to run a session. */
export interface RuntimeOptions {
  /** Threads inside one operator (0 = onnxruntime's default, all cores). */
  readonly threads?: number;
  readonly graphOptimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Providers to try, in order; CPU is always the last resort. */
  readonly providers?: readonly ProviderName[];
}

/** Name, element type and shape (numbers or symbolic names) of one session input or output. */
export interface TensorInfo {
  readonly name: string;
  readonly type: string;
  readonly shape: readonly (number | string)[];
}

/** A loaded session and what was learnt while loading it. */
export interface LoadedSession {
  readonly file: string;
  readonly session: ort.InferenceSession;
  readonly provider: ProviderName;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Why providers earlier in the list were not used. */
  readonly notes: readonly string[];
}

/** An input or output value: element type, data and dimensions. */
export interface TensorValue {
  readonly type: 'float32' | 'int64' | 'int32' | 'uint8' | 'bool' | 'float64';
  readonly data: Float32Array | BigInt64Array | Int32Array | Uint8Array | Float64Array;
  readonly dims: readonly number[];
}

/** The onnxruntime-node version, for provenance. */
export const onnxRuntimeVersion: string =
  (ort.env.versions as Record<string, string>).node ?? (ort.env.versions as Record<string, string>).common ?? 'unknown';

let fallbackReported = false;

/** Providers the installed onnxruntime build can use, with the reason for each it cannot. */
export function availableProviders(): { available: ProviderName[]; missing: { provider: ProviderName; reason: string }[] } {
  const backends = ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
  const available: ProviderName[] = [];
  const missing: { provider: ProviderName; reason: string }[] = [];
  for (const provider of ['tensorrt', 'cuda', 'cpu'] as ProviderName[]) {
    const b = backends.find((x: { name: string }) => x.name === provider);
    if (b && (b as { bundled: boolean }).bundled) available.push(provider);
    else
      missing.push({
        provider,
        reason: b
          ? `the ${provider} execution provider's libraries are not installed in this onnxruntime-node build`
          : `this onnxruntime-node build has no ${provider} provider`,
      });
  }
  return { available, missing };
}

function describe(metadata: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] {
  return metadata.map((m) =>
    m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] },
  );
}

/** Thrown when a model file cannot be loaded; the message names the file and the cause. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/**
 * Loads an ONNX file. A missing file and a file onnxruntime cannot parse get their own messages; GPU providers
 * that are absent or fail are skipped with a note, and the CPU fallback is reported once per process through
 * `report` (default: stderr).
 */
export async function loadSession(
  file: string,
  options: RuntimeOptions = {},
  report: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
): Promise<LoadedSession> {
  if (!existsSync(file)) throw new ModelFileError(`ONNX file ${file} does not exist`);
  if (statSync(file).size === 0) throw new ModelFileError(`ONNX file ${file} is empty`);
  const wanted = options.providers ?? ['tensorrt', 'cuda', 'cpu'];
  const { available, missing } = availableProviders();
  const notes: string[] = [];
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: options.threads ?? 0,
    interOpNumThreads: 1,
    graphOptimizationLevel: options.graphOptimization ?? 'all',
    executionMode: 'sequential',
    // errors reach us as exceptions; onnxruntime's own warnings (e.g. unused initializers) stay quiet
    logSeverityLevel: 3,
  };
  const order = [...wanted.filter((p) => p !== 'cpu'), 'cpu' as const];
  for (const provider of order) {
    if (!available.includes(provider)) {
      notes.push(missing.find((m) => m.provider === provider)?.reason ?? `${provider} is not available`);
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(file, { ...base, executionProviders: [provider] });
      if (provider === 'cpu' && order.length > 1 && !fallbackReported) {
        fallbackReported = true;
        report(`onnxruntime: running on CPU (${notes.join('; ')})`);
      }
      return { file, session, provider, inputs: describe(session.inputMetadata), outputs: describe(session.outputMetadata), notes };
    } catch (error) {
      const message = (error as Error).message;
      if (provider === 'cpu')
        throw new ModelFileError(`ONNX file ${file} could not be loaded by onnxruntime ${onnxRuntimeVersion}: ${message}`);
      notes.push(`${provider} failed: ${message}`);
    }
  }
  throw new ModelFileError(`ONNX file ${file}: no execution provider could load it (${notes.join('; ')})`);
}

/** Runs a session on named inputs; returns the named outputs (all by default). */
export async function runSession(
  loaded: LoadedSession,
  inputs: Readonly<Record<string, TensorValue>>,
  outputNames?: readonly string[],
): Promise<Record<string, TensorValue>> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, value] of Object.entries(inputs)) feeds[name] = new ort.Tensor(value.type, value.data as never, value.dims as number[]);
  const results = outputNames ? await loaded.session.run(feeds, outputNames as string[]) : await loaded.session.run(feeds);
  const out: Record<string, TensorValue> = {};
  for (const [name, t] of Object.entries(results)) {
    out[name] = { type: t.type as TensorValue['type'], data: t.data as TensorValue['data'], dims: [...t.dims] };
  }
  return out;
}

/** Releases a session's native resources; a released session must not be run again. */
export async function releaseSession(loaded: LoadedSession): Promise<void> {
  await loaded.session.release();
}

/** The device sessions on `provider` compute on: the first GPU nvidia-smi lists for CUDA and TensorRT, else this CPU. */
export function providerDevice(provider: ProviderName): ComputeDevice {
  const runtime = `onnxruntime-node ${onnxRuntimeVersion}, ${provider === 'cpu' ? 'CPU' : provider === 'cuda' ? 'CUDA' : 'TensorRT'} execution provider`;
  if (provider === 'cpu') return cpuDevice(runtime);
  const gpu = nvidiaGpus()[0];
  return {
    kind: 'gpu',
    name: gpu?.name ?? 'unknown GPU (nvidia-smi gave no name)',
    count: 1,
    memoryBytes: gpu?.memoryBytes ?? null,
    runtime,
  };
}
