import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openClipSource } from '../../src/data/clip-sources.ts';
import { extractStatistics } from '../../src/features/extract-stats.ts';
import { openExtractor } from '../../src/features/registry.ts';
import { badInput } from '../helpers/case-ledger.ts';
import { mergeStats, momentsOf, STATS_BLOCK_ROWS, totalSums } from '../../src/metrics/feature-stats.ts';

test('statistics of input slices merge into the bytes of one pass over the inputs (random-conv2d-v1 on shapes)', async () => {
  const extractor = await openExtractor('random-conv2d-v1');
  const source = openClipSource('shapes:n=300,seed=4,size=16');
  const whole = await extractStatistics(source, extractor, { keepFeatures: true });
  const cut = STATS_BLOCK_ROWS + 9;
  const first = await extractStatistics(source, extractor, { start: 0, count: cut });
  const second = await extractStatistics(source, extractor, { start: cut });
  const a = totalSums(mergeStats(first.stats, second.stats));
  const b = totalSums(whole.stats);
  assert.ok(Buffer.from(a.outer.buffer).equals(Buffer.from(b.outer.buffer)));
  assert.ok(Buffer.from(a.sum.buffer).equals(Buffer.from(b.sum.buffer)));
  // kept features give the same moments
  const m = momentsOf(whole.features!.data, 300, 256);
  assert.is(whole.features!.rows, 300);
  assert.ok(Math.abs(m.mu[5] - b.sum[5] / 300) < 1e-12);
  await extractor.close();
});

test('slices outside the input and image inputs to a video network are refused', async () => {
  const extractor = await openExtractor('pixels-v1');
  const source = openClipSource('shapes:n=10,size=8');
  let message = '';
  await extractStatistics(source, extractor, { start: 8, count: 5 }).catch((e: Error) => (message = e.message));
  assert.match(message, /inputs 8 to 12 are outside shapes data set .* which has 10/);
  const video = await openExtractor('random-conv3d-v1');
  await extractStatistics(source, video).catch((e: Error) => (message = e.message));
  assert.match(message, /takes video clips, but shapes data set .* holds images/);
  await video.close();
});

test('an extractor whose features are too wide for their covariance is refused before any statistics are allocated, naming it and the dimension', async () => {
  const source = openClipSource('shapes:n=4,size=8');
  // a feature network declaring 60,000-dimensional features: 6 x 8 x 60000^2 bytes is far beyond any limit
  const wide = {
    info: { name: 'wide-net', kind: 'image' as const, dim: 60000 },
    batchSize: 2,
    extract: async (clips: readonly unknown[]) => new Float32Array(60000 * clips.length),
    close: async () => undefined,
  };
  await badInput('resource limits', 'features too wide for their covariance', async () => {
    let message = '';
    await extractStatistics(source, wide as unknown as Parameters<typeof extractStatistics>[1]).catch((e: Error) => (message = e.message));
    assert.match(
      message,
      /^extractor wide-net: features of dimension 60000: the 60000x60000 float64 covariance .* needs [0-9.]+ GiB; allowed: at most/,
    );
  });
});

test.run();
