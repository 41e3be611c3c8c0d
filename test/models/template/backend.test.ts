import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModelSet } from '../../../src/models/load.ts';
import { samplers } from '../../../src/samplers/index.ts';
import { PhiloxNoise } from '../../../src/core/philox.ts';
import { Tensor } from '../../../src/core/tensor.ts';
import { stageWindows, DEFAULT_PYRAMID } from '../../../src/models/contract/schedule.ts';
import { TEMPLATE_PALETTE, TEMPLATE_UNCONDITIONAL, parseTemplateReference } from '../../../src/models/template/backend.ts';
import type { ModelSet, VelocityInput } from '../../../src/models/contract/velocity-model.ts';
import type { SampleResult } from '../../../src/samplers/contract/sampling.ts';
import { rejects } from '../../helpers/assert.ts';

// Euler steps on a point-mass velocity are exact in real arithmetic (x - y is multiplied by b(r')/b(r), and by 0 on
// the last step), so a sample differs from its target only by float32 rounding: a few ulps of values below 3
// (ulp 2.4e-7). 1e-5 is ~40 ulps: loose enough for any summation order, far below a one-step error (~1e-3 and up).
const TOLERANCE = 1e-5;

const items = [0, 1, 2, 3, 4].map((index) => ({ index, condition: { kind: 'class' as const, label: index % 4 } }));

async function sample(models: ModelSet, sampler: string, settings: unknown, guidance = 1, seed = 7): Promise<SampleResult> {
  const s = samplers.get(sampler);
  return s.sample(
    models,
    { items, guidance: { firstFrame: guidance, video: guidance }, settings: s.parseSettings(settings, models) },
    new PhiloxNoise(seed),
  );
}

/** Largest |sample - target| over every value, target = u + g (palette[label] - u) per channel. */
function maxError(samples: Tensor, guidance: number): number {
  const [B, C, T, H, W] = samples.shape;
  const plane = T * H * W;
  let worst = 0;
  for (let b = 0; b < B; b++) {
    const colour = TEMPLATE_PALETTE[items[b].condition.label];
    for (let c = 0; c < C; c++) {
      const u = TEMPLATE_UNCONDITIONAL[c];
      const target = u + guidance * (colour[c] - u);
      for (let i = 0; i < plane; i++) worst = Math.max(worst, Math.abs(samples.data[(b * C + c) * plane + i] - target));
    }
  }
  return worst;
}

test('template:3x8x8 loads a pyramidal and a full-resolution model on the CPU, with its shape and defaults', async () => {
  const models = await loadModelSet('template:3x8x8');
  assert.is(models.id, 'template:3x8x8');
  assert.equal([models.pyramid?.id, models.full?.id], ['template:3x8x8/pyramid', 'template:3x8x8/full']);
  assert.equal(models.pyramid!.spec.pyramid, DEFAULT_PYRAMID);
  assert.equal([models.full!.spec.channels, models.full!.spec.frames, models.full!.spec.height, models.full!.spec.width], [3, 3, 8, 8]);
  assert.equal(models.full!.spec.conditioning, { kind: 'class', classes: 4 });
  assert.is(models.device.kind, 'cpu');
  assert.is(models.device.runtime, 'TypeScript (template backend)');
  assert.is(models.cascade, undefined);
  assert.match(models.hash ?? '', /^[0-9a-f]{64}$/);
  assert.is((await loadModelSet('template:3x8x8')).hash, models.hash);
  assert.is.not((await loadModelSet('template:3x8x16')).hash, models.hash);
  assert.is.not(models.pyramid!.hash, models.full!.hash);
  await models.close();
});

for (const [sampler, settings, nfe] of [
  // autoregressive: 4+4+4 steps for the first frame, 2+2+2 for each of the two later ones (the set's defaults)
  ['pyramid', {}, 24],
  ['pyramid', { stepsPerStage: [1, 1, 1], temporal: 'joint' }, 3],
  ['full', {}, 8],
  ['full', { steps: 1 }, 1],
] as const) {
  test(`${sampler} ${JSON.stringify(settings)}: samples [5, 3, 3, 8, 8] end on each class's colour, also under guidance 3`, async () => {
    const models = await loadModelSet('template:3x8x8');
    for (const guidance of [1, 3]) {
      const result = await sample(models, sampler, settings, guidance);
      assert.equal(result.samples.shape, [5, 3, 3, 8, 8]);
      assert.is(result.cost.nfe, nfe * (guidance === 1 ? 1 : 2));
      const error = maxError(result.samples, guidance);
      assert.ok(error < TOLERANCE, `${sampler} guidance ${guidance}: max error ${error}`);
      // the guided target is not the unguided one: the check tells them apart
      assert.ok(maxError(result.samples, guidance === 1 ? 3 : 1) > 0.5);
    }
    await models.close();
  });
}

test('the same seed gives the same bytes and the same call records', async () => {
  const models = await loadModelSet('template:3x8x8');
  for (const sampler of ['pyramid', 'full']) {
    const [a, b] = [await sample(models, sampler, {}, 3, 11), await sample(models, sampler, {}, 3, 11)];
    assert.ok(Buffer.from(a.samples.data.buffer).equals(Buffer.from(b.samples.data.buffer)), sampler);
    const strip = (r: SampleResult) => r.cost.records.map(({ durationMs: _, ...rest }) => rest);
    assert.equal(strip(a), strip(b));
  }
  await models.close();
});

test('predict is the closed form (s - e)(x - y) / (r s + (1 - r) e) of the stage window, in a new tensor', async () => {
  const models = await loadModelSet('template:1x8x8');
  const window = stageWindows(DEFAULT_PYRAMID)[1];
  const x = new Tensor([2, 3, 1, 4, 4]);
  x.data.fill(0.25);
  const input: VelocityInput = {
    x,
    flow: { kind: 'pyramid', stage: 1 },
    ratio: 0.5,
    timestep: 500,
    conditions: [{ kind: 'class', label: 1 }, { kind: 'unconditional' }],
    history: [],
    firstFrame: 0,
  };
  const v = await models.pyramid!.predict(input);
  assert.is.not(v.data, x.data);
  const b = 0.5 * window.startSigma + 0.5 * window.endSigma;
  const expect = (target: number) => ((window.startSigma - window.endSigma) * (0.25 - target)) / b;
  // row 0, channel 1 (green = 0.8); row 1, channel 0 (the palette's mean, -0.1)
  assert.ok(Math.abs(v.data[16] - expect(0.8)) < 1e-6, `${v.data[16]} vs ${expect(0.8)}`);
  assert.ok(Math.abs(v.data[48] - expect(-0.1)) < 1e-6, `${v.data[48]} vs ${expect(-0.1)}`);
  // the full flow at r: (x - y) / r
  const full = await models.full!.predict({
    ...input,
    x: new Tensor([2, 3, 1, 8, 8], new Float32Array(384).fill(0.25)),
    flow: { kind: 'full' },
    ratio: 0.25,
  });
  assert.ok(Math.abs(full.data[64] - (0.25 - 0.8) / 0.25) < 1e-6);
  await models.close();
});

test('bad references name the value and what is allowed', async () => {
  await rejects(
    () => loadModelSet('template:3x8'),
    /template reference '3x8' is not <frames>x<height>x<width>; allowed: e.g. template:2x8x8/,
  );
  await rejects(() => loadModelSet('template:0x8x8'), /frames is 0; allowed: an integer from 1 to 64/);
  await rejects(() => loadModelSet('template:2x6x8'), /height is 6; allowed: a multiple of 4 from 4 to 512/);
  await rejects(() => loadModelSet('template:2x8x1024'), /width is 1024; allowed: a multiple of 4 from 4 to 512/);
  await rejects(() => loadModelSet('templat:2x8x8'), /Unknown backend 'templat'. Available: analytic, (.*, )?onnx, (.*, )?template/);
  assert.equal(parseTemplateReference('2x4x12'), { frames: 2, height: 4, width: 12 });
});

test('inputs the model was not made for are refused, naming the value', async () => {
  const models = await loadModelSet('template:2x8x8');
  const base: VelocityInput = {
    x: new Tensor([1, 3, 2, 8, 8]),
    flow: { kind: 'full' },
    ratio: 0.5,
    timestep: 500,
    conditions: [{ kind: 'class', label: 0 }],
    history: [],
    firstFrame: 0,
  };
  await rejects(
    () => models.full!.predict({ ...base, flow: { kind: 'pyramid', stage: 0 } }),
    /does not serve pyramid flows; allowed: full/,
  );
  await rejects(() => models.pyramid!.predict({ ...base, flow: { kind: 'pyramid', stage: 3 } }), /stage 3 is not allowed; allowed: 0 to 2/);
  // stage 0 works at 2x2, not 8x8
  await rejects(
    () => models.pyramid!.predict({ ...base, flow: { kind: 'pyramid', stage: 0 } }),
    /input \[1, 3, 2, 8, 8\] does not fit; allowed: \[rows, 3, frames, 2, 2\]/,
  );
  await rejects(() => models.full!.predict({ ...base, firstFrame: 1 }), /frames 1 to 2 asked for; allowed: 0 to 1/);
  await rejects(() => models.full!.predict({ ...base, ratio: 0 }), /ratio 0 is the flow's noise-free end point/);
  await rejects(
    () => models.full!.predict({ ...base, conditions: [{ kind: 'class', label: 4 }] }),
    /class label 4 is not allowed; allowed: an integer from 0 to 3/,
  );
  await rejects(() => models.full!.predict({ ...base, conditions: [] }), /0 conditions for 1 rows/);
  await models.close();
});

test('close(): predict afterwards is refused with a clear error; closing twice is harmless', async () => {
  const models = await loadModelSet('template:1x4x4');
  const input: VelocityInput = {
    x: new Tensor([1, 3, 1, 4, 4]),
    flow: { kind: 'full' },
    ratio: 1,
    timestep: 1000,
    conditions: [{ kind: 'unconditional' }],
    history: [],
    firstFrame: 0,
  };
  await models.full!.predict(input);
  await models.close();
  await models.close();
  await rejects(() => models.full!.predict(input), /template:1x4x4\/full: predict called after close\(\); load the model set again/);
  await rejects(() => models.pyramid!.predict({ ...input, flow: { kind: 'pyramid', stage: 2 } }), /after close/);
});

test.run();
