import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeMachine, deviceFor, type MachineDescription } from '../../src/bench/machine.ts';

const machine: MachineDescription = { platform: 'linux', cpuModel: 'AMD EPYC 7B13', cores: 2, memoryGiB: 1, node: 'v20', onnxruntime: '1', gpus: ['NVIDIA H100 80GB HBM3'], loadAverage: 0 };

test('GPU-hours with the GPU name when a model runs on CUDA or TensorRT, else CPU-hours with the CPU model', () => {
  assert.equal(deviceFor(['cuda', undefined], machine), { kind: 'gpu', name: 'NVIDIA H100 80GB HBM3', hoursUnit: 'GPU-hours', reason: "a model runs on onnxruntime's cuda execution provider" });
  const cpu = deviceFor([undefined], machine);
  assert.equal([cpu.kind, cpu.name, cpu.hoursUnit], ['cpu', 'AMD EPYC 7B13, 2 cores', 'CPU-hours']);
  assert.match(deviceFor(['cpu'], machine).reason, /onnxruntime's CPU execution provider/);
  assert.match(deviceFor(['tensorrt'], { ...machine, gpus: [] }).name, /unknown GPU/);
});

test('this machine is described', () => {
  const m = describeMachine();
  assert.ok(m.cores >= 1 && m.memoryGiB > 0 && m.cpuModel.length > 0 && Array.isArray(m.gpus));
});

test.run();
