import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tensor } from '../../../src/core/tensor.ts';
import { wilsonInterval } from '../../../src/core/statistics.ts';
import { shapesVideo } from '../../../src/data/shapes.ts';
import { measureMotion, movesAsData } from '../../../src/metrics/shapes-tracker.ts';
import { shapesMotionMetric as metric } from '../../../src/suite/metrics/shapes-motion.ts';
import type { MethodContext, MetricValue, SampleChunk } from '../../../src/suite/contract/plugin.ts';

const SIZE = 3 * 9 * 32 * 32;
const context = { id: 'm', shape: [3, 9, 32, 32] } as unknown as MethodContext;

/** Data clips (seed, indices); `still` indices get their first frame repeated (a shape that stands still). */
function chunk(seed: number, count: number, still: number[] = []): SampleChunk {
  const values = new Float32Array(count * SIZE);
  for (let i = 0; i < count; i++) {
    const clip = shapesVideo(seed, i, { frames: 9, height: 32, width: 32 }).values;
    if (still.includes(i))
      for (let c = 0; c < 3; c++) for (let t = 1; t < 9; t++) clip.copyWithin((c * 9 + t) * 1024, c * 9 * 1024, (c * 9 + 1) * 1024);
    values.set(clip, i * SIZE);
  }
  return { set: 'samples', chunk: 0, items: [], samples: new Tensor([count, 3, 9, 32, 32], values), records: null };
}

test("chunkState measures each clip with the tracker; finalize gives the pass rate (Wilson), residual, found share and the data's pass rate", async () => {
  const options = metric.parseOptions({}, 'o');
  const a = chunk(11, 6, [1, 4]);
  const b = chunk(12, 4, [0]);
  const samples = [await metric.chunkState(a, options, context), await metric.chunkState(b, options, context)];
  const reference = [await metric.chunkState(chunk(13, 10), options, context)];
  const measures = [a, b].flatMap((c) =>
    Array.from({ length: c.samples.shape[0] }, (_, i) => measureMotion(c.samples.sample(i), [3, 9, 32, 32])),
  );
  assert.equal(
    Array.from(samples[0].residual),
    measures.slice(0, 6).map((m) => m.residual),
  );
  const passed = measures.filter((m) => movesAsData(m)).length;
  assert.ok(passed <= 7, `${passed}: the three still clips fail`);
  const values = (await metric.finalize({
    options,
    method: context,
    chunks: [0, 1],
    states: { samples, reference },
    timing: null,
  })) as MetricValue[];
  const v = Object.fromEntries(values.map((x) => [x.key, x]));
  assert.is(v.passRate.value, passed / 10);
  const w = wilsonInterval(passed, 10, 0.95);
  assert.equal(v.passRate.uncertainty, {
    kind: 'interval',
    low: w.low,
    high: w.high,
    level: 0.95,
    n: 10,
    method: `Wilson score interval (${passed} of 10)`,
  });
  assert.ok(v.passRate.headline && v.passRate.direction === 'higher');
  assert.match(v.passRate.label, /^motion fidelity/);
  const refPassed = Array.from({ length: 10 }, (_, i) =>
    movesAsData(measureMotion(chunk(13, 10).samples.sample(i), [3, 9, 32, 32])),
  ).filter(Boolean).length;
  assert.is(v.dataPassRate.value, refPassed / 10);
  assert.match(v.passRate.note!, new RegExp(`data set's own pass rate: ${(refPassed / 10).toFixed(3)}`));
  const mean = measures.reduce((s, m) => s + m.residual, 0) / 10;
  assert.ok(
    Math.abs(v.trackResidualPx.value! - mean) < 1e-12 && v.trackResidualPx.direction === 'lower' && v.trackResidualPx.unit === 'px',
  );
  assert.ok(v.trackResidualPx.headline, 'the residual separates methods that all fail the judgement');
  const refMeasures = Array.from({ length: 10 }, (_, i) => measureMotion(chunk(13, 10).samples.sample(i), [3, 9, 32, 32]));
  const refSpeed = refMeasures.reduce((s, m) => s + m.speed, 0) / 10;
  assert.ok(Math.abs(v.speedPxPerFrame.value! - measures.reduce((s, m) => s + m.speed, 0) / 10) < 1e-12);
  assert.match(v.speedPxPerFrame.note!, new RegExp(`reference samples' mean: ${refSpeed.toFixed(3)} px/frame`));
  assert.ok(Math.abs(v.areaRange.value! - measures.reduce((s, m) => s + m.areaRange, 0) / 10) < 1e-12);
  assert.match(v.areaRange.label, /over the 10 of 10 samples with a shape in every frame/);
  assert.is(v.shapeFound.value, 1);
  // a still shape has no speed: the residual stays small, the judgement fails on speed
  assert.ok(measures[1].speed < 1e-9 && !movesAsData(measures[1]));
  const back = metric.decode(metric.encode(samples[0]));
  assert.equal(Array.from(back.speed), Array.from(samples[0].speed));
  assert.equal(metric.setsFor!(metric.parseOptions({ reference: false }, 'o')), []);
});

test('a clip without a shape: NaN measures survive the state round trip; no residual when no clip shows a shape', async () => {
  const options = metric.parseOptions({ reference: false }, 'o');
  const empty: SampleChunk = {
    set: 'samples',
    chunk: 0,
    items: [],
    samples: new Tensor([2, 3, 9, 32, 32], new Float32Array(2 * SIZE).fill(-0.4)),
    records: null,
  };
  const s = metric.decode(metric.encode(await metric.chunkState(empty, options, context)));
  assert.equal(Array.from(s.framesFound), [0, 0]);
  assert.ok(Number.isNaN(s.residual[0]));
  const values = (await metric.finalize({
    options,
    method: context,
    chunks: [0],
    states: { samples: [s] },
    timing: null,
  })) as MetricValue[];
  const v = Object.fromEntries(values.map((x) => [x.key, x]));
  assert.equal([v.passRate.value, v.shapeFound.value, v.trackResidualPx.value], [0, 0, null]);
  assert.match(v.trackResidualPx.note!, /no sample shows a shape in every frame/);
  assert.not.ok('dataPassRate' in v);
});

test('refused: grey or latent samples, clips the motion model cannot judge, bad states', () => {
  const options = metric.parseOptions({}, 'o');
  assert.throws(() => metric.check!(options, { ...context, shape: [1, 9, 32, 32] }), /shapes-motion \(m\): samples have 1 channels/);
  assert.throws(() => metric.check!(options, { ...context, shape: [3, 16, 32, 32] }), /shapes-motion \(m\): clips of 16 frames/);
  metric.check!(options, context);
  assert.throws(() => metric.parseOptions({ level: 2 }, 'suite.metrics[1].options'), /suite.metrics\[1\].options.level/);
  assert.throws(
    () =>
      metric.decode({
        json: { rows: 2, frames: 9, scale: 1 },
        arrays: {
          framesFound: new Float64Array(2),
          residual: new Float64Array(1),
          areaRange: new Float64Array(2),
          speed: new Float64Array(2),
        },
      }),
    /residual does not hold 2 float64 values/,
  );
});

test.run();
