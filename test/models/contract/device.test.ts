import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpuDevice, runDevice, type ComputeDevice } from '../../../src/models/contract/device.ts';

const gpu: ComputeDevice = {
  kind: 'gpu',
  name: 'NVIDIA H100 80GB HBM3',
  count: 1,
  memoryBytes: 80 * 2 ** 30,
  runtime: 'torch 2.4.0+cu121 (CUDA 12.1)',
};

test('GPU-hours with the GPU name when any model set computes on a GPU, whatever its backend', () => {
  const cpu = cpuDevice('TypeScript');
  const device = runDevice([
    { id: 'analytic:tiny-video', device: cpu },
    { id: 'torch:big', device: gpu },
  ]);
  assert.equal(device, {
    kind: 'gpu',
    name: 'NVIDIA H100 80GB HBM3',
    count: 1,
    memoryBytes: 80 * 2 ** 30,
    hoursUnit: 'GPU-hours',
    reason: 'torch:big computes on the GPU (torch 2.4.0+cu121 (CUDA 12.1))',
  });
});

test('CPU-hours with the CPU model and cores otherwise, naming every runtime', () => {
  const a = { ...cpuDevice('TypeScript'), name: 'AMD EPYC 7B13', count: 2 };
  const b = { ...a, runtime: 'onnxruntime-node 1.30.0, CPU execution provider' };
  const device = runDevice([
    { id: 'x', device: a },
    { id: 'y', device: b },
  ]);
  assert.equal([device.kind, device.name, device.hoursUnit, device.count], ['cpu', 'AMD EPYC 7B13, 2 cores', 'CPU-hours', 2]);
  assert.match(device.reason, /TypeScript; onnxruntime-node 1\.30\.0, CPU execution provider/);
  assert.equal(runDevice([]).reason, 'no model set was loaded');
});

test.run();
