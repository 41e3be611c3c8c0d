import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stackSamples } from '../../../src/core/tensor.ts';
import { tensorToFrames } from '../../../src/data/quantize.ts';
import { shapesVideo } from '../../../src/data/shapes.ts';
import { vbenchDimensionMetric } from '../../../src/suite/metrics/vbench-dimension.ts';
import type { MethodContext, SampleChunk } from '../../../src/suite/contract/plugin.ts';
import { evaluateVideos } from '../../../src/vbench/evaluate.ts';
import { defaultToolkit } from '../../../src/vbench/toolkit.ts';
import type { ComputableDimension } from '../../../src/vbench/dimensions.ts';
import type { SuiteItem } from '../../../src/suite/contract/records.ts';

const shape = [3, 9, 16, 16] as const;
const context: MethodContext = {
  id: 'm',
  shape,
  costSource: 'notional',
  playbackFps: 8,
  protocolVideos: 8,
  device: { kind: 'cpu', name: 'cpu', count: 1, memoryBytes: null, hoursUnit: 'CPU-hours', reason: '' },
  machines: [],
};
// videos 0-5 move; 6 and 7 are the first frame held still (static, for temporal flickering)
const values = Array.from({ length: 8 }, (_, i) => {
  const v = shapesVideo(3, i, { frames: 9, height: 16, width: 16 }).values;
  if (i < 6) return v;
  const still = new Float32Array(v.length);
  for (let c = 0; c < 3; c++) for (let t = 0; t < 9; t++) still.set(v.subarray(c * 9 * 256, c * 9 * 256 + 256), (c * 9 + t) * 256);
  return still;
});
const item = (index: number): SuiteItem => ({
  index,
  condition: { kind: 'class', label: index % 2 },
  conditionKey: `class:${index % 2}`,
  label: index % 2,
  prompt: null,
  repeat: null,
});
const chunkOf = (c: number, indices: number[]): SampleChunk => ({
  set: 'samples',
  chunk: c,
  items: indices.map(item),
  samples: stackSamples(
    indices.map((i) => values[i]),
    shape,
  ),
  records: null,
});

async function whole(id: ComputableDimension, staticPerPrompt = 5) {
  const sources = values.map((v, i) => ({
    id: `m/${String(i).padStart(8, '0')}`,
    kind: 'sample-store' as const,
    prompt: `class:${i % 2}`,
    index: i,
    load: async () => ({ id: `m/${String(i).padStart(8, '0')}`, width: 16, height: 16, fps: 8, frames: tensorToFrames(v, 3, 9, 16, 16) }),
  }));
  return (await evaluateVideos(sources, defaultToolkit(), { dims: [id], staticPerPrompt })).outcomes[0];
}

for (const id of ['subject_consistency', 'motion_smoothness', 'dynamic_degree', 'temporal_flickering'] as const) {
  test(`vbench/${id}: chunks evaluated apart and aggregated in finalize give VBench's score over all the videos`, async () => {
    const metric = vbenchDimensionMetric(id);
    const options = metric.parseOptions({ bootstrap: 50 }, 'o');
    const states = [
      await metric.chunkState(chunkOf(0, [0, 1, 2, 3]), options, context),
      await metric.chunkState(chunkOf(1, [4, 5, 6, 7]), options, context),
    ];
    const [v] = await metric.finalize({
      options,
      method: context,
      chunks: [0, 1],
      states: { samples: states.map((s) => metric.decode(metric.encode(s))) },
      timing: null,
    });
    const reference = await whole(id);
    assert.ok(Math.abs(v.value! - reference.result!.score) < 1e-12, `${v.value} vs ${reference.result!.score}`);
    assert.is(v.direction, 'higher');
    assert.ok(v.uncertainty.kind === 'interval' && v.uncertainty.n === 8);
    assert.match(v.note!, new RegExp(`^${reference.computation}: `));
  });
}

test('a dimension without its network is reported as not computed, saying what it needs; non-RGB samples are refused', async () => {
  const metric = vbenchDimensionMetric('aesthetic_quality');
  const options = metric.parseOptions({}, 'o');
  const state = await metric.chunkState(chunkOf(0, [0, 1]), options, context);
  const [v] = await metric.finalize({ options, method: context, chunks: [0], states: { samples: [state] }, timing: null });
  assert.is(v.value, null);
  assert.match(v.note!, /not computed: needs CLIP ViT-L\/14/);
  assert.throws(() => metric.check!(options, { ...context, shape: [4, 9, 16, 16] }), /samples have 4 channels; VBench reads RGB videos/);
});

test.run();
