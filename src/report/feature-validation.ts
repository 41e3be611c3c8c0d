/**
 * The feature-space validation's files (src/analysis/feature-validation.ts): the results as JSON, the tables as
 * Markdown (which spaces pass which disturbance, then each space's distances level by level with the margins),
 * and one chart per space (feature-validation-chart.ts), each written atomically.
 */
import path from 'node:path';
import { FEATURE_VALIDATION_FILE, type FeatureValidation } from '../analysis/feature-validation.ts';
import { markdownCell } from '../core/markdown-escape.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { insideFolder } from '../io/safe-path.ts';
import { featureValidationCharts } from './feature-validation-chart.ts';
import type { ChartFormat } from './formats.ts';
import { renderChart } from './render.ts';

const fixed = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

/** The validation as Markdown: the pass table, the disturbances' levels, and each space's distances. */
export function featureValidationMarkdown(v: FeatureValidation): string {
  const s = v.settings;
  const names = v.disturbances.map((d) => d.name);
  const lines = [
    `Feature-space validation: ${s.n} clean clips (shapes seed ${s.cleanSeed}) against ${s.n} clips of a second draw (seed ${s.disturbedSeed}) ` +
      `disturbed with noise seed ${s.disturbanceSeed}; ${s.frames} frames at ${s.size}x${s.size}; jackknife over ${s.jackknifeGroups} groups.`,
    '',
    "Spearman's rho between disturbance level and Fréchet distance (pass: rho = 1, the distance rises at every level):",
    '',
    `| space | sees | d | ${names.join(' | ')} | passes |`,
    `|---|---|---|${names.map(() => '---|').join('')}---|`,
    ...v.spaces.map((sp) => {
      const cells = names.map((name) => {
        const c = sp.curves.find((x) => x.disturbance === name);
        return c ? `${fixed(c.rho, 2)} ${c.pass ? 'pass' : '**fail**'}` : 'n/a';
      });
      return `| ${markdownCell(sp.extractor)} | ${markdownCell(sp.sees)} | ${sp.dim} | ${cells.join(' | ')} | ${sp.pass ? 'yes' : '**no**'} |`;
    }),
    '',
    'Levels (level 0: no disturbance):',
    '',
    '| disturbance | applies to | parameter | levels 0..4 |',
    '|---|---|---|---|',
    ...v.disturbances.map(
      (d) =>
        `| ${d.name} | ${d.kind === 'frame' ? 'every frame (image and video spaces)' : 'the frame order (video spaces)'} | ${markdownCell(d.parameter)} | ${d.levels.join(', ')} |`,
    ),
  ];
  for (const sp of v.spaces) {
    lines.push(
      '',
      `${sp.extractor} (${sp.kind}, d = ${sp.dim}, ${fixed(sp.seconds, 1)} s): FD / floor at levels 0..4 (floor: FD ${fixed(sp.curves[0]?.levels[0]?.fd ?? Number.NaN, 4)} ` +
        `± ${fixed(sp.curves[0]?.levels[0]?.fdStderr ?? Number.NaN, 4)}); smallest rise between consecutive levels in its paired jackknife standard errors (z) ` +
        'and in the larger level stderr (as if unpaired):',
      '',
      '| disturbance | FD / floor at levels 0..4 | rho | smallest rise (z) | smallest rise / FD stderr |',
      '|---|---|---|---|---|',
      ...sp.curves.map((c) => {
        const z = Math.min(...c.gaps.map((g) => g.gapZ));
        const unpaired = Math.min(...c.gaps.map((g) => g.gapOverFdStderr));
        return `| ${c.disturbance} | ${c.levels.map((l) => fixed(l.fdOverFloor, 3)).join(', ')} | ${fixed(c.rho, 2)} | ${fixed(z, 1)} | ${fixed(unpaired, 2)} |`;
      }),
      ...sp.notApplicable.map((d) => `| ${d.disturbance} | not applicable: ${markdownCell(d.reason)} | | | |`),
    );
    if (sp.warnings.length) lines.push('', ...sp.warnings.map((w) => `Note: ${markdownCell(w)}.`));
  }
  return `${lines.join('\n')}\n`;
}

/** Writes feature-validation.json, feature-validation.md and charts/<chart>.<format> under `out`; returns the paths written, relative to `out`. */
export function writeFeatureValidation(v: FeatureValidation, out: string, formats: readonly ChartFormat[]): string[] {
  const files: string[] = [];
  const write = (rel: string, data: string | Uint8Array) => {
    writeFileAtomic(insideFolder(out, [rel], `feature validation file '${rel}'`), data);
    files.push(rel);
  };
  write(FEATURE_VALIDATION_FILE, `${JSON.stringify(v, null, 2)}\n`);
  write('feature-validation.md', featureValidationMarkdown(v));
  for (const chart of featureValidationCharts(v))
    for (const f of formats) write(path.join('charts', `${chart.name}.${f}`), renderChart(chart, f));
  return files;
}
