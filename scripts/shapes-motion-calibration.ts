/**
 * Prints the calibration of `shapes-motion` (src/metrics/shapes-tracker.ts `MOTION_BOUNDS`) on the moving-shapes
 * data set: the tracker's centroid error against each clip's recorded track, the percentiles of the track
 * residual, relative area range and fitted speed over data clips, and the share of data clips that pass the
 * bounds on the calibration seed and on held-out seeds. docs/metrics.md "Moving-shapes judgements" quotes it.
 * usage: npx tsx scripts/shapes-motion-calibration.ts [clips=1000] [frames=9] [size=32]
 */
import { shapesVideo } from '../src/data/shapes.ts';
import { percentile } from '../src/core/statistics.ts';
import { MOTION_BOUNDS, measureMotion, movesAsData, trackShape, type MotionMeasure } from '../src/metrics/shapes-tracker.ts';

const [clips, frames, size] = [1000, 9, 32].map((d, i) => Number(process.argv[2 + i] ?? d));
const config = { frames, height: size, width: size };
const shape = [3, frames, size, size] as const;
const scale = size / 32;

function measures(seed: number, n: number): { measures: MotionMeasure[]; errors: number[] } {
  const out: MotionMeasure[] = [];
  const errors: number[] = [];
  for (let i = 0; i < n; i++) {
    const { values, meta } = shapesVideo(seed, i, config);
    const track = trackShape(values, shape);
    for (let t = 0; t < frames; t++) errors.push(Math.hypot(track.cy[t] - meta.track[t][0], track.cx[t] - meta.track[t][1]));
    out.push(measureMotion(values, shape));
  }
  return { measures: out, errors };
}

const quantiles = (xs: number[], ps: number[]) => ps.map((p) => `p${p} ${percentile(xs, p).toFixed(3)}`).join(', ');
const { measures: calibration, errors } = measures(0, clips);
console.log(
  `data set: seed 0, ${clips} clips of ${frames} frames at ${size}x${size}; bounds ${JSON.stringify(MOTION_BOUNDS)} (lengths x ${scale})`,
);
console.log(
  `centroid error vs meta.track, px: mean ${(errors.reduce((a, b) => a + b, 0) / errors.length).toFixed(3)}, ${quantiles(errors, [50, 99, 100])}`,
);
console.log(`shape found in every frame: ${calibration.filter((m) => m.framesFound === m.frames).length} of ${clips}`);
console.log(`track residual, px: ${quantiles(calibration.map((m) => m.residual).filter(Number.isFinite), [50, 90, 99, 99.5, 100])}`);
console.log(`relative area range: ${quantiles(calibration.map((m) => m.areaRange).filter(Number.isFinite), [50, 90, 99, 99.5, 100])}`);
console.log(`fitted speed, px/frame: ${quantiles(calibration.map((m) => m.speed).filter(Number.isFinite), [0, 0.5, 50, 99.5, 100])}`);
for (const [seed, n] of [
  [0, clips],
  [1, 500],
  [2, 500],
]) {
  const ms = seed === 0 ? calibration : measures(seed, n).measures;
  const pass = ms.filter((m) => movesAsData(m, scale)).length;
  console.log(`pass rate, seed ${seed}${seed === 0 ? ' (calibration)' : ' (held out)'}: ${pass} of ${n} = ${(pass / n).toFixed(3)}`);
}
