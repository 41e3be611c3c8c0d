/**
 * Small results folders for the report and comparison tests, made once per process: a tiny-video suite with a
 * steps sweep of the pyramid and a cascade, every kind of metric (distance, cost, throughput, a VBench
 * dimension) and written GIFs; and variants that change the cascade's steps (its samples change, its id does
 * not: a series of "checkpoints").
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { planRun } from '../../src/suite/plan.ts';
import { runSuite } from '../../src/suite/runner.ts';
import { loadedSuite } from './suites.ts';

const root = mkdtempSync(path.join(tmpdir(), 'report-runs-'));
const quiet = { write: () => undefined, tty: false, now: () => performance.now() };
const made = new Map<string, Promise<string>>();

/** What varies between the test runs. */
export interface RunVariant {
  /** The sweep's values for the pyramid's steps per stage. */
  readonly steps?: readonly number[];
  /** The cascade's steps per stage (changes the cascade's samples, not its id: a new "checkpoint"). */
  readonly cascadeSteps?: number;
}

/** The raw suite of a variant. */
export function reportSuite({ steps = [2, 4], cascadeSteps = 2 }: RunVariant = {}): Record<string, unknown> {
  return {
    format: 1,
    name: 'report-test',
    version: 1,
    samples: 48,
    chunk: 16,
    batch: 16,
    conditions: { kind: 'class-balanced' },
    playbackFps: 8,
    sweeps: [{ name: 'steps', values: [...steps] }],
    methods: [
      {
        name: 'pyramid',
        model: 'analytic:tiny-video',
        sampler: 'pyramid',
        settings: { stepsPerStage: [{ $sweep: 'steps' }, { $sweep: 'steps' }, { $sweep: 'steps' }] },
      },
      {
        name: 'cascade',
        model: 'analytic:tiny-video',
        sampler: 'cascade',
        settings: { stepsPerStage: [cascadeSteps, cascadeSteps, cascadeSteps] },
      },
    ],
    metrics: [
      { name: 'fd-pixel', options: { downsample: 2, jackknifeGroups: 3 } },
      { name: 'cost' },
      { name: 'throughput', options: { warmup: 1, repeats: 4, bootstrap: 50 } },
      { name: 'vbench/motion_smoothness', options: { bootstrap: 50 } },
    ],
    outputs: { videos: { format: 'gif', count: 2, naming: '{index}' } },
  };
}

/** A results folder of a raw suite (run once per process and name). */
function runOnce(name: string, raw: Record<string, unknown>): Promise<string> {
  if (!made.has(name)) {
    const out = path.join(root, name);
    made.set(
      name,
      (async () => {
        await runSuite(await planRun(loadedSuite(raw), {}), {
          out,
          shard: { index: 0, count: 1 },
          progress: quiet,
          log: () => undefined,
          command: ['test'],
        });
        return out;
      })(),
    );
  }
  return made.get(name)!;
}

/** A results folder of a variant of the suite (run once per process and name). */
export function reportRun(name: string, variant: RunVariant = {}): Promise<string> {
  return runOnce(name, reportSuite(variant));
}

/**
 * A results folder with the extractor-feature `fd` metric (random-conv2d-v1, d = 256) on 320 samples of the
 * cascade with `cascadeSteps` steps per stage: more samples than features, so the covariance has full rank.
 */
export function featureFdRun(name: string, cascadeSteps: number): Promise<string> {
  return runOnce(name, {
    format: 1,
    name: 'feature-fd-test',
    version: 1,
    samples: 320,
    chunk: 64,
    batch: 32,
    conditions: { kind: 'class-balanced' },
    methods: [
      {
        name: 'cascade',
        model: 'analytic:tiny-video',
        sampler: 'cascade',
        settings: { stepsPerStage: [cascadeSteps, cascadeSteps, cascadeSteps] },
      },
    ],
    metrics: [{ name: 'fd', options: { extractor: 'random-conv2d-v1', jackknifeGroups: 5 } }],
  });
}

/** A fresh folder for a test's outputs. */
export function scratch(name: string): string {
  return mkdtempSync(path.join(root, `${name}-`));
}
