import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeMachine, deviceFor, type MachineInfo } from '../../src/bench/machine.ts';

const machine: MachineInfo = { platform: 'linux', arch: 'x64', osRelease: '6', cpuModel: 'AMD EPYC 7B13', cpuCores: 2, memoryBytes: 1, gpus: [{ name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, driver: '550' }] };

test('GPU-hours with the GPU name when a model runs on CUDA or TensorRT, else CPU-hours with the CPU model', () => {
  assert.equal(deviceFor(['cuda', undefined], machine), { kind: 'gpu', name: 'NVIDIA H100 80GB HBM3', hoursUnit: 'GPU-hours', reason: "a model runs on onnxruntime's cuda execution provider" });
  const cpu = deviceFor([undefined], machine);
  assert.equal([cpu.kind, cpu.name, cpu.hoursUnit], ['cpu', 'AMD EPYC 7B13, 2 cores', 'CPU-hours']);
  assert.match(deviceFor(['cpu'], machine).reason, /onnxruntime's CPU execution provider/);
  assert.match(deviceFor(['tensorrt'], { ...machine, gpus: [] }).name, /unknown GPU/);
});

test('this machine is described', () => {
  const m = describeMachine();
  assert.ok(m.cpuCores >= 1 && m.memoryBytes > 0 && m.cpuModel.length > 0 && Array.isArray(m.gpus));
});

test.run();
