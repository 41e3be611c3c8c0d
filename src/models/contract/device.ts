/**
 * The device a model set computes on, as its backend describes it (`ModelSet.device`), and the device a run's
 * hours are counted on: GPU-hours with the GPU's name when any model set of the run computes on a GPU, whatever
 * its backend, otherwise CPU-hours with the CPU's model.
 */
import os from 'node:os';

/** Where a backend computes. */
export interface ComputeDevice {
  readonly kind: 'cpu' | 'gpu';
  /** GPU name (e.g. 'NVIDIA H200') or CPU model. */
  readonly name: string;
  /** GPUs the set uses, or the CPU cores it may use. */
  readonly count: number;
  /** Memory of one device, bytes (a GPU's memory, or the machine's RAM for a CPU), or null when unknown. */
  readonly memoryBytes: number | null;
  /** What computes, with its version: 'TypeScript', 'onnxruntime-node 1.30.0, CPU execution provider', .... */
  readonly runtime: string;
}

/** The device a run generated on, as results and reports name it. */
export interface DeviceInfo {
  readonly kind: 'cpu' | 'gpu';
  /** CPU model and cores, or GPU name. */
  readonly name: string;
  /** GPUs or CPU cores. */
  readonly count: number;
  /** Memory of one device, bytes, or null when unknown. */
  readonly memoryBytes: number | null;
  /** 'CPU-hours' (wall-clock hours of this machine's CPUs) or 'GPU-hours' (wall-clock hours of one GPU). */
  readonly hoursUnit: 'CPU-hours' | 'GPU-hours';
  /** Why this device was chosen. */
  readonly reason: string;
}

/** This machine's CPU as a compute device for `runtime` (backends that compute on the CPU use it). */
export function cpuDevice(runtime: string): ComputeDevice {
  const cpus = os.cpus();
  return { kind: 'cpu', name: (cpus[0]?.model ?? 'unknown CPU').trim(), count: cpus.length, memoryBytes: os.totalmem(), runtime };
}

/**
 * The device a run's hours are counted on, from the devices of its model sets (the first GPU one wins); this
 * machine's CPU when no set was loaded (a plan whose methods all wait for arguments).
 */
export function runDevice(devices: readonly { readonly id: string; readonly device: ComputeDevice }[]): DeviceInfo {
  if (devices.length === 0) {
    const cpu = cpuDevice('none');
    return {
      kind: 'cpu',
      name: `${cpu.name}, ${cpu.count} cores`,
      count: cpu.count,
      memoryBytes: cpu.memoryBytes,
      hoursUnit: 'CPU-hours',
      reason: 'no model set was loaded',
    };
  }
  const gpu = devices.find((d) => d.device.kind === 'gpu');
  if (gpu) {
    const d = gpu.device;
    return {
      kind: 'gpu',
      name: d.name,
      count: d.count,
      memoryBytes: d.memoryBytes,
      hoursUnit: 'GPU-hours',
      reason: `${gpu.id} computes on the GPU (${d.runtime})`,
    };
  }
  const d = devices[0].device;
  const runtimes = [...new Set(devices.map((x) => x.device.runtime))].join('; ');
  return {
    kind: 'cpu',
    name: `${d.name}, ${d.count} cores`,
    count: d.count,
    memoryBytes: d.memoryBytes,
    hoursUnit: 'CPU-hours',
    reason: `the models compute on the CPU (${runtimes})`,
  };
}
