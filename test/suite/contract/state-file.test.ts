import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeStateFile, encodeStateFile, type StateFile } from '../../../src/suite/contract/state-file.ts';

test('state files round-trip exactly and the same states give the same bytes', () => {
  const file: StateFile = {
    metric: 'fd-pixel',
    version: 1,
    set: 'samples',
    optionsHash: 'abc',
    chunks: [
      { chunk: 0, state: { json: { rows: 2, dim: 2 }, arrays: { features: new Float32Array([0.1, -2, 3e-8, 4]) } } },
      { chunk: 3, state: { json: { rows: 1 }, arrays: { sums: new Float64Array([Math.PI, -0]) } } },
    ],
    timing: null,
  };
  const bytes = encodeStateFile(file);
  assert.ok(bytes.equals(encodeStateFile(file)));
  const back = decodeStateFile(bytes, 'x.npz');
  assert.equal(
    back.chunks.map((c) => c.chunk),
    [0, 3],
  );
  assert.equal(Array.from(back.chunks[0].state.arrays.features), Array.from(file.chunks[0].state.arrays.features));
  assert.ok(back.chunks[1].state.arrays.sums instanceof Float64Array);
  assert.is(back.chunks[1].state.arrays.sums[0], Math.PI);
  assert.equal(back.chunks[0].state.json, { rows: 2, dim: 2 });
  assert.throws(() => decodeStateFile(Buffer.from('nope'), 'x.npz'), /x\.npz: not a zip archive/);
});

test.run();
