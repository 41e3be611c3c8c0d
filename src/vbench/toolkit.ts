/**
 * The networks and stand-ins one evaluation uses, chosen from an ONNX manifest (or none): RAFT or the CLG
 * estimator for flow; AMT or the flow-warp interpolator for motion smoothness; DINO / CLIP ViT-B/32 or the
 * colour-gradient substitute for subject / background consistency; CLIP ViT-L/14 + LAION head and MUSIQ for
 * aesthetic and imaging quality, which have no stand-in.
 */
import { loadSession, type RuntimeOptions } from '../models/onnx/runtime.ts';
import { ClgFlowEstimator } from './flow/clg-flow.ts';
import type { FlowEstimator } from './flow/flow-field.ts';
import { OnnxFlowEstimator } from './flow/onnx-flow.ts';
import type { FrameEmbedder, FrameScorer } from './features/extractor.ts';
import { OnnxAestheticScorer, OnnxEmbedder, OnnxMusiqScorer } from './features/onnx-networks.ts';
import { ColourGradientEmbedder } from './features/substitute-descriptor.ts';
import { FlowInterpolator } from './interpolation/flow-interpolator.ts';
import type { FrameInterpolator } from './interpolation/interpolator.ts';
import { OnnxInterpolator } from './interpolation/onnx-interpolator.ts';
import type { OnnxManifest } from './manifest.ts';
import type { ImagingQualityMode } from './video/transforms.ts';

/** What computes each network-backed quantity; null where nothing can. */
export interface Toolkit {
  readonly flow: FlowEstimator;
  readonly interpolator: FrameInterpolator;
  readonly subject: FrameEmbedder;
  readonly background: FrameEmbedder;
  readonly aesthetic: FrameScorer | null;
  readonly imaging: FrameScorer | null;
}

/** The toolkit with no manifest: the harness's own estimator, interpolator and substitute backbone. */
export function defaultToolkit(): Toolkit {
  const flow = new ClgFlowEstimator();
  const substitute = new ColourGradientEmbedder();
  return { flow, interpolator: new FlowInterpolator(flow), subject: substitute, background: substitute, aesthetic: null, imaging: null };
}

/**
 * Loads the manifest's networks (sessions through src/models/onnx/runtime.ts) over the defaults.
 * `report` receives onnxruntime's one-time note on the execution provider.
 */
export async function loadToolkit(
  manifest: OnnxManifest | null,
  options: { imagingMode?: ImagingQualityMode; runtime?: RuntimeOptions; report?: (m: string) => void } = {},
): Promise<Toolkit> {
  const base = defaultToolkit();
  if (manifest === null) return base;
  const load = (file: string) => loadSession(file, options.runtime ?? {}, options.report);
  const flow = manifest.raft
    ? new OnnxFlowEstimator(await load(manifest.raft.file), {
        inputs: manifest.raft.inputs,
        output: manifest.raft.output,
        scale: manifest.raft.scale,
      })
    : base.flow;
  const interpolator = manifest.amt
    ? new OnnxInterpolator(await load(manifest.amt.file), { inputs: manifest.amt.inputs, output: manifest.amt.output })
    : new FlowInterpolator(flow);
  const embedder = async (entry: OnnxManifest['dino'], transform: 'dino' | 'clip', name: string): Promise<FrameEmbedder | null> =>
    entry ? new OnnxEmbedder(await load(entry.file), transform, name, entry) : null;
  const subject = (await embedder(manifest.dino, 'dino', 'dino-vitb16')) ?? base.subject;
  const background = (await embedder(manifest.clip_b32, 'clip', 'clip-vitb32')) ?? base.background;
  let aesthetic: FrameScorer | null = null;
  if (manifest.laion_aesthetic && manifest.clip_l14) {
    const encoder = new OnnxEmbedder(await load(manifest.clip_l14.file), 'clip', 'clip-vitl14', manifest.clip_l14);
    aesthetic = new OnnxAestheticScorer(encoder, await load(manifest.laion_aesthetic.file), manifest.laion_aesthetic);
  }
  const imaging = manifest.musiq
    ? new OnnxMusiqScorer(await load(manifest.musiq.file), options.imagingMode ?? 'longer', manifest.musiq)
    : null;
  return { flow, interpolator, subject, background, aesthetic, imaging };
}
