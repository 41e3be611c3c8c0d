import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { costMetric } from '../../../src/suite/metrics/cost.ts';
import type { MethodContext } from '../../../src/suite/contract/plugin.ts';
import type { SampleCost } from '../../../src/suite/contract/records.ts';

const context = (costSource: MethodContext['costSource']): MethodContext => ({
  id: 'm',
  shape: [1, 3, 8, 8],
  costSource,
  playbackFps: 8,
  protocolVideos: 10,
  device: { kind: 'cpu', name: 'cpu', count: 1, memoryBytes: null, hoursUnit: 'CPU-hours', reason: '' },
  machines: [],
});
const cost = (nfe: number, flops: number | null): SampleCost => ({
  nfe,
  tokensPerSample: 10 * nfe,
  flopsPerSample: flops,
  stages: [
    { stage: 0, nfe: nfe - 1, tokensPerSample: 1, flopsPerSample: flops === null ? null : flops / 2 },
    { stage: 2, nfe: 1, tokensPerSample: 1, flopsPerSample: flops === null ? null : flops / 2 },
  ],
});

test('per-sample cost in total and per stage; exact when every sample costs the same; FLOPs flagged notional', async () => {
  const values = await costMetric.finalize({
    options: {},
    method: context('notional'),
    chunks: [0, 1],
    states: { samples: [{ costs: [cost(9, 100)] }, { costs: [cost(9, 100)] }] },
    timing: null,
  });
  const get = (k: string) => values.find((v) => v.key === k)!;
  assert.equal(
    values.map((v) => v.key),
    ['nfe', 'tokensPerSample', 'flopsPerSample', 'stage0.nfe', 'stage0.flopsPerSample', 'stage2.nfe', 'stage2.flopsPerSample'],
  );
  assert.is(get('nfe').value, 9);
  assert.is(get('nfe').uncertainty.kind, 'exact');
  assert.is(get('stage0.nfe').value, 8);
  assert.is(get('stage2.flopsPerSample').value, 50);
  assert.match(get('flopsPerSample').note ?? '', /notional/);
  assert.ok(values.every((v) => !v.measured));
});

test('costs that differ between samples get a standard error; unknown FLOPs are null with a note', async () => {
  const values = await costMetric.finalize({
    options: {},
    method: context('unknown'),
    chunks: [0],
    states: { samples: [{ costs: [cost(8, null), cost(10, null)] }] },
    timing: null,
  });
  const nfe = values.find((v) => v.key === 'nfe')!;
  assert.is(nfe.value, 9);
  assert.equal(nfe.uncertainty, { kind: 'stderr', stderr: 1, n: 2, method: 'standard error of the mean over samples' });
  const flops = values.find((v) => v.key === 'flopsPerSample')!;
  assert.is(flops.value, null);
  assert.match(flops.note!, /FLOPs are unknown/);
  assert.throws(() => costMetric.parseOptions({ x: 1 }, 'o'), /o: unknown key 'x'/);
});

test.run();
