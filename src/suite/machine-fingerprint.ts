/**
 * The fingerprint a run stamps on every time it measures (`SampleRecord.machine`, `MethodContext.machines`), so
 * that times read back from a shared store are told apart from this machine's: "a time belongs to the machine and
 * run that measured it" (docs/results.md, "Where times come from").
 */
import { hashValue } from '../core/hash.ts';
import type { MachineDescription } from '../core/machine.ts';
import type { DeviceInfo } from '../models/contract/device.ts';
import type { MachineFingerprint } from './contract/records.ts';

/**
 * The fingerprint of `machine` generating on `device`: the first 16 hex digits of the SHA-256 of the canonical JSON
 * of the CPU model, core count, GPU names and the device's kind and name (what decides how fast it generates;
 * not the load average, memory or OS), with the device's name and hours unit.
 */
export function machineFingerprint(machine: MachineDescription, device: DeviceInfo): MachineFingerprint {
  const id = hashValue({
    cpu: machine.cpuModel,
    cores: machine.cores,
    gpus: machine.gpus,
    device: { kind: device.kind, name: device.name },
  }).slice(0, 16);
  return { id, name: device.name, hoursUnit: device.hoursUnit };
}
