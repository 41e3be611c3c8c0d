/**
 * The feature-extractor interface: a network (or a fixed map) from RGB frames to a d-dimensional feature
 * vector per image or clip, with a name and version that enter statistics files. The registry of built-in
 * extractors and `openExtractor` are in registry.ts.
 */

import type { Clip } from '../data/clip-sources.ts';

export type { Clip };

/** What an extractor is: recorded with every statistics file. */
export interface ExtractorInfo {
  readonly name: string;
  readonly version: string;
  /** `image` extractors take one frame per clip; `video` ones a clip of frames; `any` either. */
  readonly kind: 'image' | 'video' | 'any';
  /** Feature dimension d (null when it depends on the input size, as raw pixels). */
  readonly dim: number | null;
  readonly description: string;
  /** The resize method and network input size, when there is a network. */
  readonly resize?: string;
  readonly inputSize?: readonly number[];
  /** Frames of a clip the extractor reads (video networks), so that decoding can stop there. */
  readonly framesNeeded?: number;
}

/** Features for batches of clips. */
export interface FeatureExtractor {
  readonly info: ExtractorInfo;
  /** Features of `clips`, row-major clips.length x d, float32. */
  extract(clips: readonly Clip[]): Promise<Float32Array>;
  /** Rows per call that suit this extractor. */
  readonly batchSize: number;
  close(): Promise<void>;
}

/** Throws unless every clip fits the extractor's kind (images: one frame each). */
export function checkClips(info: ExtractorInfo, clips: readonly Clip[]): void {
  clips.forEach((clip, i) => {
    if (clip.frames.length === 0) throw new RangeError(`clip ${i} has no frames`);
    if (info.kind === 'image' && clip.frames.length !== 1) {
      throw new RangeError(
        `extractor ${info.name} takes images, but input ${i} is a clip of ${clip.frames.length} frames; use a video extractor (e.g. random-conv3d-v1) or image inputs`,
      );
    }
    clip.frames.forEach((f, t) => {
      if (f.length !== clip.width * clip.height * 3)
        throw new RangeError(`clip ${i} frame ${t} has ${f.length} bytes, expected ${clip.width}x${clip.height}x3`);
    });
  });
}
