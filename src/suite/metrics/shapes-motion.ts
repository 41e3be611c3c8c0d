/**
 * `shapes-motion` ("motion fidelity"): the moving-shapes domain's own judgement of how a sample's shape moves, not
 * a VBench dimension. A classical tracker (`src/metrics/shapes-tracker.ts`, no learned network) finds the shape in
 * each frame and fits its track with the data set's motion model (constant velocity, straight or reflecting off
 * the walls, constant area, present in every frame); a sample "moves as the data do" when it passes bounds
 * calibrated so that about 98.5% of data clips pass. Reported: that pass rate (Wilson interval) beside the suite's
 * reference samples' (the data set's own, the ceiling); the mean track residual (RMS distance of the centroids from
 * the fitted path, px; a headline too, since checkpoints far from the data all pass 0 and the residual still ranks
 * them), area range and speed over the samples with a shape in every frame; and the share of those samples.
 *
 * The chunk state is each sample's measurements (frames with a shape, residual, area range, speed); `finalize`
 * applies the bounds, so shards merge exactly.
 */
import { z } from 'zod';
import { parseWith, strictObject } from '../../core/schema.ts';
import { wilsonInterval } from '../../core/statistics.ts';
import { checkMotionFrames, measureMotion, movesAsData, type MotionMeasure } from '../../metrics/shapes-tracker.ts';
import type { MethodContext, MetricPlugin, MetricValue, SampleChunk, Uncertainty } from '../contract/plugin.ts';

const optionsSchema = strictObject({
  /** Also judge the suite's reference samples (the data set's own pass rate, the ceiling). */
  reference: z.boolean().default(true),
  /** Coverage of the Wilson intervals. */
  level: z.number().gt(0).lt(1).default(0.95),
});

export type ShapesMotionOptions = z.output<typeof optionsSchema>;

/** One chunk: per sample what the tracker measured (NaN residual, area range and speed where a frame had no shape). */
export interface MotionState {
  readonly rows: number;
  readonly frames: number;
  /** min(H, W) / 32: the bounds' lengths scale with it. */
  readonly scale: number;
  readonly framesFound: Float64Array;
  readonly residual: Float64Array;
  readonly areaRange: Float64Array;
  readonly speed: Float64Array;
}

const FIELDS = ['framesFound', 'residual', 'areaRange', 'speed'] as const;

function checkMotion(method: MethodContext): void {
  const [C, T] = method.shape;
  if (C !== 3)
    throw new RangeError(
      `shapes-motion (${method.id}): samples have ${C} channels; the tracker reads RGB moving-shapes clips (3 channels)`,
    );
  checkMotionFrames(T, `shapes-motion (${method.id})`);
}

function measureChunk(chunk: SampleChunk): MotionState {
  const [rows, C, T, H, W] = chunk.samples.shape;
  const shape = [C, T, H, W] as const;
  checkMotionFrames(T, 'shapes-motion');
  const state = {
    rows,
    frames: T,
    scale: Math.min(H, W) / 32,
    ...Object.fromEntries(FIELDS.map((f) => [f, new Float64Array(rows)])),
  } as MotionState;
  for (let i = 0; i < rows; i++) {
    const m = measureMotion(chunk.samples.sample(i), shape);
    for (const f of FIELDS) state[f][i] = m[f];
  }
  return state;
}

/** The samples' measurements, in chunk order. */
function measuresOf(states: readonly MotionState[]): { measures: MotionMeasure[]; scale: number } {
  const measures = states.flatMap((s) =>
    Array.from({ length: s.rows }, (_, i) => ({
      framesFound: s.framesFound[i],
      frames: s.frames,
      residual: s.residual[i],
      areaRange: s.areaRange[i],
      speed: s.speed[i],
    })),
  );
  return { measures, scale: states[0]?.scale ?? 1 };
}

/** The mean of some values with its standard error (sd / sqrt(n); none for one value); null for no values. */
function meanWithStderr(xs: readonly number[]): { mean: number; uncertainty: Uncertainty } | null {
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length === 1) return { mean, uncertainty: { kind: 'none', reason: 'one sample' } };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
  return {
    mean,
    uncertainty: { kind: 'stderr', stderr: sd / Math.sqrt(xs.length), n: xs.length, method: 'standard deviation over samples / sqrt(n)' },
  };
}

function wilson(k: number, n: number, level: number): Uncertainty {
  const { low, high } = wilsonInterval(k, n, level);
  return { kind: 'interval', low, high, level, n, method: `Wilson score interval (${k} of ${n})` };
}

function finalizeMotion(options: ShapesMotionOptions, states: Partial<Record<string, readonly MotionState[]>>): MetricValue[] {
  const { measures, scale } = measuresOf(states.samples ?? []);
  const n = measures.length;
  if (n === 0) throw new RangeError('shapes-motion: no samples to judge');
  const passed = measures.filter((m) => movesAsData(m, scale)).length;
  const found = measures.filter((m) => m.framesFound === m.frames);
  const ref = options.reference && states.reference ? measuresOf(states.reference) : null;
  const refPassed = ref ? ref.measures.filter((m) => movesAsData(m, ref.scale)).length : 0;
  const values: MetricValue[] = [
    {
      key: 'passRate',
      label: `motion fidelity: samples whose tracked shape moves as the data set's do (${n} samples)`,
      value: passed / n,
      unit: 'fraction',
      direction: 'higher',
      uncertainty: wilson(passed, n, options.level),
      measured: false,
      headline: true,
      ...(ref && ref.measures.length > 0
        ? { note: `the data set's own pass rate: ${(refPassed / ref.measures.length).toFixed(3)} (dataPassRate)` }
        : {}),
    },
  ];
  if (ref && ref.measures.length > 0) {
    values.push({
      key: 'dataPassRate',
      label: `the same judgement of the suite's reference samples (${ref.measures.length}): the ceiling`,
      value: refPassed / ref.measures.length,
      unit: 'fraction',
      direction: 'none',
      uncertainty: wilson(refPassed, ref.measures.length, options.level),
      measured: false,
    });
  }
  // means over the samples whose shape was found in every frame (the only ones with a fitted track), each beside
  // the reference samples' mean
  const refFound = ref ? ref.measures.filter((m) => m.framesFound === m.frames) : [];
  const ofFound = (
    key: string,
    label: string,
    unit: string,
    direction: 'lower' | 'none',
    pick: (m: MotionMeasure) => number,
  ): MetricValue => {
    const mean = meanWithStderr(found.map(pick));
    const data = meanWithStderr(refFound.map(pick));
    const notes = [
      ...(mean === null ? ['no sample shows a shape in every frame'] : []),
      ...(data ? [`the reference samples' mean: ${data.mean.toFixed(3)} ${unit}`] : []),
    ];
    return {
      key,
      label: `${label} over the ${found.length} of ${n} samples with a shape in every frame`,
      value: mean?.mean ?? null,
      unit,
      direction,
      uncertainty: mean?.uncertainty ?? { kind: 'none', reason: 'no sample shows a shape in every frame' },
      measured: false,
      ...(notes.length ? { note: notes.join('; ') } : {}),
    };
  };
  values.push(
    {
      ...ofFound(
        'trackResidualPx',
        "mean track residual: RMS distance of the shape's centroids from the data's motion model fitted to them,",
        'px',
        'lower',
        (m) => m.residual,
      ),
      headline: true,
    },
    ofFound(
      'areaRange',
      "mean relative range of the shape's area over the clip, (max - min) / mean,",
      'ratio',
      'lower',
      (m) => m.areaRange,
    ),
    ofFound(
      'speedPxPerFrame',
      'mean speed of the fitted track (the data draw 0.6 to 1.8 px/frame at 32x32)',
      'px/frame',
      'none',
      (m) => m.speed,
    ),
  );
  values.push({
    key: 'shapeFound',
    label: `samples with a shape (a saturated colour over the backgrounds' range) in every frame (${n} samples)`,
    value: found.length / n,
    unit: 'fraction',
    direction: 'higher',
    uncertainty: wilson(found.length, n, options.level),
    measured: false,
  });
  return values;
}

/** The `shapes-motion` metric. */
export const shapesMotionMetric: MetricPlugin<ShapesMotionOptions, MotionState> = {
  name: 'shapes-motion',
  version: 1,
  description:
    "motion fidelity: share of samples whose tracked shape moves as the moving-shapes data's do (classical tracker, Wilson interval), beside the data set's",
  referenceSets: ['reference'],
  setsFor: (options) => (options.reference ? ['reference'] : []),
  parseOptions: (raw, where) => parseWith(optionsSchema, raw, where),
  check: (_options, method) => checkMotion(method),
  chunkState: (chunk) => measureChunk(chunk),
  encode: (state) => ({
    json: { rows: state.rows, frames: state.frames, scale: state.scale },
    arrays: Object.fromEntries(FIELDS.map((f) => [f, state[f]])),
  }),
  decode(encoded) {
    const { rows, frames, scale } = encoded.json as { rows: number; frames: number; scale: number };
    for (const f of FIELDS) {
      const a = encoded.arrays[f];
      if (!(a instanceof Float64Array) || a.length !== rows)
        throw new RangeError(`shapes-motion state: ${f} does not hold ${rows} float64 values`);
    }
    return { rows, frames, scale, ...(encoded.arrays as Record<(typeof FIELDS)[number], Float64Array>) };
  },
  finalize: ({ options, states }) => finalizeMotion(options, states),
};
