/**
 * The committed checkpoints (checkpoints/, the embedded default models): each package loads and passes the
 * contract check, its sampler runs through it with few steps, the same seed gives the same bytes, and the
 * samples are images in the data's range whose colour follows the class (warm or cool shapes), as a trained model's do.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PhiloxNoise } from '../../../src/core/philox.ts';
import { loadOnnxPackage } from '../../../src/models/onnx/package.ts';
import { samplers } from '../../../src/samplers/index.ts';

const root = path.resolve('checkpoints');
const quiet = { threads: 1, report: () => undefined };
const SAMPLER_OF: Record<string, { sampler: string; settings: Record<string, unknown> }> = {
  pyramid: { sampler: 'pyramid', settings: { stepsPerStage: [3, 3, 3], videoStepsPerStage: [3, 3, 3] } },
  full: { sampler: 'full', settings: { steps: 6 } },
  cascade: { sampler: 'cascade', settings: { stepsPerStage: [4, 4] } },
};

const packages = existsSync(root) ? readdirSync(root).filter((d) => existsSync(path.join(root, d, 'manifest.json'))) : [];

test('the embedded default models are committed: the pyramid at three training steps, full resolution, cascade', () => {
  for (const name of ['shapes-pyramid', 'shapes-pyramid-step1000', 'shapes-pyramid-step2000', 'shapes-full', 'shapes-cascade']) {
    assert.ok(packages.includes(name), `checkpoints/${name} is missing (made by training/recipe.sh and training/export-all.sh)`);
  }
});

for (const name of packages) {
  test(`checkpoints/${name}: loads, samples every class with its sampler, same seed same bytes`, async () => {
    const models = await loadOnnxPackage(path.join(root, name), quiet);
    const kind = models.manifest.kind;
    const how = SAMPLER_OF[kind];
    assert.ok(how, `no sampler known for kind ${kind}`);
    assert.ok(models.manifest.training, 'the manifest records its training (steps, FLOPs, recipe)');
    const s = samplers.get(how.sampler);
    const classes = models.manifest.conditioning.kind === 'class' ? models.manifest.conditioning.classes : 0;
    assert.is(classes, 6);
    const items = Array.from({ length: classes }, (_, i) => ({ index: i, condition: { kind: 'class' as const, label: i } }));
    const plan = { items, guidance: { firstFrame: 3, video: 2 }, settings: s.parseSettings(how.settings, models) };
    const a = await s.sample(models, plan, new PhiloxNoise(7));
    const b = await s.sample(models, plan, new PhiloxNoise(7));
    assert.equal(a.samples.shape, [classes, 3, 9, 32, 32]);
    assert.ok(Buffer.from(a.samples.data.buffer).equals(Buffer.from(b.samples.data.buffer)), 'same seed, same bytes');
    const d = a.samples.data;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of d) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    // Trained on values in [-1, 1]: samples stay near that range and use it (not collapsed to a constant).
    assert.ok(lo > -2 && hi < 2, `sample range [${lo}, ${hi}]`);
    assert.ok(hi - lo > 0.5, `sample range [${lo}, ${hi}] is too narrow for shapes on backgrounds`);
    // The class shows: warm shapes (classes 0, 2, 4) make redder videos than cool ones (1, 3, 5); a network that ignores the
    // class gives no such gap. Measured gaps of the mean red minus blue: 0.4 (full, cascade) to 0.8 (pyramid).
    const perSample = d.length / classes;
    const plane = perSample / 3;
    const redMinusBlue = items.map((_, i) => {
      let sum = 0;
      for (let p = 0; p < plane; p++) sum += d[i * perSample + p] - d[i * perSample + 2 * plane + p];
      return sum / plane;
    });
    const meanOf = (labels: number[]) => labels.reduce((acc, l) => acc + redMinusBlue[l], 0) / labels.length;
    const gap = meanOf([0, 2, 4]) - meanOf([1, 3, 5]);
    assert.ok(gap > 0.2, `warm minus cool red-blue gap ${gap.toFixed(3)} (per class: ${redMinusBlue.map((v) => v.toFixed(2)).join(', ')})`);
    assert.ok(a.cost.nfe > 0 && a.cost.flopsPerSample !== null && a.cost.flopsPerSample > 0);
  });
}

test.run();
