import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhiloxNoise } from '../../../src/core/philox.ts';
import { Tensor } from '../../../src/core/tensor.ts';
import { momentsOf } from '../../../src/metrics/feature-stats.ts';
import { frechetFromMoments } from '../../../src/metrics/frechet.ts';
import { pixelFdMetric, pixelFeatures, type PixelFdOptions, type PixelFdState } from '../../../src/suite/metrics/pixel-fd.ts';
import type { MethodContext, SampleChunk } from '../../../src/suite/contract/plugin.ts';
import { jackknifeStderr } from '../../../src/core/statistics.ts';

const options = (o: Partial<PixelFdOptions> = {}): PixelFdOptions => pixelFdMetric.parseOptions(o, 'opts');
const chunkOf = (samples: Tensor, chunk = 0): SampleChunk => ({ set: 'samples', chunk, items: [], samples, records: null });
const context: MethodContext = {
  id: 'm',
  shape: [3, 4, 8, 8],
  costSource: 'notional',
  playbackFps: 8,
  protocolVideos: 10,
  device: { kind: 'cpu', name: 'cpu', count: 1, memoryBytes: null, hoursUnit: 'CPU-hours', reason: '' },
  machines: [],
};

test('features: 2x2 block means `downsample` times, then every `frameStride`-th frame, channel-major', () => {
  const t = new Tensor(
    [1, 1, 3, 2, 2],
    Float32Array.from({ length: 12 }, (_, i) => i),
  );
  const f = pixelFeatures(chunkOf(t), options({ downsample: 1, frameStride: 2 }));
  // frame 0 block mean (0+1+2+3)/4, frame 2 block mean (8+9+10+11)/4
  assert.equal({ rows: f.rows, dim: f.dim, values: Array.from(f.features) }, { rows: 1, dim: 2, values: [1.5, 9.5] });
});

test('check: refuses a dimension over maxDimension and a downsample the size does not allow, naming what to change', () => {
  assert.throws(
    () => pixelFdMetric.check!(options({ maxDimension: 100 }), context),
    /feature dimension 768 \(3 channels x 4 frames x 8x8\) exceeds maxDimension 100; raise options\.downsample/,
  );
  assert.throws(
    () => pixelFdMetric.check!(options({ downsample: 4 }), context),
    /8x8 cannot be taken down 4 times; allowed downsample: 0 to 3/,
  );
  pixelFdMetric.check!(options({ downsample: 1, frameStride: 3 }), context);
});

function gaussianChunks(seed: number, shift: number, chunks: number, rows: number, dim: number): PixelFdState[] {
  const noise = new PhiloxNoise(seed);
  return Array.from({ length: chunks }, (_, c) => {
    const features = noise.gaussian(c, 'features', rows * dim).map((v, i) => v + (i % dim === 0 ? shift : 0));
    return { rows, dim, features };
  });
}

test('finalize: the distance over chunks in order equals the distance of all rows at once; floor and ratio; jackknife over groups', async () => {
  const dim = 4;
  const samples = gaussianChunks(1, 0.5, 6, 20, dim);
  const reference = gaussianChunks(2, 0, 6, 20, dim);
  const second = gaussianChunks(3, 0, 6, 20, dim);
  const concat = (s: PixelFdState[]) => Float32Array.from(s.flatMap((x) => Array.from(x.features)));
  const want = frechetFromMoments(momentsOf(concat(samples), 120, dim), momentsOf(concat(reference), 120, dim)).fd;
  const floor = frechetFromMoments(momentsOf(concat(second), 120, dim), momentsOf(concat(reference), 120, dim)).fd;
  const values = await pixelFdMetric.finalize({
    options: options({ jackknifeGroups: 3 }),
    method: context,
    chunks: [0, 1, 2, 3, 4, 5],
    states: { samples, reference, second },
    timing: null,
  });
  const get = (k: string) => values.find((v) => v.key === k)!;
  assert.is(get('fd').value, want);
  assert.is(get('fdFloor').value, floor);
  assert.is(get('fdOverFloor').value, want / floor);
  assert.ok(want > 0.2 && want > floor, `${want} vs floor ${floor}`);
  const u = get('fd').uncertainty;
  // jackknife by hand: leave out chunks {0,1}, {2,3}, {4,5} in turn
  const leaveOut = [0, 1, 2].map((g) => {
    const keep = (s: PixelFdState[]) => s.filter((_, i) => Math.floor(i / 2) !== g);
    return frechetFromMoments(momentsOf(concat(keep(samples)), 80, dim), momentsOf(concat(keep(reference)), 80, dim)).fd;
  });
  assert.ok(u.kind === 'stderr' && u.n === 3 && Math.abs(u.stderr - jackknifeStderr(leaveOut)) < 1e-12, JSON.stringify(u));
  assert.is(get('fd').direction, 'lower');
  // one chunk: no jackknife, said so
  const one = await pixelFdMetric.finalize({
    options: options(),
    method: context,
    chunks: [0],
    states: { samples: samples.slice(0, 1), reference: reference.slice(0, 1), second: second.slice(0, 1) },
    timing: null,
  });
  assert.is(one[0].uncertainty.kind, 'none');
});

test('states encode and decode exactly', () => {
  const s = gaussianChunks(4, 0, 1, 3, 2)[0];
  const back = pixelFdMetric.decode(pixelFdMetric.encode(s));
  assert.equal(Array.from(back.features), Array.from(s.features));
  assert.throws(() => pixelFdMetric.decode({ json: { rows: 4, dim: 2 }, arrays: { features: s.features } }), /do not hold 4 x 2/);
});

test.run();
