/**
 * The two per-frame network roles VBench's quality dimensions use: an embedder (DINO ViT-B/16 for subject
 * consistency, CLIP ViT-B/32 for background consistency) and a scorer (CLIP ViT-L/14 + LAION head for
 * aesthetic quality, MUSIQ for imaging quality). Each says whether it is VBench's network or a substitute, so
 * results can say which they are.
 */

/** Where an embedding or score comes from. */
export type Backbone =
  /** The network VBench uses, run from a user-supplied ONNX file. */
  | { readonly kind: 'network'; readonly name: string }
  /** A stand-in computed in TypeScript: results are marked "substitute backbone". */
  | { readonly kind: 'substitute'; readonly name: string };

/** Maps RGB24 frames to one feature vector each. */
export interface FrameEmbedder {
  readonly backbone: Backbone;
  /** One vector per frame (not necessarily normalised); all frames are `width` x `height` RGB24. */
  embed(frames: readonly Uint8Array[], width: number, height: number): Promise<Float32Array[]>;
}

/** Maps RGB24 frames to one number each. */
export interface FrameScorer {
  readonly backbone: Backbone;
  /** One score per frame, on the scale the dimension's formula expects (see aesthetic-quality.ts, imaging-quality.ts). */
  score(frames: readonly Uint8Array[], width: number, height: number): Promise<number[]>;
}
