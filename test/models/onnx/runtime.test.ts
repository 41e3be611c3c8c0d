import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GraphBuilder } from '../../../src/models/onnx/builder.ts';
import { availableProviders, loadSession, runSession } from '../../../src/models/onnx/runtime.ts';
import { rejects } from '../../helpers/assert.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'onnx-test-'));
const quiet = () => undefined;

function affineRelu(): Uint8Array {
  // y = relu(x W + b), x [batch, 2], W [2, 3]
  const g = new GraphBuilder('affine');
  const x = g.input('x', 'float32', ['batch', 2]);
  const w = g.initializer('W', 'float32', [2, 3], Float32Array.from([1, -1, 0.5, 2, 0, -3]));
  const b = g.initializer('b', 'float32', [3], Float32Array.from([0.5, 0, 1]));
  g.output(g.op('Relu', [g.op('Add', [g.op('MatMul', [x, w]), b])]), 'y', 'float32', ['batch', 3]);
  return g.toBytes();
}

test('a graph written by GraphBuilder loads in onnxruntime and computes relu(x W + b) with a dynamic batch', async () => {
  const file = path.join(dir, 'affine.onnx');
  writeFileSync(file, affineRelu());
  const s = await loadSession(file, { threads: 1 }, quiet);
  assert.equal(s.inputs, [{ name: 'x', type: 'float32', shape: ['batch', 2] }]);
  assert.equal(s.outputs, [{ name: 'y', type: 'float32', shape: ['batch', 3] }]);
  const out = await runSession(s, { x: { type: 'float32', data: Float32Array.from([1, 2, -1, 0]), dims: [2, 2] } });
  // row 1: [1 + 4 + 0.5, -1 + 0 + 0, 0.5 - 6 + 1] -> relu; row 2: [-1 + 0.5, 1, -0.5 + 1]
  assert.equal(Array.from(out.y.data as Float32Array), [5.5, 0, 0, 0, 1, 0.5]);
  assert.equal(out.y.dims, [2, 3]);
});

test('Conv with attributes (pads, strides) runs: a 3x3 box filter sums neighbourhoods', async () => {
  const g = new GraphBuilder('conv');
  const x = g.input('x', 'float32', [1, 1, 4, 4]);
  const w = g.initializer('k', 'float32', [1, 1, 3, 3], new Float32Array(9).fill(1));
  g.output(g.op('Conv', [x, w], { pads: [1, 1, 1, 1], strides: [2, 2], kernel_shape: [3, 3] }), 'y', 'float32', [1, 1, 2, 2]);
  const file = path.join(dir, 'conv.onnx');
  writeFileSync(file, g.toBytes());
  const s = await loadSession(file, {}, quiet);
  const out = await runSession(s, { x: { type: 'float32', data: new Float32Array(16).fill(1), dims: [1, 1, 4, 4] } });
  assert.equal(Array.from(out.y.data as Float32Array), [4, 6, 6, 9]);
});

test('the CPU fallback is said once and recorded; GPU providers are listed with the reason they are missing', async () => {
  const { available, missing } = availableProviders();
  assert.ok(available.includes('cpu'));
  const file = path.join(dir, 'affine2.onnx');
  writeFileSync(file, affineRelu());
  const s = await loadSession(file, { providers: ['cuda', 'cpu'] }, quiet);
  if (!available.includes('cuda')) {
    assert.is(s.provider, 'cpu');
    assert.match(s.notes.join(' '), /cuda/);
    assert.ok(missing.some((m) => m.provider === 'cuda'));
  }
});

test('a missing, empty or corrupt file gets its own message', async () => {
  await rejects(() => loadSession(path.join(dir, 'nope.onnx'), {}, quiet), /nope.onnx does not exist/);
  const empty = path.join(dir, 'empty.onnx');
  writeFileSync(empty, '');
  await rejects(() => loadSession(empty, {}, quiet), /empty.onnx is empty/);
  const corrupt = path.join(dir, 'corrupt.onnx');
  writeFileSync(corrupt, Buffer.from('this is not a protobuf model at all'));
  await rejects(() => loadSession(corrupt, {}, quiet), /corrupt.onnx could not be loaded by onnxruntime/);
});

test.run();
