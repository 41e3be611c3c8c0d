/**
 * Plain-text tables for the `vbench` command: the 16 dimensions with the three aggregate scores (percent, as
 * the leaderboard prints them; higher is better for all), an evaluation run's dimensions with how each was
 * computed and how fast, and published rows.
 */
import type { AggregateScores } from './aggregate.ts';
import { DIMENSIONS, type DimensionId } from './dimensions.ts';
import type { DimensionOutcome } from './evaluate.ts';
import { recomputed, type PublishedRow } from './published.ts';

const pct = (x: number | undefined | null) => (x === undefined || x === null ? '—' : (100 * x).toFixed(2));

/** The 16 dimensions (percent, normalised n_d, note) and Quality / Semantic / Total. */
export function formatScoreTable(
  scores: Partial<Record<DimensionId, number>>,
  agg: AggregateScores | null,
  notes: Partial<Record<DimensionId, string>>,
): string {
  const lines = [`${'dimension'.padEnd(24)} ${'score %'.padStart(8)} ${'n_d'.padStart(8)}  note`];
  for (const d of DIMENSIONS) {
    const n = agg ? agg.normalised[d.id].toFixed(4) : '—';
    const note = [agg?.defaulted.includes(d.id) ? 'missing: counted as 0 (VBench default)' : '', notes[d.id] ?? '']
      .filter(Boolean)
      .join('; ');
    lines.push(`${d.label.padEnd(24)} ${pct(scores[d.id]).padStart(8)} ${n.padStart(8)}  ${note}`.trimEnd());
  }
  if (agg)
    lines.push(
      '',
      `quality score   ${pct(agg.quality).padStart(7)} %`,
      `semantic score  ${pct(agg.semantic).padStart(7)} %`,
      `total score     ${pct(agg.total).padStart(7)} %`,
    );
  return lines.join('\n');
}

/** One line per evaluated dimension: score, computation, method, videos, frames per second. */
export function formatOutcomes(outcomes: readonly DimensionOutcome[]): string {
  const lines = [`${'dimension'.padEnd(24)} ${'score %'.padStart(8)} ${'videos'.padStart(6)} ${'frames/s'.padStart(9)}  computed as`];
  for (const o of outcomes) {
    const fps = o.seconds > 0 ? (o.frames / o.seconds).toFixed(1) : '—';
    const kind = o.computation === 'substitute' ? 'SUBSTITUTE' : o.computation;
    lines.push(
      `${o.id.replace(/_/g, ' ').padEnd(24)} ${pct(o.result?.score).padStart(8)} ${String(o.result?.videos.length ?? 0).padStart(6)} ${fps.padStart(9)}  ${kind}: ${o.method}`,
    );
  }
  return lines.join('\n');
}

/** Published rows: stated aggregates, the dimensions given, and the aggregate recomputed when all 16 are. */
export function formatPublished(rows: readonly PublishedRow[]): string {
  const out: string[] = [];
  for (const r of rows) {
    out.push(`${r.model}  (source: ${r.source})`);
    out.push(`  stated:     total ${r.total ?? '—'}  quality ${r.quality ?? '—'}  semantic ${r.semantic ?? '—'}`);
    const dims = Object.entries(r.dimensions).map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`);
    out.push(`  dimensions: ${dims.length ? dims.join(', ') : '(none given)'}`);
    const re = recomputed(r);
    out.push(
      re
        ? `  recomputed: total ${re.total.toFixed(2)}  quality ${re.quality.toFixed(2)}  semantic ${re.semantic.toFixed(2)}`
        : `  recomputed: needs all 16 dimensions (${Object.keys(r.dimensions).length} given)`,
    );
  }
  return out.join('\n');
}
