/**
 * End-point error of the CLG optical-flow estimator on synthetic motion with known flow (the cases
 * test/vbench/flow/clg-flow.test.ts bounds, and a few more): textured translations at 64, 128 and 256 px and
 * rotations about the centre, mean and maximum EPE (pixels) over pixels at least 10 px from every border.
 * Lower is better. Deterministic: the textures are seeded.
 *
 *   npm run bench:flow -- [--out reports/bench/flow-accuracy.json]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { endPointError, rotationPair, translationPair } from '../data/synthetic-motion.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { ClgFlowEstimator, DEFAULT_CLG } from '../vbench/flow/clg-flow.ts';

/** One synthetic case's error. */
export interface EpeRecord {
  readonly motion: string;
  readonly size: number;
  /** Largest true displacement in the evaluated region, pixels. */
  readonly maxDisplacementPx: number;
  readonly meanEpePx: number;
  readonly maxEpePx: number;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, strict: true, options: { out: { type: 'string', default: 'reports/bench/flow-accuracy.json' } } });
  const estimator = new ClgFlowEstimator();
  const margin = 10;
  const records: EpeRecord[] = [];
  for (const size of [64, 128, 256]) {
    for (const [dx, dy] of [[0.3, -0.2], [2.5, 1.25], [-4.7, 3.1], [6, -6], [9.3, 4.4]]) {
      const [a, b] = translationPair(1, size, size, dx, dy);
      const f = await estimator.estimate(a, b, size, size);
      const e = endPointError(f.u, f.v, size, size, () => [dx, dy], margin);
      records.push({ motion: `translation (${dx}, ${dy})`, size, maxDisplacementPx: Math.hypot(dx, dy), meanEpePx: e.mean, maxEpePx: e.max });
    }
    for (const degrees of [1, 3, -5]) {
      const r = rotationPair(2, size, size, degrees);
      const f = await estimator.estimate(r.frames[0], r.frames[1], size, size);
      const e = endPointError(f.u, f.v, size, size, r.flow, margin);
      const corner = r.flow(margin, margin);
      records.push({ motion: `rotation ${degrees} deg`, size, maxDisplacementPx: Math.hypot(corner[0], corner[1]), meanEpePx: e.mean, maxEpePx: e.max });
    }
  }
  writeFileAtomic(values.out!, JSON.stringify({ benchmark: 'flow-accuracy', version: 1, settings: DEFAULT_CLG, marginPx: margin, node: process.version, cpuModel: os.cpus()[0]?.model, records }, null, 2) + '\n');
  const lines = records.map((r) => `${String(r.size).padStart(4)}  ${r.motion.padEnd(24)} ${r.maxDisplacementPx.toFixed(2).padStart(6)} px  mean EPE ${r.meanEpePx.toFixed(4)}  max EPE ${r.maxEpePx.toFixed(3)}`);
  process.stdout.write(`size  motion                   |d| max   end-point error (px, ${margin} px border excluded)\n${lines.join('\n')}\nwrote ${values.out}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`flow-accuracy: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
