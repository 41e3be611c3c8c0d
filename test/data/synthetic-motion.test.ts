import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { endPointError, renderFrame, rotationPair, texture, translationPair } from '../../src/data/synthetic-motion.ts';

test('the texture is seeded, has contrast, and few rendered pixels saturate', () => {
  const a = texture(1);
  const b = texture(1);
  const values = Array.from({ length: 400 }, (_, i) => a(i % 20, Math.floor(i / 20)));
  assert.equal(
    values,
    Array.from({ length: 400 }, (_, i) => b(i % 20, Math.floor(i / 20))),
  );
  assert.not.equal(texture(2)(3, 4), a(3, 4));
  const frame = renderFrame(a, 128, 128, (x, y) => [x, y]);
  const grey = frame.filter((_, i) => i % 3 === 0);
  const mean = grey.reduce((s, v) => s + v, 0) / grey.length;
  const sd = Math.sqrt(grey.reduce((s, v) => s + (v - mean) ** 2, 0) / grey.length);
  assert.ok(Math.abs(mean - 127.5) < 15 && sd > 35, `mean ${mean}, sd ${sd}`);
  const saturated = grey.filter((v) => v === 0 || v === 255).length / grey.length;
  assert.ok(saturated < 0.05, `saturated fraction ${saturated}`);
});

test('an integer translation moves the pixels exactly: frame2(x) = frame1(x - d)', () => {
  const [f1, f2] = translationPair(3, 20, 16, 2, -1);
  for (let y = 1; y < 15; y++)
    for (let x = 2; x < 20; x++) assert.is(f2[(y * 20 + x) * 3], f1[((y + 1) * 20 + x - 2) * 3], `pixel ${x},${y}`);
  const g = renderFrame(
    () => 300,
    2,
    1,
    (x, y) => [x, y],
  );
  assert.equal(Array.from(g), [255, 255, 255, 255, 255, 255], 'clamped to 255');
});

test('a rotation has zero flow at the centre and the rotated offset elsewhere; EPE of the truth is 0', () => {
  const r = rotationPair(4, 33, 33, 90);
  const [u0, v0] = r.flow(16, 16);
  assert.ok(Math.abs(u0) < 1e-12 && Math.abs(v0) < 1e-12);
  // 90 degrees: (x - c, y - c) = (10, 0) -> (0, 10), flow (-10, 10)
  const [u, v] = r.flow(26, 16);
  assert.ok(Math.abs(u + 10) < 1e-9 && Math.abs(v - 10) < 1e-9);
  const size = 8;
  const uu = new Float32Array(size * size).fill(1.5);
  const vv = new Float32Array(size * size).fill(-2);
  assert.equal(
    endPointError(uu, vv, size, size, () => [1.5, -2], 1),
    { mean: 0, max: 0 },
  );
  assert.equal(
    endPointError(uu, vv, size, size, () => [1.5, 2], 2),
    { mean: 4, max: 4 },
  );
});

test.run();
