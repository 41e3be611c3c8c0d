/**
 * `vbench/<dimension>`: the adapter from the suite runner to the VBench quality dimensions of `src/vbench/`.
 * Each chunk's samples become RGB24 clips at the suite's playback rate and go through
 * `evaluateVideos` with the default toolkit (the harness's flow, interpolator and substitute backbone) or the
 * VBench networks an ONNX manifest names; the chunk state keeps each video's details, and `finalize` aggregates
 * them as VBench does (frame-weighted consistency, mean motion smoothness, share of dynamic videos, flickering on
 * the first `staticPerPrompt` static videos of each prompt) with a seeded bootstrap over videos. How the dimension
 * was computed (exact, network, substitute) is said in each value's label and note.
 */
import { z } from 'zod';
import { parseWith, strictObject } from '../../core/schema.ts';
import { tensorToFrames } from '../../data/quantize.ts';
import { consistencyScore, type ConsistencyVideo } from '../../vbench/features/consistency.ts';
import { COMPUTABLE, type ComputableDimension } from '../../vbench/dimensions.ts';
import { dynamicDegreeScore, type DynamicDegreeVideo } from '../../vbench/dynamic-degree.ts';
import { evaluateVideos, type Computation } from '../../vbench/evaluate.ts';
import { aestheticQualityScore, imagingQualityScore } from '../../vbench/frame-quality.ts';
import { readManifest } from '../../vbench/manifest.ts';
import { motionSmoothnessScore, type MotionSmoothnessVideo } from '../../vbench/motion-smoothness.ts';
import type { VideoSource } from '../../vbench/sources.ts';
import { selectStatic } from '../../vbench/static-filter.ts';
import { temporalFlickeringScore, type TemporalFlickeringVideo } from '../../vbench/temporal-flickering.ts';
import { defaultToolkit, loadToolkit, type Toolkit } from '../../vbench/toolkit.ts';
import { bootstrapInterval } from '../../core/statistics.ts';
import type { MetricPlugin, MetricValue, Uncertainty } from '../contract/plugin.ts';

/** Options of a `vbench/<dimension>` metric. */
export interface VbenchOptions {
  /** A VBench ONNX manifest (docs/vbench.md) for VBench's own networks; null: the harness's stand-ins. */
  readonly manifest: string | null;
  /** Run VBench's static filter before temporal flickering. */
  readonly staticFilter: boolean;
  /** Static videos kept per prompt for temporal flickering (VBench: 5; 0 = all). */
  readonly staticPerPrompt: number;
  readonly bootstrap: number;
  readonly seed: number;
}

/** One video's details as `evaluateVideos` reports them, with its prompt. */
interface VideoDetail {
  readonly id: string;
  readonly prompt: string;
  readonly detail: unknown;
}

/** A chunk's videos and how the dimension was computed on them. */
export interface VbenchState {
  readonly computation: Computation;
  readonly method: string;
  readonly videos: readonly VideoDetail[];
}

const optionsSchema = strictObject({
  manifest: z.string().min(1).nullable().default(null),
  staticFilter: z.boolean().default(true),
  staticPerPrompt: z.number().int().min(0).default(5),
  bootstrap: z.number().int().min(10).default(1000),
  seed: z.number().int().min(0).default(0),
});

const toolkits = new Map<string, Promise<Toolkit>>();

function toolkitFor(manifest: string | null): Promise<Toolkit> {
  const key = manifest ?? '(default)';
  if (!toolkits.has(key)) toolkits.set(key, manifest === null ? Promise.resolve(defaultToolkit()) : loadToolkit(readManifest(manifest)));
  return toolkits.get(key)!;
}

/** The dimension score (0-1) of some videos' details, as VBench aggregates it (NaN when no video passes the static filter). */
export function score(id: ComputableDimension, videos: readonly VideoDetail[], options: VbenchOptions): number {
  const details = videos.map((v) => v.detail);
  switch (id) {
    case 'subject_consistency':
    case 'background_consistency':
      return consistencyScore(details as ConsistencyVideo[]);
    case 'motion_smoothness':
      return motionSmoothnessScore((details as MotionSmoothnessVideo[]).map((d) => d.score));
    case 'dynamic_degree':
      return dynamicDegreeScore((details as DynamicDegreeVideo[]).map((d) => d.dynamic));
    case 'temporal_flickering': {
      const items = videos.map((v) => ({ path: v.id, prompt: v.prompt, ...(v.detail as TemporalFlickeringVideo & { static: boolean }) }));
      const kept = options.staticFilter ? selectStatic(items, options.staticPerPrompt) : items;
      return kept.length === 0 ? NaN : temporalFlickeringScore(kept.map((k) => k.score));
    }
    case 'aesthetic_quality':
      return aestheticQualityScore((details as { score: number }[]).map((d) => d.score));
    case 'imaging_quality':
      return imagingQualityScore((details as { score: number }[]).map((d) => d.score));
  }
}

/** The `vbench/<id>` metric. */
export function vbenchDimensionMetric(id: ComputableDimension): MetricPlugin<VbenchOptions, VbenchState> {
  return {
    name: `vbench/${id}`,
    version: 1,
    description: `VBench ${id.replace(/_/g, ' ')} (src/vbench), per video then aggregated as VBench does; bootstrap over videos`,
    referenceSets: [],
    parseOptions: (raw, where) => parseWith(optionsSchema, raw, where),
    check(_options, method) {
      const C = method.shape[0];
      if (C !== 1 && C !== 3)
        throw new RangeError(
          `vbench/${id} (${method.id}): samples have ${C} channels; VBench reads RGB videos (a latent package needs its decoder)`,
        );
    },
    async chunkState(chunk, options, method) {
      const [C, T, H, W] = method.shape;
      const sources: VideoSource[] = chunk.items.map((item, i) => {
        const clipId = `${method.id}/${String(item.index).padStart(8, '0')}`;
        const frames = tensorToFrames(chunk.samples.sample(i), C, T, H, W);
        return {
          id: clipId,
          kind: 'sample-store',
          prompt: item.prompt ?? item.conditionKey,
          index: item.repeat ?? item.index,
          load: async () => ({ id: clipId, width: W, height: H, fps: method.playbackFps, frames }),
        };
      });
      // the static filter's per-prompt selection runs in finalize, over every chunk
      const { outcomes, videos } = await evaluateVideos(sources, await toolkitFor(options.manifest), {
        dims: [id],
        staticFilter: options.staticFilter,
        staticPerPrompt: 0,
      });
      return {
        computation: outcomes[0].computation,
        method: outcomes[0].method,
        videos: videos.map((v, i) => ({ id: v.video_path, prompt: sources[i].prompt, detail: v.dimensions[id] ?? null })),
      };
    },
    encode: (state) => ({ json: state, arrays: {} }),
    decode: (encoded) => encoded.json as VbenchState,
    finalize({ options, states }) {
      const chunks = states.samples ?? [];
      const videos = chunks.flatMap((s) => s.videos);
      const first = chunks[0];
      const label = `VBench ${id.replace(/_/g, ' ')} over ${videos.length} videos`;
      const key = id;
      if (!first || first.computation === 'not computed' || videos.some((v) => v.detail === null)) {
        const why = first?.method ?? 'no videos';
        return [
          {
            key,
            label,
            value: null,
            unit: 'score (0-1)',
            direction: 'higher',
            uncertainty: { kind: 'none', reason: 'not computed' },
            measured: false,
            headline: true,
            note: `not computed: ${why}`,
          },
        ];
      }
      const value = score(id, videos, options);
      let uncertainty: Uncertainty = { kind: 'none', reason: 'one video' };
      if (videos.length > 1) {
        const b = bootstrapInterval(
          videos.length,
          (idx) =>
            score(
              id,
              Array.from(idx, (i) => videos[i]),
              options,
            ),
          { resamples: options.bootstrap, level: 0.95, seed: options.seed },
        );
        uncertainty = {
          kind: 'interval',
          low: b.low,
          high: b.high,
          level: b.level,
          n: videos.length,
          method: `percentile bootstrap over videos, ${b.resamples} resamples, seed ${b.seed}`,
        };
      }
      const value_: MetricValue = {
        key,
        label: `${label} (${first.computation})`,
        value: Number.isNaN(value) ? null : value,
        unit: 'score (0-1)',
        direction: 'higher',
        uncertainty,
        measured: false,
        headline: true,
        note: Number.isNaN(value) ? `no video passed the static filter; ${first.method}` : `${first.computation}: ${first.method}`,
      };
      return [value_];
    },
  };
}

/** One metric per VBench dimension the harness computes. */
export const vbenchMetrics: readonly MetricPlugin<VbenchOptions, VbenchState>[] = COMPUTABLE.map(vbenchDimensionMetric);
