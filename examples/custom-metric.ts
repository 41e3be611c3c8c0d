/**
 * A custom suite metric written against the plug-in contract alone (`src/suite/contract/plugin.ts`): the mean
 * brightness of the samples (each sample's mean value over channels, frames and pixels, averaged over samples)
 * with its standard error, registered as `mean-brightness` so a suite can name it under `metrics:`.
 * docs/extending.md, "A metric".
 *
 * The chunk state is three float64 sums (count, sum and sum of squares of the per-sample means), so chunks and
 * shards merge exactly: `finalize` adds them in chunk order and nothing else combines them.
 *
 * `main()` writes a small suite file (two methods on the `template` backend, 8 class-balanced samples in 2 chunks),
 * runs it in this process with the suite runner, and returns the metric's values. The template backend's samples
 * are flat colours with a known mean, so the answer is known: classes 0-2 have mean -0.4/3, class 3 has 0.
 *
 * Run: npx tsx examples/custom-metric.ts
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseWith, strictObject } from '../src/core/schema.ts';
import type { MetricPlugin, MetricValue } from '../src/suite/contract/plugin.ts';
import { suiteMetrics } from '../src/suite/metrics/index.ts';
import { loadSuite } from '../src/suite/suite-schema.ts';
import { planRun } from '../src/suite/plan.ts';
import { runSuite } from '../src/suite/runner.ts';

/** Per-chunk sums over samples, float64: [count, sum of means, sum of squared means]. */
export interface BrightnessState {
  readonly sums: Float64Array;
}

/** The `mean-brightness` metric: no options, no reference set. */
export const meanBrightnessMetric: MetricPlugin<Record<string, never>, BrightnessState> = {
  name: 'mean-brightness',
  // bump when the numbers change: the version enters the state cache keys and the results
  version: 1,
  description:
    'mean value of the samples (over channels, frames and pixels), with its standard error over samples (example: examples/custom-metric.ts)',
  referenceSets: [],
  parseOptions: (raw, where) => parseWith(strictObject({}), raw, where) as Record<string, never>,
  // pure: depends only on the chunk's samples
  chunkState(chunk) {
    const { samples } = chunk;
    const sums = new Float64Array(3);
    for (let b = 0; b < samples.batch; b++) {
      const values = samples.sample(b);
      let s = 0;
      for (let i = 0; i < values.length; i++) s += values[i];
      const m = s / values.length;
      if (!Number.isFinite(m)) throw new RangeError(`mean-brightness: sample ${chunk.items[b].index} has a non-finite value`);
      sums[0] += 1;
      sums[1] += m;
      sums[2] += m * m;
    }
    return { sums };
  },
  // arrays are stored exactly (.npz); json is for small data
  encode: (state) => ({ json: null, arrays: { sums: state.sums } }),
  decode: (encoded) => ({ sums: Float64Array.from(encoded.arrays.sums) }),
  finalize({ states, method }): MetricValue[] {
    // combine in chunk order (the order `states.samples` is given in), so every shard layout gives the same bits
    const total = new Float64Array(3);
    for (const s of states.samples ?? []) for (let k = 0; k < 3; k++) total[k] += s.sums[k];
    const [n, sum, sumSquares] = total;
    if (n === 0) throw new RangeError(`mean-brightness (${method.id}): no samples`);
    const mean = sum / n;
    const variance = n > 1 ? Math.max(0, (sumSquares - n * mean * mean) / (n - 1)) : 0;
    return [
      {
        key: 'meanBrightness',
        label: 'mean sample value',
        value: mean,
        unit: 'pixel value ([-1, 1])',
        direction: 'none',
        uncertainty:
          n > 1
            ? { kind: 'stderr', stderr: Math.sqrt(variance / n), n, method: 'standard error of the mean over samples' }
            : { kind: 'none', reason: 'one sample' },
        measured: false,
        headline: true,
      },
    ];
  },
};

/** Registers the metric under its name (the registry rejects a second registration). */
export function registerMeanBrightness(): void {
  if (!suiteMetrics.has(meanBrightnessMetric.name)) {
    suiteMetrics.register(
      meanBrightnessMetric.name,
      meanBrightnessMetric,
      `v${meanBrightnessMetric.version}: ${meanBrightnessMetric.description}`,
    );
  }
}

/** A suite that names the metric, as a user would write it. */
export const EXAMPLE_SUITE = `format: 1
name: brightness-example
version: 1
samples: 8
chunk: 4
batch: 4
conditions: {kind: class-balanced}
reference: {source: none}
methods:
  - {name: pyramid, model: 'template:2x8x8', sampler: pyramid}
  - {name: full, model: 'template:2x8x8', sampler: full, settings: {steps: 4}}
metrics:
  - {name: mean-brightness}
  - {name: cost}
`;

/** What `main` computed, per method. */
export interface MetricExampleResult {
  readonly out: string;
  readonly methods: readonly {
    readonly id: string;
    readonly meanBrightness: number;
    readonly stderr: number;
    readonly n: number;
    readonly nfe: number;
  }[];
}

/** Writes the suite to a temporary folder (or `dir`), runs it, and returns each method's brightness and NFE. */
export async function main(dir = mkdtempSync(path.join(tmpdir(), 'custom-metric-'))): Promise<MetricExampleResult> {
  registerMeanBrightness();
  const file = path.join(dir, 'brightness.yaml');
  writeFileSync(file, EXAMPLE_SUITE);
  const out = path.join(dir, 'run');
  const quiet = { write: () => undefined, tty: false, now: () => performance.now() };
  const { results } = await runSuite(await planRun(loadSuite(file), {}), {
    out,
    shard: { index: 0, count: 1 },
    progress: quiet,
    log: () => undefined,
    command: ['examples/custom-metric.ts'],
  });
  return {
    out,
    methods: results.methods.map((m) => {
      const v = m.metrics['mean-brightness'].values[0];
      if (v.uncertainty.kind !== 'stderr' || v.value === null)
        throw new Error(`mean-brightness of ${m.id}: no value with a standard error`);
      return {
        id: m.id,
        meanBrightness: v.value,
        stderr: v.uncertainty.stderr,
        n: v.uncertainty.n,
        nfe: m.metrics.cost.values.find((c) => c.key === 'nfe')!.value!,
      };
    }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then((result) => console.log(JSON.stringify(result, null, 2)));
}
