/**
 * Sample counts from a pilot run's standard errors: for each headline value with an uncertainty and each pair of
 * methods, the samples per method at which the pair's difference would be `z` combined standard errors, assuming
 * standard errors shrink as 1/sqrt(n) and the difference stays what the pilot measured. The combination treats the
 * two methods as independent (sqrt(se_a^2 + se_b^2)); the suite pairs its methods on the same conditions and noise,
 * so this is conservative. Used to choose the default suite's sample count (`tools/check/sample-size.ts`).
 */
import type { Results } from '../suite/contract/results.ts';
import { impliedStderr } from './paired-compare.ts';

/** One pair's requirement for one value. */
export interface PairRequirement {
  readonly metric: string;
  readonly key: string;
  readonly a: string;
  readonly b: string;
  readonly difference: number;
  /** Combined standard error at the pilot's sample count. */
  readonly stderr: number;
  /** The pilot's samples per method. */
  readonly pilotSamples: number;
  /** Samples per method at which |difference| = z * combined stderr (Infinity for a zero difference). */
  readonly samplesNeeded: number;
}

/**
 * Every headline value with a direction and a standard error, for every pair of methods: the samples per method
 * that would resolve the pilot's difference at `z` standard errors. `keys` limits it to some metric/key pairs
 * (`metric` or `metric/key`).
 */
export function sampleSizeRequirements(results: Results, z = 3, keys?: readonly string[]): PairRequirement[] {
  if (!(z > 0)) throw new RangeError(`z is ${z}; allowed: a positive number of standard errors`);
  const wanted = (metric: string, key: string) => !keys || keys.includes(metric) || keys.includes(`${metric}/${key}`);
  const out: PairRequirement[] = [];
  const methods = results.methods;
  for (let i = 0; i < methods.length; i++) {
    for (let j = i + 1; j < methods.length; j++) {
      const a = methods[i];
      const b = methods[j];
      for (const [metric, entry] of Object.entries(a.metrics)) {
        for (const v of entry.values) {
          if (v.direction === 'none' || (!keys && !v.headline) || !wanted(metric, v.key) || v.value === null) continue;
          const w = b.metrics[metric]?.values.find((x) => x.key === v.key);
          if (!w || w.value === null) continue;
          const sa = impliedStderr(v);
          const sb = impliedStderr(w);
          if (sa === null || sb === null) continue;
          const stderr = Math.hypot(sa, sb);
          const difference = v.value - w.value;
          const pilotSamples = Math.min(a.samples, b.samples);
          const samplesNeeded =
            difference === 0 ? Number.POSITIVE_INFINITY : Math.ceil(pilotSamples * ((z * stderr) / Math.abs(difference)) ** 2 - 1e-9);
          out.push({ metric, key: v.key, a: a.id, b: b.id, difference, stderr, pilotSamples, samplesNeeded });
        }
      }
    }
  }
  return out;
}
