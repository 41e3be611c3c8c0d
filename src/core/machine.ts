/**
 * A description of the machine a benchmark or suite ran on: CPU model and cores, memory, OS, Node's version, the
 * GPUs nvidia-smi reports and the load average (other work skews timings). Which device the models compute on is
 * the model set's to say (`ModelSet.device`, src/models/contract/device.ts), not the machine's.
 */
import os from 'node:os';
import { spawnSync } from 'node:child_process';

/** One GPU as nvidia-smi reports it. */
export interface GpuDescription {
  readonly name: string;
  /** Total memory, bytes, or null when nvidia-smi did not say. */
  readonly memoryBytes: number | null;
}

export interface MachineDescription {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly platform: string;
  readonly node: string;
  /** GPU names from nvidia-smi, or empty when there is none. */
  readonly gpus: readonly string[];
  /** 1-minute load average when the benchmark started: other work on the machine skews timings. */
  readonly loadAverage: number;
}

let gpuCache: readonly GpuDescription[] | null = null;

/** The GPUs nvidia-smi lists (name and memory), or none when it is absent or fails; read once per process. */
export function nvidiaGpus(): readonly GpuDescription[] {
  if (gpuCache) return gpuCache;
  const smi = spawnSync('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'], { encoding: 'utf8' });
  gpuCache =
    smi.status === 0
      ? smi.stdout
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
          .map((line) => {
            const [name, mib] = line.split(',').map((s) => s.trim());
            const memory = Number(mib);
            return { name, memoryBytes: Number.isFinite(memory) && mib !== '' ? memory * 2 ** 20 : null };
          })
      : [];
  return gpuCache;
}

/** Reads the machine description. */
export function describeMachine(): MachineDescription {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    gpus: nvidiaGpus().map((g) => g.name),
    loadAverage: os.loadavg()[0],
  };
}
