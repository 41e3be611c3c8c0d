import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shapesVideo } from '../../src/data/shapes.ts';
import { PhiloxNoise } from '../../src/core/philox.ts';
import { checkMotionFrames, fitAxis, measureMotion, movesAsData, trackShape } from '../../src/metrics/shapes-tracker.ts';

const SHAPE = [3, 9, 32, 32] as const;
const config = { frames: 9, height: 32, width: 32 };

/** A red disk of radius 6 on a flat grey (0.3) background along `path` (centres, px), 4x4 supersampled, in [-1, 1]. */
function diskClip(path: readonly (readonly [number, number])[]): Float32Array {
  const [C, T, H, W] = [3, path.length, 32, 32];
  const colour = [0.95, 0.25, 0.2];
  const out = new Float32Array(C * T * H * W);
  for (let t = 0; t < T; t++) {
    const [cy, cx] = path[t];
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let cover = 0;
        for (let sy = 0; sy < 4; sy++)
          for (let sx = 0; sx < 4; sx++) if ((y + (sy + 0.5) / 4 - cy) ** 2 + (x + (sx + 0.5) / 4 - cx) ** 2 <= 36) cover++;
        const a = cover / 16;
        for (let c = 0; c < C; c++) out[((c * T + t) * H + y) * W + x] = 2 * (a * colour[c] + (1 - a) * 0.3) - 1;
      }
    }
  }
  return out;
}

const straightPath = (y0: number, x0: number, vy: number, vx: number) =>
  Array.from({ length: 9 }, (_, t) => [y0 + vy * t, x0 + vx * t] as const);

test('on data clips the centroid is within 0.5 px of meta.track (measured on 120 clips: mean 0.088 px, max 0.333 px)', () => {
  const errors: number[] = [];
  for (let i = 0; i < 120; i++) {
    const { values, meta } = shapesVideo(3, i, config);
    const track = trackShape(values, SHAPE);
    for (let t = 0; t < 9; t++) errors.push(Math.hypot(track.cy[t] - meta.track[t][0], track.cx[t] - meta.track[t][1]));
  }
  const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
  const max = Math.max(...errors);
  console.log(`  tracker vs meta.track on 120 data clips (seed 3, 1080 frames): mean ${mean.toFixed(3)} px, max ${max.toFixed(3)} px`);
  assert.ok(max < 0.5, `max centroid error ${max}`);
  assert.ok(mean < 0.15, `mean centroid error ${mean}`);
});

test('fitAxis: a straight line and a wall reflection are fitted exactly; a turn away from the walls is not a reflection', () => {
  const line = Array.from({ length: 9 }, (_, t) => 10 + 1.25 * t);
  const l = fitAxis(line, 32);
  assert.is(l.kind, 'straight');
  assert.ok(Math.abs(l.velocity - 1.25) < 1e-12 && l.sse < 1e-20);
  // reflects off the far wall at 32 - 6.5 = 25.5 (radius 6), between frames 5 and 6
  const hi = 25.5;
  const reflected = Array.from({ length: 9 }, (_, t) => hi - Math.abs(hi - (19.3 + 1.2 * t)));
  const r = fitAxis(reflected, 32);
  assert.is(r.kind, 'reflected');
  assert.ok(Math.abs(r.apex! - hi) < 1e-9, `apex ${r.apex}`);
  assert.ok(Math.abs(r.apexTime! - (hi - 19.3) / 1.2) < 1e-9, `apex time ${r.apexTime}`);
  assert.ok(Math.abs(r.velocity - 1.2) < 1e-9 && r.sse < 1e-18);
  // the same V with its apex in the middle of the frame (16 px from both walls) is not the data's motion
  const middle = reflected.map((p) => p - 9.5);
  const m = fitAxis(middle, 32);
  assert.is(m.kind, 'straight');
  assert.ok(m.sse > 1, `sse ${m.sse}`);
});

test('data clips move as the data do: pass rate on 300 held-out clips (seed 1) is 0.97 or more (measured 295 of 300, 0.983)', () => {
  let pass = 0;
  for (let i = 0; i < 300; i++) if (movesAsData(measureMotion(shapesVideo(1, i, config).values, SHAPE))) pass++;
  console.log(`  data pass rate (seed 1, 300 clips of 9x32x32): ${pass}/300 = ${(pass / 300).toFixed(3)}`);
  assert.ok(pass / 300 >= 0.97, `${pass}/300`);
});

test('not as the data: frames shuffled in time, a shape that teleports, a clip without a shape', () => {
  // synthetic controls pass: a straight path and one reflecting off the right wall (x = 32 - 6.5)
  const straight = straightPath(10, 8, 0.6, 1.1);
  assert.ok(movesAsData(measureMotion(diskClip(straight), SHAPE)), 'straight synthetic disk');
  const bouncing = Array.from({ length: 9 }, (_, t) => [20 - 0.7 * t, 25.5 - Math.abs(25.5 - (19 + 1.3 * t))] as const);
  assert.ok(movesAsData(measureMotion(diskClip(bouncing), SHAPE)), 'bouncing synthetic disk');
  // (a) frames shuffled in time: every one of 30 data clips fails
  const plane = 32 * 32;
  let shuffledPass = 0;
  for (let i = 0; i < 30; i++) {
    const { values } = shapesVideo(2, i, config);
    const u = new PhiloxNoise(5).uniform(i, 'shuffle', 9);
    const order = [...Array(9).keys()].sort((a, b) => u[a] - u[b]);
    const shuffled = new Float32Array(values.length);
    for (let c = 0; c < 3; c++)
      order.forEach((from, t) => shuffled.set(values.subarray((c * 9 + from) * plane, (c * 9 + from + 1) * plane), (c * 9 + t) * plane));
    if (movesAsData(measureMotion(shuffled, SHAPE))) shuffledPass++;
  }
  assert.is(shuffledPass, 0, `${shuffledPass} of 30 shuffled clips pass`);
  // (b) the straight path, but the shape jumps 5 px sideways from frame 5 on
  const teleport = straight.map(([y, x], t) => [y, t >= 5 ? x + 5 : x] as const);
  const jumped = measureMotion(diskClip(teleport), SHAPE);
  assert.not.ok(movesAsData(jumped), JSON.stringify(jumped));
  assert.ok(jumped.residual > 0.5, `residual ${jumped.residual}`);
  // (c) the background alone
  const empty = measureMotion(
    diskClip(straight).map(() => 2 * 0.3 - 1),
    SHAPE,
  );
  assert.is(empty.framesFound, 0);
  assert.not.ok(movesAsData(empty));
  // and a shape that stands still
  assert.not.ok(movesAsData(measureMotion(diskClip(straightPath(16, 16, 0, 0)), SHAPE)));
});

test('clips the motion model cannot judge are refused', () => {
  assert.throws(() => checkMotionFrames(3, 'w'), /w: clips of 3 frames.*4 to 9/);
  assert.throws(() => checkMotionFrames(16, 'w'), /16 frames/);
  assert.throws(() => trackShape(new Float32Array(10), SHAPE), /10 values/);
});

test.run();
