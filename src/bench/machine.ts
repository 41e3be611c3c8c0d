/**
 * The machine a run measures: CPU model and cores (os.cpus), memory, GPUs (nvidia-smi, when installed), and the
 * device the models run on, which names the unit of device-hours: GPU-hours with the GPU's name when a model
 * runs on a CUDA or TensorRT execution provider, otherwise CPU-hours with the CPU's model.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

/** One GPU as nvidia-smi reports it. */
export interface GpuInfo {
  readonly name: string;
  readonly memoryMiB: number | null;
  readonly driver: string | null;
}

/** What the machine is. */
export interface MachineInfo {
  readonly platform: string;
  readonly arch: string;
  readonly osRelease: string;
  readonly cpuModel: string;
  /** Logical CPUs the process may use. */
  readonly cpuCores: number;
  readonly memoryBytes: number;
  /** Empty when nvidia-smi is absent or lists none. */
  readonly gpus: readonly GpuInfo[];
}

/** GPUs from `nvidia-smi --query-gpu`, or [] when the tool is missing or fails. */
export function queryGpus(): GpuInfo[] {
  const r = spawnSync('nvidia-smi', ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) return [];
  return r.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [name, memory, driver] = line.split(',').map((s) => s.trim());
      const memoryMiB = Number(memory);
      return { name, memoryMiB: Number.isFinite(memoryMiB) ? memoryMiB : null, driver: driver || null };
    });
}

/** Describes this machine. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    platform: os.platform(),
    arch: os.arch(),
    osRelease: os.release(),
    cpuModel: cpus[0]?.model.trim() || 'unknown CPU',
    cpuCores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    gpus: queryGpus(),
  };
}

/** The device generation ran on, and the unit its hours are counted in. */
export interface DeviceInfo {
  readonly kind: 'cpu' | 'gpu';
  /** CPU model or GPU name. */
  readonly name: string;
  /** 'CPU-hours' (wall-clock hours of this machine's CPUs) or 'GPU-hours' (wall-clock hours of one GPU). */
  readonly hoursUnit: 'CPU-hours' | 'GPU-hours';
  /** Why this device was chosen. */
  readonly reason: string;
}

/** The device for models running on `providers` (onnxruntime execution providers; none for TypeScript backends). */
export function deviceFor(providers: readonly (string | undefined)[], machine: MachineInfo): DeviceInfo {
  const gpuProvider = providers.find((p) => p === 'cuda' || p === 'tensorrt');
  if (gpuProvider) {
    const name = machine.gpus[0]?.name ?? 'unknown GPU (nvidia-smi gave no name)';
    return { kind: 'gpu', name, hoursUnit: 'GPU-hours', reason: `a model runs on onnxruntime's ${gpuProvider} execution provider` };
  }
  const why = providers.some((p) => p !== undefined) ? "the models run on onnxruntime's CPU execution provider" : 'the models run in TypeScript on the CPU';
  return { kind: 'cpu', name: `${machine.cpuModel}, ${machine.cpuCores} cores`, hoursUnit: 'CPU-hours', reason: why };
}
