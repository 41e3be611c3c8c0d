import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhiloxNoise } from '../../../src/core/philox.ts';
import { Tensor } from '../../../src/core/tensor.ts';
import { featureFdMetric, type FeatureState } from '../../../src/suite/metrics/feature-fd.ts';
import type { MethodContext } from '../../../src/suite/contract/plugin.ts';
import { momentsOf } from '../../../src/metrics/feature-stats.ts';
import { frechetFromMoments } from '../../../src/metrics/frechet.ts';
import { rejects } from '../../helpers/assert.ts';

const context = { id: 'm', shape: [3, 1, 4, 4] } as unknown as MethodContext;
const state = (seed: number, rows: number, dim: number, shift = 0): FeatureState => ({
  rows,
  dim,
  features: Float32Array.from(new PhiloxNoise(seed).gaussian(0, 'f', rows * dim), (v) => v + shift),
});
const concat = (states: FeatureState[]) => {
  const out = new Float32Array(states.reduce((a, s) => a + s.features.length, 0));
  let o = 0;
  for (const s of states) {
    out.set(s.features, o);
    o += s.features.length;
  }
  return out;
};

test('finalize: FD of all chunks against the suite reference equals the direct distance; floor and KID/PR on the same features', async () => {
  const options = featureFdMetric.parseOptions(
    { extractor: 'pixels-v1', kid: { subsets: 5, subsetSize: 20 }, precisionRecall: {}, jackknifeGroups: 3 },
    'o',
  );
  const samples = [0, 1, 2].map((i) => state(i, 30, 4, 0.3));
  const reference = [0, 1, 2].map((i) => state(10 + i, 30, 4));
  const second = [0, 1, 2].map((i) => state(20 + i, 30, 4));
  const values = await featureFdMetric.finalize({
    options,
    method: context,
    chunks: [0, 1, 2],
    states: { samples, reference, second },
    timing: null,
  });
  const byKey = Object.fromEntries(values.map((v) => [v.key, v]));
  const direct = frechetFromMoments(momentsOf(concat(samples), 90, 4), momentsOf(concat(reference), 90, 4)).fd;
  assert.ok(Math.abs(byKey.fd.value! - direct) < 1e-12 * direct, `${byKey.fd.value} vs ${direct}`);
  const floor = frechetFromMoments(momentsOf(concat(second), 90, 4), momentsOf(concat(reference), 90, 4)).fd;
  assert.ok(Math.abs(byKey.fdFloor.value! - floor) < 1e-12);
  assert.is(byKey.fd.uncertainty.kind, 'stderr');
  assert.ok(byKey.kid.value! > 0, 'a 0.3 shift in every feature shows in KID');
  assert.ok(byKey.precision.value! >= 0 && byKey.recall.value! <= 1);
});

test('chunkState: the extractor sees the samples as uint8 RGB; pixels-v1 returns them in [-1, 1]', async () => {
  const options = featureFdMetric.parseOptions({ extractor: 'pixels-v1' }, 'o');
  const samples = new Tensor(
    [2, 3, 1, 4, 4],
    Float32Array.from({ length: 96 }, (_, i) => (i % 7) / 7 - 0.5),
  );
  const s = await featureFdMetric.chunkState({ set: 'samples', chunk: 0, items: [], samples, records: null }, options, context);
  assert.equal([s.rows, s.dim], [2, 48]);
  // round trip through 8 bits: within half a level
  const back = featureFdMetric.decode(featureFdMetric.encode(s));
  assert.equal(Array.from(back.features), Array.from(s.features));
});

test('bad options and a reference of another dimension are refused', async () => {
  assert.throws(() => featureFdMetric.parseOptions({}, 'suite.metrics[0].options'), /suite.metrics\[0\].options.extractor/);
  assert.throws(() => featureFdMetric.parseOptions({ extractor: 'x', reference: { kind: 'url' } }, 'o'), /o.reference/);
  assert.equal(
    featureFdMetric.setsFor!(featureFdMetric.parseOptions({ extractor: 'x', reference: { kind: 'file', path: 'a.npz' } }, 'o')),
    [],
  );
  const options = featureFdMetric.parseOptions({ extractor: 'pixels-v1' }, 'o');
  await rejects(
    async () =>
      featureFdMetric.finalize({
        options,
        method: context,
        chunks: [0],
        states: { samples: [state(1, 10, 4)], reference: [state(2, 10, 5)], second: [state(3, 10, 5)] },
        timing: null,
      }),
    /feature dimension/,
  );
});

test.run();
