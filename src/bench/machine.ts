/**
 * A description of the machine a benchmark or suite ran on: CPU model and cores, memory, OS, Node and onnxruntime
 * versions, the GPUs nvidia-smi reports, the load average (other work skews timings); and the device the models
 * run on, which names the unit of device-hours: GPU-hours with the GPU's name when a model runs on a CUDA or
 * TensorRT execution provider, otherwise CPU-hours with the CPU's model.
 */
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { onnxRuntimeVersion } from '../models/onnx/runtime.ts';

export interface MachineDescription {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly platform: string;
  readonly node: string;
  readonly onnxruntime: string;
  /** GPU names from nvidia-smi, or empty when there is none. */
  readonly gpus: readonly string[];
  /** 1-minute load average when the benchmark started: other work on the machine skews timings. */
  readonly loadAverage: number;
}

/** Reads the machine description. */
export function describeMachine(): MachineDescription {
  const cpus = os.cpus();
  const smi = spawnSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8' });
  const gpus = smi.status === 0 ? smi.stdout.split('\n').map((s) => s.trim()).filter(Boolean) : [];
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    onnxruntime: onnxRuntimeVersion,
    gpus,
    loadAverage: os.loadavg()[0],
  };
}

/** The device generation ran on, and the unit its hours are counted in. */
export interface DeviceInfo {
  readonly kind: 'cpu' | 'gpu';
  /** CPU model and cores, or GPU name. */
  readonly name: string;
  /** 'CPU-hours' (wall-clock hours of this machine's CPUs) or 'GPU-hours' (wall-clock hours of one GPU). */
  readonly hoursUnit: 'CPU-hours' | 'GPU-hours';
  /** Why this device was chosen. */
  readonly reason: string;
}

/** The device for models running on `providers` (onnxruntime execution providers; none for TypeScript backends). */
export function deviceFor(providers: readonly (string | undefined)[], machine: MachineDescription): DeviceInfo {
  const gpuProvider = providers.find((p) => p === 'cuda' || p === 'tensorrt');
  if (gpuProvider) {
    const name = machine.gpus[0] ?? 'unknown GPU (nvidia-smi gave no name)';
    return { kind: 'gpu', name, hoursUnit: 'GPU-hours', reason: `a model runs on onnxruntime's ${gpuProvider} execution provider` };
  }
  const why = providers.some((p) => p !== undefined) ? "the models run on onnxruntime's CPU execution provider" : 'the models run in TypeScript on the CPU';
  return { kind: 'cpu', name: `${machine.cpuModel.trim()}, ${machine.cores} cores`, hoursUnit: 'CPU-hours', reason: why };
}
