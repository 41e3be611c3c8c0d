/** A latent, text-conditioned toy pyramidal package (embedding table, decoder, defaults) for the runner's tests. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeNpz, npyArray } from '../../src/io/npy.ts';
import { GraphBuilder } from '../../src/models/onnx/builder.ts';
import { fileSha256 } from '../../src/models/package/manifest.ts';
import { OFFICIAL_PROMPT_SUFFIX } from '../../src/models/package/model-set.ts';
import { writeToyPackage } from './toy-package.ts';

/**
 * Writes the package into `dir` with embeddings for `prompts` (and the negative prompt 'bad'), each prompt also
 * with Pyramid-Flow's prompt suffix appended (the same embedding: the official defaults look the suffixed prompt
 * up); returns `dir`.
 */
export function writeTextPackage(dir: string, prompts: readonly string[]): string {
  writeToyPackage(dir, { kind: 'pyramid', text: true, channels: 4 });
  const all = ['bad', ...prompts, ...prompts.map((p) => p + OFFICIAL_PROMPT_SUFFIX)];
  const names = new TextEncoder().encode(JSON.stringify(all));
  // row i's values are its prompt's position in ['bad', ...prompts] minus 1
  const position = (i: number) => (i <= prompts.length ? i : i - prompts.length);
  const embeddings = Float32Array.from({ length: all.length * 8 }, (_, i) => position(Math.floor(i / 8)) - 1);
  writeFileSync(
    path.join(dir, 'emb.npz'),
    encodeNpz({ prompts: npyArray(names, [names.length]), embeddings: npyArray(embeddings, [all.length, 4, 2]) }),
  );
  // decoder: the first three latent channels, doubled, as RGB
  const g = new GraphBuilder('decoder');
  const z = g.input('latent', 'float32', ['batch', 4, 'frames', 'height', 'width']);
  const w = new Float32Array(12);
  for (let c = 0; c < 3; c++) w[c * 4 + c] = 2;
  g.output(g.op('Conv', [z, g.initializer('w', 'float32', [3, 4, 1, 1, 1], w)]), 'pixels', 'float32', [
    'batch',
    3,
    'frames',
    'height',
    'width',
  ]);
  writeFileSync(path.join(dir, 'decoder.onnx'), g.toBytes());
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  m.conditioning.embeddings = 'emb.npz';
  m.decoder = { file: 'decoder.onnx', sha256: fileSha256(path.join(dir, 'decoder.onnx')), input: 'latent', output: 'pixels', fps: 24 };
  m.defaults = { guidance: { firstFrame: 2, video: 1.5 }, stepsPerStage: [2, 2, 2], videoStepsPerStage: [1, 1, 1] };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
  return dir;
}
