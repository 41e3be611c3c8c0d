import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, decodeNpy, decodeNpz, encodeNpy, encodeNpz, npyArray } from '../../src/io/npy.ts';
import { writeFileAtomic } from '../../src/io/atomic.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'npy-test-'));

test('crc32 of "123456789" is cbf43926 (the standard check value)', () => {
  assert.is(crc32(Buffer.from('123456789')).toString(16), 'cbf43926');
});

test('.npy round trip keeps dtype, shape and values; the header is padded to 64 bytes', () => {
  const a = npyArray(Float32Array.from([1.5, -2, 3, 4, 5, 6]), [2, 3]);
  const bytes = encodeNpy(a);
  assert.is((10 + bytes.readUInt16LE(8)) % 64, 0);
  const back = decodeNpy(bytes);
  assert.is(back.dtype, '<f4');
  assert.equal(back.shape, [2, 3]);
  assert.equal(Array.from(back.data as Float32Array), [1.5, -2, 3, 4, 5, 6]);
});

test('NumPy reads our .npz (stored and compressed) with the same values', () => {
  const file = path.join(dir, 'ours.npz');
  writeFileAtomic(
    file,
    encodeNpz({
      x: npyArray(Float32Array.from([0.25, 1, 2, 3]), [2, 2]),
      n: npyArray(new BigInt64Array([7n, -1n]), [2]),
      u: npyArray(Uint8Array.from([255, 0, 3]), [3]),
    }),
  );
  const zfile = path.join(dir, 'ours-z.npz');
  writeFileAtomic(zfile, encodeNpz({ x: npyArray(Float64Array.from([1, 2, 3]), [3]) }, true));
  const out = execFileSync('python3', [
    '-c',
    `import numpy as np,sys\nd=np.load(sys.argv[1]);z=np.load(sys.argv[2])\nprint(d['x'].dtype,d['x'].shape,d['x'].tolist(),d['n'].tolist(),d['u'].dtype,d['u'].tolist(),z['x'].tolist())`,
    file,
    zfile,
  ]).toString();
  assert.is(out.trim(), 'float32 (2, 2) [[0.25, 1.0], [2.0, 3.0]] [7, -1] uint8 [255, 0, 3] [1.0, 2.0, 3.0]');
});

test('we read what NumPy writes: savez, savez_compressed, Fortran order, bool and int32', () => {
  const file = path.join(dir, 'numpy.npz');
  execFileSync('python3', [
    '-c',
    `import numpy as np,sys\nnp.savez_compressed(sys.argv[1], mu=np.arange(3.0), f=np.asfortranarray(np.arange(6,dtype=np.float32).reshape(2,3)), b=np.array([True,False]), i=np.array([[1,-2]],dtype=np.int32))`,
    file,
  ]);
  const d = decodeNpz(readFileSync(file));
  assert.equal(Array.from(d.mu.data as Float64Array), [0, 1, 2]);
  assert.equal(d.f.shape, [2, 3]);
  assert.equal(Array.from(d.f.data as Float32Array), [0, 1, 2, 3, 4, 5]);
  assert.equal(Array.from(d.b.data as Uint8Array), [1, 0]);
  assert.equal(Array.from(d.i.data as Int32Array), [1, -2]);
});

test('corrupt and unsupported files get clear errors', () => {
  assert.throws(() => decodeNpz(Buffer.from('not a zip at all, just text that is long enough')), /not a zip archive/);
  assert.throws(() => decodeNpy(Buffer.from('hello world')), /not a .npy file/);
  const complex = Buffer.from(
    encodeNpy(npyArray(Float32Array.from([1, 2]), [2]))
      .toString('latin1')
      .replace("'<f4'", "'<c8'"),
    'latin1',
  );
  assert.throws(() => decodeNpy(complex), /dtype '<c8' is not supported/);
  const truncated = encodeNpy(npyArray(Float64Array.from([1, 2, 3]), [3])).subarray(0, 80);
  assert.throws(() => decodeNpy(truncated), /truncated/);
  const bad = path.join(dir, 'bad.npz');
  writeFileSync(bad, encodeNpz({ a: npyArray(Float32Array.from([1]), [1]) }).subarray(0, 40));
  assert.throws(() => decodeNpz(readFileSync(bad)), /not a zip archive/);
});

test('the same arrays give the same bytes', () => {
  const make = () => encodeNpz({ a: npyArray(Float32Array.from([1, 2]), [2]) });
  assert.ok(make().equals(make()));
});

test.run();
