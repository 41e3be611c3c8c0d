import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhiloxNoise } from '../../../src/core/philox.ts';
import { Tensor } from '../../../src/core/tensor.ts';
import { blockNoise, jump, jumpCoefficients } from '../../../src/samplers/pyramid/renoise.ts';
import { DEFAULT_PYRAMID, stageWindows } from '../../../src/models/contract/schedule.ts';

test("alpha and beta put the jumped state on the next stage's start: alpha c + noise std = 1 and the start sigma matches", () => {
  const windows = stageWindows(DEFAULT_PYRAMID);
  for (const w of windows.slice(1)) {
    const { alpha, beta, signal } = jumpCoefficients(w.rawStartSigma, DEFAULT_PYRAMID.gamma);
    const noiseStd = alpha * (1 - signal) * Math.sqrt(1 + 1 / DEFAULT_PYRAMID.gamma);
    assert.ok(Math.abs(alpha * signal + noiseStd - 1) < 1e-12);
    assert.ok(Math.abs(noiseStd - w.startSigma) < 1e-12, `stage ${w.stage}: ${noiseStd} vs ${w.startSigma}`);
    assert.ok(Math.abs(beta - (alpha * (1 - signal)) / Math.sqrt(DEFAULT_PYRAMID.gamma)) < 1e-15);
  }
});

function blockCovariance(gamma: number, draws: number) {
  const noise = new PhiloxNoise(17);
  const m = blockNoise(noise, 0, 'cov', [1, 1, 2, 2 * draws], gamma); // draws blocks per row pair... 2 x (2 draws)
  const cov = Array.from({ length: 4 }, () => new Float64Array(4));
  const W = 2 * draws;
  let across = 0;
  for (let b = 0; b < draws; b++) {
    const v = [m[2 * b], m[2 * b + 1], m[W + 2 * b], m[W + 2 * b + 1]];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) cov[i][j] += (v[i] * v[j]) / draws;
    if (b + 1 < draws) across += (m[2 * b + 1] * m[2 * b + 2]) / (draws - 1); // right of one block x left of the next
  }
  return { cov, across };
}

for (const gamma of [1 / 3, 0.2]) {
  test(`block noise: covariance 1 on the diagonal, -gamma off it, 0 across blocks (gamma ${gamma.toFixed(3)}, 200k blocks, 6-sigma)`, () => {
    const draws = 200_000;
    const { cov, across } = blockCovariance(gamma, draws);
    const tol = 6 * Math.sqrt(2 / draws);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const want = i === j ? 1 : -gamma;
        assert.ok(Math.abs(cov[i][j] - want) < tol, `cov[${i}][${j}] = ${cov[i][j]}, want ${want}`);
      }
    }
    assert.ok(Math.abs(across) < tol, `across-block covariance ${across}`);
  });
}

test('the jump makes nearest-upsampled i.i.d. noise i.i.d. again (block noise cancels the copies), independent noise does not', () => {
  // previous stage end: pure noise part sigma_e n at low resolution; after the jump the noise must be isotropic
  const gamma = 1 / 3;
  const coeff = jumpCoefficients(0.667, gamma);
  const draws = 100_000;
  const noise = new PhiloxNoise(3);
  const low = new Tensor(
    [1, 1, 1, 1, draws],
    noise.gaussian(0, 'low', draws).map((v) => 0.667 * v),
  );
  const within = (noiseKind: 'block' | 'independent') => {
    const up = jump(low, [0], 'jump', coeff, gamma, noise, { noise: noiseKind, rescale: 'corrected' });
    let sameBlock = 0;
    let variance = 0;
    for (let b = 0; b < draws; b++) {
      sameBlock += (up.data[2 * b] * up.data[2 * b + 1]) / draws;
      variance += up.data[2 * b] ** 2 / draws;
    }
    return { sameBlock, variance };
  };
  const block = within('block');
  const expectedStd = coeff.alpha * 0.667 * Math.sqrt(1 + 1 / gamma);
  assert.ok(Math.abs(block.variance - expectedStd ** 2) < 0.02, `variance ${block.variance} vs ${expectedStd ** 2}`);
  assert.ok(Math.abs(block.sameBlock) < 0.02, `within-block covariance ${block.sameBlock} should be 0`);
  const independent = within('independent');
  assert.ok(independent.sameBlock > 0.1, `independent noise leaves within-block covariance ${independent.sameBlock}`);
});

test('block noise is refused for odd sizes and gamma above 1/3', () => {
  const noise = new PhiloxNoise(1);
  assert.throws(() => blockNoise(noise, 0, 'x', [1, 1, 3, 2], 1 / 3), /even height and width, got 3x2/);
  assert.throws(() => blockNoise(noise, 0, 'x', [1, 1, 2, 2], 0.4), /gamma 0.4 is not allowed/);
});

test.run();
