/**
 * A fake backend for ownership tests: `counting:<preset>` loads the analytic preset and counts, per reference,
 * how often the set was loaded and closed; `counting:<preset>!fail<N>` throws from its Nth velocity call.
 */
import { analyticModelSet } from '../../src/models/analytic/backend.ts';
import { analyticPreset } from '../../src/models/analytic/presets.ts';
import { backends } from '../../src/models/load.ts';
import type { ModelSet, VelocityModel } from '../../src/models/contract/velocity-model.ts';

/** Loads and closes per reference (the part after `counting:`), since the last `resetCounts`. */
export const counts = new Map<string, { loads: number; closes: number }>();

export function resetCounts(): void {
  counts.clear();
}

/** Loads a counting set for `rest` ("<preset>" or "<preset>!fail<N>"). */
export async function countingModelSet(rest: string): Promise<ModelSet> {
  const [preset, fail] = rest.split('!');
  const failAt = fail ? Number(fail.replace('fail', '')) : Infinity;
  const inner = analyticModelSet(analyticPreset(preset));
  const count = counts.get(rest) ?? { loads: 0, closes: 0 };
  count.loads++;
  counts.set(rest, count);
  let calls = 0;
  const wrap = (m: VelocityModel): VelocityModel => ({
    id: m.id,
    hash: m.hash,
    spec: m.spec,
    predict: (input) =>
      ++calls >= failAt ? Promise.reject(new Error(`counting:${rest}: velocity call ${calls} fails`)) : m.predict(input),
  });
  return {
    ...inner,
    id: `counting:${rest}`,
    pyramid: inner.pyramid && wrap(inner.pyramid),
    full: inner.full && wrap(inner.full),
    cascade: inner.cascade?.map(wrap),
    close: async () => {
      count.closes++;
    },
  };
}

// one process runs every test file: register once
if (!backends.has('counting')) backends.register('counting', countingModelSet, 'test backend that counts loads and closes');
