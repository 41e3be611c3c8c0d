import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { VideoClip } from '../../src/vbench/video/clip.ts';
import { evaluateVideos, type DimensionOutcome } from '../../src/vbench/evaluate.ts';
import type { FrameScorer } from '../../src/vbench/features/extractor.ts';
import type { FlowEstimator } from '../../src/vbench/flow/flow-field.ts';
import { BlendInterpolator, type FrameInterpolator } from '../../src/vbench/interpolation/interpolator.ts';
import type { VideoSource } from '../../src/vbench/sources.ts';
import { defaultToolkit, type Toolkit } from '../../src/vbench/toolkit.ts';
import { rejects } from '../helpers/assert.ts';
import { renderFrame, texture } from '../../src/data/synthetic-motion.ts';

const SIZE = 48;
const f = texture(41);

/** An in-memory source: a textured clip shifted by `shift(t)` px, named `{prompt}-{index}`. */
function source(prompt: string, index: number, shift: (t: number) => number, frames = 6): VideoSource {
  const id = `${prompt}-${index}.mp4`;
  return {
    id,
    kind: 'video-file',
    prompt,
    index,
    async load(): Promise<VideoClip> {
      return {
        id,
        width: SIZE,
        height: SIZE,
        fps: 8,
        frames: Array.from({ length: frames }, (_, t) => renderFrame(f, SIZE, SIZE, (x, y) => [x - shift(t), y])),
      };
    },
  };
}

const sources = [source('a cat', 0, () => 0), source('a cat', 1, (t) => 3 * t), source('a cat', 2, () => 0), source('a dog', 0, () => 0)];
const byId = (outcomes: DimensionOutcome[]) => Object.fromEntries(outcomes.map((o) => [o.id, o]));

test('with the default toolkit: substitutes are marked, aesthetic/imaging are not computed, static filter and per-prompt limit apply', async () => {
  const seen: string[] = [];
  const { outcomes, videos } = await evaluateVideos(sources, defaultToolkit(), {
    dims: [
      'temporal_flickering',
      'dynamic_degree',
      'motion_smoothness',
      'subject_consistency',
      'background_consistency',
      'aesthetic_quality',
      'imaging_quality',
    ],
    staticPerPrompt: 1,
    onVideo: (r) => seen.push(r.video_path),
  });
  assert.equal(
    seen,
    sources.map((s) => s.id),
  );
  const o = byId(outcomes);
  // static videos: a cat-0, a cat-2, a dog-0; one per prompt kept (sorted paths): a cat-0, a dog-0; all identical frames -> 1
  assert.equal(
    o.temporal_flickering.result!.videos.map((v) => v.video_path),
    ['a cat-0.mp4', 'a dog-0.mp4'],
  );
  assert.is(o.temporal_flickering.result!.score, 1);
  assert.is(o.temporal_flickering.computation, 'substitute');
  assert.match(o.temporal_flickering.method, /static filter by flow clg-pyramid \(substitute for RAFT\), 2 of 4 videos kept/);
  // only the panning clip moves (3 px per frame > thres 6 * 48 / 256 = 1.125)
  assert.equal(
    o.dynamic_degree.result!.videos.map((v) => v.video_results),
    [false, true, false, false],
  );
  assert.is(o.dynamic_degree.result!.score, 0.25);
  assert.is(o.dynamic_degree.result!.videos[0].backbone, 'substitute:clg-pyramid');
  assert.is(o.subject_consistency.computation, 'substitute');
  assert.is(o.subject_consistency.result!.videos[0].backbone, 'substitute:colour-gradient-grid-v1');
  const bg = o.background_consistency.result!.videos[0];
  assert.equal([bg.video_results, bg.video_sim, bg.cnt_per_video], [1, 5, 5], 'a still clip: every s_t is 1');
  assert.is(o.motion_smoothness.result!.videos[0].backbone, 'substitute:flow-warp:clg-pyramid');
  for (const id of ['aesthetic_quality', 'imaging_quality'] as const) {
    assert.is(o[id].computation, 'not computed');
    assert.is(o[id].result, null);
  }
  assert.match(o.imaging_quality.method, /needs MUSIQ ONNX/);
  assert.is(videos[1].dimensions.dynamic_degree !== undefined, true);
  assert.ok(outcomes.every((x) => x.result === null || x.frames === 4 * 6));
});

test("ONNX-backed tools are reported as 'network' with no substitute marks; without the filter, flickering is exact on every video", async () => {
  const zeroFlow: FlowEstimator = {
    name: 'onnx:raft.onnx',
    kind: 'network',
    estimate: async (_a, _b, width, height) => ({
      width,
      height,
      u: new Float32Array(width * height),
      v: new Float32Array(width * height),
    }),
  };
  const musiq: FrameScorer = { backbone: { kind: 'network', name: 'musiq-spaq' }, score: async (frames) => frames.map(() => 50) };
  const blend = new BlendInterpolator();
  const interp: FrameInterpolator = { name: 'onnx:amt.onnx', kind: 'network', interpolate: (a, b, w, h) => blend.interpolate(a, b, w, h) };
  const toolkit: Toolkit = { ...defaultToolkit(), flow: zeroFlow, interpolator: interp, imaging: musiq };
  const { outcomes } = await evaluateVideos(sources.slice(0, 2), toolkit, {
    dims: ['dynamic_degree', 'imaging_quality', 'motion_smoothness', 'temporal_flickering'],
    staticFilter: false,
  });
  const o = byId(outcomes);
  assert.is(o.dynamic_degree.computation, 'network');
  assert.is(o.dynamic_degree.result!.score, 0, 'zero flow: nothing moves');
  assert.is(o.dynamic_degree.result!.videos[0].backbone, undefined);
  assert.is(o.imaging_quality.result!.score, 0.5);
  assert.is(o.imaging_quality.result!.videos[0].video_results, 50);
  assert.is(o.motion_smoothness.computation, 'network');
  assert.is(o.temporal_flickering.computation, 'exact');
  assert.is(o.temporal_flickering.result!.videos.length, 2);
  assert.ok(o.temporal_flickering.result!.score < 1, 'the panning clip changes between frames');
});

test('no static video leaves temporal flickering not computed; unknown dimensions and empty input are errors', async () => {
  const { outcomes } = await evaluateVideos([sources[1]], defaultToolkit(), { dims: ['temporal_flickering'] });
  assert.is(outcomes[0].computation, 'not computed');
  assert.match(outcomes[0].method, /no video passed the static filter \(1 tried\)/);
  await rejects(() => evaluateVideos(sources, defaultToolkit(), { dims: ['scene' as never] }), /'scene' is not computed by the harness/);
  await rejects(() => evaluateVideos([], defaultToolkit(), { dims: ['dynamic_degree'] }), /no videos/);
});

test.run();
