#!/usr/bin/env node
/**
 * Writes the scale-model packages (manifests only; the PyTorch factory python/pyramid_bench_models/scale_dit.py
 * draws the weights from a seed): `node packages/scale/generate.mjs` rewrites packages/scale/<size>-<kind>/
 * manifest.json for every size below and kind pyramid, full, cascade. The committed manifests are this script's
 * output (test/suites/gpu-throughput.test.ts checks that they agree).
 *
 * Quality is meaningless for these packages: their weights are random. They exist to measure time, throughput
 * and memory at the size of the released Pyramid-Flow checkpoints (docs/gpu.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * Transformers. sd3: jy0205/Pyramid-Flow (commit 3040d71) pyramid_dit/mmdit_modules/modeling_pyramid_mmdit.py's
 * defaults, which are SD3-medium's: 24 joint blocks, 24 heads x 64 = 1536 wide, patch 2, 16 latent channels; T5
 * prompts of 128 tokens (modeling_text_encoder.py). miniflux: the released config.json is on Hugging Face, not in
 * the code repository, and could not be read here: 8 double + 16 single blocks, 30 heads x 64 = 1920 wide, patch 2
 * (in_channels 64 = 16 channels packed 2x2), 128 T5 tokens are the values as recalled, unverified; check them
 * against diffusion_transformer_768p/config.json of a download. mini: a few thousand parameters, for CPU tests.
 */
const TRANSFORMERS = {
  sd3: { hidden: 1536, heads: 24, joint_depth: 24, single_depth: 0, cond_tokens: 128 },
  miniflux: { hidden: 1920, heads: 30, joint_depth: 8, single_depth: 16, cond_tokens: 128 },
  mini: { hidden: 32, heads: 2, joint_depth: 1, single_depth: 1, cond_tokens: 4 },
};

/**
 * Latent shapes. Official video sizes 640x384 and 1280x768 through the causal VAE's 8x spatial compression: 48x80
 * and 96x160 latents of 16 channels; 16 latent frames = 121 video frames = 5 s at 24 fps (8x temporal
 * compression, the first frame alone). mini: 16x16 latents of 4 channels, 3 frames.
 */
const SHAPES = {
  '384p': { channels: 16, frames: 16, height: 48, width: 80, fps: 24 },
  '768p': { channels: 16, frames: 16, height: 96, width: 160, fps: 24 },
  mini: { channels: 4, frames: 3, height: 16, width: 16, fps: 8 },
};

const SIZES = [
  ['sd3-384p', 'sd3', '384p'],
  ['sd3-768p', 'sd3', '768p'],
  ['miniflux-384p', 'miniflux', '384p'],
  ['miniflux-768p', 'miniflux', '768p'],
  ['mini', 'mini', 'mini'],
];

const PATCH = 2;
const STAGES = 3;

/** ScaleDiT's parameter count (scale_dit.py parameter_count; the test checks the two agree). */
export function parameterCount(t, labels, channels, lowRes) {
  const d = t.hidden;
  const stream = d * 3 * d + 3 * d + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d);
  const joint = 2 * (stream + d * 6 * d + 6 * d);
  const single = stream + d * 3 * d + 3 * d;
  const inDim = channels * PATCH * PATCH * (lowRes ? 2 : 1);
  const out = channels * PATCH * PATCH;
  return (
    t.joint_depth * joint +
    t.single_depth * single +
    (inDim * d + d) +
    8 * d +
    (labels + 1) * t.cond_tokens * d +
    (256 * d + d) +
    (d * d + d) +
    (d * out + out)
  );
}

function network(role, height, width, inputs, config) {
  return { role, height, width, inputs, output: 'velocity', torch: { weights: [], config } };
}

/** The manifest of one scale package. */
export function scaleManifest(size, transformer, shape, kind) {
  const t = TRANSFORMERS[transformer];
  const s = SHAPES[shape];
  const base = { x: 'x', timestep: 'timestep', label: 'label' };
  const config = (seed, extra = {}) => ({ ...t, seed, ...extra });
  const levels = Array.from({ length: STAGES }, (_, l) => `hist_${l}`);
  let networks;
  if (kind === 'pyramid')
    networks = [
      network('pyramid', s.height, s.width, { ...base, frame0: 'frame0', level: 'level', history: levels, historyLayout: 'hist_layout' }, config(1)),
    ];
  else if (kind === 'full')
    networks = [network('full', s.height, s.width, { ...base, frame0: 'frame0', history: ['hist_0'], historyLayout: 'hist_layout' }, config(2))];
  else
    networks = Array.from({ length: STAGES }, (_, k) => {
      const f = 2 ** (STAGES - 1 - k);
      return k === 0
        ? network('cascade-base', s.height / f, s.width / f, base, config(3))
        : { ...network('cascade-super-resolution', s.height / f, s.width / f, { ...base, lowRes: 'low_res' }, config(3 + k, { low_res: true })), lowResUpsample: 'nearest' };
    });
  const labels = 1;
  const perNetwork = networks.map((n) => parameterCount(t, labels, s.channels, n.torch.config.low_res === true));
  const d = t.hidden;
  const patchValues = s.channels * PATCH * PATCH;
  return {
    format: 'pyramid-bench/model-package',
    version: 1,
    name: `scale-${size}-${kind}`,
    description:
      `Scale model (${transformer} dimensions, ${shape} latents), RANDOM WEIGHTS: for time, throughput and memory only; ` +
      'its samples are noise and any quality metric on it is meaningless (docs/gpu.md).',
    kind,
    sample: { space: 'latent', ...s },
    conditioning: { kind: 'class', classes: 1, nullLabel: 1, classNames: ['stand-in for a text prompt'] },
    ...(kind === 'pyramid'
      ? { pyramid: { stages: STAGES, stageRange: [0, 1 / 3, 2 / 3, 1], gamma: 1 / 3, shift: 1, trainTimesteps: 1000 } }
      : {}),
    temporal: { mode: kind === 'pyramid' ? 'autoregressive' : 'joint', framesPerUnit: 1 },
    networks,
    patchSize: PATCH,
    cost: {
      parameters: perNetwork.reduce((a, b) => a + b, 0),
      hidden: d,
      depth: t.joint_depth + t.single_depth,
      mlpRatio: 4,
      conditionTokens: t.cond_tokens,
      attention: 'block-causal',
      // patch embedding (the super-resolution stages' input has twice the channels); output head
      inputFlopsPerToken: 2 * patchValues * (kind === 'cascade' ? 2 : 1) * d,
      outputFlopsPerToken: 2 * d * patchValues,
    },
    defaults:
      kind === 'pyramid'
        ? { guidance: { firstFrame: 7, video: 5 }, stepsPerStage: [20, 20, 20], videoStepsPerStage: [10, 10, 10] }
        : kind === 'full'
          ? { guidance: { firstFrame: 7, video: 5 }, steps: 30 }
          : { guidance: { firstFrame: 7, video: 5 }, stepsPerStage: [10, 10, 10] },
    torch: { module: 'pyramid_bench_models.scale_dit', factory: 'build' },
    training: { weights: 'none: random, N(0, 0.02^2) from each network config seed', transformer, shape },
  };
}

/** Every scale package: folder name -> manifest. */
export function scalePackages() {
  const out = {};
  for (const [size, transformer, shape] of SIZES)
    for (const kind of ['pyramid', 'full', 'cascade']) out[`${size}-${kind}`] = scaleManifest(size, transformer, shape, kind);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [folder, manifest] of Object.entries(scalePackages())) {
    mkdirSync(path.join(HERE, folder), { recursive: true });
    writeFileSync(path.join(HERE, folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
}
