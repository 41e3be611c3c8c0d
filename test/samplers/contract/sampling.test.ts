/**
 * The sampler contract, written against the registry alone: every sampler's planned calls (`plan`) sum to the
 * cost it records when it runs on the analytic backend, and `settingsFromSteps` gives what `sample --steps`
 * gave before the contract had it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhiloxNoise } from '../../../src/core/philox.ts';
import { analyticModelSet } from '../../../src/models/analytic/backend.ts';
import { analyticPreset } from '../../../src/models/analytic/presets.ts';
import { samplers } from '../../../src/samplers/index.ts';
import { totalPlannedCost } from '../../../src/samplers/contract/plan-cost.ts';
import {
  defaultGuidance,
  NO_GUIDANCE,
  OFFICIAL_GUIDANCE,
  resolveGuidance,
  type GuidanceSettings,
  type SampleItem,
} from '../../../src/samplers/contract/sampling.ts';
import { rejects } from '../../helpers/assert.ts';
import type { ModelSet } from '../../../src/models/contract/velocity-model.ts';

const video = analyticModelSet(analyticPreset('tiny-video'));
const classItems = (n: number): SampleItem[] =>
  Array.from({ length: n }, (_, index) => ({ index, condition: { kind: 'class', label: index % 2 } }));

/** Runs `name` with `raw` settings and checks the recorded cost against the planned one, in total and per stage. */
async function assertPlanMatches(
  name: string,
  models: ModelSet,
  raw: Record<string, unknown>,
  frames: number,
  guidance: GuidanceSettings,
): Promise<void> {
  const sampler = samplers.get(name);
  const settings = sampler.parseSettings(raw, models);
  const calls = sampler.plan(models, settings, frames, guidance);
  const planned = totalPlannedCost(calls);
  const result = await sampler.sample(models, { items: classItems(3), frames, guidance, settings }, new PhiloxNoise(4));
  const at = `${name} ${JSON.stringify(raw)}, ${frames} frame(s), guidance ${guidance.firstFrame}/${guidance.video}`;
  assert.is(result.cost.calls, calls.length, `${at}: calls`);
  assert.is(result.cost.nfe, planned.nfe, `${at}: NFE`);
  assert.is(result.cost.tokensPerSample, planned.tokensPerSample, `${at}: tokens`);
  assert.ok(
    planned.flopsPerSample !== null && Math.abs(result.cost.flopsPerSample! - planned.flopsPerSample) <= 1e-9 * planned.flopsPerSample,
    `${at}: FLOPs ${result.cost.flopsPerSample} vs ${planned.flopsPerSample}`,
  );
  const stages = [...new Set(calls.map((c) => c.stage))].sort((a, b) => a - b);
  assert.equal(
    result.cost.stages.map((s) => [s.stage, s.calls, s.nfe]),
    stages.map((s) => [s, calls.filter((c) => c.stage === s).length, totalPlannedCost(calls.filter((c) => c.stage === s)).nfe]),
    `${at}: per stage`,
  );
}

test('every sampler: the planned calls sum to the recorded cost (calls, NFE, tokens, FLOPs, per stage), with and without guidance', async () => {
  for (const name of samplers.names()) {
    const sampler = samplers.get(name);
    const raw = sampler.settingsFromSteps([3, 2, 2], {});
    for (const guidance of [
      { firstFrame: 1, video: 1 },
      { firstFrame: 3, video: 2 },
      { firstFrame: 3, video: 1 },
    ]) {
      for (const frames of [1, 3]) await assertPlanMatches(name, video, raw, frames, guidance);
    }
  }
});

test('the plan follows the settings: pyramid later-unit steps and joint units, full-resolution units and matching', async () => {
  const guidance = { firstFrame: 3, video: 2 };
  await assertPlanMatches('pyramid', video, { stepsPerStage: [4, 3, 2], videoStepsPerStage: [2, 1, 1], framesPerUnit: 2 }, 3, guidance);
  await assertPlanMatches('pyramid', video, { stepsPerStage: [2, 2, 2], temporal: 'joint' }, 3, guidance);
  await assertPlanMatches('full', video, { steps: 5, videoSteps: 3, temporal: 'autoregressive' }, 3, guidance);
  await assertPlanMatches(
    'full',
    video,
    { match: 'steps', temporal: 'autoregressive', pyramid: { stepsPerStage: [3, 2, 2], videoStepsPerStage: [2, 2, 1] } },
    3,
    guidance,
  );
  await assertPlanMatches('full', video, { match: 'compute', pyramid: { stepsPerStage: [6, 6, 6] } }, 3, guidance);
  await assertPlanMatches('cascade', video, { stepsPerStage: [4, 1, 2] }, 2, guidance);
});

test("compute matching: the full-resolution plan's compute is the closest to the pyramid sampler's planned compute", () => {
  const full = samplers.get('full');
  const pyramid = samplers.get('pyramid');
  const guidance = { firstFrame: 3, video: 2 };
  const target = totalPlannedCost(pyramid.plan(video, pyramid.parseSettings({ stepsPerStage: [6, 6, 6] }, video), 3, guidance))
    .flopsPerSample!;
  const matched = totalPlannedCost(
    full.plan(video, full.parseSettings({ match: 'compute', pyramid: { stepsPerStage: [6, 6, 6] } }, video), 3, guidance),
  ).flopsPerSample!;
  const steps = (n: number) => totalPlannedCost(full.plan(video, full.parseSettings({ steps: n }, video), 3, guidance)).flopsPerSample!;
  const perStep = steps(2) - steps(1);
  assert.ok(Math.abs(matched - target) <= perStep / 2, `matched ${matched} vs pyramid ${target} (one step ${perStep})`);
});

test('settingsFromSteps: pyramid steps for every unit unless later units are given, full resolution the sum, cascade per stage', () => {
  assert.equal(samplers.get('pyramid').settingsFromSteps([5, 4, 3], { framesPerUnit: 2 }), {
    framesPerUnit: 2,
    stepsPerStage: [5, 4, 3],
    videoStepsPerStage: [5, 4, 3],
  });
  assert.equal(samplers.get('pyramid').settingsFromSteps([5, 4, 3], { videoStepsPerStage: [1, 1, 1] }), {
    videoStepsPerStage: [1, 1, 1],
    stepsPerStage: [5, 4, 3],
  });
  assert.equal(samplers.get('full').settingsFromSteps([5, 4, 3], { temporal: 'autoregressive' }), {
    temporal: 'autoregressive',
    steps: 12,
  });
  assert.equal(samplers.get('cascade').settingsFromSteps([5, 4, 3], {}), { stepsPerStage: [5, 4, 3] });
});

test("resolveGuidance follows Pyramid-Flow's generate(): first-frame scale 0 turns guidance off for every frame (1 here), else as given", () => {
  assert.equal(resolveGuidance({ firstFrame: 0, video: 0 }, 'g'), NO_GUIDANCE);
  assert.equal(resolveGuidance({ firstFrame: 0, video: 1 }, 'g'), NO_GUIDANCE);
  // guidance on (first-frame scale > 0): every frame uses the formula, so video 0 is the unconditional prediction
  assert.equal(resolveGuidance({ firstFrame: 7, video: 0 }, 'g'), { firstFrame: 7, video: 0 });
  assert.equal(resolveGuidance({ firstFrame: 1, video: 5 }, 'g'), { firstFrame: 1, video: 5 });
  assert.throws(
    () => resolveGuidance({ firstFrame: 0, video: 5 }, 'suite.guidance'),
    /^suite\.guidance\.video is 5 with firstFrame 0; Pyramid-Flow's generate\(\) turns guidance off for every frame .* allowed: video 0 or 1 with firstFrame 0, or a firstFrame above 0$/,
  );
  assert.throws(
    () => resolveGuidance({ firstFrame: -1, video: 5 }, 'g'),
    /g\.firstFrame is -1; allowed: a finite number >= 0 .*0 = guidance off/,
  );
  assert.throws(() => resolveGuidance({ firstFrame: 7, video: Number.NaN }, 'g'), /g\.video is NaN; allowed/);
});

test('a first-frame scale of 0 reaching a sampler is refused, naming resolveGuidance', async () => {
  const pyramid = samplers.get('pyramid');
  const settings = pyramid.parseSettings({ stepsPerStage: [1, 1, 1] }, video);
  await rejects(
    () => pyramid.sample(video, { items: classItems(1), frames: 1, guidance: { firstFrame: 0, video: 0 }, settings }, new PhiloxNoise(0)),
    /pyramid: guidance\.firstFrame is 0; the samplers take guidance off as 1 \(resolveGuidance maps Pyramid-Flow's scale 0 to it\)/,
  );
});

test("defaultGuidance: the package's, else the official 7 / 5 for a text-conditional set with the official defaults on, else none", () => {
  const spec = video.pyramid!.spec;
  const textSet = (guidanceDefaults?: GuidanceSettings): ModelSet => ({
    id: 'text-set',
    pyramid: { id: 'p', hash: 'h', spec: { ...spec, conditioning: { kind: 'text', tokens: 1, dim: 1 } }, predict: video.pyramid!.predict },
    guidanceDefaults,
    device: video.device,
    close: async () => undefined,
  });
  assert.equal(defaultGuidance(textSet(), true), { guidance: OFFICIAL_GUIDANCE, source: 'official' });
  assert.equal(OFFICIAL_GUIDANCE, { firstFrame: 7, video: 5 });
  assert.equal(defaultGuidance(textSet(), false), { guidance: NO_GUIDANCE, source: 'none' });
  assert.equal(defaultGuidance(textSet({ firstFrame: 2, video: 1.5 }), true), {
    guidance: { firstFrame: 2, video: 1.5 },
    source: 'package',
  });
  // class-conditional sets never get the text-to-video default
  assert.equal(defaultGuidance(video, true), { guidance: NO_GUIDANCE, source: 'none' });
});

test.run();
