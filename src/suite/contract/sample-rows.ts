/**
 * The per-sample table of a run folder: `samples/<slug>.jsonl` (read back by merge, compare and reports) and
 * `samples/<slug>.csv`, one row per sample with its condition, seed, store key, cost and measured seconds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../../io/atomic.ts';
import { insideFolder, safeName } from '../../io/safe-path.ts';
import type { SampleRecord, SuiteItem } from './records.ts';

/** One row of a method's per-sample table. */
export interface SampleRow {
  readonly method: string;
  readonly index: number;
  readonly condition: string;
  readonly label: number | null;
  readonly prompt: string | null;
  readonly repeat: number | null;
  readonly seed: number;
  /** Store key of the sample. */
  readonly key: string;
  readonly nfe: number;
  readonly tokensPerSample: number;
  readonly flopsPerSample: number | null;
  /** Measured: the sample's share of its batch's sampler wall time, seconds. */
  readonly generationSeconds: number;
}

/** The per-sample row of an item and its generation record. */
export function sampleRow(method: string, item: SuiteItem, record: SampleRecord): SampleRow {
  return {
    method,
    index: item.index,
    condition: item.conditionKey,
    label: item.label,
    prompt: item.prompt,
    repeat: item.repeat,
    seed: record.seed,
    key: record.key,
    nfe: record.cost.nfe,
    tokensPerSample: record.cost.tokensPerSample,
    flopsPerSample: record.cost.flopsPerSample,
    generationSeconds: record.generationSeconds,
  };
}

/** Writes `samples/<slug>.jsonl` (one JSON object per line, read back by `merge`) and `samples/<slug>.csv`, rows sorted by index. */
export function writeSampleRows(dir: string, slug: string, rows: readonly SampleRow[]): void {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  writeFileAtomic(sampleRowsFile(dir, slug, '.jsonl'), sorted.map((r) => `${JSON.stringify(r)}\n`).join(''));
  writeFileAtomic(
    sampleRowsFile(dir, slug, '.csv'),
    stringify(
      sorted.map((r) => ({
        ...r,
        label: r.label ?? '',
        prompt: r.prompt ?? '',
        repeat: r.repeat ?? '',
        flopsPerSample: r.flopsPerSample ?? '',
      })),
      { header: true },
    ),
  );
}

/** Path of `samples/<slug><ext>` under `dir`; refuses a slug that would leave `dir`. */
export function sampleRowsFile(dir: string, slug: string, ext: '.jsonl' | '.csv'): string {
  return insideFolder(dir, ['samples', `${safeName(slug, 'method slug')}${ext}`], `per-sample rows of method '${slug}'`);
}

/** Reads `samples/<slug>.jsonl`. */
export function readSampleRows(dir: string, slug: string): SampleRow[] {
  const file = sampleRowsFile(dir, slug, '.jsonl');
  if (!existsSync(file)) throw new RangeError(`${file} does not exist; is ${dir} a results folder of this suite?`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as SampleRow);
}
