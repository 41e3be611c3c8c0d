/** Small suites for the runner's tests: tiny analytic presets and few samples. */
import { parseSuite, type LoadedSuite } from '../../src/suite/suite-schema.ts';
import { hashValue } from '../../src/core/hash.ts';
import type { SuiteItem } from '../../src/suite/contract/records.ts';

/** A raw suite object (as YAML would give it) with a few fields replaced. */
export function rawSuite(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 1,
    name: 'test',
    version: 1,
    samples: 96,
    chunk: 32,
    batch: 10,
    conditions: { kind: 'class-balanced' },
    playbackFps: 8,
    methods: [
      { name: 'pyramid', model: 'analytic:tiny-image', sampler: 'pyramid', settings: { stepsPerStage: [3, 3, 3] } },
      { name: 'cascade', model: 'analytic:tiny-image', sampler: 'cascade', settings: { stepsPerStage: [3, 3, 3] } },
    ],
    metrics: [{ name: 'fd-pixel' }, { name: 'cost' }, { name: 'throughput', options: { warmup: 1, repeats: 3, bootstrap: 50 } }],
    ...overrides,
  };
}

/** A loaded suite from a raw object (no file). */
export function loadedSuite(raw: Record<string, unknown> = rawSuite(), prompts: string[] = []): LoadedSuite {
  const suite = parseSuite(raw, 'test.yaml');
  return {
    suite,
    file: 'test.yaml',
    hash: hashValue({ suite }),
    fileHash: hashValue(raw),
    prompts,
    promptsHash: prompts.length ? hashValue(prompts) : null,
  };
}

/** A suite item of class `label` (null: unconditional) at `index`. */
export function classItem(index: number, label: number | null): SuiteItem {
  return {
    index,
    condition: label === null ? { kind: 'unconditional' } : { kind: 'class', label },
    conditionKey: label === null ? 'unconditional' : `class:${label}`,
    label,
    prompt: null,
    repeat: null,
  };
}
