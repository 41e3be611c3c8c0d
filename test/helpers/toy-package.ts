/** Small model packages built in TypeScript (GraphBuilder) for backend tests: the contract without training. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GraphBuilder } from '../../src/models/onnx/builder.ts';
import { fileSha256 } from '../../src/models/package/manifest.ts';

export interface ToyOptions {
  readonly kind?: 'full' | 'pyramid';
  /** Builds the output from the named inputs; default velocity = 0.5 x. */
  readonly body?: (g: GraphBuilder, inputs: Record<string, string>) => string;
  /** Renames the x input inside the network (to test name checks). */
  readonly xName?: string;
  /** Fixed spatial size of x (to test the dynamic-size check). */
  readonly fixedSpatial?: boolean;
  readonly text?: boolean;
  /** Channels of the generated tensor (default 3). */
  readonly channels?: number;
  /** Changes to the manifest after it is built. */
  // biome-ignore lint/suspicious/noExplicitAny: tests reach into the manifest's nested fields to break them
  readonly manifest?: (m: Record<string, any>) => void;
}

/** Writes a package with one network over 3 x 8 x 8 samples of 3 frames; returns its folder. */
export function writeToyPackage(dir: string, options: ToyOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const kind = options.kind ?? 'full';
  const C = options.channels ?? 3;
  const g = new GraphBuilder('toy');
  const xName = options.xName ?? 'x';
  const spatial = options.fixedSpatial ? [8, 8] : ['height', 'width'];
  const inputs: Record<string, string> = {
    x: g.input(xName, 'float32', ['batch', C, 'frames', ...spatial]),
    timestep: g.input('timestep', 'float32', ['batch']),
  };
  if (options.text) inputs.text = g.input('text', 'float32', ['batch', 4, 2]);
  else inputs.label = g.input('label', 'int64', ['batch']);
  if (kind === 'pyramid') {
    inputs.frame0 = g.input('x_frame0', 'int64', [1]);
    inputs.level = g.input('x_level', 'int64', [1]);
    for (let l = 0; l < 3; l++) inputs[`hist_${l}`] = g.input(`hist_${l}`, 'float32', ['batch', C, `f${l}`, 8 / 2 ** l, 8 / 2 ** l]);
    inputs.historyLayout = g.input('hist_layout', 'int64', [3, 2]);
  }
  const out = options.body
    ? options.body(g, inputs)
    : g.op('Mul', [inputs.x, g.initializer('half', 'float32', [], Float32Array.from([0.5]))]);
  g.output(out, 'velocity', 'float32', ['batch', C, 'frames', ...spatial]);
  writeFileSync(path.join(dir, 'net.onnx'), g.toBytes());
  const networkInputs: Record<string, unknown> = {
    x: xName,
    timestep: 'timestep',
    ...(options.text ? { text: 'text' } : { label: 'label' }),
  };
  if (kind === 'pyramid')
    Object.assign(networkInputs, {
      frame0: 'x_frame0',
      level: 'x_level',
      history: ['hist_0', 'hist_1', 'hist_2'],
      historyLayout: 'hist_layout',
    });
  // biome-ignore lint/suspicious/noExplicitAny: a manifest as JSON, edited field by field below and by tests
  const manifest: Record<string, any> = {
    format: 'pyramid-bench/model-package',
    version: 1,
    name: 'toy',
    kind,
    sample: { space: C === 3 ? 'pixel' : 'latent', channels: C, frames: 3, height: 8, width: 8, fps: 8 },
    conditioning: options.text ? { kind: 'text', tokens: 4, dim: 2, negativePrompt: 'bad' } : { kind: 'class', classes: 2, nullLabel: 2 },
    temporal: { mode: kind === 'pyramid' ? 'autoregressive' : 'joint', framesPerUnit: 1 },
    networks: [
      {
        role: kind,
        file: 'net.onnx',
        sha256: fileSha256(path.join(dir, 'net.onnx')),
        height: 8,
        width: 8,
        inputs: { ...networkInputs, x: 'x' },
        output: 'velocity',
      },
    ],
    patchSize: 2,
    cost: { hidden: 8, depth: 1, mlpRatio: 4, conditionTokens: 0 },
  };
  if (kind === 'pyramid') manifest.pyramid = { stages: 3, stageRange: [0, 1 / 3, 2 / 3, 1], gamma: 1 / 3 };
  options.manifest?.(manifest);
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}
