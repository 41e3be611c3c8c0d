import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kthLargest } from '../../../src/core/select.ts';
import { topCount, topFractionMeanMagnitude, type FlowField } from '../../../src/vbench/flow/flow-field.ts';
import { bookkeeping as fixture } from '../../helpers/vbench-bookkeeping.ts';

test('kthLargest agrees with a full sort, runs of equal values included', () => {
  const cases = [[5, 1, 4, 1, 5, 9, 2, 6], [3, 3, 3, 3, 3], [0, 0, 0, 1, 0, 0, 2], Array.from({ length: 101 }, (_, i) => (i * 37) % 11)];
  for (const values of cases) {
    const sorted = [...values].sort((a, b) => b - a);
    for (let k = 1; k <= values.length; k++) assert.is(kthLargest(Float32Array.from(values), k), sorted[k - 1], `k=${k} of ${values}`);
  }
  assert.throws(() => kthLargest(Float32Array.of(1, 2), 3), /rank 3 is outside 1..2/);
});

function field(width: number, height: number, magnitudes: number[]): FlowField {
  // magnitude m as (0.6 m, 0.8 m)
  return { width, height, u: Float32Array.from(magnitudes, (m) => 0.6 * m), v: Float32Array.from(magnitudes, (m) => 0.8 * m) };
}

test('top 5 % of a 10 x 10 field: int(100 * 0.05) = 5 largest magnitudes 100, 99, 98, 97, 96 -> 98', () => {
  const mags = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.ok(Math.abs(topFractionMeanMagnitude(field(10, 10, mags), 0.05) - 98) < 1e-4);
  // 2 %: int(2) = 2 largest -> 99.5
  assert.ok(Math.abs(topFractionMeanMagnitude(field(10, 10, mags), 0.02) - 99.5) < 1e-4);
});

test('ties at the cut are counted once each: magnitudes 5, 5, 5, 1 ... with k = 2 -> 5', () => {
  const mags = [5, 5, 5, ...new Array(37).fill(1)];
  assert.ok(Math.abs(topFractionMeanMagnitude(field(8, 5, mags), 0.05) - 5) < 1e-5);
});

test("a field under 1 / fraction pixels gives NaN, as NumPy's mean of an empty slice", () => {
  // 4 x 4 = 16 pixels, int(16 * 0.05) = 0
  assert.ok(Number.isNaN(topFractionMeanMagnitude(field(4, 4, new Array(16).fill(3)), 0.05)));
  assert.throws(() => topFractionMeanMagnitude(field(4, 4, new Array(16).fill(3)), 0), /fraction 0/);
});

test('the cut int(h * w * fraction) agrees with Python, including sizes where the float product matters', () => {
  for (const c of fixture.cut) assert.is(topCount(c.height * c.width, c.fraction), c.k, `${c.height}x${c.width} at ${c.fraction}`);
});

test.run();
