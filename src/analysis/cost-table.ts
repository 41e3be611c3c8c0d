/**
 * The planned-compute table: for a configuration (latent size and frames, steps, guidance, transformer), the
 * tokens and FLOPs per video of the pyramidal sampler (spatial pyramid plus the temporal pyramid's compressed
 * history) beside full-resolution autoregressive generation with the same steps, full-sequence generation and
 * a three-stage cascade, each from its sampler's planned calls (`Sampler.plan` over a set of notional models that
 * have the configuration's shapes and transformer; no model runs). `../shared/docs/pyramid-flow.md` sections 6-7.
 */
import type { TransformerCost } from '../models/contract/cost-model.ts';
import { pyramidTokenShare } from '../models/contract/cost-model.ts';
import { totalPlannedCost, type PlannedCall, type PlannedCost } from '../samplers/contract/plan-cost.ts';
import { DEFAULT_PYRAMID, type PyramidConfig } from '../models/contract/schedule.ts';
import { pyramidSampler } from '../samplers/pyramid/sampler.ts';
import { fullResolutionSampler } from '../samplers/full-resolution.ts';
import { cascadeSampler } from '../samplers/cascade.ts';
import type { GuidanceSettings } from '../samplers/contract/sampling.ts';
import type { ModelSet, ModelSpec, VelocityModel } from '../models/contract/velocity-model.ts';

/** A configuration to cost. Sizes are in latent units (full resolution). */
/** The file a run writes the table to when its suite asks for it (`outputs.costTable: true`). */
export const COST_TABLE_FILE = 'cost-table.json';

export interface CostConfig {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  /** Latent frames (16 = 121 video frames = 5 s at 24 fps with 8x temporal compression). */
  readonly frames: number;
  readonly channels: number;
  readonly patchSize: number;
  /** Steps per stage for the first frame and for later frames (Pyramid-Flow: [20, 20, 20] and [10, 10, 10]). */
  readonly stepsPerStage: readonly number[];
  readonly videoStepsPerStage: readonly number[];
  readonly guidance: GuidanceSettings;
  readonly transformer: TransformerCost;
  readonly pyramid: PyramidConfig;
}

/** Planned cost of one method plus the share of its tokens that are history. */
export interface PlannedMethodCost extends PlannedCost {
  /** History tokens / all tokens processed. */
  readonly historyTokenShare: number;
}

/** One row of the table. */
export interface CostRow {
  readonly config: CostConfig;
  readonly pyramid: PlannedMethodCost;
  /** Full resolution, frame by frame with an uncompressed full-resolution history, the pyramid's steps per unit summed over stages. */
  readonly fullAutoregressive: PlannedMethodCost;
  /** Full resolution, all frames jointly, the pyramid's later-frame steps summed over stages. */
  readonly fullSequence: PlannedMethodCost;
  /** Base model at 1/4 size then two 2x super-resolution models, all frames jointly, the pyramid's later-frame steps per stage. */
  readonly cascade: PlannedMethodCost;
  /** Pyramid FLOPs / each baseline's FLOPs (below 1: the pyramid is cheaper). */
  readonly flopsRatio: { readonly fullAutoregressive: number; readonly fullSequence: number; readonly cascade: number };
  /** Pyramid tokens / each baseline's tokens. */
  readonly tokenRatio: { readonly fullAutoregressive: number; readonly fullSequence: number; readonly cascade: number };
}

/** The table with its assumptions. */
export interface CostTable {
  readonly assumptions: readonly string[];
  /** sum_k 4^-(K-1-k) / K for equal steps and no history (spec section 6: 0.4375 for K = 3). */
  readonly equalStepsTokenShare: number;
  readonly rows: readonly CostRow[];
}

/** An SD3-medium-like MMDiT: 24 blocks of width 1536 (24 heads x 64), MLP ratio 4, 128 T5 text tokens, about 2B parameters. */
export const SD3_MEDIUM_LIKE: TransformerCost = Object.freeze({
  hidden: 1536,
  depth: 24,
  mlpRatio: 4,
  conditionTokens: 128,
  parameters: 2e9,
});

/** Pyramid-Flow's published settings: 384p (640x384) and 768p (1280x768), 5 s (16 latent frames) and 10 s (31). */
export function paperConfigs(): CostConfig[] {
  const base = {
    channels: 16,
    patchSize: 2,
    stepsPerStage: [20, 20, 20],
    videoStepsPerStage: [10, 10, 10],
    guidance: { firstFrame: 7, video: 5 },
    transformer: SD3_MEDIUM_LIKE,
    pyramid: DEFAULT_PYRAMID,
  };
  const out: CostConfig[] = [];
  for (const [p, h, w] of [
    [384, 48, 80],
    [768, 96, 160],
  ] as const) {
    for (const [seconds, frames] of [
      [5, 16],
      [10, 31],
    ] as const)
      out.push({ ...base, name: `${p}p, ${seconds} s`, height: h, width: w, frames });
  }
  return out;
}

/** The check configuration of spec section 6 for `base`'s size and transformer: one frame, equal steps, no history, no guidance. */
export function equalStepsCheckConfig(base: CostConfig = paperConfigs()[3]): CostConfig {
  return {
    ...base,
    name: 'check: 1 frame, [20, 20, 20], no guidance',
    frames: 1,
    stepsPerStage: [20, 20, 20],
    videoStepsPerStage: [20, 20, 20],
    guidance: { firstFrame: 1, video: 1 },
  };
}

function spec(config: CostConfig, height: number, width: number, role: ModelSpec['role']): ModelSpec {
  return {
    channels: config.channels,
    frames: config.frames,
    height,
    width,
    role,
    pyramid: role === 'pyramid' ? config.pyramid : undefined,
    shift: config.pyramid.shift,
    conditioning: { kind: 'none' },
    patchSize: config.patchSize,
    cost: config.transformer,
    costSource: 'notional',
  };
}

/** A model that only has a spec: planning reads shapes and transformer dimensions and never calls it. */
function notionalModel(spec: ModelSpec, id: string): VelocityModel {
  return {
    id,
    hash: id,
    spec,
    predict: () => Promise.reject(new Error(`${id} is notional (the cost table's); it has no weights to run`)),
  };
}

/** The set the table plans with: the unified pyramidal model, the full-resolution model and the cascade stages. */
function notionalModelSet(config: CostConfig): ModelSet {
  const { height: H, width: W, pyramid: cfg } = config;
  const K = cfg.stages;
  return {
    id: `notional:${config.name}`,
    pyramid: notionalModel(spec(config, H, W, 'pyramid'), 'notional/pyramid'),
    full: notionalModel(spec(config, H, W, 'full'), 'notional/full'),
    cascade: Array.from({ length: K }, (_, s) =>
      notionalModel(
        spec(config, H / 2 ** (K - 1 - s), W / 2 ** (K - 1 - s), s === 0 ? 'cascade-base' : 'cascade-super-resolution'),
        `notional/cascade${s}`,
      ),
    ),
    device: { kind: 'cpu', name: 'none (notional models are planned, never run)', count: 0, memoryBytes: null, runtime: 'none' },
    close: async () => {},
  };
}

function withHistory(calls: readonly PlannedCall[], transformer: TransformerCost): PlannedMethodCost {
  const total = totalPlannedCost(calls, transformer);
  const history = calls.reduce((a, c) => a + c.rowsPerSample * c.blocks.slice(0, -1).reduce((x, y) => x + y, 0), 0);
  return { ...total, historyTokenShare: history / total.tokensPerSample };
}

/** Costs one configuration: each method's settings parsed by its sampler, then its planned calls summed. */
export function costRow(config: CostConfig): CostRow {
  const { frames, guidance, transformer } = config;
  const models = notionalModelSet(config);
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const pyramidSettings = pyramidSampler.parseSettings(
    { stepsPerStage: config.stepsPerStage, videoStepsPerStage: config.videoStepsPerStage, framesPerUnit: 1, temporal: 'autoregressive' },
    models,
  );
  const pyramid = withHistory(pyramidSampler.plan(models, pyramidSettings, frames, guidance), transformer);
  const fullPlan = (raw: Record<string, unknown>) =>
    fullResolutionSampler.plan(models, fullResolutionSampler.parseSettings(raw, models), frames, guidance);
  const fullAutoregressive = withHistory(
    fullPlan({
      temporal: 'autoregressive',
      framesPerUnit: 1,
      steps: sum(config.stepsPerStage),
      videoSteps: sum(config.videoStepsPerStage),
    }),
    transformer,
  );
  const sequenceSteps = sum(frames === 1 ? config.stepsPerStage : config.videoStepsPerStage);
  const fullSequence = withHistory(fullPlan({ temporal: 'joint', steps: sequenceSteps }), transformer);
  const cascadeSteps = frames === 1 ? config.stepsPerStage : config.videoStepsPerStage;
  const cascade = withHistory(
    cascadeSampler.plan(models, cascadeSampler.parseSettings({ stepsPerStage: cascadeSteps }, models), frames, guidance),
    transformer,
  );
  const ratio = (f: (c: PlannedMethodCost) => number) => ({
    fullAutoregressive: f(pyramid) / f(fullAutoregressive),
    fullSequence: f(pyramid) / f(fullSequence),
    cascade: f(pyramid) / f(cascade),
  });
  return {
    config,
    pyramid,
    fullAutoregressive,
    fullSequence,
    cascade,
    flopsRatio: ratio((c) => c.flopsPerSample!),
    tokenRatio: ratio((c) => c.tokensPerSample),
  };
}

/** The table for `configs` (default: the paper's four settings and the equal-steps check). */
export function costTable(configs: readonly CostConfig[] = [...paperConfigs(), equalStepsCheckConfig()]): CostTable {
  const c = configs[0];
  const t = c.transformer;
  const sd3 =
    t.hidden === SD3_MEDIUM_LIKE.hidden &&
    t.depth === SD3_MEDIUM_LIKE.depth &&
    t.mlpRatio === SD3_MEDIUM_LIKE.mlpRatio &&
    t.conditionTokens === SD3_MEDIUM_LIKE.conditionTokens;
  return {
    assumptions: [
      `latents: 8x spatial and 8x temporal causal compression (16 latent frames = 121 frames = 5 s at 24 fps; 31 = 10 s), ${c.channels} channels, patch ${c.patchSize}`,
      `transformer: ${sd3 ? 'SD3-medium-like (about 2B parameters), ' : ''}${t.depth} blocks of width ${t.hidden}, MLP ratio ${t.mlpRatio}, ${t.conditionTokens} text tokens attended jointly; FLOPs = (8 + 4 mlpRatio) d^2 per token per block + 4 d per attended query-key pair, block-causal across frames (src/models/cost-model.ts); embeddings, norms and the VAE left out`,
      'pyramid: 3 stages (stage range thirds), frame by frame (1 latent frame per unit), compressed history (temporal pyramid)',
      `steps: pyramid [${c.stepsPerStage.join(', ')}] per stage for the first frame, [${c.videoStepsPerStage.join(', ')}] for later frames`,
      'full autoregressive: frame by frame at full resolution with an uncompressed full-resolution history, the pyramid\u2019s per-unit steps summed over stages',
      'full sequence: all frames jointly at full resolution, the pyramid\u2019s later-frame steps summed over stages',
      'cascade: all frames jointly, base model at 1/4 size, then two 2x super-resolution models, the pyramid\u2019s later-frame steps per stage',
      `guidance: ${c.guidance.firstFrame === 1 && c.guidance.video === 1 ? 'none' : `classifier-free (first frame ${c.guidance.firstFrame}, later frames ${c.guidance.video}) doubles every evaluation`}; the check row has none`,
    ],
    equalStepsTokenShare: pyramidTokenShare([1, 1, 1]),
    rows: configs.map(costRow),
  };
}

const tflops = (f: number | null) => (f === null ? 'n/a' : (f / 1e12).toFixed(1));
const pct = (r: number) => `${(100 * r).toFixed(1)} %`;

/** The table as Markdown. */
export function costTableMarkdown(table: CostTable): string {
  const lines = [
    '| setting | latent (T x H x W) | pyramid TFLOPs | full AR TFLOPs | full seq. TFLOPs | cascade TFLOPs | pyramid / full AR | pyramid / full seq. | pyramid / cascade | pyramid tokens / full AR tokens | pyramid history token share |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...table.rows
      .map((r) =>
        [
          r.config.name,
          `${r.config.frames} x ${r.config.height} x ${r.config.width}`,
          tflops(r.pyramid.flopsPerSample),
          tflops(r.fullAutoregressive.flopsPerSample),
          tflops(r.fullSequence.flopsPerSample),
          tflops(r.cascade.flopsPerSample),
          pct(r.flopsRatio.fullAutoregressive),
          pct(r.flopsRatio.fullSequence),
          pct(r.flopsRatio.cascade),
          r.tokenRatio.fullAutoregressive.toFixed(4),
          pct(r.pyramid.historyTokenShare),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
    '',
    `Equal steps, no history: the pyramid's current-frame tokens are ${table.equalStepsTokenShare} of full resolution's (spec section 6).`,
    '',
    'Assumptions:',
    ...table.assumptions.map((a) => `- ${a}`),
  ];
  return lines.join('\n');
}
