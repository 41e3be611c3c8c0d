/**
 * Runs the quality dimensions the harness can compute over a list of videos, one video decoded at a time,
 * and returns VBench-shaped results (dimension score and per-video entries) with how each dimension was
 * computed: "exact" (no network), "network" (VBench's network from ONNX), "substitute" (the harness's own
 * flow, interpolator or backbone in place of VBench's network; per-video entries carry
 * `backbone: "substitute:<name>"`), or "not computed" (no network given, never estimated). Temporal
 * flickering runs on the videos VBench's static filter keeps (at most `staticPerPrompt` per prompt) unless the
 * filter is switched off because the videos were filtered already.
 */
import type { VideoClip } from './video/clip.ts';
import { consistencyScore, consistencyVideo, type ConsistencyVideo } from './features/consistency.ts';
import { COMPUTABLE, type ComputableDimension } from './dimensions.ts';
import { dynamicDegreeScore, dynamicDegreeVideo } from './dynamic-degree.ts';
import type { FrameEmbedder, FrameScorer } from './features/extractor.ts';
import { PairScorer } from './flow/pair-scores.ts';
import { aestheticQualityScore, aestheticQualityVideo, imagingQualityScore, imagingQualityVideo } from './frame-quality.ts';
import { motionSmoothnessScore, motionSmoothnessVideo } from './motion-smoothness.ts';
import type { DimensionResult, VideoEntry } from './results.ts';
import type { VideoSource } from './sources.ts';
import { selectStatic, staticFilterVideo } from './static-filter.ts';
import { temporalFlickeringScore, temporalFlickeringVideo } from './temporal-flickering.ts';
import type { Toolkit } from './toolkit.ts';

/** How a dimension was computed. */
export type Computation = 'exact' | 'network' | 'substitute' | 'not computed';

/** One dimension's outcome. */
export interface DimensionOutcome {
  readonly id: ComputableDimension;
  readonly computation: Computation;
  /** What computed it, e.g. "clg-pyramid (substitute for RAFT)"; for "not computed", why not. */
  readonly method: string;
  /** The VBench-shaped result; null when not computed. */
  readonly result: DimensionResult | null;
  /**
   * Wall-clock seconds spent on this dimension (flows shared with another dimension counted in full, as if it
   * ran alone) and frames it read, for frames per second.
   */
  readonly seconds: number;
  readonly frames: number;
}

/** One video's details across dimensions (the per-video JSON). */
export interface VideoReport {
  readonly video_path: string;
  readonly prompt: string;
  readonly index: number | null;
  readonly width: number;
  readonly height: number;
  readonly frames: number;
  readonly fps: number | null;
  readonly dimensions: Partial<Record<ComputableDimension, unknown>>;
}

/** Evaluation settings. */
export interface EvaluateOptions {
  readonly dims: readonly ComputableDimension[];
  /** Run VBench's static filter before temporal flickering (default true). */
  readonly staticFilter?: boolean;
  /** Static videos kept per prompt (VBench: 5; 0 = all). */
  readonly staticPerPrompt?: number;
  /** Called after each video with its report and the seconds it took. */
  readonly onVideo?: (report: VideoReport, seconds: number) => void;
}

/** Accumulates one dimension's per-video results and its cost. */
class Tally<T> {
  readonly items: { entry: VideoEntry; value: T }[] = [];
  seconds = 0;
  frames = 0;

  /**
   * Runs `work`, charging its wall time and, when `scorer` is given, the original cost of the flow pairs it
   * reused from another dimension, so each dimension's rate is what it would cost alone.
   */
  async time<R>(frames: number, work: () => Promise<R>, scorer?: PairScorer): Promise<R> {
    const t0 = performance.now();
    const reused0 = scorer?.reusedSeconds ?? 0;
    const r = await work();
    this.seconds += (performance.now() - t0) / 1000 + ((scorer?.reusedSeconds ?? 0) - reused0);
    this.frames += frames;
    return r;
  }
}

function withBackbone(entry: VideoEntry, backbone: string | null): VideoEntry {
  return backbone === null ? entry : { ...entry, backbone };
}

/** Evaluates `dims` on every source with the toolkit's networks and stand-ins. */
export async function evaluateVideos(
  sources: readonly VideoSource[],
  toolkit: Toolkit,
  options: EvaluateOptions,
): Promise<{ outcomes: DimensionOutcome[]; videos: VideoReport[] }> {
  for (const d of options.dims)
    if (!COMPUTABLE.includes(d))
      throw new RangeError(`vbench eval: dimension '${d}' is not computed by the harness; allowed: ${COMPUTABLE.join(', ')}`);
  if (sources.length === 0) throw new RangeError('vbench eval: no videos');
  const want = new Set(options.dims);
  const staticFilter = options.staticFilter ?? true;
  const perPrompt = options.staticPerPrompt ?? 5;
  const mark = (tool: { kind: 'network' | 'substitute'; name: string }) => (tool.kind === 'substitute' ? `substitute:${tool.name}` : null);
  const flowBackbone = mark(toolkit.flow);
  const interpBackbone = mark(toolkit.interpolator);
  const embedBackbone = (e: FrameEmbedder) => mark(e.backbone);
  const tallies = Object.fromEntries(COMPUTABLE.map((d) => [d, new Tally<unknown>()])) as Record<ComputableDimension, Tally<unknown>>;
  const flicker: { path: string; prompt: string; static: boolean; entry: VideoEntry }[] = [];
  const videos: VideoReport[] = [];

  for (const source of sources) {
    const t0 = performance.now();
    const clip: VideoClip = await source.load();
    const T = clip.frames.length;
    const details: Partial<Record<ComputableDimension, unknown>> = {};
    const scorer = new PairScorer(toolkit.flow, clip.frames, clip.width, clip.height);
    const entry = (value: number | boolean, extra: Record<string, unknown> = {}): VideoEntry => ({
      video_path: clip.id,
      video_results: value,
      ...extra,
    });

    if (want.has('temporal_flickering')) {
      const tally = tallies.temporal_flickering;
      const [filter, flick] = await tally.time(
        T,
        async () => [staticFilter ? await staticFilterVideo(clip, scorer) : null, temporalFlickeringVideo(clip)] as const,
        scorer,
      );
      const isStaticVideo = filter === null ? true : filter.static;
      flicker.push({
        path: clip.id,
        prompt: source.prompt,
        static: isStaticVideo,
        entry: withBackbone(entry(flick.score), filter ? flowBackbone : null),
      });
      details.temporal_flickering = { static: isStaticVideo, staticFilter: filter, score: flick.score, pairMae: flick.pairMae };
    }
    if (want.has('dynamic_degree')) {
      const tally = tallies.dynamic_degree;
      const d = await tally.time(T, () => dynamicDegreeVideo(clip, scorer), scorer);
      tally.items.push({ entry: withBackbone(entry(d.dynamic), flowBackbone), value: d.dynamic });
      details.dynamic_degree = d;
    }
    if (want.has('motion_smoothness')) {
      const tally = tallies.motion_smoothness;
      const m = await tally.time(T, () => motionSmoothnessVideo(clip, toolkit.interpolator));
      tally.items.push({ entry: withBackbone(entry(m.score), interpBackbone), value: m.score });
      details.motion_smoothness = m;
    }
    for (const [id, embedder] of [
      ['subject_consistency', toolkit.subject],
      ['background_consistency', toolkit.background],
    ] as const) {
      if (!want.has(id)) continue;
      const c: ConsistencyVideo = await tallies[id].time(T, async () =>
        consistencyVideo(await embedder.embed(clip.frames, clip.width, clip.height), clip.id),
      );
      const extra = id === 'background_consistency' ? { video_sim: c.sum, cnt_per_video: c.count } : {};
      tallies[id].items.push({ entry: withBackbone(entry(c.score, extra), embedBackbone(embedder)), value: c });
      details[id] = c;
    }
    for (const [id, scorer2, perVideo] of [
      ['aesthetic_quality', toolkit.aesthetic, aestheticQualityVideo],
      ['imaging_quality', toolkit.imaging, imagingQualityVideo],
    ] as const) {
      if (!want.has(id) || scorer2 === null) continue;
      const frameScores = await tallies[id].time(T, () => (scorer2 as FrameScorer).score(clip.frames, clip.width, clip.height));
      const v = perVideo(frameScores, clip.id);
      tallies[id].items.push({ entry: entry(v), value: v });
      details[id] = { score: v, frameScores };
    }
    const report: VideoReport = {
      video_path: clip.id,
      prompt: source.prompt,
      index: source.index,
      width: clip.width,
      height: clip.height,
      frames: T,
      fps: clip.fps,
      dimensions: details,
    };
    videos.push(report);
    options.onVideo?.(report, (performance.now() - t0) / 1000);
  }

  const outcomes: DimensionOutcome[] = [];
  const done = (id: ComputableDimension, computation: Computation, method: string, result: DimensionResult | null) =>
    outcomes.push({ id, computation, method, result, seconds: tallies[id].seconds, frames: tallies[id].frames });
  const flowMethod = flowBackbone ? `flow ${toolkit.flow.name} (substitute for RAFT)` : `flow ${toolkit.flow.name}`;
  for (const id of COMPUTABLE) {
    if (!want.has(id)) continue;
    const items = tallies[id].items;
    const entries = items.map((i) => i.entry);
    switch (id) {
      case 'temporal_flickering': {
        const kept = staticFilter ? selectStatic(flicker, perPrompt) : flicker;
        if (kept.length === 0)
          done(id, 'not computed', `no video passed the static filter (${flicker.length} tried); VBench's mean over none is NaN`, null);
        else {
          const keptEntries = kept.map((k) => k.entry);
          const score = temporalFlickeringScore(keptEntries.map((e) => e.video_results as number));
          const how = staticFilter
            ? `formula exact; static filter by ${flowMethod}, ${kept.length} of ${flicker.length} videos kept`
            : 'formula exact; videos taken as already static-filtered';
          done(id, staticFilter && flowBackbone ? 'substitute' : 'exact', how, { score, videos: keptEntries });
        }
        break;
      }
      case 'dynamic_degree':
        done(id, flowBackbone ? 'substitute' : 'network', flowMethod, {
          score: dynamicDegreeScore(items.map((i) => i.value as boolean)),
          videos: entries,
        });
        break;
      case 'motion_smoothness':
        done(
          id,
          interpBackbone ? 'substitute' : 'network',
          interpBackbone ? `interpolator ${toolkit.interpolator.name} (substitute for AMT-S)` : `interpolator ${toolkit.interpolator.name}`,
          {
            score: motionSmoothnessScore(items.map((i) => i.value as number)),
            videos: entries,
          },
        );
        break;
      case 'subject_consistency':
      case 'background_consistency': {
        const e = id === 'subject_consistency' ? toolkit.subject : toolkit.background;
        const sub = e.backbone.kind === 'substitute';
        done(id, sub ? 'substitute' : 'network', sub ? `substitute backbone ${e.backbone.name}` : `backbone ${e.backbone.name}`, {
          score: consistencyScore(items.map((i) => i.value as ConsistencyVideo)),
          videos: entries,
        });
        break;
      }
      case 'aesthetic_quality':
      case 'imaging_quality': {
        const s = id === 'aesthetic_quality' ? toolkit.aesthetic : toolkit.imaging;
        if (s === null)
          done(
            id,
            'not computed',
            id === 'aesthetic_quality'
              ? 'needs CLIP ViT-L/14 + LAION head ONNX (manifest: clip_l14, laion_aesthetic)'
              : 'needs MUSIQ ONNX (manifest: musiq)',
            null,
          );
        else {
          const values = items.map((i) => i.value as number);
          done(id, 'network', s.backbone.name, {
            score: id === 'aesthetic_quality' ? aestheticQualityScore(values) : imagingQualityScore(values),
            videos: entries,
          });
        }
        break;
      }
    }
  }
  return { outcomes, videos };
}
