import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CELL_VALUES, ColourGradientEmbedder, colourGradientDescriptor, GRID } from '../../../src/vbench/features/substitute-descriptor.ts';

const frame = (w: number, h: number, f: (x: number, y: number) => [number, number, number]) => {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.set(f(x, y), (y * w + x) * 3);
  return out;
};

test('a flat frame: colour means exact in every cell, no gradient energy', () => {
  const d = colourGradientDescriptor(
    frame(16, 12, () => [51, 102, 255]),
    16,
    12,
  );
  assert.is(d.length, GRID * GRID * CELL_VALUES);
  for (let cell = 0; cell < GRID * GRID; cell++) {
    const o = cell * CELL_VALUES;
    assert.equal(
      Array.from(d.subarray(o, o + 3)).map((v) => Math.round(v * 1000) / 1000),
      [0.2, 0.4, 1],
    );
    assert.ok(d.subarray(o + 3, o + CELL_VALUES).every((v) => v === 0));
  }
});

test('a vertical dark-to-bright edge puts energy in orientation bin 0 (gradient along +x) of the cells on the edge only', () => {
  // 16 x 16, edge between x = 7 and x = 8: cells of column 1 (x 4..7) and column 2 (x 8..11) see it
  const d = colourGradientDescriptor(
    frame(16, 16, (x) => (x < 8 ? [0, 0, 0] : [200, 200, 200])),
    16,
    16,
  );
  for (let cy = 0; cy < GRID; cy++) {
    for (let cx = 0; cx < GRID; cx++) {
      const bins = d.subarray((cy * GRID + cx) * CELL_VALUES + 3, (cy * GRID + cx + 1) * CELL_VALUES);
      const onEdge = cx === 1 || cx === 2;
      // per edge pixel |g| = 100 (half the step); 4 of the cell's 16 pixels lie on it: 4 * 100 / (255 * 16)
      if (onEdge) assert.ok(Math.abs(bins[0] - (4 * 100) / (255 * 16)) < 1e-6, `cell ${cx},${cy}: ${bins[0]}`);
      else assert.is(bins[0], 0);
      assert.ok(bins.subarray(1).every((v) => v === 0));
    }
  }
  // the mirrored edge (bright to dark) goes to the opposite bin (180 degrees = bin 4)
  const m = colourGradientDescriptor(
    frame(16, 16, (x) => (x < 8 ? [200, 200, 200] : [0, 0, 0])),
    16,
    16,
  );
  assert.ok(m[1 * CELL_VALUES + 3 + 4] > 0 && m[1 * CELL_VALUES + 3] === 0);
});

test('the embedder says it is a substitute and is deterministic', async () => {
  const e = new ColourGradientEmbedder();
  assert.equal(e.backbone, { kind: 'substitute', name: 'colour-gradient-grid-v1' });
  const f = frame(9, 7, (x, y) => [x * 20, y * 30, (x * y) % 255]);
  const [a, b] = await e.embed([f, f], 9, 7);
  assert.equal(Array.from(a), Array.from(b));
  assert.throws(() => colourGradientDescriptor(new Uint8Array(4), 9, 7), /4 bytes for a 9x7 RGB24 frame/);
});

test.run();
