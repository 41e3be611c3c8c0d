import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Tensor } from '../../../src/core/tensor.ts';
import { wilsonInterval } from '../../../src/core/statistics.ts';
import { shapesVideo } from '../../../src/data/shapes.ts';
import { tensorToFrames } from '../../../src/data/quantize.ts';
import {
  SHAPE_CLASSIFIERS,
  shapesClassAccuracyMetric as metric,
  type ClassAccuracyState,
} from '../../../src/suite/metrics/shapes-class-accuracy.ts';
import type { MethodContext, MetricValue, SampleChunk } from '../../../src/suite/contract/plugin.ts';
import { planRun } from '../../../src/suite/plan.ts';
import { colourClassifierGraph, writeModel } from '../../helpers/onnx-graphs.ts';
import { classItem, loadedSuite, rawSuite } from '../../helpers/suites.ts';
import { rejects } from '../../helpers/assert.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'class-accuracy-'));

/** A stub classifier's manifest (the shipped manifests' fields, a colour-mean network). */
function stubManifest(kind: 'image' | 'video'): string {
  writeModel(dir, `${kind}.onnx`, colourClassifierGraph(kind));
  const file = path.join(dir, `${kind}.yaml`);
  writeFileSync(
    file,
    [
      `name: stub-${kind}`,
      'version: "1"',
      `kind: ${kind}`,
      `model: ${kind}.onnx`,
      'input:',
      `  name: ${kind === 'image' ? 'frames' : 'clips'}`,
      `  layout: ${kind === 'image' ? 'NCHW' : 'NCTHW'}`,
      '  height: 32',
      '  width: 32',
      ...(kind === 'video' ? ['  frames: 9'] : []),
      '  range: [-1, 1]',
      'resize: clean-bicubic',
      'output:',
      '  name: features',
      '  dim: 3',
      '',
    ].join('\n'),
  );
  return file;
}

const context = (conditions?: MethodContext['conditions']): MethodContext =>
  ({ id: 'm', shape: [3, 9, 32, 32], ...(conditions ? { conditions } : {}) }) as unknown as MethodContext;

function dataChunk(labels: (number | null)[]): SampleChunk {
  const size = 3 * 9 * 32 * 32;
  const values = new Float32Array(labels.length * size);
  labels.forEach((label, i) => values.set(shapesVideo(4, i, { frames: 9, height: 32, width: 32 }, label ?? 0).values, i * size));
  return {
    set: 'samples',
    chunk: 0,
    items: labels.map((l, i) => classItem(i, l)),
    samples: new Tensor([labels.length, 3, 9, 32, 32], values),
    records: null,
  };
}

test("chunkState: the frame classifier's logits averaged over frames equal the clip classifier's, and the colour means they compute", async () => {
  const chunk = dataChunk([0, 3, 5]);
  const byFrame = await metric.chunkState(chunk, metric.parseOptions({ classifier: stubManifest('image') }, 'o'), context());
  const byClip = await metric.chunkState(chunk, metric.parseOptions({ classifier: stubManifest('video') }, 'o'), context());
  assert.equal(Array.from(byFrame.labels), [0, 3, 5]);
  assert.is(byFrame.rows, 3);
  for (let k = 0; k < byFrame.logits.length; k++)
    assert.ok(Math.abs(byFrame.logits[k] - byClip.logits[k]) < 1e-5, `logit ${k}: ${byFrame.logits[k]} vs ${byClip.logits[k]}`);
  // the stub's logits: (r, g, b, -r, -g, -b) means of the uint8 frames mapped back onto [-1, 1]
  const frames = tensorToFrames(chunk.samples.sample(1), 3, 9, 32, 32);
  const red = frames.reduce((a, f) => a + f.reduce((s, v, p) => (p % 3 === 0 ? s + (v / 255) * 2 - 1 : s), 0) / 1024, 0) / 9;
  assert.ok(Math.abs(byFrame.logits[6] - red) < 1e-5 && Math.abs(byFrame.logits[9] + red) < 1e-5, `${byFrame.logits[6]} vs ${red}`);
  const again = await metric.chunkState(chunk, metric.parseOptions({ classifier: stubManifest('image') }, 'o'), context());
  assert.equal(Array.from(again.logits), Array.from(byFrame.logits), 'the same chunk gives the same state');
  const back = metric.decode(metric.encode(byFrame));
  assert.equal([Array.from(back.logits), Array.from(back.labels)], [Array.from(byFrame.logits), Array.from(byFrame.labels)]);
});

/** A state whose row i has its largest logit at `predicted[i]` (3 against 0 elsewhere). */
function state(labels: number[], predicted: number[]): ClassAccuracyState {
  const logits = new Float64Array(labels.length * 6);
  predicted.forEach((p, i) => {
    logits[i * 6 + p] = 3;
  });
  return { rows: labels.length, logits, labels: Float64Array.from(labels) };
}

test("finalize: accuracy with its Wilson interval, per class, the data set's accuracy and the mean true-class probability", async () => {
  const options = metric.parseOptions({}, 'o');
  // 10 samples in two chunks: 6 right; class 0: 3 of 4 right, class 1: 1 of 3, class 2: 2 of 3
  const samples = [state([0, 0, 1, 2, 0], [0, 0, 2, 2, 1]), state([1, 1, 2, 0, 2], [1, 0, 2, 0, 5])];
  const reference = [state([0, 1, 2, 0, 1], [0, 1, 2, 0, 1]), state([2, 0, 1, 2, 0], [2, 0, 1, 2, 3])];
  const values = (await metric.finalize({
    options,
    method: context(),
    chunks: [0, 1],
    states: { samples, reference },
    timing: null,
  })) as MetricValue[];
  const v = Object.fromEntries(values.map((x) => [x.key, x]));
  assert.is(v.accuracy.value, 0.6);
  assert.ok(v.accuracy.headline && v.accuracy.direction === 'higher' && v.accuracy.unit === 'fraction');
  const w = wilsonInterval(6, 10, 0.95);
  assert.equal(v.accuracy.uncertainty, {
    kind: 'interval',
    low: w.low,
    high: w.high,
    level: 0.95,
    n: 10,
    method: 'Wilson score interval (6 of 10)',
  });
  assert.match(v.accuracy.label, /conditional accuracy.*chance 1\/6/);
  assert.match(v.accuracy.note!, /data set's own accuracy under shapes-frame-v1: 0\.900/);
  assert.is(v.dataAccuracy.value, 0.9);
  assert.is(v.dataAccuracy.direction, 'none');
  assert.equal([v['accuracy.class0'].value, v['accuracy.class1'].value, v['accuracy.class2'].value], [3 / 4, 1 / 3, 2 / 3]);
  assert.match(v['accuracy.class1'].label, /class 1 \(cool disk\), 3 samples/);
  assert.not.ok('accuracy.class3' in v, 'classes without samples are left out');
  // softmax of (3, 0, 0, 0, 0, 0): the right class gets e^3 / (e^3 + 5), a wrong one 1 / (e^3 + 5)
  const right = Math.exp(3) / (Math.exp(3) + 5);
  const wrong = 1 / (Math.exp(3) + 5);
  assert.ok(Math.abs(v.trueClassProbability.value! - (6 * right + 4 * wrong) / 10) < 1e-12);
  assert.is(v.trueClassProbability.uncertainty.kind, 'stderr');
  // without the reference option, no data figure
  const alone = (await metric.finalize({
    options: metric.parseOptions({ reference: false }, 'o'),
    method: context(),
    chunks: [0, 1],
    states: { samples },
    timing: null,
  })) as MetricValue[];
  assert.not.ok(alone.some((x) => x.key === 'dataAccuracy'));
  assert.equal(metric.setsFor!(metric.parseOptions({ reference: false }, 'o')), []);
  assert.equal(metric.setsFor!(options), ['reference']);
});

test('refused: unconditional and prompt suites (naming the metric and the conditions), unlabelled or unknown classes, bad classifiers', async () => {
  const options = metric.parseOptions({ classifier: stubManifest('image') }, 'o');
  assert.throws(
    () => metric.check!(options, context('unconditional')),
    /shapes-class-accuracy judges class-conditional samples; this suite's conditions.kind is 'unconditional'/,
  );
  assert.throws(() => metric.check!(options, context('prompts')), /conditions.kind is 'prompts'/);
  metric.check!(options, context('class-balanced'));
  metric.check!(options, context('class'));
  await rejects(async () => metric.chunkState(dataChunk([1, null]), options, context()), /sample 1 has condition 'unconditional'/);
  const seven = { ...dataChunk([1]), items: [classItem(0, 7)] };
  await rejects(async () => metric.chunkState(seven, options, context()), /class 7; the shapes classifier knows classes 0 to 5/);
  assert.throws(
    () => metric.check!(metric.parseOptions({ classifier: 'inception' }, 'o'), context('class')),
    /'inception' is neither shapes-frame-v1 nor shapes-clip-v1/,
  );
  assert.throws(
    () => metric.check!(metric.parseOptions({ classifier: path.join(dir, 'none.yaml') }, 'o'), context('class')),
    /none.yaml does not exist/,
  );
  assert.throws(() => metric.check!(options, { ...context('class'), shape: [4, 9, 32, 32] }), /4 channels/);
  assert.throws(
    () => metric.check!(metric.parseOptions({ classifier: stubManifest('video') }, 'o'), { ...context('class'), shape: [3, 5, 32, 32] }),
    /5 frames; .* reads 9/,
  );
  assert.throws(() => metric.parseOptions({ classifer: 'x' }, 'suite.metrics[0].options'), /suite.metrics\[0\].options/);
  assert.throws(() => metric.decode({ json: { rows: 2 }, arrays: { logits: new Float64Array(6), labels: new Float64Array(2) } }), /2 x 6/);
  // the runner's plan refuses an unconditional suite before anything is generated
  const raw = rawSuite({
    conditions: { kind: 'unconditional' },
    reference: { source: 'none' },
    methods: [{ name: 'p', model: 'analytic:tiny-video', sampler: 'pyramid', settings: { stepsPerStage: [2, 2, 2] } }],
    metrics: [{ name: 'shapes-class-accuracy', options: { classifier: stubManifest('image'), reference: false } }],
  });
  await rejects(
    async () => planRun(loadedSuite(raw), {}),
    /metrics\[0\] \(shapes-class-accuracy\): shapes-class-accuracy judges class-conditional samples; this suite's conditions.kind is 'unconditional'/,
  );
});

test("the trained classifiers: the data set's own clips are classified as their class, and clips labelled with another class are not", async () => {
  const labels = Array.from({ length: 36 }, (_, i) => i % 6);
  const chunk = dataChunk(labels);
  // the same clips, claimed to be of the next class
  const shifted = { ...chunk, items: labels.map((l, i) => classItem(i, (l + 1) % 6)) };
  for (const classifier of SHAPE_CLASSIFIERS) {
    const options = metric.parseOptions({ classifier, reference: false }, 'o');
    metric.check!(options, context('class-balanced'));
    const accuracy = async (c: SampleChunk) => {
      const values = (await metric.finalize({
        options,
        method: context(),
        chunks: [0],
        states: { samples: [await metric.chunkState(c, options, context())] },
        timing: null,
      })) as MetricValue[];
      return values.find((v) => v.key === 'accuracy')!.value!;
    };
    const [right, wrong] = [await accuracy(chunk), await accuracy(shifted)];
    console.log(`  ${classifier}: accuracy on 36 data clips ${right.toFixed(3)}; with every label shifted by one ${wrong.toFixed(3)}`);
    assert.ok(right >= 0.95, `${classifier}: ${right}`);
    assert.ok(wrong <= 0.05, `${classifier}: ${wrong}`);
  }
});

test.run();
