import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhiloxNoise } from '../../src/core/philox.ts';
import {
  CLIP_DISTURBANCES,
  DISTURBANCES,
  disturbClip,
  FRAME_DISTURBANCES,
  frozenOrder,
  gaussianKernel,
  jitterOrder,
  reflectIndex,
  shuffleOrder,
} from '../../src/data/disturbances.ts';
import { shapesVideo } from '../../src/data/shapes.ts';

const shape = { frames: 9, height: 32, width: 32 };
const clip = shapesVideo(5, 3, shape).values;
const noise = new PhiloxNoise(11);
const plane = shape.height * shape.width;
const at = (v: Float32Array, c: number, t: number, p: number) => v[(c * shape.frames + t) * plane + p];

test('every disturbance: level 0 is an unchanged copy, the same (seed, index, level) the same bytes, levels 1-4 differ from the clip', () => {
  for (const name of [...FRAME_DISTURBANCES, ...CLIP_DISTURBANCES]) {
    const d = DISTURBANCES[name];
    assert.is(d.levels.length, 5, name);
    assert.is(d.levels[0], 0, name);
    assert.ok(
      d.levels.every((p, i) => i === 0 || p > d.levels[i - 1]),
      `${name}: levels rise`,
    );
    const zero = disturbClip(clip, shape, name, 0, noise, 3);
    assert.is.not(zero, clip);
    assert.equal(zero, clip);
    for (let level = 1; level < 5; level++) {
      const a = disturbClip(clip, shape, name, level, noise, 3);
      assert.equal(a, disturbClip(clip, shape, name, level, new PhiloxNoise(11), 3), `${name} ${level}: reproducible`);
      assert.not.equal(a, clip, `${name} ${level}: changed`);
      assert.ok(
        a.every((v) => v >= -1 && v <= 1),
        `${name} ${level}: in [-1, 1]`,
      );
    }
    // the draws follow the clip index (frozen frames draws nothing)
    if (name !== 'frozen-frames' && name !== 'gaussian-blur')
      assert.not.equal(disturbClip(clip, shape, name, 2, noise, 3), disturbClip(clip, shape, name, 2, noise, 4), name);
  }
});

test("Gaussian blur matches scipy.ndimage.gaussian_filter (mode 'reflect', truncate 4), kernels wider than the frame included", () => {
  // x[i, j] = ((7 i + 3 j) mod 11) / 5.5 - 1 as float32, 5 x 7; scipy 1.17.1 gaussian_filter(x, s, mode='reflect', truncate=4.0)
  const H = 5;
  const W = 7;
  const x = Float32Array.from({ length: H * W }, (_, k) => ((7 * Math.floor(k / W) + 3 * (k % W)) % 11) / 5.5 - 1);
  const want: Record<number, number[]> = {
    0.5: [
      -0.8055979250573508, -0.34121514902059347, 0.03569080919648637, 0.3678285671579205, -0.5143982179006259, -0.32709062037344266,
      0.13682103828777084, 0.11765811453040737, 0.4368274858671047, -0.2780250674254306, -0.09068589589989462, 0.09593558869665769,
      -0.6189728793349156, -0.29938883113142795, -0.20598028771041632, 0.09058160389045353, 0.27783302629798284, -0.4596512103631255,
      -0.27225600113684034, 0.08240151615133774, 0.546369336163631, 0.49509150664991974, -0.27760983108188503, -0.09113228633994361,
      0.09620689863500771, -0.6185580607231793, -0.26390055688358144, 0.05490991057339711, 0.20356802859157852, 0.3327239595784587,
      -0.5496467537176063, -0.21750899393086756, 0.15906961415257212, 0.4915347197539406, -0.42579681147225074,
    ],
    2: [
      -0.11596377889907589, -0.10726139101254582, -0.10193205452919388, -0.1076500074555127, -0.11770320339353388, -0.12152384517884075,
      -0.11955566447824106, -0.08104621883148999, -0.08155762150290836, -0.08775833069036951, -0.10001842705239433, -0.10990333506648883,
      -0.11033448992024461, -0.10577478457464297, -0.03116803594595906, -0.04513419520364231, -0.06774637236243103, -0.08872246515018543,
      -0.09785152992554079, -0.09367373305896567, -0.08597314292568434, 0.01114764981257683, -0.01459151492245364, -0.05099781808447072,
      -0.07851558193337088, -0.08641689470811043, -0.07885510635891056, -0.06942762830826851, 0.03380525420739584, 0.00158019757744821,
      -0.0421104428599833, -0.07263988727344389, -0.07959648389557776, -0.07061555415020061, -0.06087721727348986,
    ],
  };
  const small = { frames: 1, height: H, width: W };
  const three = new Float32Array(3 * H * W);
  for (let c = 0; c < 3; c++) three.set(x, c * H * W);
  for (const [level, sigma] of [
    [1, 0.5],
    [3, 2],
  ]) {
    assert.is(DISTURBANCES['gaussian-blur'].levels[level], sigma);
    const got = disturbClip(three, small, 'gaussian-blur', level, noise, 0);
    for (let c = 0; c < 3; c++)
      want[sigma].forEach((w, k) =>
        assert.ok(Math.abs(got[c * H * W + k] - w) < 1e-6, `sigma ${sigma} channel ${c} pixel ${k}: ${got[c * H * W + k]} vs ${w}`),
      );
  }
  assert.is(gaussianKernel(1).length, 9);
  assert.equal(
    [-1, -2, 5, 7, 12].map((i) => reflectIndex(i, 5)),
    [0, 1, 4, 2, 2],
  );
});

test('Gaussian noise has the level as its standard deviation; salt-and-pepper hits the level as a fraction of pixels, nested', () => {
  const grey = new Float32Array(clip.length);
  for (let level = 1; level <= 3; level++) {
    const sigma = DISTURBANCES['gaussian-noise'].levels[level];
    const d = disturbClip(grey, shape, 'gaussian-noise', level, noise, 0);
    const sd = Math.sqrt(d.reduce((a, v) => a + v * v, 0) / d.length);
    assert.ok(Math.abs(sd - sigma) < 0.03 * sigma, `sigma ${sigma}: measured ${sd}`);
  }
  let previous = new Set<number>();
  for (let level = 1; level < 5; level++) {
    const fraction = DISTURBANCES['salt-and-pepper'].levels[level];
    const d = disturbClip(grey, shape, 'salt-and-pepper', level, noise, 0);
    const hit = new Set<number>();
    for (let t = 0; t < shape.frames; t++)
      for (let p = 0; p < plane; p++) {
        const v = at(d, 0, t, p);
        if (v !== 0) {
          hit.add(t * plane + p);
          assert.ok((v === 1 || v === -1) && at(d, 1, t, p) === v && at(d, 2, t, p) === v);
        }
      }
    const n = shape.frames * plane;
    const measured = hit.size / n;
    // within 4 binomial standard deviations
    assert.ok(Math.abs(measured - fraction) < 4 * Math.sqrt((fraction * (1 - fraction)) / n), `fraction ${fraction}: measured ${measured}`);
    assert.ok(
      [...previous].every((k) => hit.has(k)),
      `level ${level} keeps level ${level - 1}'s pixels`,
    );
    previous = hit;
  }
});

test('occlusion paints k rectangles of 0.3 x the side, the same on every frame, level k adding one to level k - 1', () => {
  const grey = new Float32Array(clip.length);
  let previous = 0;
  for (let level = 1; level < 5; level++) {
    const d = disturbClip(grey, shape, 'occlusion', level, noise, 7);
    for (let t = 1; t < shape.frames; t++)
      for (let c = 0; c < 3; c++)
        for (let p = 0; p < plane; p++) assert.is(at(d, c, t, p), at(d, c, 0, p), `frame ${t} channel ${c} pixel ${p}`);
    let painted = 0;
    for (let p = 0; p < plane; p++) if (at(d, 0, 0, p) !== 0 || at(d, 1, 0, p) !== 0) painted++;
    if (level === 1) assert.is(painted, 10 * 10);
    assert.ok(painted >= previous && painted <= 100 * level, `level ${level}: ${painted} pixels`);
    previous = painted;
  }
});

test('clip disturbances: a shuffle moves exactly k frames, a freeze holds the last n, a jitter stays within j frames', () => {
  const T = 9;
  for (const [fraction, k] of [
    [0.25, 2],
    [0.5, 5],
    [0.75, 7],
    [1, 9],
  ]) {
    const order = shuffleOrder(T, fraction, noise, 2);
    assert.equal([...order].sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8], 'a permutation');
    assert.is(order.filter((o, t) => o !== t).length, k, `fraction ${fraction}`);
  }
  assert.equal(frozenOrder(T, 0.25), [0, 1, 2, 3, 4, 5, 6, 6, 6]);
  assert.equal(frozenOrder(T, 1), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
  for (const j of [1, 2, 3, 4]) {
    const order = jitterOrder(T, j, noise, 5);
    order.forEach((o, t) => assert.ok(o >= 0 && o < T && Math.abs(o - t) <= j, `j ${j}: frame ${t} shows ${o}`));
  }
  // the frames really move: a clip whose frame t holds the value t / 10 shows the order's frames
  const ramp = new Float32Array(3 * T * plane);
  for (let c = 0; c < 3; c++) for (let t = 0; t < T; t++) ramp.fill(t / 10, (c * T + t) * plane, (c * T + t + 1) * plane);
  const frozen = disturbClip(ramp, shape, 'frozen-frames', 2, noise, 0);
  assert.equal(
    Array.from({ length: T }, (_, t) => Math.round(at(frozen, 1, t, 17) * 10)),
    frozenOrder(T, 0.5),
  );
  const shuffled = disturbClip(ramp, shape, 'frame-shuffle', 4, noise, 8);
  assert.equal(
    Array.from({ length: T }, (_, t) => Math.round(at(shuffled, 2, t, 0) * 10)),
    shuffleOrder(T, 1, noise, 8),
  );
});

test('bad levels, shapes and clips too short for the clip disturbances are refused, naming what is allowed', () => {
  assert.throws(() => disturbClip(clip, shape, 'gaussian-noise', 5, noise, 0), /gaussian-noise level 5; allowed: an integer from 0 to 4/);
  assert.throws(() => disturbClip(clip, { ...shape, frames: 8 }, 'occlusion', 1, noise, 0), /is not \[3, 8, 32, 32\]/);
  const short = { frames: 4, height: 8, width: 8 };
  assert.throws(() => disturbClip(new Float32Array(3 * 4 * 64), short, 'temporal-jitter', 1, noise, 0), /at least 5 frames/);
  assert.throws(
    () => disturbClip(clip, shape, 'swirl' as 'occlusion', 1, noise, 0),
    /Unknown disturbance 'swirl'. Available: gaussian-noise/,
  );
});

test.run();
