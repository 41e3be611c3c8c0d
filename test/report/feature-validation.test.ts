import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { disturbanceTable, type CurveResult, type FeatureValidation, type SpaceResult } from '../../src/analysis/feature-validation.ts';
import { DISTURBANCES, type DisturbanceName } from '../../src/data/disturbances.ts';
import { featureValidationCharts, validationChartName } from '../../src/report/feature-validation-chart.ts';
import { featureValidationMarkdown, writeFeatureValidation } from '../../src/report/feature-validation.ts';

/** A curve with FD = floor x the given ratios (stderr a tenth of the floor). */
function curve(disturbance: DisturbanceName, ratios: number[], floor = 2): CurveResult {
  const levels = ratios.map((r, level) => ({
    level,
    parameter: DISTURBANCES[disturbance].levels[level],
    fd: floor * r,
    fdStderr: floor / 10,
    fdOverFloor: r,
  }));
  const rising = ratios.every((r, i) => i === 0 || r > ratios[i - 1]);
  return {
    disturbance,
    kind: DISTURBANCES[disturbance].kind,
    parameter: DISTURBANCES[disturbance].parameter,
    levels,
    gaps: levels.slice(1).map((l, k) => {
      const gap = l.fd - levels[k].fd;
      return { from: k, to: k + 1, gap, gapStderr: 0.05, gapZ: gap / 0.05, gapOverFdStderr: gap / 0.2 };
    }),
    rho: rising ? 1 : 0.7,
    pass: rising,
  };
}

const image: SpaceResult = {
  extractor: 'image-net',
  version: '1',
  kind: 'image',
  sees: 'frame 0 of each clip (32x32)',
  dim: 64,
  curves: [
    curve('gaussian-noise', [1, 2, 4, 8, 16]),
    curve('gaussian-blur', [1, 1.5, 2, 3, 4]),
    curve('occlusion', [1, 3, 5, 7, 9]),
    curve('salt-and-pepper', [1, 1.2, 1.1, 3, 9]),
  ],
  notApplicable: ['frame-shuffle', 'frozen-frames', 'temporal-jitter'].map((d) => ({
    disturbance: d as DisturbanceName,
    reason: 'one frame',
  })),
  pass: false,
  warnings: [],
  seconds: 1.5,
};
const video: SpaceResult = {
  ...image,
  extractor: 'video-net',
  kind: 'video',
  sees: 'the clip (9 frames at 32x32)',
  curves: [...image.curves.slice(0, 3), curve('salt-and-pepper', [1, 2, 3, 4, 5]), curve('frame-shuffle', [1, 1.1, 1.2, 1.3, 1.4])],
  notApplicable: [],
  pass: true,
};
const validation: FeatureValidation = {
  format: 'pyramid-bench-feature-validation',
  version: 1,
  settings: { n: 64, frames: 9, size: 32, cleanSeed: 1, disturbedSeed: 2, disturbanceSeed: 3, jackknifeGroups: 10 },
  disturbances: disturbanceTable(),
  spaces: [image, video],
};

test('the Markdown table gives rho and pass per space and disturbance, n/a where a space cannot see one', () => {
  const md = featureValidationMarkdown(validation);
  assert.match(
    md,
    '| image-net | frame 0 of each clip (32x32) | 64 | 1.00 pass | 1.00 pass | 1.00 pass | 0.70 **fail** | n/a | n/a | n/a | **no** |',
  );
  assert.match(
    md,
    '| video-net | the clip (9 frames at 32x32) | 64 | 1.00 pass | 1.00 pass | 1.00 pass | 1.00 pass | 1.00 pass | n/a | n/a | yes |',
  );
  assert.match(md, '| gaussian-blur | every frame (image and video spaces) | blur standard deviation (pixels) | 0, 0.5, 1, 2, 3 |');
  assert.match(md, '| salt-and-pepper | 1.000, 1.200, 1.100, 3.000, 9.000 | 0.70 | -4.0 | -1.00 |');
  assert.match(md, '| frame-shuffle | not applicable: one frame | | | |');
});

test('one chart per space: FD / floor against level, a colour per disturbance shared between charts, failing curves dashed', () => {
  const charts = featureValidationCharts(validation);
  assert.equal(
    charts.map((c) => c.name),
    ['feature-validation-image-net', 'feature-validation-video-net'],
  );
  assert.is(validationChartName('a/b.yaml'), 'feature-validation-a_b_yaml');
  const sets = charts.map(
    (c) =>
      c.config().data.datasets as unknown as {
        label: string;
        borderColor: string;
        borderDash: number[];
        data: { x: number; y: number }[];
      }[],
  );
  assert.is(sets[0][3].label, 'salt-and-pepper (ρ = 0.70, FAIL)');
  assert.equal(sets[0][3].borderDash, [6, 4]);
  assert.equal(sets[0][0].borderDash, []);
  assert.equal(
    sets[0][0].data.map((p) => p.y),
    [1, 2, 4, 8, 16],
  );
  // points sit beside their level (offset per disturbance) and in level order
  assert.ok(sets[0][0].data.every((p, level) => Math.abs(p.x - level) < 0.4));
  assert.is(sets[0][1].borderColor, sets[1][1].borderColor);
  assert.is.not(sets[0][0].borderColor, sets[0][1].borderColor);
  assert.match(charts[0].title, 'image-net: FD under disturbance (fails)');
  const y = charts[0].config().options?.scales?.y as { type: string };
  assert.is(y.type, 'logarithmic', 'a 16-fold range is drawn on a log axis');
});

test('writeFeatureValidation writes the JSON, the Markdown and each chart in each format', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'feature-validation-'));
  const files = writeFeatureValidation(validation, out, ['svg']);
  assert.equal(files, [
    'feature-validation.json',
    'feature-validation.md',
    'charts/feature-validation-image-net.svg',
    'charts/feature-validation-video-net.svg',
  ]);
  assert.equal(JSON.parse(readFileSync(path.join(out, 'feature-validation.json'), 'utf8')), validation);
  assert.match(readFileSync(path.join(out, 'charts/feature-validation-video-net.svg'), 'utf8'), /^<\?xml|<svg/);
});

test.run();
