import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { DEFAULT_PYRAMID, flowSchedule, pyramidSchedule, stageWindows, type PyramidConfig } from '../../../src/models/contract/schedule.ts';

// Golden values: scripts/reference/pyramid_schedule.py restates Pyramid-Flow's scheduler (float32 global sigmas)
const golden = JSON.parse(readFileSync(new URL('../../fixtures/pyramid-schedule.json', import.meta.url), 'utf8'));

const cases: Record<string, { cfg: PyramidConfig; steps: number[] }> = {
  default: { cfg: DEFAULT_PYRAMID, steps: [4, 3, 2] },
  shift3: { cfg: { ...DEFAULT_PYRAMID, shift: 3 }, steps: [4, 3, 2] },
  'two-stages-gamma-quarter': { cfg: { stages: 2, stageRange: [0, 0.5, 1], gamma: 0.25, shift: 1, trainTimesteps: 1000 }, steps: [5, 2] },
};

for (const [name, { cfg, steps }] of Object.entries(cases)) {
  test(`stage windows, timesteps and ratios match Pyramid-Flow's scheduler (${name}; sigma 1e-6, timestep 1e-3)`, () => {
    const ours = pyramidSchedule(cfg, steps);
    const ref = golden[name];
    assert.is(ours.length, ref.length);
    ours.forEach((s, k) => {
      assert.ok(Math.abs(s.startSigma - ref[k].start) < 1e-6, `stage ${k} start ${s.startSigma} vs ${ref[k].start}`);
      assert.ok(Math.abs(s.endSigma - ref[k].end) < 1e-6, `stage ${k} end ${s.endSigma} vs ${ref[k].end}`);
      assert.ok(Math.abs(s.rawStartSigma - ref[k].rawStart) < 1e-6, `stage ${k} raw start`);
      assert.is(s.timesteps.length, ref[k].timesteps.length);
      s.timesteps.forEach((t, i) =>
        assert.ok(Math.abs(t - ref[k].timesteps[i]) < 1e-3, `stage ${k} timestep ${i}: ${t} vs ${ref[k].timesteps[i]}`),
      );
      s.ratios.forEach((r, i) => assert.ok(Math.abs(r - ref[k].ratios[i]) < 1e-12, `stage ${k} ratio ${i}`));
    });
  });
}

test("the default windows are the spec's: 1 -> 0.667, 0.8 -> 0.334, 0.5007 -> 0", () => {
  const w = stageWindows(DEFAULT_PYRAMID);
  assert.equal(
    w.map((s) => s.level),
    [2, 1, 0],
  );
  assert.ok(Math.abs(w[1].startSigma - 0.80024) < 1e-5);
  assert.ok(Math.abs(w[2].startSigma - 0.50075) < 1e-5);
  // with gamma 1/3 the correction is c / (2 - c)
  const c = 1 - w[1].rawStartSigma;
  assert.ok(Math.abs(1 - w[1].startSigma - c / (2 - c)) < 1e-12);
});

test('flowSchedule: linspace(1, 1/T, n) then 0, timesteps 1000 * sigma', () => {
  const s = flowSchedule(3);
  assert.equal(s.ratios, [1, 0.5005, 0.001, 0]);
  assert.equal(
    s.timesteps.map((t) => Math.round(t * 1e6) / 1e6),
    [1000, 500.5, 1],
  );
});

test('bad configurations are refused with the field, the value and what is allowed', () => {
  assert.throws(() => stageWindows({ ...DEFAULT_PYRAMID, gamma: 0.5 }), /gamma is 0.5; allowed: 0 < gamma <= 1\/3/);
  assert.throws(() => stageWindows({ ...DEFAULT_PYRAMID, stageRange: [0, 0.5, 1] }), /stageRange has 3 values; allowed: stages \+ 1 = 4/);
  assert.throws(() => stageWindows({ ...DEFAULT_PYRAMID, stageRange: [0, 0.7, 0.6, 1] }), /strictly increasing/);
  assert.throws(() => pyramidSchedule(DEFAULT_PYRAMID, [1, 2]), /has 2 entries; the model has 3 stages/);
  assert.throws(() => pyramidSchedule(DEFAULT_PYRAMID, [1, 0, 2]), /steps for stage 1 is 0/);
});

test.run();
