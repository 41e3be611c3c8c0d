/**
 * End-point error of the CLG optical-flow estimator on synthetic motion with known flow (the cases
 * test/vbench/flow/clg-flow.test.ts bounds, and a few more): textured translations at 64, 128 and 256 px and
 * rotations about the centre, mean and maximum EPE (pixels) over pixels at least 10 px from every border.
 * Lower is better. Deterministic: the textures are seeded.
 *
 *   npm run bench -- flow      (writes reports/bench/flow.json)
 */
import { endPointError, rotationPair, translationPair } from '../../src/data/synthetic-motion.ts';
import { ClgFlowEstimator, DEFAULT_CLG } from '../../src/vbench/flow/clg-flow.ts';
import { describeMachine } from '../../src/core/machine.ts';

/** One synthetic case's error. */
export interface EpeRecord {
  readonly motion: string;
  readonly size: number;
  /** Largest true displacement in the evaluated region, pixels. */
  readonly maxDisplacementPx: number;
  readonly meanEpePx: number;
  readonly maxEpePx: number;
}

/** Measures every case; `log` receives a header and one line per case. */
export async function runFlowAccuracy(log: (line: string) => void): Promise<unknown> {
  const estimator = new ClgFlowEstimator();
  const margin = 10;
  const records: EpeRecord[] = [];
  for (const size of [64, 128, 256]) {
    for (const [dx, dy] of [
      [0.3, -0.2],
      [2.5, 1.25],
      [-4.7, 3.1],
      [6, -6],
      [9.3, 4.4],
    ]) {
      const [a, b] = translationPair(1, size, size, dx, dy);
      const f = await estimator.estimate(a, b, size, size);
      const e = endPointError(f.u, f.v, size, size, () => [dx, dy], margin);
      records.push({
        motion: `translation (${dx}, ${dy})`,
        size,
        maxDisplacementPx: Math.hypot(dx, dy),
        meanEpePx: e.mean,
        maxEpePx: e.max,
      });
    }
    for (const degrees of [1, 3, -5]) {
      const r = rotationPair(2, size, size, degrees);
      const f = await estimator.estimate(r.frames[0], r.frames[1], size, size);
      const e = endPointError(f.u, f.v, size, size, r.flow, margin);
      const corner = r.flow(margin, margin);
      records.push({
        motion: `rotation ${degrees} deg`,
        size,
        maxDisplacementPx: Math.hypot(corner[0], corner[1]),
        meanEpePx: e.mean,
        maxEpePx: e.max,
      });
    }
  }
  log(`size  motion                   |d| max   end-point error (px, ${margin} px border excluded)`);
  for (const r of records)
    log(
      `${String(r.size).padStart(4)}  ${r.motion.padEnd(24)} ${r.maxDisplacementPx.toFixed(2).padStart(6)} px  mean EPE ${r.meanEpePx.toFixed(4)}  max EPE ${r.maxEpePx.toFixed(3)}`,
    );
  return { benchmark: 'flow', version: 1, settings: DEFAULT_CLG, marginPx: margin, machine: describeMachine(), records };
}
