/**
 * VBench's results file, `<name>_eval_results.json` (`vbench/__init__.py:171-192`, Vchitect/VBench 45e79ec):
 * `{dimension: [dimension_score, [{video_path, video_results, ...}, ...]]}`, the score in [0, 1] (imaging
 * quality's per-video values on MUSIQ's 0-100 scale, dynamic degree's booleans). Read (VBench's own files
 * and ours, several merged) and written in that shape. Our per-video entries may carry `backbone`, naming a
 * substitute where one was used; VBench's aggregator ignores extra keys.
 */
import { z } from 'zod';
import { parseWith } from '../core/schema.ts';
import { assertDimensionScore, dimension, type DimensionId } from './dimensions.ts';

/** One video's entry. */
export interface VideoEntry {
  readonly video_path: string;
  readonly video_results: number | boolean | null;
  readonly [extra: string]: unknown;
}

/** One dimension: its score (0-1) and per-video entries. */
export interface DimensionResult {
  readonly score: number;
  readonly videos: readonly VideoEntry[];
}

/** A results file's content, by dimension id. */
export type VbenchResults = Partial<Record<DimensionId, DimensionResult>>;

const entrySchema = z.looseObject({
  video_path: z.string(),
  video_results: z.union([z.number(), z.boolean(), z.null()]),
});
const fileSchema = z.record(z.string(), z.tuple([z.number(), z.array(entrySchema)]));

/** Parses a results file's JSON (already decoded); `where` names the file in errors. */
export function parseResults(raw: unknown, where: string): VbenchResults {
  const parsed = parseWith(fileSchema, raw, where);
  const out: VbenchResults = {};
  for (const [key, [score, videos]] of Object.entries(parsed)) {
    const d = dimension(key, `${where}: key`);
    assertDimensionScore(d.id, score, `${where}.${key}[0]`);
    out[d.id] = { score, videos: videos as VideoEntry[] };
  }
  return out;
}

/** Merges several results; a dimension in two of them is an error naming both sources. */
export function mergeResults(parts: readonly { readonly results: VbenchResults; readonly source: string }[]): {
  results: VbenchResults;
  sources: Partial<Record<DimensionId, string>>;
} {
  const results: VbenchResults = {};
  const sources: Partial<Record<DimensionId, string>> = {};
  for (const { results: r, source } of parts) {
    for (const [id, value] of Object.entries(r) as [DimensionId, DimensionResult][]) {
      if (sources[id] !== undefined)
        throw new RangeError(`dimension ${id} appears in both ${sources[id]} and ${source}; give each dimension once`);
      results[id] = value;
      sources[id] = source;
    }
  }
  return { results, sources };
}

/** The JSON VBench writes (4-space indent, as its `save_json`). */
export function formatResults(results: VbenchResults): string {
  const out: Record<string, [number, VideoEntry[]]> = {};
  for (const [id, r] of Object.entries(results) as [DimensionId, DimensionResult][]) out[id] = [r.score, [...r.videos]];
  return `${JSON.stringify(out, null, 4)}\n`;
}

/** The substitute backbone named by a dimension's entries, if any (our files mark substitutes per video). */
export function substituteBackbone(result: DimensionResult): string | null {
  const names = new Set(
    result.videos.map((v) => v.backbone).filter((b): b is string => typeof b === 'string' && b.startsWith('substitute:')),
  );
  return names.size === 0 ? null : [...names].join(', ');
}
