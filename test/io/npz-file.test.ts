import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NpzFile } from '../../src/io/npz-file.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'npz-file-'));

for (const [how, fn] of [
  ['stored (np.savez)', 'savez'],
  ['deflated (np.savez_compressed)', 'savez_compressed'],
] as const) {
  test(`rows of a ${how} array read without loading the rest; headers and dtypes from NumPy`, () => {
    const file = path.join(dir, `${fn}.npz`);
    execFileSync('python3', [
      '-c',
      `import numpy as np,sys; np.${fn}(sys.argv[1], big=np.arange(10*3*2, dtype=np.float64).reshape(10,3,2), small=np.array([7], dtype=np.int64))`,
      file,
    ]);
    const npz = new NpzFile(file);
    assert.equal(npz.keys(), ['big', 'small']);
    assert.equal(npz.entry('big'), { name: 'big', dtype: '<f8', shape: [10, 3, 2], compressed: fn === 'savez_compressed' });
    assert.equal(
      Array.from(npz.rows('big', 4, 2) as Float64Array),
      Array.from({ length: 12 }, (_, i) => 24 + i),
    );
    assert.equal(Array.from(npz.array('small').data as BigInt64Array), [7n]);
    assert.throws(() => npz.rows('big', 9, 2), /rows 9 to 10 of 'big' are outside its shape \[10, 3, 2\]/);
    assert.throws(() => npz.array('mu'), /no array 'mu'; it holds: big, small/);
    npz.close();
  });
}

test('a file that is not a zip archive is refused', () => {
  const file = path.join(dir, 'plain.npz');
  execFileSync('python3', ['-c', 'import sys; open(sys.argv[1], "w").write("not a zip" * 10)', file]);
  assert.throws(() => new NpzFile(file), /not a zip archive/);
});

test.run();
