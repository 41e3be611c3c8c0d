import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ClgFlowEstimator, DEFAULT_CLG } from '../../../src/vbench/flow/clg-flow.ts';
import { topFractionMeanMagnitude } from '../../../src/vbench/flow/flow-field.ts';
import { endPointError, renderFrame, rotationPair, texture, translationPair } from '../../../src/data/synthetic-motion.ts';

// End-point error bounds (pixels), over pixels at least 10 px from every border, measured on textures of
// wavelengths 7-40 px quantised to uint8: at the defaults the translations below give mean EPE about 0.011
// and the rotations 0.015 (1 degree) to 0.06 (5 degrees).
const TRANSLATION_MEAN_EPE = 0.03;
const TRANSLATION_MAX_EPE = 0.3;
const ROTATION_MEAN_EPE = { 1: 0.03, 3: 0.06, 5: 0.1 } as const;
const estimator = new ClgFlowEstimator();

for (const [size, shifts] of [
  [
    128,
    [
      [0.3, -0.2],
      [2.5, 1.25],
      [-4.7, 3.1],
    ],
  ],
  [
    256,
    [
      [2.5, 1.25],
      [-4.7, 3.1],
      [6, -6],
      [9.3, 4.4],
    ],
  ],
] as const) {
  test(`translations at ${size}x${size}: mean EPE < ${TRANSLATION_MEAN_EPE} px, max < ${TRANSLATION_MAX_EPE} px`, async () => {
    for (const [dx, dy] of shifts) {
      const [a, b] = translationPair(1, size, size, dx, dy);
      const f = await estimator.estimate(a, b, size, size);
      const e = endPointError(f.u, f.v, size, size, () => [dx, dy], 10);
      assert.ok(
        e.mean < TRANSLATION_MEAN_EPE && e.max < TRANSLATION_MAX_EPE,
        `(${dx}, ${dy}): mean ${e.mean.toFixed(4)}, max ${e.max.toFixed(3)}`,
      );
    }
  });
}

test('rotations about the centre at 128x128 (flow up to 5.5 px at the corners)', async () => {
  for (const degrees of [1, 3, -5] as const) {
    const r = rotationPair(2, 128, 128, degrees);
    const f = await estimator.estimate(r.frames[0], r.frames[1], 128, 128);
    const e = endPointError(f.u, f.v, 128, 128, r.flow, 10);
    const bound = ROTATION_MEAN_EPE[Math.abs(degrees) as 1 | 3 | 5];
    assert.ok(e.mean < bound, `${degrees} degrees: mean ${e.mean.toFixed(4)} >= ${bound}`);
  }
});

test('identical frames give exactly zero flow (the static filter relies on it)', async () => {
  const [a] = translationPair(3, 64, 48, 0, 0);
  const f = await estimator.estimate(a, a, 64, 48);
  assert.ok(f.u.every((x) => x === 0) && f.v.every((x) => x === 0));
});

test('a textured disk moving (8, -5) px over a static background at 256: EPE inside < 0.25 px, outside < 0.02 px, top-5 % magnitude within 5 %', async () => {
  const size = 256;
  const [dx, dy] = [8, -5];
  const bg = texture(5);
  const fg = texture(6);
  const R = 0.2 * size;
  const c = size / 2;
  const scene = (ox: number, oy: number) => (x: number, y: number) =>
    Math.hypot(x - c - ox, y - c - oy) <= R ? fg(x - ox, y - oy) : bg(x, y);
  const f = await estimator.estimate(
    renderFrame(scene(0, 0), size, size, (x, y) => [x, y]),
    renderFrame(scene(dx, dy), size, size, (x, y) => [x, y]),
    size,
    size,
  );
  // mean EPE inside the disk (4 px in from its edge) and on the background (4 px beyond the disoccluded ring)
  let inside = 0;
  let nIn = 0;
  let outside = 0;
  let nOut = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - c, y - c);
      const i = y * size + x;
      if (r < R - 4) {
        inside += Math.hypot(f.u[i] - dx, f.v[i] - dy);
        nIn++;
      } else if (r > R + Math.hypot(dx, dy) + 4) {
        outside += Math.hypot(f.u[i], f.v[i]);
        nOut++;
      }
    }
  }
  assert.ok(inside / nIn < 0.25, `disk interior EPE ${inside / nIn}`);
  assert.ok(outside / nOut < 0.02, `background EPE ${outside / nOut}`);
  const top5 = topFractionMeanMagnitude(f, 0.05);
  assert.ok(Math.abs(top5 - Math.hypot(dx, dy)) < 0.05 * Math.hypot(dx, dy), `top-5 % mean ${top5} vs ${Math.hypot(dx, dy)}`);
});

test('settings are validated with the bad value named', () => {
  assert.throws(() => new ClgFlowEstimator({ ...DEFAULT_CLG, omega: 2 }), /omega is 2; allowed: a number in \(0, 2\)/);
  assert.throws(() => new ClgFlowEstimator({ ...DEFAULT_CLG, warps: 0 }), /warps is 0/);
  return estimator.estimate(new Uint8Array(12), new Uint8Array(12), 3, 3).then(
    () => assert.unreachable('expected a size error'),
    (e: Error) => assert.match(e.message, /frames of 12 and 12 bytes; a 3x3 RGB24 frame has 27/),
  );
});

test.run();
