/**
 * The feature-space validation's charts (src/analysis/feature-validation.ts): for one feature space, the Fréchet
 * distance relative to its floor (two undisturbed draws) against the disturbance level, one line per disturbance,
 * as Heusel et al. (NeurIPS 2017, arXiv:1706.08500, figure 3) drew FID against disturbance level. Whiskers are ±1.96 jackknife
 * standard errors of each level's distance; the legend says each disturbance's Spearman rho and whether it passes.
 */
import type { ChartConfiguration } from 'chart.js';
import type { FeatureValidation, SpaceResult } from '../analysis/feature-validation.ts';
import { chartPlugins, errorBarsOf, groupOffset, numericAxis, wantsLog } from './axes.ts';
import { MethodPalette } from './palette.ts';
import type { ChartSpec } from './render.ts';

/** The chart's file stem for a space: "feature-validation-" and the extractor's name (letters, digits, - and _ only). */
export function validationChartName(extractor: string): string {
  return `feature-validation-${extractor.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** One chart per space of a validation, colours by disturbance the same in every chart. */
export function featureValidationCharts(validation: FeatureValidation): ChartSpec[] {
  const palette = new MethodPalette(validation.disturbances.map((d) => d.name));
  return validation.spaces.map((space) => spaceChart(space, validation.settings.n, palette));
}

function spaceChart(space: SpaceResult, n: number, palette: MethodPalette): ChartSpec {
  const levels = space.curves[0]?.levels.map((l) => l.level) ?? [];
  const ratios = space.curves.flatMap((c) => c.levels.map((l) => l.fdOverFloor));
  const log = wantsLog(ratios, 8);
  const verdict = space.pass ? 'passes' : 'fails';
  const skipped = space.notApplicable.length ? `; ${space.notApplicable.map((d) => d.disturbance).join(', ')}: not applicable` : '';
  const title = `${space.extractor}: FD under disturbance (${verdict})`;
  return {
    name: validationChartName(space.extractor),
    title,
    caption:
      `Fréchet distance in ${space.extractor} features (d = ${space.dim}) between ${n} clean clips and ${n} clips of a second draw ` +
      `disturbed at each level, divided by the distance at level 0 (the floor of two undisturbed draws); whiskers ±1.96 jackknife ` +
      `standard errors. Each disturbance passes when the distance rises at every level (Spearman rho = 1).`,
    config(): ChartConfiguration {
      // each disturbance a little to the side of the level, so that the whiskers do not overlap
      const datasets = space.curves.map((c, d) => ({
        label: `${c.disturbance} (ρ = ${c.rho.toFixed(2)}, ${c.pass ? 'pass' : 'FAIL'})`,
        data: c.levels.map((l) => ({ x: l.level + groupOffset(d, space.curves.length), y: l.fdOverFloor })),
        borderColor: palette.colour(c.disturbance),
        backgroundColor: palette.colour(c.disturbance),
        pointStyle: palette.pointStyle(c.disturbance),
        pointRadius: 4,
        borderWidth: 2,
        borderDash: c.pass ? [] : [6, 4],
        showLine: true,
      }));
      const floor = space.curves[0]?.levels[0]?.fd ?? 1;
      const bars = space.curves.flatMap((c, d) =>
        errorBarsOf(
          d,
          c.levels.map((l) => ({
            // a whisker below zero runs to the bottom of a log axis (the plot area clips it)
            y: {
              value: l.fdOverFloor,
              low: Math.max(log ? 1e-9 : -Infinity, (l.fd - 1.96 * l.fdStderr) / floor),
              high: (l.fd + 1.96 * l.fdStderr) / floor,
            },
          })),
        ),
      );
      const extent = space.curves.flatMap((c) => c.levels.flatMap((l) => [l.fdOverFloor, (l.fd + 1.96 * l.fdStderr) / floor]));
      return {
        type: 'scatter',
        data: { datasets },
        options: {
          layout: { padding: 8 },
          scales: {
            x: {
              ...numericAxis('disturbance level (0 = none; the parameters are in the table)', { min: -0.5, max: levels.length - 0.5 }),
              afterBuildTicks: (axis: { ticks: { value: number }[] }) => {
                axis.ticks = levels.map((value) => ({ value }));
              },
            },
            y: numericAxis(`FD / FD at level 0${log ? ' (log)' : ''}`, { log, extent, nonNegative: true }),
          },
          plugins: chartPlugins(title, `sees ${space.sees}; N = ${n} per draw${skipped}`, bars),
        },
      } as ChartConfiguration;
    },
  };
}
