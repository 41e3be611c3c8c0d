/**
 * `shapes-class-accuracy` ("conditional accuracy"): the moving-shapes domain's own judgement of class-conditional
 * samples, not a VBench dimension. A classifier trained on the data set (the `logits` output of the domain
 * networks, class order `SHAPE_CLASSES`) labels each sample; the value is the fraction labelled as the class it was
 * generated for, the "classification accuracy score" idea of Ravuri & Vinyals (2019) turned round (their CAS
 * trains on samples and tests on data; here a classifier trained on data tests samples, as the Inception Score's
 * class-conditional readings do). Beside it, the same number on the suite's reference set (the data set's own
 * accuracy under this classifier: the ceiling a sampler can reach) and per-class accuracies. Intervals are Wilson
 * score intervals (`core/statistics.ts`); chance is 1/6.
 *
 * The chunk state is each sample's clip logits (a frame network's logits averaged over all frames of the clip, a
 * clip network's own) and its conditioned class, so `finalize` decides (argmax) and shards merge exactly.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HARNESS_ROOT } from '../../core/harness-root.ts';
import { parseWith, strictObject } from '../../core/schema.ts';
import { wilsonInterval } from '../../core/statistics.ts';
import { tensorToFrames } from '../../data/quantize.ts';
import { SHAPE_CLASSES } from '../../data/shapes.ts';
import type { Clip, FeatureExtractor } from '../../features/extractor.ts';
import { extractorIdentity } from '../../features/registry.ts';
import { readManifest, type FeatureManifest } from '../../features/manifest.ts';
import { openOnnxExtractor } from '../../features/onnx-extractor.ts';
import type { MethodContext, MetricPlugin, MetricValue, SampleChunk, Uncertainty } from '../contract/plugin.ts';

/** The domain classifiers shipped in extractors/ (training/features.py), by name. */
export const SHAPE_CLASSIFIERS = ['shapes-frame-v1', 'shapes-clip-v1'] as const;

const CLASSES = SHAPE_CLASSES.length;

const optionsSchema = strictObject({
  /** 'shapes-frame-v1', 'shapes-clip-v1', or a feature manifest (.yaml, .json) whose network has a 'logits' output. */
  classifier: z.string().min(1).default('shapes-frame-v1'),
  /** Also classify the suite's reference samples (the data set's own accuracy, the ceiling). */
  reference: z.boolean().default(true),
  /** Coverage of the Wilson intervals. */
  level: z.number().gt(0).lt(1).default(0.95),
});

export type ShapesClassAccuracyOptions = z.output<typeof optionsSchema>;

/** One chunk: per sample the clip's class logits (rows x 6) and the class it was generated for. */
export interface ClassAccuracyState {
  readonly rows: number;
  readonly logits: Float64Array;
  readonly labels: Float64Array;
}

/** The manifest of `classifier` with its output switched to the 6 class logits. */
function classifierManifest(classifier: string): FeatureManifest {
  const file = (SHAPE_CLASSIFIERS as readonly string[]).includes(classifier)
    ? path.join(HARNESS_ROOT, 'extractors', `${classifier}.yaml`)
    : classifier;
  if (!/\.(json|ya?ml)$/i.test(file))
    throw new RangeError(
      `options.classifier: '${classifier}' is neither ${SHAPE_CLASSIFIERS.join(' nor ')} nor a manifest file (.yaml, .json)`,
    );
  if (!existsSync(file)) throw new RangeError(`options.classifier: manifest ${file} does not exist`);
  return { ...readManifest(file), output: { name: 'logits', dim: CLASSES, pool: 'none' } };
}

const opened = new Map<string, Promise<FeatureExtractor>>();
const openClassifier = (classifier: string) => {
  if (!opened.has(classifier)) opened.set(classifier, openOnnxExtractor(classifierManifest(classifier)));
  return opened.get(classifier)!;
};

/** The conditioned class of each item; refuses items that are not class-conditioned or outside the 6 classes. */
function labelsOf(chunk: SampleChunk): Float64Array {
  return Float64Array.from(chunk.items, (item) => {
    if (item.label === null)
      throw new RangeError(
        `shapes-class-accuracy: sample ${item.index} has condition '${item.conditionKey}'; it judges class-conditional samples only (conditions.kind class or class-balanced)`,
      );
    if (item.label >= CLASSES)
      throw new RangeError(
        `shapes-class-accuracy: sample ${item.index} is of class ${item.label}; the shapes classifier knows classes 0 to ${CLASSES - 1} (${SHAPE_CLASSES.join(', ')})`,
      );
    return item.label;
  });
}

async function chunkLogits(chunk: SampleChunk, options: ShapesClassAccuracyOptions): Promise<ClassAccuracyState> {
  const labels = labelsOf(chunk);
  const net = await openClassifier(options.classifier);
  const [rows, C, T, H, W] = chunk.samples.shape;
  const videos = Array.from({ length: rows }, (_, i) => tensorToFrames(chunk.samples.sample(i), C, T, H, W));
  const logits = new Float64Array(rows * CLASSES);
  if (net.info.kind === 'video') {
    const clips: Clip[] = videos.map((frames) => ({ width: W, height: H, frames }));
    const out = await net.extract(clips);
    for (let k = 0; k < logits.length; k++) logits[k] = out[k];
  } else {
    // a frame network: every frame of every clip, its logits averaged over the clip's frames
    const clips: Clip[] = videos.flatMap((frames) => frames.map((f) => ({ width: W, height: H, frames: [f] })));
    const out = await net.extract(clips);
    for (let i = 0; i < rows; i++)
      for (let t = 0; t < T; t++) for (let k = 0; k < CLASSES; k++) logits[i * CLASSES + k] += out[(i * T + t) * CLASSES + k] / T;
  }
  return { rows, logits, labels };
}

/** Index of the largest of row i's logits (the first on a tie). */
function argmax(logits: Float64Array, i: number): number {
  let best = 0;
  for (let k = 1; k < CLASSES; k++) if (logits[i * CLASSES + k] > logits[i * CLASSES + best]) best = k;
  return best;
}

/** Softmax probability of class `k` in row i. */
function probability(logits: Float64Array, i: number, k: number): number {
  const row = logits.subarray(i * CLASSES, (i + 1) * CLASSES);
  const top = Math.max(...row);
  const sum = row.reduce((a, v) => a + Math.exp(v - top), 0);
  return Math.exp(row[k] - top) / sum;
}

/** Correct and total per class, and overall. */
function tally(states: readonly ClassAccuracyState[]) {
  const correct = new Array<number>(CLASSES).fill(0);
  const total = new Array<number>(CLASSES).fill(0);
  const pTrue: number[] = [];
  for (const s of states) {
    for (let i = 0; i < s.rows; i++) {
      const label = s.labels[i];
      total[label]++;
      if (argmax(s.logits, i) === label) correct[label]++;
      pTrue.push(probability(s.logits, i, label));
    }
  }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return { correct, total, right: sum(correct), n: sum(total), pTrue };
}

function wilson(right: number, n: number, level: number): Uncertainty {
  const { low, high } = wilsonInterval(right, n, level);
  return { kind: 'interval', low, high, level, n, method: `Wilson score interval (${right} of ${n})` };
}

function finalizeAccuracy(
  options: ShapesClassAccuracyOptions,
  states: Partial<Record<string, readonly ClassAccuracyState[]>>,
): MetricValue[] {
  const net = options.classifier;
  const s = tally(states.samples ?? []);
  if (s.n === 0) throw new RangeError('shapes-class-accuracy: no samples to judge');
  const values: MetricValue[] = [];
  const ref = options.reference && states.reference ? tally(states.reference) : null;
  const accuracy = s.right / s.n;
  values.push({
    key: 'accuracy',
    label: `conditional accuracy: samples that ${net} classifies as the class they were generated for (${s.n} samples; chance 1/${CLASSES})`,
    value: accuracy,
    unit: 'fraction',
    direction: 'higher',
    uncertainty: wilson(s.right, s.n, options.level),
    measured: false,
    headline: true,
    ...(ref && ref.n > 0 ? { note: `the data set's own accuracy under ${net}: ${(ref.right / ref.n).toFixed(3)} (dataAccuracy)` } : {}),
  });
  if (ref && ref.n > 0) {
    values.push({
      key: 'dataAccuracy',
      label: `the same accuracy on the suite's reference samples (${ref.n}, same classes): the ceiling under ${net}`,
      value: ref.right / ref.n,
      unit: 'fraction',
      direction: 'none',
      uncertainty: wilson(ref.right, ref.n, options.level),
      measured: false,
    });
  }
  for (let k = 0; k < CLASSES; k++) {
    if (s.total[k] === 0) continue;
    values.push({
      key: `accuracy.class${k}`,
      label: `conditional accuracy of class ${k} (${SHAPE_CLASSES[k]}), ${s.total[k]} samples`,
      value: s.correct[k] / s.total[k],
      unit: 'fraction',
      direction: 'higher',
      uncertainty: wilson(s.correct[k], s.total[k], options.level),
      measured: false,
    });
  }
  const mean = s.pTrue.reduce((a, b) => a + b, 0) / s.n;
  const sd = s.n > 1 ? Math.sqrt(s.pTrue.reduce((a, p) => a + (p - mean) ** 2, 0) / (s.n - 1)) : NaN;
  values.push({
    key: 'trueClassProbability',
    label: `mean softmax probability ${net} gives the class a sample was generated for`,
    value: mean,
    unit: 'probability',
    direction: 'higher',
    uncertainty:
      s.n > 1
        ? { kind: 'stderr', stderr: sd / Math.sqrt(s.n), n: s.n, method: 'standard deviation over samples / sqrt(n)' }
        : { kind: 'none', reason: 'one sample' },
    measured: false,
  });
  return values;
}

/** Refuses suites whose samples are not class-conditioned, and classifiers that cannot be opened or fed. */
function checkAccuracy(options: ShapesClassAccuracyOptions, method: MethodContext): void {
  if (method.conditions !== undefined && method.conditions !== 'class' && method.conditions !== 'class-balanced')
    throw new RangeError(
      `shapes-class-accuracy judges class-conditional samples; this suite's conditions.kind is '${method.conditions}' (allowed: class, class-balanced)`,
    );
  const [C, T] = method.shape;
  if (C !== 1 && C !== 3)
    throw new RangeError(
      `shapes-class-accuracy (${method.id}): samples have ${C} channels; the classifier reads RGB (decode latents first)`,
    );
  const manifest = classifierManifest(options.classifier);
  if (!existsSync(manifest.model))
    throw new RangeError(`options.classifier: ${options.classifier}'s network ${manifest.model} does not exist`);
  if (manifest.kind === 'video' && manifest.input.frames !== undefined) {
    const needed = (manifest.input.frames - 1) * manifest.input.frameStride + 1;
    if (T < needed)
      throw new RangeError(`shapes-class-accuracy (${method.id}): samples have ${T} frames; ${options.classifier} reads ${needed}`);
  }
}

/** The `shapes-class-accuracy` metric. */
export const shapesClassAccuracyMetric: MetricPlugin<ShapesClassAccuracyOptions, ClassAccuracyState> = {
  name: 'shapes-class-accuracy',
  version: 1,
  description:
    'conditional accuracy: share of class-conditional samples the trained shapes classifier assigns their class (Wilson interval), beside the data set’s',
  referenceSets: ['reference'],
  setsFor: (options) => (options.reference ? ['reference'] : []),
  parseOptions: (raw, where) => parseWith(optionsSchema, raw, where),
  stateIdentity: (options) => extractorIdentity(options.classifier),
  check: checkAccuracy,
  chunkState: (chunk, options) => chunkLogits(chunk, options),
  encode: (state) => ({ json: { rows: state.rows }, arrays: { logits: state.logits, labels: state.labels } }),
  decode(encoded) {
    const { rows } = encoded.json as { rows: number };
    const { logits, labels } = encoded.arrays;
    if (
      !(logits instanceof Float64Array) ||
      logits.length !== rows * CLASSES ||
      !(labels instanceof Float64Array) ||
      labels.length !== rows
    )
      throw new RangeError(`shapes-class-accuracy state: logits and labels do not hold ${rows} x ${CLASSES} and ${rows} float64 values`);
    return { rows, logits, labels };
  },
  finalize: ({ options, states }) => finalizeAccuracy(options, states),
};
