import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhiloxNoise } from '../../src/core/philox.ts';
import { analyticModelSet } from '../../src/models/analytic/backend.ts';
import { analyticPreset } from '../../src/models/analytic/presets.ts';
import { fullResolutionSampler, resolveFullSteps } from '../../src/samplers/full-resolution.ts';
import { pyramidSampler } from '../../src/samplers/pyramid/sampler.ts';
import type { SampleItem } from '../../src/samplers/contract/sampling.ts';
import { assertComponents, distanceToTarget, frameConsistency, mixtureWeights, unconditionalItems } from '../helpers/analytic.ts';

const NO_CFG = { firstFrame: 1, video: 1 };

test('images: 200 Euler steps reproduce the mixture (weights 4 SE, means 4.5 SE, variances ±5 %, FD <= 1.5 x floor)', async () => {
  const preset = analyticPreset('tiny-image');
  const models = analyticModelSet(preset);
  const items = unconditionalItems(1000);
  const result = await fullResolutionSampler.sample(
    models,
    { items, guidance: NO_CFG, settings: fullResolutionSampler.parseSettings({ steps: 200 }, models) },
    new PhiloxNoise(7),
  );
  assertComponents(result.samples, preset.mixture, mixtureWeights(preset.mixture), 0.05);
  const { fd, floor } = distanceToTarget(result.samples, preset.mixture, items);
  assert.ok(fd <= 1.5 * floor, `FD ${fd} vs floor ${floor}`);
});

for (const temporal of ['joint', 'autoregressive'] as const) {
  test(`video (${temporal}): FD <= 1.5 x floor and consistent frames`, async () => {
    const preset = analyticPreset('tiny-video');
    const models = analyticModelSet(preset);
    const items = unconditionalItems(1000);
    const settings = fullResolutionSampler.parseSettings({ steps: 60, temporal }, models);
    const result = await fullResolutionSampler.sample(models, { items, guidance: NO_CFG, settings }, new PhiloxNoise(3));
    const { fd, floor } = distanceToTarget(result.samples, preset.mixture, items);
    assert.ok(fd <= 1.5 * floor, `FD ${fd} vs floor ${floor}`);
    assert.ok(frameConsistency(result.samples, preset.mixture) >= 0.99);
  });
}

test('matching a pyramid plan: same steps gives its total steps; same compute gives the step count whose compute is closest', async () => {
  const models = analyticModelSet(analyticPreset('tiny-image'));
  const pyramid = { stepsPerStage: [20, 20, 20] };
  const sameSteps = fullResolutionSampler.parseSettings({ match: 'steps', pyramid }, models);
  assert.equal(resolveFullSteps(models, sameSteps, 1, NO_CFG).steps, 60);
  const sameCompute = fullResolutionSampler.parseSettings({ match: 'compute', pyramid }, models);
  const resolved = resolveFullSteps(models, sameCompute, 1, NO_CFG);
  const items = unconditionalItems(2);
  const pyr = await pyramidSampler.sample(
    models,
    { items, guidance: NO_CFG, settings: pyramidSampler.parseSettings(pyramid, models) },
    new PhiloxNoise(0),
  );
  const full = await fullResolutionSampler.sample(models, { items, guidance: NO_CFG, settings: sameCompute }, new PhiloxNoise(0));
  const perStep = full.cost.flopsPerSample! / resolved.steps;
  assert.ok(
    Math.abs(full.cost.flopsPerSample! - pyr.cost.flopsPerSample!) <= perStep / 2,
    `full ${full.cost.flopsPerSample} vs pyramid ${pyr.cost.flopsPerSample}`,
  );
  assert.is(full.resolved!.steps, resolved.steps);
  assert.ok(resolved.steps < 60 && resolved.steps > 20, `steps ${resolved.steps}`);
});

test('the full-resolution and pyramid samplers start from the same full-resolution noise (paired comparisons)', async () => {
  const models = analyticModelSet(analyticPreset('tiny-image'));
  const items: SampleItem[] = [{ index: 5, condition: { kind: 'class', label: 0 } }];
  const a = await fullResolutionSampler.sample(
    models,
    { items, guidance: NO_CFG, settings: fullResolutionSampler.parseSettings({ steps: 100 }, models) },
    new PhiloxNoise(9),
  );
  const b = await pyramidSampler.sample(
    models,
    { items, guidance: NO_CFG, settings: pyramidSampler.parseSettings({ stepsPerStage: [100, 100, 100] }, models) },
    new PhiloxNoise(9),
  );
  const preset = analyticPreset('tiny-image');
  assert.is(preset.mixture.classify(a.samples.sample(0)), preset.mixture.classify(b.samples.sample(0)));
});

test('bad full-resolution settings are refused', () => {
  const models = analyticModelSet(analyticPreset('tiny-image'));
  assert.throws(() => fullResolutionSampler.parseSettings({ steps: 0 }, models), /full settings.steps: /);
  assert.throws(() => fullResolutionSampler.parseSettings({ steps: 10, match: 'steps' }, models), /give either steps or match, not both/);
  assert.throws(() => fullResolutionSampler.parseSettings({ match: 'flops' }, models), /full settings.match: /);
  assert.throws(() => fullResolutionSampler.parseSettings({ pyramid: {} }, models), /only read with 'match'/);
});

test.run();
