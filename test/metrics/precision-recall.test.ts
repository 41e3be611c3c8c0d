import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { decodeNpz } from '../../src/io/npy.ts';
import { kthNeighbourRadii, precisionRecall } from '../../src/metrics/precision-recall.ts';
import { openblasLinalg, typescriptLinalg } from '../../src/metrics/native-linalg.ts';

// Reference: scripts/reference/kid_prc_vectors.py (torch-fidelity's calculate_precision_recall_full with scipy cdist)
const ref = decodeNpz(readFileSync(new URL('../fixtures/kid-prc.npz', import.meta.url)));
const real = { data: ref.real.data as Float64Array, rows: ref.real.shape[0], dim: ref.real.shape[1] };
const gen = { data: ref.gen.data as Float64Array, rows: ref.gen.shape[0], dim: ref.gen.shape[1] };
const backends = [typescriptLinalg, ...(openblasLinalg().backend ? [openblasLinalg().backend!] : [])];

for (const backend of backends) {
  for (const k of [3, 5]) {
    test(`precision and recall equal torch-fidelity's (NumPy) exactly, k = ${k}, blocks of 64 rows (${backend.name})`, () => {
      const r = precisionRecall(real, gen, { neighborhood: k, blockRows: 64, backend });
      const [p, rc] = ref[`prc_k${k}`].data as Float64Array;
      assert.is(r.precision, p);
      assert.is(r.recall, rc);
      assert.ok(Math.abs(r.fScore - (2 * p * rc) / (p + rc)) < 1e-15);
    });
  }
}

test('hand example on a line: radii, and a generated point outside every ball', () => {
  // real points 0, 1, 2, 10 (k = 1): radii 1, 1, 1, 8; generated 0.5 (inside), 20 (outside) -> precision 1/2
  const realLine = { data: Float64Array.from([0, 1, 2, 10]), rows: 4, dim: 1 };
  assert.equal(Array.from(kthNeighbourRadii(realLine, 1, 2, typescriptLinalg)), [1, 1, 1, 64]);
  const genLine = { data: Float64Array.from([0.5, 20]), rows: 2, dim: 1 };
  // generated radii (k = 1): both 19.5; real points within 19.5 of 0.5 or 20: all four -> recall 1
  const r = precisionRecall(realLine, genLine, { neighborhood: 1, backend: typescriptLinalg });
  assert.is(r.precision, 0.5);
  assert.is(r.recall, 1);
  assert.throws(() => precisionRecall(realLine, genLine, { neighborhood: 3 }), /k = 3 needs an integer in \[1, 1\] for a set of 2 rows/);
});

test.run();
