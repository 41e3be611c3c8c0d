import { test } from 'uvu';
import { cpuDevice } from '../../src/models/contract/device.ts';
import * as assert from 'uvu/assert';
import { PhiloxNoise } from '../../src/core/philox.ts';
import { analyticModelSet } from '../../src/models/analytic/backend.ts';
import { analyticPreset } from '../../src/models/analytic/presets.ts';
import { cascadeSampler } from '../../src/samplers/cascade.ts';
import type { VelocityModel } from '../../src/models/contract/velocity-model.ts';
import { assertComponents, distanceToTarget, frameConsistency, mixtureWeights, unconditionalItems } from '../helpers/analytic.ts';
import { rejects } from '../helpers/assert.ts';

const NO_CFG = { firstFrame: 1, video: 1 };

test('images: base + two super-resolution stages reproduce the mixture (200 steps each; variances ±7 %, FD <= 1.5 x floor)', async () => {
  const preset = analyticPreset('tiny-image');
  const models = analyticModelSet(preset);
  const items = unconditionalItems(1000);
  const result = await cascadeSampler.sample(
    models,
    { items, guidance: NO_CFG, settings: cascadeSampler.parseSettings({ stepsPerStage: [200, 200, 200] }, models) },
    new PhiloxNoise(7),
  );
  assertComponents(result.samples, preset.mixture, mixtureWeights(preset.mixture), 0.07);
  const { fd, floor } = distanceToTarget(result.samples, preset.mixture, items);
  assert.ok(fd <= 1.5 * floor, `FD ${fd} vs floor ${floor}`);
  assert.equal(
    result.cost.stages.map((s) => s.tokensPerSample),
    [200 * 4, 200 * 16, 200 * 64],
  );
});

test('video: FD <= 1.5 x floor and consistent frames', async () => {
  const preset = analyticPreset('tiny-video');
  const models = analyticModelSet(preset);
  const items = unconditionalItems(1000);
  const result = await cascadeSampler.sample(
    models,
    { items, guidance: NO_CFG, settings: cascadeSampler.parseSettings({ stepsPerStage: [60, 60, 60] }, models) },
    new PhiloxNoise(3),
  );
  const { fd, floor } = distanceToTarget(result.samples, preset.mixture, items);
  assert.ok(fd <= 1.5 * floor, `FD ${fd} vs floor ${floor}`);
  assert.ok(frameConsistency(result.samples, preset.mixture) >= 0.99);
});

test('a super-resolution stage that ignores the previous stage loses the low-resolution structure (the conditioning matters)', async () => {
  const preset = analyticPreset('tiny-image');
  const real = analyticModelSet(preset);
  const stages = real.cascade!;
  // replace the last stage by a full-resolution model that never looks at the previous stage
  const unconditioned: VelocityModel = {
    ...stages[2],
    id: 'sr-without-input',
    spec: stages[2].spec,
    predict: (input) => real.full!.predict({ ...input, flow: { kind: 'full' }, previousStage: undefined }),
  };
  const items = unconditionalItems(300);
  // record the base stage's output: it is what the first super-resolution stage is conditioned on
  let baseOutput: Float32Array[] = [];
  const recorder: VelocityModel = {
    ...stages[1],
    id: stages[1].id,
    spec: stages[1].spec,
    predict: (input) => {
      if (input.ratio === 1) baseOutput = items.map((_, i) => input.previousStage!.sample(i).slice());
      return stages[1].predict(input);
    },
  };
  const settings = { stepsPerStage: [20, 20, 20] };
  const good = await cascadeSampler.sample(
    { ...real, cascade: [stages[0], recorder, stages[2]] },
    { items, guidance: NO_CFG, settings },
    new PhiloxNoise(1),
  );
  const bad = await cascadeSampler.sample(
    { ...real, cascade: [stages[0], stages[1], unconditioned] },
    { items, guidance: NO_CFG, settings },
    new PhiloxNoise(1),
  );
  const lowResClass = (low: Float32Array) => {
    // nearest component mean at 2x2
    let best = 0;
    let bestD = Infinity;
    preset.mixture.meansAt(2, 0, 1).means.forEach((m, j) => {
      let d = 0;
      for (let k = 0; k < 4; k++) d += (low[k] - m[k]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    });
    return best;
  };
  const agree = (final: typeof good) => {
    let same = 0;
    for (let i = 0; i < items.length; i++) if (lowResClass(baseOutput[i]) === preset.mixture.classify(final.samples.sample(i))) same++;
    return same / items.length;
  };
  assert.ok(agree(good) > 0.97, `conditioned cascade keeps ${agree(good)}`);
  assert.ok(agree(bad) < 0.7, `unconditioned last stage keeps ${agree(bad)}`);
});

test('cascade stages must double in size and have the right roles', async () => {
  const models = analyticModelSet(analyticPreset('tiny-image'));
  const [base, mid, top] = models.cascade!;
  assert.throws(() => cascadeSampler.parseSettings({}, { ...models, cascade: [base, top] }), /cascade stage 1 .* must be twice stage 0's/);
  assert.throws(
    () => cascadeSampler.parseSettings({}, { ...models, cascade: [mid, top] }),
    /has role 'cascade-super-resolution'; expected 'cascade-base'/,
  );
  assert.throws(() => cascadeSampler.parseSettings({ stepsPerStage: [1, 2] }, models), /cascade settings.stepsPerStage/);
  await rejects(
    () =>
      cascadeSampler.sample(
        { id: 'none', device: cpuDevice('TypeScript'), close: async () => {} },
        { items: unconditionalItems(1), guidance: NO_CFG, settings: { stepsPerStage: [1] } },
        new PhiloxNoise(0),
      ),
    /needs cascade stage models; none has none/,
  );
});

test.run();
