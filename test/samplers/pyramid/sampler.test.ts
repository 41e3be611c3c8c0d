import { test } from 'uvu';
import { cpuDevice } from '../../../src/models/contract/device.ts';
import * as assert from 'uvu/assert';
import { PhiloxNoise } from '../../../src/core/philox.ts';
import { Tensor } from '../../../src/core/tensor.ts';
import { analyticModelSet, type AnalyticModel } from '../../../src/models/analytic/backend.ts';
import { analyticPreset } from '../../../src/models/analytic/presets.ts';
import { plannedPyramidCalls, pyramidSampler, pyramidTimeline, type PyramidSettings } from '../../../src/samplers/pyramid/sampler.ts';
import { fullResolutionSampler } from '../../../src/samplers/full-resolution.ts';
import { totalPlannedCost } from '../../../src/samplers/contract/plan-cost.ts';
import { pyramidTokenShare } from '../../../src/models/contract/cost-model.ts';
import type { ModelSet, VelocityInput, VelocityModel } from '../../../src/models/contract/velocity-model.ts';
import type { SampleItem } from '../../../src/samplers/contract/sampling.ts';
import { assertComponents, distanceToTarget, frameConsistency, mixtureWeights, unconditionalItems } from '../../helpers/analytic.ts';
import { rejects } from '../../helpers/assert.ts';

const NO_CFG = { firstFrame: 1, video: 1 };
const steps = (n: number) => ({ stepsPerStage: [n, n, n], videoStepsPerStage: [n, n, n] });

async function run(models: ModelSet, items: SampleItem[], raw: unknown, seed = 7, guidance = NO_CFG) {
  const settings = pyramidSampler.parseSettings(raw, models);
  return pyramidSampler.sample(models, { items, guidance, settings }, new PhiloxNoise(seed));
}

test('images: with 200 steps per stage the pyramid reproduces the mixture (weights 4 SE, means 4.5 SE, variances ±7 %, FD <= 1.5 x floor)', async () => {
  const preset = analyticPreset('tiny-image');
  const items = unconditionalItems(1000);
  const result = await run(analyticModelSet(preset), items, steps(200));
  assertComponents(result.samples, preset.mixture, mixtureWeights(preset.mixture), 0.07);
  const { fd, floor } = distanceToTarget(result.samples, preset.mixture, items);
  assert.ok(fd <= 1.5 * floor, `FD ${fd.toFixed(4)} vs floor ${floor.toFixed(4)}`);
});

test('images: a jump with independent noise or without the rescale gives a clearly worse distance (>= 2.5 x floor and >= 2 x the correct sampler)', async () => {
  const preset = analyticPreset('tiny-image');
  const models = analyticModelSet(preset);
  const items = unconditionalItems(2000);
  const correct = distanceToTarget((await run(models, items, steps(20))).samples, preset.mixture, items);
  assert.ok(correct.fd <= 1.5 * correct.floor, `correct sampler: FD ${correct.fd} vs floor ${correct.floor}`);
  for (const jump of [{ noise: 'independent' }, { rescale: 'none' }, { noise: 'none' }]) {
    const wrong = distanceToTarget((await run(models, items, { ...steps(20), jump })).samples, preset.mixture, items);
    assert.ok(
      wrong.fd >= 2.5 * wrong.floor && wrong.fd >= 2 * correct.fd,
      `${JSON.stringify(jump)}: FD ${wrong.fd.toFixed(4)} vs correct ${correct.fd.toFixed(4)}, floor ${wrong.floor.toFixed(4)}`,
    );
  }
});

test('video: the temporal pyramid reproduces the mixture and keeps every frame of a video in one component', async () => {
  const preset = analyticPreset('tiny-video');
  const items = unconditionalItems(1500);
  const result = await run(analyticModelSet(preset), items, steps(50));
  assert.equal(result.samples.shape, [1500, 1, 3, 8, 8]);
  const { fd, floor } = distanceToTarget(result.samples, preset.mixture, items);
  assert.ok(fd <= 1.5 * floor, `FD ${fd.toFixed(4)} vs floor ${floor.toFixed(4)}`);
  assertComponents(result.samples, preset.mixture, mixtureWeights(preset.mixture), 0.12);
  const consistency = frameConsistency(result.samples, preset.mixture);
  assert.ok(consistency >= 0.99, `frame consistency ${consistency}`);
});

test('video: without its history each frame picks its own component (the consistency check can fail)', async () => {
  const preset = analyticPreset('tiny-video');
  const real = analyticModelSet(preset);
  const inner = real.pyramid as AnalyticModel;
  const forgetful: VelocityModel = {
    id: 'no-history',
    hash: inner.hash,
    spec: inner.spec,
    predict: (input: VelocityInput) => inner.predict({ ...input, history: [] }),
  };
  const items = unconditionalItems(400);
  const result = await run({ ...real, pyramid: forgetful }, items, steps(10));
  const consistency = frameConsistency(result.samples, preset.mixture);
  assert.ok(consistency < 0.6, `frame consistency without history ${consistency}`);
});

test('the same seed gives identical bytes for batch sizes 1 and 7 (video, class conditions, guidance)', async () => {
  const models = analyticModelSet(analyticPreset('tiny-video'));
  const items: SampleItem[] = Array.from({ length: 7 }, (_, i) => ({ index: 100 + 3 * i, condition: { kind: 'class', label: i % 2 } }));
  const guidance = { firstFrame: 3, video: 2 };
  const batch = await run(models, items, steps(4), 11, guidance);
  for (let i = 0; i < 7; i++) {
    const single = await run(models, [items[i]], steps(4), 11, guidance);
    assert.equal(Buffer.from(single.samples.data.buffer).equals(Buffer.from(batch.samples.sample(i).slice().buffer)), true, `sample ${i}`);
  }
  const reversed = await run(models, [...items].reverse(), steps(4), 11, guidance);
  assert.equal(Array.from(reversed.samples.sample(0)), Array.from(batch.samples.sample(6)));
});

test("class conditions without guidance give only that class's components, in their relative weights", async () => {
  const preset = analyticPreset('tiny-image');
  const items: SampleItem[] = Array.from({ length: 800 }, (_, index) => ({ index, condition: { kind: 'class', label: 1 } }));
  const result = await run(analyticModelSet(preset), items, steps(100));
  assertComponents(result.samples, preset.mixture, [0, 0, 0.6, 0.4], 0.1);
});

/** A model whose velocity is 1 for unconditional rows and 3 for conditional ones, recording what it was given. */
function probeModel(base: VelocityModel) {
  const calls: { rows: number; kinds: string[]; firstFrame: number }[] = [];
  const model: VelocityModel = {
    id: 'probe',
    hash: 'probe',
    spec: base.spec,
    async predict(input) {
      calls.push({ rows: input.x.batch, kinds: input.conditions.map((c) => c.kind), firstFrame: input.firstFrame });
      const out = new Tensor(input.x.shape);
      const n = input.x.sampleSize;
      input.conditions.forEach((c, r) => out.data.fill(c.kind === 'unconditional' ? 1 : 3, r * n, (r + 1) * n));
      return out;
    },
  };
  return { model, calls };
}

test('guidance: one call over [unconditional, conditional] rows, v = v_u + s (v_c - v_u), first-frame and video scales apart', async () => {
  const base = analyticModelSet(analyticPreset('tiny-video'));
  const { model, calls } = probeModel(base.pyramid!);
  const items: SampleItem[] = [{ index: 0, condition: { kind: 'class', label: 1 } }];
  const settings = pyramidSampler.parseSettings(
    { stepsPerStage: [1, 1, 1], videoStepsPerStage: [1, 1, 1], jump: { noise: 'none', rescale: 'none' } },
    base,
  );
  const result = await pyramidSampler.sample(
    { ...base, pyramid: model },
    { items, guidance: { firstFrame: 7, video: 5 }, settings },
    new PhiloxNoise(0),
  );
  assert.is(calls.length, 9);
  for (const c of calls) assert.equal(c.kinds, ['unconditional', 'class']);
  // one Euler step per stage from r = 1 to 0 adds -v; three stages without rescale or noise: x_end = Up(Up(x0 - v) - v) - v
  const noise = new PhiloxNoise(0).gaussian(0, 'initial', 3 * 64);
  const frame = (t: number) => Array.from({ length: 64 }, (_, p) => noise[t * 64 + p]);
  const expectedFrame = (t: number, v: number) => {
    // 2x2 mean of 4x4 blocks twice, times 2 per level, i.e. the initial noise taken down to 2x2 as noise
    const low = [0, 1, 2, 3].map((b) => {
      const by = b >> 1;
      const bx = b & 1;
      let s = 0;
      for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) s += frame(t)[(4 * by + y) * 8 + 4 * bx + x];
      return (s / 16) * 4;
    });
    return Array.from({ length: 64 }, (_, p) => low[((p >> 3) >> 2) * 2 + ((p & 7) >> 2)] - 3 * v);
  };
  const close = (a: ArrayLike<number>, b: number[]) => b.every((v, i) => Math.abs(a[i] - v) < 1e-4);
  assert.ok(close(result.samples.data.subarray(0, 64), expectedFrame(0, 1 + 7 * 2)), 'first frame uses guidance 7');
  assert.ok(close(result.samples.data.subarray(64, 128), expectedFrame(1, 1 + 5 * 2)), 'later frames use guidance 5');
});

test('cost: recorded calls equal the planned timeline; tokens per step are 0.4375 of full resolution for equal steps', async () => {
  const preset = analyticPreset('tiny-video');
  const models = analyticModelSet(preset);
  const raw = { stepsPerStage: [5, 4, 3], videoStepsPerStage: [2, 2, 2] };
  const settings = pyramidSampler.parseSettings(raw, models) as PyramidSettings;
  const guidance = { firstFrame: 2, video: 1 };
  const result = await pyramidSampler.sample(
    models,
    { items: unconditionalItems(2).map((i) => ({ ...i, condition: { kind: 'class' as const, label: 0 } })), guidance, settings },
    new PhiloxNoise(1),
  );
  const planned = totalPlannedCost(
    plannedPyramidCalls(models.pyramid!.spec, preset.pyramid, pyramidTimeline(preset.pyramid, settings, 3, guidance)),
    preset.cost,
  );
  assert.is(result.cost.nfe, planned.nfe);
  assert.is(result.cost.tokensPerSample, planned.tokensPerSample);
  assert.ok(Math.abs(result.cost.flopsPerSample! - planned.flopsPerSample!) < 1e-6 * planned.flopsPerSample!);
  // first frame guided (2 rows) for 12 steps, two later frames unguided for 6 steps each
  assert.is(result.cost.nfe, 2 * 12 + 6 + 6);
  assert.is(result.cost.calls, 12 + 6 + 6);
  assert.equal(
    result.cost.stages.map((s) => s.calls),
    [5 + 2 + 2, 4 + 2 + 2, 3 + 2 + 2],
  );
  // frame 2 at stage 2: history = frame 0 at stage 1 (16 tokens) + frame 1 at stage 2 (64 tokens)
  const last = result.cost.records[result.cost.records.length - 1];
  assert.equal([last.unit, last.stage, last.tokens, last.historyTokens], [2, 2, 64, 80]);

  assert.is(pyramidTokenShare([20, 20, 20]), 0.4375);
  const image = analyticModelSet(analyticPreset('tiny-image'));
  const items = unconditionalItems(1);
  const pyr = await pyramidSampler.sample(
    image,
    { items, guidance: NO_CFG, settings: pyramidSampler.parseSettings(steps(20), image) },
    new PhiloxNoise(0),
  );
  const full = await fullResolutionSampler.sample(
    image,
    { items, guidance: NO_CFG, settings: fullResolutionSampler.parseSettings({ steps: 60 }, image) },
    new PhiloxNoise(0),
  );
  assert.is(pyr.cost.nfe, full.cost.nfe);
  assert.is(pyr.cost.tokensPerSample / full.cost.tokensPerSample, 0.4375);
});

test('bad settings and plans are refused with the field and what is allowed', async () => {
  const models = analyticModelSet(analyticPreset('tiny-video'));
  assert.throws(() => pyramidSampler.parseSettings({ stepsPerStage: [1, 2] }, models), /pyramid settings.stepsPerStage: .*3 items/);
  assert.throws(() => pyramidSampler.parseSettings({ steps: 3 }, models), /pyramid settings: Unrecognized key/);
  assert.throws(() => pyramidSampler.parseSettings({ jump: { noise: 'pink' } }, models), /pyramid settings.jump.noise: .*"block"/);
  const settings = pyramidSampler.parseSettings({ framesPerUnit: 2 }, models);
  await rejects(
    () => pyramidSampler.sample(models, { items: unconditionalItems(1), guidance: NO_CFG, settings, frames: 2 }, new PhiloxNoise(0)),
    /frames is 2; with framesPerUnit 2 allowed/,
  );
  await rejects(
    () => pyramidSampler.sample(models, { items: unconditionalItems(1), guidance: NO_CFG, settings, frames: 9 }, new PhiloxNoise(0)),
    /frames is 9; model analytic:tiny-video\/pyramid generates 1 to 3 frames/,
  );
  await rejects(
    () =>
      pyramidSampler.sample(
        models,
        { items: [{ index: 0, condition: { kind: 'class', label: 5 } }], guidance: NO_CFG, settings },
        new PhiloxNoise(0),
      ),
    /class label 5 is not allowed; allowed: an integer from 0 to 1/,
  );
  await rejects(
    () => pyramidSampler.sample(models, { items: [], guidance: NO_CFG, settings }, new PhiloxNoise(0)),
    /the plan has no items/,
  );
  assert.throws(
    () => pyramidSampler.parseSettings({}, { id: 'empty', device: cpuDevice('TypeScript'), close: async () => {} }),
    /needs a unified pyramidal model; empty has none/,
  );
});

test.run();
