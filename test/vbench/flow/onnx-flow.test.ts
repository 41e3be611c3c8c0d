import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSession } from '../../../src/models/onnx/runtime.ts';
import { OnnxFlowEstimator } from '../../../src/vbench/flow/onnx-flow.ts';
import { badFlowGraph, flowGraph, writeModel } from '../../helpers/onnx-graphs.ts';
import { rejects } from '../../helpers/assert.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'onnx-flow-'));
const quiet = () => undefined;

// frame k: pixel (x, y) has R = 10 x + k, G = 20 y + 2 k, B = 7 (so the stub's flow is (k2 - k1, 2 (k2 - k1)) with
// the channel layout checked by the per-pixel values)
function frame(w: number, h: number, k: number, scaleR = 10): Uint8Array {
  const f = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) f.set([scaleR * x + k, 20 * y + 2 * k, 7], (y * w + x) * 3);
  return f;
}

test('a RAFT-shaped ONNX graph (flow_up = (image2 - image1)[:, 0:2]) goes through the FlowEstimator interface', async () => {
  const session = await loadSession(writeModel(dir, 'flow.onnx', flowGraph()), {}, quiet);
  const est = new OnnxFlowEstimator(session);
  assert.is(est.name, 'onnx:flow.onnx');
  const [w, h] = [5, 3];
  const f = await est.estimate(frame(w, h, 1), frame(w, h, 4), w, h);
  assert.equal([f.width, f.height], [w, h]);
  assert.ok(f.u.every((x) => x === 3) && f.v.every((x) => x === 6), 'u = 3, v = 6 everywhere');
  // per-pixel layout: image2 with R = 11 x, image1 with R = 10 x -> u = x (row-major, planar channels)
  const g = await est.estimate(frame(w, h, 0, 10), frame(w, h, 0, 11), w, h);
  assert.equal(
    Array.from(g.u),
    Array.from({ length: w * h }, (_, i) => i % w),
  );
});

test('input names, output name and pixel scale come from the options', async () => {
  const session = await loadSession(writeModel(dir, 'flow-half.onnx', flowGraph(0.5)), {}, quiet);
  const est = new OnnxFlowEstimator(session, { inputs: ['image1', 'image2'], output: 'flow_up', scale: 1 / 255, name: 'onnx:raft-things' });
  const f = await est.estimate(frame(4, 2, 0), frame(4, 2, 51), 4, 2);
  // (51 / 255) * 0.5 = 0.1 in u
  assert.ok(Math.abs(f.u[0] - 0.1) < 1e-6);
  assert.is(est.name, 'onnx:raft-things');
  assert.throws(() => new OnnxFlowEstimator(session, { output: 'flow' }), /no output named 'flow'; outputs: flow_low, flow_up/);
  assert.throws(() => new OnnxFlowEstimator(session, { inputs: ['a', 'b'] }), /no input named 'a'/);
});

test('a model whose output is not [1, 2, H, W] is refused with the shapes named', async () => {
  const session = await loadSession(writeModel(dir, 'bad.onnx', badFlowGraph()), {}, quiet);
  await rejects(
    () => new OnnxFlowEstimator(session).estimate(frame(4, 2, 0), frame(4, 2, 1), 4, 2),
    /output 'flow' has shape \[1, 3, 2, 4\]; expected \[1, 2, 2, 4\]/,
  );
});

test.run();
