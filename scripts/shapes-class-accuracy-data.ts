/**
 * Prints the data set's own conditional accuracy under the shapes classifiers (the ceiling `shapes-class-accuracy`
 * reports as `dataAccuracy`): N data clips, class-balanced, through the metric's own chunk state and finalize.
 * docs/metrics.md "Moving-shapes judgements" quotes it.
 * usage: npx tsx scripts/shapes-class-accuracy-data.ts [clips=600] [seed=1000003]
 */
import { Tensor } from '../src/core/tensor.ts';
import { SHAPE_CLASSES, shapesVideo } from '../src/data/shapes.ts';
import { shapesClassAccuracyMetric as metric, SHAPE_CLASSIFIERS } from '../src/suite/metrics/shapes-class-accuracy.ts';
import type { MethodContext, MetricValue } from '../src/suite/contract/plugin.ts';

const [clips, seed] = [600, 1000003].map((d, i) => Number(process.argv[2 + i] ?? d));
const config = { frames: 9, height: 32, width: 32 };
const size = 3 * 9 * 32 * 32;
const values = new Float32Array(clips * size);
for (let i = 0; i < clips; i++) values.set(shapesVideo(seed, i, config).values, i * size);
const items = Array.from({ length: clips }, (_, i) => {
  const label = i % SHAPE_CLASSES.length;
  return { index: i, condition: { kind: 'class' as const, label }, conditionKey: `class:${label}`, label, prompt: null, repeat: null };
});
const chunk = { set: 'samples' as const, chunk: 0, items, samples: new Tensor([clips, 3, 9, 32, 32], values), records: null };
const context = { id: 'data', shape: [3, 9, 32, 32] } as unknown as MethodContext;
for (const classifier of SHAPE_CLASSIFIERS) {
  const options = metric.parseOptions({ classifier, reference: false }, 'options');
  const state = await metric.chunkState(chunk, options, context);
  const out = (await metric.finalize({
    options,
    method: context,
    chunks: [0],
    states: { samples: [state] },
    timing: null,
  })) as MetricValue[];
  const show = (v: MetricValue) =>
    `${v.value?.toFixed(3)}${v.uncertainty.kind === 'interval' ? ` [${v.uncertainty.low.toFixed(3)}, ${v.uncertainty.high.toFixed(3)}]` : ''}`;
  const byKey = Object.fromEntries(out.map((v) => [v.key, v]));
  console.log(`${classifier} on ${clips} data clips (seed ${seed}, 9x32x32): accuracy ${show(byKey.accuracy)}`);
  console.log(
    `  per class: ${SHAPE_CLASSES.map((c, k) => `${c} ${byKey[`accuracy.class${k}`].value?.toFixed(3)}`).join(', ')}; mean true-class probability ${byKey.trueClassProbability.value?.toFixed(3)}`,
  );
}
