/**
 * A description of the machine a benchmark ran on, written into every benchmark JSON: CPU model and cores,
 * memory, OS, Node and onnxruntime versions, and the GPU when nvidia-smi reports one.
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
