import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  parseValidationSettings,
  validateFeatureSpace,
  type SpaceResult,
  type ValidationSettings,
} from '../../src/analysis/feature-validation.ts';
import { contiguousGroups, jackknifeStderr, spearmanRho } from '../../src/core/statistics.ts';
import { CLIP_DISTURBANCES, FRAME_DISTURBANCES, type DisturbanceName } from '../../src/data/disturbances.ts';
import { tensorToFrames } from '../../src/data/quantize.ts';
import { shapesVideo } from '../../src/data/shapes.ts';
import type { Clip, FeatureExtractor } from '../../src/features/extractor.ts';
import { openExtractor } from '../../src/features/registry.ts';
import { momentsOf } from '../../src/metrics/feature-stats.ts';
import { frechetFromMoments } from '../../src/metrics/frechet.ts';

/**
 * A hand-made feature space: per channel, the mean, the standard deviation and the mean absolute horizontal step
 * of the pixels (0..255) over the frames given, and for clips also the mean absolute step between frames.
 */
function statisticsExtractor(kind: 'image' | 'video'): FeatureExtractor {
  const dim = kind === 'image' ? 9 : 12;
  const featuresOf = (clip: Clip): number[] => {
    const out: number[] = [];
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      let squares = 0;
      let step = 0;
      let temporal = 0;
      let count = 0;
      clip.frames.forEach((f, t) => {
        for (let p = 0; p < clip.width * clip.height; p++) {
          const v = f[3 * p + c];
          sum += v;
          squares += v * v;
          count++;
          if (p % clip.width > 0) step += Math.abs(v - f[3 * (p - 1) + c]);
          if (t > 0) temporal += Math.abs(v - clip.frames[t - 1][3 * p + c]);
        }
      });
      const mean = sum / count;
      out.push(mean, Math.sqrt(squares / count - mean * mean), step / count);
      if (kind === 'video') out.push(temporal / count);
    }
    return out;
  };
  return {
    info: { name: `statistics-${kind}`, version: '1', kind, dim, description: 'test' },
    batchSize: 7,
    extract: async (clips) => Float32Array.from(clips.flatMap(featuresOf)),
    close: async () => undefined,
  };
}

const settings: ValidationSettings = parseValidationSettings({ n: 40, jackknifeGroups: 5, size: 16 });

test('an image space gets the frame disturbances and n/a for the clip ones; a video space all seven; level 0 is the floor of every curve', async () => {
  const image = await validateFeatureSpace(statisticsExtractor('image'), settings);
  const video = await validateFeatureSpace(statisticsExtractor('video'), settings);
  assert.equal(
    image.curves.map((c) => c.disturbance),
    ['gaussian-noise', 'gaussian-blur', 'occlusion', 'salt-and-pepper'],
  );
  assert.equal(
    image.notApplicable.map((d) => d.disturbance),
    ['frame-shuffle', 'frozen-frames', 'temporal-jitter'],
  );
  assert.is(image.sees, 'frame 0 of each clip (16x16)');
  assert.is(image.dim, 9);
  assert.is(video.curves.length, 7);
  assert.equal(video.notApplicable, []);
  for (const space of [image, video]) {
    const floor = space.curves[0].levels[0];
    for (const c of space.curves) {
      assert.equal(c.levels[0], floor, `${space.extractor} ${c.disturbance}: the same level 0`);
      assert.is(c.levels[0].fdOverFloor, 1);
      assert.is(
        c.rho,
        spearmanRho(
          c.levels.map((l) => l.parameter),
          c.levels.map((l) => l.fd),
        ),
      );
      assert.is(c.pass, c.rho === 1);
      c.gaps.forEach((g, k) => assert.ok(Math.abs(g.gap - (c.levels[k + 1].fd - c.levels[k].fd)) < 1e-12));
    }
    assert.is(
      space.pass,
      space.curves.every((c) => c.pass),
    );
  }
});

test('the floor and its jackknife stderr equal the distances computed directly, each group left out of both draws', async () => {
  const extractor = statisticsExtractor('video');
  const space: SpaceResult = await validateFeatureSpace(extractor, settings);
  const shape = { frames: settings.frames, height: settings.size, width: settings.size };
  const draw = async (seed: number) => {
    const clips = Array.from({ length: settings.n }, (_, i) => ({
      width: shape.width,
      height: shape.height,
      frames: tensorToFrames(shapesVideo(seed, i, shape).values, 3, shape.frames, shape.height, shape.width),
    }));
    return extractor.extract(clips);
  };
  const clean = await draw(settings.cleanSeed);
  const second = await draw(settings.disturbedSeed);
  const d = 12;
  const fdOf = (rows: number[]) => {
    const pick = (f: Float32Array) => Float32Array.from(rows.flatMap((r) => Array.from(f.subarray(r * d, (r + 1) * d))));
    return frechetFromMoments(momentsOf(pick(second), rows.length, d), momentsOf(pick(clean), rows.length, d)).fd;
  };
  const all = Array.from({ length: settings.n }, (_, i) => i);
  const floor = space.curves[0].levels[0];
  assert.ok(Math.abs(floor.fd - fdOf(all)) <= 1e-9 * fdOf(all), `${floor.fd} vs ${fdOf(all)}`);
  const leaveOut = contiguousGroups(settings.n, settings.jackknifeGroups).map((g) => fdOf(all.filter((i) => !g.includes(i))));
  assert.ok(Math.abs(floor.fdStderr - jackknifeStderr(leaveOut)) <= 1e-8 * floor.fdStderr);
});

test('the same settings give the same distances; another disturbance seed other ones', async () => {
  const strip = (s: SpaceResult) => ({ ...s, seconds: 0 });
  const a = await validateFeatureSpace(statisticsExtractor('image'), settings);
  const b = await validateFeatureSpace(statisticsExtractor('image'), settings);
  const c = await validateFeatureSpace(statisticsExtractor('image'), { ...settings, disturbanceSeed: 99 });
  assert.equal(strip(a), strip(b));
  assert.is(c.curves[0].levels[0].fd, a.curves[0].levels[0].fd, 'the floor does not depend on the disturbances');
  assert.is.not(c.curves[0].levels[2].fd, a.curves[0].levels[2].fd);
});

/** Clips per draw for the trained spaces: 10 of 10 other seed triples passed the frame space here, 9 of 10 at half of it. */
const TRAINED_N = 128;

/**
 * What each trained space must pass: every disturbance it sees, at the default seeds (docs/metrics-validation.md).
 * On other seed triples the two-stream clip space (version 2) still ranks 2 and 4 frozen frames in the wrong order
 * on 5 of 6 triples at N = 128: the docs give that table; this test pins the default-seed verdict.
 */
const MUST_PASS: Record<string, readonly DisturbanceName[]> = {
  'shapes-frame-v1': FRAME_DISTURBANCES,
  'shapes-clip-v1': [...FRAME_DISTURBANCES, ...CLIP_DISTURBANCES],
};

for (const [name, required] of Object.entries(MUST_PASS)) {
  test(`${name} passes ${required.join(', ')}: its FD rises at every level (N = ${TRAINED_N}, the default seeds)`, async () => {
    const extractor = await openExtractor(name);
    try {
      const space = await validateFeatureSpace(extractor, parseValidationSettings({ n: TRAINED_N }));
      const margins = space.curves.map(
        (c) => `${c.disturbance} rho ${c.rho.toFixed(2)}, z ${Math.min(...c.gaps.map((g) => g.gapZ)).toFixed(1)}`,
      );
      console.log(`  ${name} (${space.seconds.toFixed(1)} s), smallest rise in paired jackknife stderrs: ${margins.join('; ')}`);
      assert.is(space.curves.length, space.kind === 'image' ? 4 : 7);
      for (const disturbance of required) {
        const c = space.curves.find((x) => x.disturbance === disturbance)!;
        assert.is(c.rho, 1, `${name} ${disturbance}: FD / floor ${c.levels.map((l) => l.fdOverFloor.toFixed(3)).join(', ')}`);
      }
    } finally {
      await extractor.close();
    }
  });
}

test('settings are refused when the two draws share a seed, the groups outnumber the clips, or a field is out of range', () => {
  assert.throws(() => parseValidationSettings({ n: 40, cleanSeed: 4, disturbedSeed: 4 }), /disturbedSeed equals cleanSeed \(4\)/);
  assert.throws(() => parseValidationSettings({ n: 8, jackknifeGroups: 10 }), /jackknifeGroups 10 exceeds n 8/);
  assert.throws(() => parseValidationSettings({ n: 40, frames: 4 }), /frames/);
  assert.throws(() => parseValidationSettings({ n: 40, groups: 4 }), /groups/);
  assert.equal(parseValidationSettings({ n: 40 }), {
    n: 40,
    frames: 9,
    size: 32,
    cleanSeed: 1,
    disturbedSeed: 2,
    disturbanceSeed: 3,
    jackknifeGroups: 10,
  });
});

test.run();
