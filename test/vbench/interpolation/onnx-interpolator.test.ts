import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSession } from '../../../src/models/onnx/runtime.ts';
import { OnnxInterpolator } from '../../../src/vbench/interpolation/onnx-interpolator.ts';
import { BlendInterpolator } from '../../../src/vbench/interpolation/interpolator.ts';
import { motionSmoothnessVideo } from '../../../src/vbench/motion-smoothness.ts';
import { interpolatorGraph, writeModel } from '../../helpers/onnx-graphs.ts';
import { rejects } from '../../helpers/assert.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'onnx-interp-'));
const quiet = () => undefined;

test('an AMT-shaped graph (imgt = img0 (1 - embt) + img1 embt) receives embt = 0.5 and 0-1 planar frames', async () => {
  const interp = new OnnxInterpolator(await loadSession(writeModel(dir, 'amt.onnx', interpolatorGraph()), {}, quiet));
  assert.is(interp.name, 'onnx:amt.onnx');
  const a = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => 10 * i);
  const b = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => 10 * i + 4);
  const mid = await interp.interpolate(a, b, 3, 2);
  // the mean, 10 i + 2, back on the 0-255 scale and interleaved
  mid.forEach((v, i) => assert.ok(Math.abs(v - (10 * i + 2)) < 1e-3, `value ${i}: ${v}`));
});

test("through the motion smoothness protocol it gives the blend interpolator's result (up to float32 rounding)", async () => {
  const interp = new OnnxInterpolator(await loadSession(writeModel(dir, 'amt2.onnx', interpolatorGraph()), {}, quiet), {
    inputs: ['img0', 'img1', 'embt'],
    output: 'imgt_pred',
  });
  // frames 0, 27, 40, 67, 80, 107: midpoints of 0/40 and 40/80 are 20 and 60, the real odd frames 27 and 67
  const frames = Array.from({ length: 6 }, (_, t) => new Uint8Array(5 * 3 * 3).fill(20 * t + (t % 2) * 7));
  const clip = { id: 'v', width: 5, height: 3, fps: 8, frames };
  const viaOnnx = await motionSmoothnessVideo(clip, interp);
  const viaBlend = await motionSmoothnessVideo(clip, new BlendInterpolator());
  assert.equal(viaOnnx.frameMae, viaBlend.frameMae);
  assert.equal(viaBlend.frameMae, [7, 7]);
});

test('a wrong tensor name is refused; mismatched frames are refused before running', async () => {
  const session = await loadSession(writeModel(dir, 'amt3.onnx', interpolatorGraph()), {}, quiet);
  assert.throws(() => new OnnxInterpolator(session, { inputs: ['x', 'img1', 'embt'] }), /no input named 'x'/);
  await rejects(() => new OnnxInterpolator(session).interpolate(new Uint8Array(3), new Uint8Array(6), 1, 1), /frames of 3 and 6 bytes/);
});

test.run();
