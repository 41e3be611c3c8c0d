import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { consistencyScore, consistencyVideo } from '../../../src/vbench/features/consistency.ts';
import { cosineSimilarity, l2Normalise } from '../../../src/vbench/features/consistency.ts';

const v = (...x: number[]) => Float32Array.from(x);
// embeddings are float32, so 0.6 and 0.8 carry float32 rounding (~3e-8)
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-7, `${what}: ${a} vs ${b}`);

test('s_t by hand: e1 = (1, 0), e2 = (0.6, 0.8), e3 = (0, 1)', () => {
  const r = consistencyVideo([v(1, 0), v(0.6, 0.8), v(0, 1)]);
  // s_2 = (cos(e1, e2) + cos(e1, e2)) / 2 = 0.6; s_3 = (cos(e2, e3) + cos(e1, e3)) / 2 = (0.8 + 0) / 2 = 0.4
  close(r.terms[0], 0.6, 's_2');
  close(r.terms[1], 0.4, 's_3');
  close(r.score, 0.5, 'mean');
  close(r.sum, 1.0, 'video_sim');
  assert.is(r.count, 2);
});

test('negative cosines are clamped at 0, and scale does not matter (embeddings are L2-normalised)', () => {
  // e1 = (2, 0), e2 = (0, 5), e3 = (-3, 0): s_2 = (0 + 0) / 2 = 0; s_3 = (max(0, cos(e2, e3)) = 0 + max(0, -1) = 0) / 2 = 0
  const r = consistencyVideo([v(2, 0), v(0, 5), v(-3, 0)]);
  assert.equal(r.terms, [0, 0]);
  // the same directions at other lengths give the same terms as unit vectors
  const a = consistencyVideo([v(3, 4), v(4, 3), v(0, 7)]);
  const b = consistencyVideo([v(0.6, 0.8), v(0.8, 0.6), v(0, 1)]);
  // s_2 = (0.96 + 0.96) / 2; s_3 = (0.6 + 0.8) / 2
  close(a.terms[0], 0.96, 's_2');
  close(a.terms[1], 0.7, 's_3');
  a.terms.forEach((t, i) => close(t, b.terms[i], `term ${i}`));
});

test('the dimension is frame-weighted: sum of all s_t over the number of terms, not the mean of video means', () => {
  const short = consistencyVideo([v(1, 0), v(0.6, 0.8), v(0, 1)]); // sum 1.0 over 2 terms (mean 0.5)
  const long = consistencyVideo([v(1, 0), v(1, 0), v(1, 0), v(1, 0), v(1, 0)]); // sum 4 over 4 terms (mean 1)
  // (1.0 + 4) / (2 + 4) = 5/6, while the mean of video means would be 0.75
  close(consistencyScore([short, long]), 5 / 6, 'frame-weighted');
});

test('F.normalize and cosine_similarity edge cases; bad input is refused', () => {
  assert.equal(Array.from(l2Normalise(v(0, 0))), [0, 0]);
  assert.is(cosineSimilarity(l2Normalise(v(0, 0)), l2Normalise(v(1, 0))), 0);
  assert.throws(() => consistencyVideo([v(1, 0)], 'clip-a'), /clip-a has 1 frame; at least 2/);
  assert.throws(() => consistencyVideo([v(1, 0), v(1, 0, 0)], 'clip-b'), /clip-b frame 1 has a 3-dimensional embedding/);
  assert.throws(() => consistencyVideo([v(1, 0), v(NaN, 0)]), /non-finite/);
  assert.throws(() => consistencyScore([]), /no frame pairs/);
});

test.run();
