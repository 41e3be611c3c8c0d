/**
 * VBench's per-frame networks run from user-supplied ONNX files, with VBench's preprocessing done here:
 * - DINO ViT-B/16 (subject consistency): `dino_transform(224)`, output [N, 768];
 * - CLIP ViT-B/32 image encoder (background consistency): `clip_transform(224)`, output [N, 512];
 * - CLIP ViT-L/14 image encoder + LAION linear head (aesthetic quality, `vbench/aesthetic_quality.py:42-72`):
 *   `clip_transform(224)`, features L2-normalised, head output / 10;
 * - MUSIQ with the SPAQ checkpoint (imaging quality, `vbench/imaging_quality.py:17-56`): the resize rule,
 *   values 0-1, one frame per run, output on MUSIQ's 0-100 scale.
 * (Vchitect/VBench 45e79ec.) Input/output names default to the session's first input and last output.
 */
import type { LoadedSession, TensorValue } from '../../models/onnx/runtime.ts';
import { runSession } from '../../models/onnx/runtime.ts';
import { batchable, checkedOutput, inputNames, outputName, planarBatch, scaleOnly, type PixelNormalisation } from '../video/onnx-io.ts';
import {
  CLIP_NORMALISATION,
  IMAGENET_NORMALISATION,
  clipGeometry,
  dinoGeometry,
  imagingQualityGeometry,
  type ImagingQualityMode,
  type TransformedFrame,
} from '../video/transforms.ts';
import type { Backbone, FrameEmbedder, FrameScorer } from './extractor.ts';
import { l2Normalise } from './consistency.ts';

/** Tensor names and batching of one network. */
export interface OnnxNetworkOptions {
  readonly input?: string;
  readonly output?: string;
  /** Frames per run (VBench: 32 for aesthetic quality); 1 when the model's batch axis is fixed at 1. */
  readonly batch?: number;
}

/** Which of VBench's image transforms an embedder applies. */
export type EmbedderTransform = 'dino' | 'clip';

const TRANSFORMS: Record<
  EmbedderTransform,
  { geometry: (f: Uint8Array, w: number, h: number) => TransformedFrame; norm: PixelNormalisation }
> = {
  dino: { geometry: dinoGeometry, norm: IMAGENET_NORMALISATION },
  clip: { geometry: clipGeometry, norm: CLIP_NORMALISATION },
};

/** Splits an [N, ...] float output into N vectors. */
function rows(data: Float32Array, n: number): Float32Array[] {
  const d = data.length / n;
  return Array.from({ length: n }, (_, i) => data.slice(i * d, (i + 1) * d));
}

/** An image encoder (DINO or CLIP) in an ONNX session. */
export class OnnxEmbedder implements FrameEmbedder {
  readonly backbone: Backbone;
  private readonly input: string;
  private readonly output: string;
  private readonly batch: number;

  constructor(
    readonly session: LoadedSession,
    readonly transform: EmbedderTransform,
    name: string,
    options: OnnxNetworkOptions = {},
  ) {
    [this.input] = inputNames(session, 1, options.input === undefined ? undefined : [options.input]);
    this.output = outputName(session, options.output);
    this.batch = batchable(session, this.input) ? (options.batch ?? 32) : 1;
    if (!Number.isInteger(this.batch) || this.batch < 1)
      throw new RangeError(`ONNX model ${session.file}: batch ${options.batch} must be an integer >= 1`);
    this.backbone = { kind: 'network', name };
  }

  async embed(frames: readonly Uint8Array[], width: number, height: number): Promise<Float32Array[]> {
    const { geometry, norm } = TRANSFORMS[this.transform];
    const out: Float32Array[] = [];
    for (let start = 0; start < frames.length; start += this.batch) {
      const prepared = frames.slice(start, start + this.batch).map((f) => geometry(f, width, height));
      const { width: w, height: h } = prepared[0];
      const outputs = await runSession(
        this.session,
        {
          [this.input]: planarBatch(
            prepared.map((p) => p.data),
            w,
            h,
            norm,
          ),
        },
        [this.output],
      );
      const value = outputs[this.output];
      const n = prepared.length;
      if (!value || value.dims[0] !== n)
        throw new RangeError(
          `ONNX model ${this.session.file}: output '${this.output}' has shape [${value?.dims.join(', ')}]; expected [${n}, features]`,
        );
      out.push(...rows(checkedOutput(this.session, outputs, this.output, value.dims), n));
    }
    return out;
  }
}

/** CLIP ViT-L/14 + the LAION aesthetic head: per-frame head(normalise(clip(x))) / 10. */
export class OnnxAestheticScorer implements FrameScorer {
  readonly backbone: Backbone;
  private readonly headInput: string;
  private readonly headOutput: string;

  constructor(
    readonly encoder: OnnxEmbedder,
    readonly head: LoadedSession,
    options: { input?: string; output?: string } = {},
  ) {
    if (encoder.transform !== 'clip')
      throw new RangeError(`aesthetic quality: the encoder must use clip_transform, not '${encoder.transform}'`);
    [this.headInput] = inputNames(head, 1, options.input === undefined ? undefined : [options.input]);
    this.headOutput = outputName(head, options.output);
    this.backbone = { kind: 'network', name: `${encoder.backbone.name} + LAION head` };
  }

  async score(frames: readonly Uint8Array[], width: number, height: number): Promise<number[]> {
    const features = await this.encoder.embed(frames, width, height);
    const dim = features[0]?.length ?? 0;
    const data = new Float32Array(features.length * dim);
    features.forEach((f, i) => data.set(l2Normalise(f), i * dim));
    const input: TensorValue = { type: 'float32', data, dims: [features.length, dim] };
    const outputs = await runSession(this.head, { [this.headInput]: input }, [this.headOutput]);
    const scores = checkedOutput(this.head, outputs, this.headOutput, [features.length, 1]);
    return Array.from(scores, (s) => s / 10);
  }
}

/** MUSIQ in an ONNX session: per-frame quality on the 0-100 scale, after imaging quality's resize rule. */
export class OnnxMusiqScorer implements FrameScorer {
  readonly backbone: Backbone;
  private readonly input: string;
  private readonly output: string;

  constructor(
    readonly session: LoadedSession,
    readonly mode: ImagingQualityMode = 'longer',
    options: OnnxNetworkOptions = {},
  ) {
    [this.input] = inputNames(session, 1, options.input === undefined ? undefined : [options.input]);
    this.output = outputName(session, options.output);
    this.backbone = { kind: 'network', name: 'musiq-spaq' };
  }

  async score(frames: readonly Uint8Array[], width: number, height: number): Promise<number[]> {
    const out: number[] = [];
    for (const frame of frames) {
      const g = imagingQualityGeometry(frame, width, height, this.mode);
      const outputs = await runSession(this.session, { [this.input]: planarBatch([g.data], g.width, g.height, scaleOnly(1 / 255)) }, [
        this.output,
      ]);
      const value = outputs[this.output];
      if (value?.dims.reduce((a, b) => a * b, 1) !== 1)
        throw new RangeError(
          `ONNX model ${this.session.file}: output '${this.output}' has shape [${value?.dims.join(', ')}]; expected one score`,
        );
      out.push(checkedOutput(this.session, outputs, this.output, value.dims)[0]);
    }
    return out;
  }
}
