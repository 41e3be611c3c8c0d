import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { decodeNpz } from '../../src/io/npy.ts';
import { NumpyRandomState } from '../../src/core/mt19937.ts';

// Reference: scripts/reference/kid_prc_vectors.py (NumPy's legacy RandomState)
const ref = decodeNpz(readFileSync(new URL('../fixtures/kid-prc.npz', import.meta.url)));
const ints = (key: string) => Array.from(ref[key].data as BigInt64Array, Number);

test('MT19937 outputs equal RandomState(5489).bytes(16) and the reference genrand_int32 start (3499211612)', () => {
  const rs = new NumpyRandomState(5489);
  const words = [rs.nextUint32(), rs.nextUint32(), rs.nextUint32(), rs.nextUint32()];
  assert.is(words[0], 3499211612); // Matsumoto & Nishimura's first output for init_genrand(5489)
  const bytes = Buffer.alloc(16);
  words.forEach((w, i) => bytes.writeUInt32LE(w, 4 * i));
  assert.equal(Array.from(bytes), Array.from(ref.mt_bytes.data as Uint8Array));
});

test('permutation and choice(replace=False) equal NumPy index for index', () => {
  assert.equal(Array.from(new NumpyRandomState(7).permutation(20)), ints('perm'));
  const rs = new NumpyRandomState(2020);
  assert.equal(Array.from(rs.choiceWithoutReplacement(300, 50)), ints('choice_a'));
  assert.equal(Array.from(rs.choiceWithoutReplacement(250, 50)), ints('choice_b'));
});

test('bad seeds and sizes are refused', () => {
  assert.throws(() => new NumpyRandomState(-1), /between 0 and 2\^32 - 1/);
  assert.throws(() => new NumpyRandomState(1).choiceWithoutReplacement(5, 6), /cannot take 6 of 5/);
});

test.run();
