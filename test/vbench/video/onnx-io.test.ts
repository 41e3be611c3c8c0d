import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSession } from '../../../src/models/onnx/runtime.ts';
import { batchable, checkedOutput, inputNames, outputName, planarBatch, scaleOnly } from '../../../src/vbench/video/onnx-io.ts';
import { CLIP_NORMALISATION } from '../../../src/vbench/video/transforms.ts';
import { flowGraph, poolEncoderGraph, writeModel } from '../../helpers/onnx-graphs.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'onnx-io-'));

test('planarBatch: interleaved RGB24 -> [N, 3, H, W], scaled and normalised per channel', () => {
  const img = Uint8Array.of(0, 10, 20, 30, 40, 50); // 2 x 1 pixels
  const t = planarBatch([img, img], 2, 1, scaleOnly(1));
  assert.equal(t.dims, [2, 3, 1, 2]);
  assert.equal(Array.from(t.data as Float32Array).slice(0, 6), [0, 30, 10, 40, 20, 50]);
  const n = planarBatch([Uint8Array.of(255, 255, 255)], 1, 1, CLIP_NORMALISATION).data as Float32Array;
  n.forEach((v, c) => assert.ok(Math.abs(v - (1 - CLIP_NORMALISATION.mean[c]) / CLIP_NORMALISATION.std[c]) < 1e-6));
  assert.throws(() => planarBatch([new Uint8Array(5)], 2, 1, scaleOnly(1)), /image 0 has 5 bytes/);
});

test("tensor names default to the session's own and are checked; outputs are checked for shape and finiteness", async () => {
  const flow = await loadSession(writeModel(dir, 'f.onnx', flowGraph()), {}, () => undefined);
  assert.equal(inputNames(flow, 2, undefined), ['image1', 'image2']);
  assert.is(outputName(flow, undefined), 'flow_up');
  assert.throws(() => inputNames(flow, 3, undefined), /needs 3 inputs, has 2 \(image1, image2\)/);
  assert.is(batchable(flow, 'image1'), false);
  const enc = await loadSession(writeModel(dir, 'e.onnx', poolEncoderGraph()), {}, () => undefined);
  assert.is(batchable(enc, 'pixel_values'), true);
  const ok = { y: { type: 'float32' as const, data: Float32Array.of(1, 2), dims: [1, 2] } };
  assert.equal(Array.from(checkedOutput(enc, ok, 'y', [1, 2])), [1, 2]);
  assert.throws(() => checkedOutput(enc, ok, 'y', [2, 1]), /output 'y' has shape \[1, 2\]; expected \[2, 1\]/);
  assert.throws(
    () => checkedOutput(enc, { y: { ...ok.y, data: Float32Array.of(1, NaN) } }, 'y', [1, 2]),
    /non-finite value \(NaN\) at flat index 1/,
  );
  assert.throws(() => checkedOutput(enc, ok, 'z', [1, 2]), /output 'z' missing/);
});

test.run();
