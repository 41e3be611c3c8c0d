import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FlowEstimator, FlowField } from '../../../src/vbench/flow/flow-field.ts';
import { PairScorer } from '../../../src/vbench/flow/pair-scores.ts';

/** A test double: flow (j - i) * (3, 4) px everywhere when frame k is filled with the value k; records sizes. */
class ConstantFlow implements FlowEstimator {
  readonly name = 'constant';
  readonly kind = 'substitute' as const;
  readonly sizes: [number, number][] = [];
  async estimate(a: Uint8Array, b: Uint8Array, width: number, height: number): Promise<FlowField> {
    this.sizes.push([width, height]);
    const d = b[0] - a[0];
    return { width, height, u: new Float32Array(width * height).fill(3 * d), v: new Float32Array(width * height).fill(4 * d) };
  }
}

const frames = (n: number, w: number, h: number) => Array.from({ length: n }, (_, k) => new Uint8Array(w * h * 3).fill(k));

test('frames are padded to a multiple of 8 before the estimator sees them (12 x 10 -> 16 x 16)', async () => {
  const est = new ConstantFlow();
  const scorer = new PairScorer(est, frames(3, 12, 10), 12, 10);
  const s = await scorer.score(0, 2);
  // magnitude |2 * (3, 4)| = 10 everywhere: both top-fraction means are 10
  assert.equal([s.top5, s.top2], [10, 10]);
  assert.equal(est.sizes, [[16, 16]]);
});

test('scores are memoised per ordered pair', async () => {
  const est = new ConstantFlow();
  const scorer = new PairScorer(est, frames(4, 8, 8), 8, 8);
  await scorer.score(0, 1);
  assert.is(scorer.reusedSeconds, 0);
  await scorer.score(0, 1);
  assert.ok(scorer.reusedSeconds > 0, 'a reused pair is charged what it first cost');
  const back = await scorer.score(1, 0);
  assert.is(back.top5, 5);
  assert.is(scorer.estimates, 2);
  assert.throws(() => scorer.score(0, 4), /frame index 4 is outside 0..3/);
});

test.run();
