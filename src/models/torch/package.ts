/**
 * The PyTorch engine (`torch:<package>[?options]`): a model package's networks built by the package's Python
 * factory and run in one worker process per model set (python/pyramid_bench_worker.py), on the CPU or a CUDA
 * device, in float32, bfloat16 or float16. The TypeScript samplers drive it exactly as they drive ONNX networks:
 * the same manifest, the same named inputs (src/models/package/feeds.ts), the same output checks. On a GPU the
 * worker synchronises the device before it answers, so every call's time is GPU time.
 */
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256Hex } from '../../core/hash.ts';
import { Tensor } from '../../core/tensor.ts';
import { cpuDevice, type ComputeDevice } from '../contract/device.ts';
import type { Conditioner, Decoder, MemoryReport, ModelSet, ModelSpec, VelocityInput, VelocityModel } from '../contract/velocity-model.ts';
import { checkVelocity, type FeedContext, networkFeeds } from '../package/feeds.ts';
import { fileSha256, type NetworkEntry, PackageError, type PackageManifest, readManifest } from '../package/manifest.ts';
import { conditionInputs, modelsByKind, networkId, samplerDefaultsOf, specFor, textConditioner } from '../package/model-set.ts';
import { TorchWorker, TorchWorkerError, type WireTensor } from './worker.ts';

export { TorchWorkerError } from './worker.ts';

/** Options of the PyTorch engine, from the reference's query (`torch:dir?device=cuda&dtype=bfloat16`). */
export interface TorchOptions {
  /** Python interpreter that imports torch (default: $PYRAMID_BENCH_PYTHON, else Debian's /usr/bin/python3, else python3). */
  readonly python: string;
  /** 'cpu', 'cuda' or 'cuda:N'. */
  readonly device: string;
  readonly dtype: 'float32' | 'bfloat16' | 'float16';
  /** CPU threads of the worker's intra-op pool (default: the machine's cores). */
  readonly threads: number;
  /** Seconds one call may take before the worker is taken for hung (default 600). */
  readonly timeoutSeconds: number;
}

const OPTION_NAMES = ['device', 'dtype', 'threads', 'python', 'timeout'] as const;
const DTYPES = ['float32', 'bfloat16', 'float16'] as const;

/** The interpreter the worker runs on when none is named. */
export function defaultPython(): string {
  const fromEnv = process.env.PYRAMID_BENCH_PYTHON;
  if (fromEnv) return fromEnv;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** Splits `dir?key=value&...` into the package folder and options; refuses unknown keys and bad values, naming them. */
export function parseTorchReference(rest: string): { directory: string; options: TorchOptions } {
  const q = rest.indexOf('?');
  const directory = q < 0 ? rest : rest.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1));
  const where = `model reference 'torch:${rest}'`;
  for (const key of query.keys())
    if (!(OPTION_NAMES as readonly string[]).includes(key))
      throw new RangeError(`${where}: unknown option '${key}'; allowed: ${OPTION_NAMES.join(', ')}`);
  const device = query.get('device') ?? 'cpu';
  if (!/^(cpu|cuda(:\d+)?)$/.test(device)) throw new RangeError(`${where}: device '${device}' is not allowed; allowed: cpu, cuda, cuda:N`);
  const dtype = query.get('dtype') ?? 'float32';
  if (!(DTYPES as readonly string[]).includes(dtype))
    throw new RangeError(`${where}: dtype '${dtype}' is not allowed; allowed: ${DTYPES.join(', ')}`);
  const threadsText = query.get('threads');
  const threads = threadsText === null ? os.cpus().length : Number(threadsText);
  if (!Number.isInteger(threads) || threads < 1 || threads > 4096)
    throw new RangeError(`${where}: threads '${threadsText}' is not allowed; allowed: an integer from 1 to 4096`);
  const timeoutText = query.get('timeout');
  const timeoutSeconds = timeoutText === null ? 600 : Number(timeoutText);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 7 * 86400)
    throw new RangeError(`${where}: timeout '${timeoutText}' is not allowed; allowed: seconds, more than 0 and at most a week`);
  const python = query.get('python') ?? defaultPython();
  if (!directory) throw new RangeError(`${where}: no package folder given; use torch:<package folder>`);
  return { directory, options: { python, device, dtype: dtype as TorchOptions['dtype'], threads, timeoutSeconds } };
}

/** What the worker said about itself once loaded. */
interface LoadInfo {
  readonly torch: string;
  readonly python: string;
  readonly device: string;
  readonly threads?: number;
  readonly gpu?: string;
  readonly gpuMemory?: number;
  readonly gpuCount?: number;
  readonly cuda?: string;
}

/** A velocity model whose network runs in the worker. */
export class TorchVelocityModel implements VelocityModel {
  private readonly context: FeedContext;
  /** Inputs that stay the same over many calls (history levels, the previous cascade stage, the batch's text), sent once. */
  private readonly reused: Set<string>;

  constructor(
    readonly id: string,
    readonly hash: string,
    readonly spec: ModelSpec,
    private readonly worker: TorchWorker,
    private readonly component: string,
    private readonly network: NetworkEntry,
    manifest: PackageManifest,
    inputs: ReturnType<typeof conditionInputs>,
    private readonly timeoutMs: number,
  ) {
    this.context = { id, spec, network, manifest, conditionInputs: inputs };
    this.reused = new Set([
      ...(network.inputs.history ?? []),
      ...(network.inputs.lowRes ? [network.inputs.lowRes] : []),
      ...(network.inputs.text ? [network.inputs.text] : []),
    ]);
  }

  async predict(input: VelocityInput): Promise<Tensor> {
    const feeds = networkFeeds(this.context, input);
    const tensors: WireTensor[] = Object.entries(feeds).map(([name, f]) => ({
      name,
      type: f.type,
      data: f.data,
      dims: f.dims,
      reuse: this.reused.has(name) && f.data.length >= 1024,
    }));
    const what = `velocity call of ${this.id} (flow ${JSON.stringify(input.flow)}, ${input.x.batch} rows of ${input.x.frames}x${input.x.height}x${input.x.width}, timestep ${input.timestep})`;
    const reply = await this.worker.request(
      { op: 'call', component: this.component, output: this.network.output },
      tensors,
      what,
      this.timeoutMs,
    );
    const out = reply.tensors[0];
    if (!out) throw new TorchWorkerError(`${what}: the worker returned no tensor`, 'protocol');
    checkVelocity(`${this.id} (PyTorch worker)`, this.network.output, out.dims, out.data, input.x, input);
    return new Tensor(input.x.shape, out.data);
  }
}

/** A package's model set on the PyTorch engine. */
export interface TorchModelSet extends ModelSet {
  readonly manifest: PackageManifest;
  readonly directory: string;
  readonly hash: string;
  readonly options: TorchOptions;
  /** The worker's process id (for tests and diagnostics). */
  readonly workerPid: number | undefined;
  /** torch and Python versions and where the networks live, as the worker reported them. */
  readonly info: LoadInfo;
  /** Network calls so far and the seconds the worker spent inside them (the rest of a call's time is the boundary). */
  workerStats(): { readonly calls: number; readonly workerSeconds: number };
}

function component(n: NetworkEntry): string {
  return n.role.startsWith('cascade') ? `${n.role}@${n.height}` : n.role;
}

function spec(dir: string, role: string, c: { weights: readonly { file: string }[]; config: Record<string, unknown> }, extra: object) {
  return { role, ...extra, weights: c.weights.map((w) => path.resolve(dir, w.file)), config: c.config };
}

/** Loads `torch:<dir>[?options]`: checks the package, starts the worker, builds every network; refuses before any sampling. */
export async function loadTorchPackage(reference: string): Promise<TorchModelSet> {
  const { directory, options } = parseTorchReference(reference);
  const dir = path.resolve(directory);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PackageError(`torch:${directory}: no such package folder`);
  const m = readManifest(dir);
  if (!m.torch)
    throw new PackageError(
      `package ${directory}: the manifest has no torch section (module, factory), so it cannot run on the PyTorch engine; run it with onnx:${directory}`,
    );
  const bare = m.networks.filter((n) => !n.torch);
  if (bare.length) throw new PackageError(`package ${directory}: network '${bare[0].role}' has no torch entry (weights, config)`);
  const manifestHash = fileSha256(path.join(dir, 'manifest.json'));
  const deviceKind = options.device.startsWith('cuda') ? 'cuda' : 'cpu';
  const engine = `torch|${deviceKind}|${options.dtype}`;
  const hash = sha256Hex(`${engine}|${manifestHash}`);
  const components = m.networks.map((n) => ({
    key: component(n),
    module: m.torch!.module,
    factory: m.torch!.factory,
    spec: spec(dir, n.role, n.torch!, { network: n }),
  }));
  if (m.torch.decoder)
    components.push({ key: 'decoder', module: m.torch.module, factory: m.torch.factory, spec: spec(dir, 'decoder', m.torch.decoder, {}) });
  if (m.torch.conditionEncoder)
    components.push({
      key: 'conditionEncoder',
      module: m.torch.module,
      factory: m.torch.factory,
      spec: spec(dir, 'condition-encoder', m.torch.conditionEncoder, {}),
    });
  const worker = TorchWorker.start({ python: options.python, label: `torch:${directory}` });
  // loading (import torch, build the networks, move them to the device) gets at least 10 minutes
  const loadTimeoutMs = Math.max(options.timeoutSeconds, 600) * 1000;
  const timeoutMs = options.timeoutSeconds * 1000;
  try {
    const reply = await worker.request(
      { op: 'load', package: m, directory: dir, device: options.device, dtype: options.dtype, threads: options.threads, components },
      [],
      `loading the networks (${components.map((c) => c.key).join(', ')})`,
      loadTimeoutMs,
    );
    const info = reply.header as unknown as LoadInfo;
    let negative: Float32Array | undefined;
    let conditioner: Conditioner | undefined;
    if (m.conditioning.kind === 'text') {
      const encode = m.torch.conditionEncoder
        ? async (prompt: string): Promise<Float32Array> => {
            const r = await worker.request(
              { op: 'encode', component: 'conditionEncoder', prompt },
              [],
              `encoding the prompt '${prompt}'`,
              timeoutMs,
            );
            return r.tensors[0].data;
          }
        : undefined;
      ({ conditioner, negative } = await textConditioner(dir, m, encode, `torch:${directory} condition encoder`));
    }
    const inputs = conditionInputs(m, negative);
    const models = m.networks.map(
      (n) =>
        new TorchVelocityModel(
          networkId('torch', m, n),
          sha256Hex(
            `${engine}|${n.torch!.weights.map((w) => w.sha256).join(',')}|${JSON.stringify(n.torch!.config)}|${m.torch!.module}:${m.torch!.factory}`,
          ),
          specFor(m, n),
          worker,
          component(n),
          n,
          m,
          inputs,
          timeoutMs,
        ),
    );
    let decoder: Decoder | undefined;
    if (m.torch.decoder) {
      decoder = {
        fps: m.torch.decoder.fps ?? m.sample.fps,
        async decode(latents: Tensor): Promise<Tensor> {
          const r = await worker.request(
            { op: 'call', component: 'decoder' },
            [{ name: 'latents', type: 'float32', data: latents.data, dims: [...latents.shape] }],
            `decoding ${latents.batch} latents`,
            timeoutMs,
          );
          const out = r.tensors[0];
          if (out.dims.length !== 5)
            throw new PackageError(`torch:${directory} decoder: returned rank ${out.dims.length}; a decoder must return [B, C, T, H, W]`);
          return new Tensor(out.dims as [number, number, number, number, number], out.data);
        },
      };
    }
    const runtime = `PyTorch ${info.torch} (Python ${info.python}), ${options.dtype}`;
    const device: ComputeDevice =
      info.gpu !== undefined
        ? {
            kind: 'gpu',
            name: info.gpu,
            count: 1,
            memoryBytes: info.gpuMemory ?? null,
            runtime: `${runtime}, CUDA ${info.cuda ?? '?'} on ${info.device}`,
          }
        : cpuDevice(`${runtime}, CPU, ${info.threads ?? options.threads} threads`);
    return {
      id: `torch:${m.name}`,
      manifest: m,
      directory: dir,
      hash,
      options,
      info,
      workerPid: worker.pid,
      workerStats: () => ({ ...worker.stats }),
      device,
      ...modelsByKind(m, models),
      decoder,
      conditioner,
      samplerDefaults: samplerDefaultsOf(m),
      guidanceDefaults: m.defaults.guidance,
      fps: m.sample.fps,
      async memoryReport(reset = false): Promise<MemoryReport> {
        const r = await worker.request({ op: 'memory', reset }, [], "reading the worker's memory", timeoutMs);
        return {
          devicePeakBytes: (r.header.peakBytes as number | null) ?? null,
          workerMaxRssBytes: (r.header.maxRssBytes as number | null) ?? null,
        };
      },
      close: () => worker.close(),
    };
  } catch (error) {
    await worker.close();
    throw error;
  }
}
