/**
 * The `analytic` backend: velocity models whose predictions are the exact ideal velocities E[dx/dr | x_r] for
 * a Gaussian-mixture target, for every flow a sampler uses: each pyramid stage (start points built from the
 * upsampled lower-resolution data, Pyramid-Flow's training objective), the full-resolution flow, the cascade's
 * base and super-resolution flows, and any unit given its history. `../shared/docs/pyramid-flow.md` section 8.
 */
import { createHash } from 'node:crypto';
import { Tensor, formatShape } from '../../core/tensor.ts';
import type { ModelSet, ModelSpec, VelocityInput, VelocityModel } from '../contract/velocity-model.ts';
import { cpuDevice } from '../contract/device.ts';
import { stageWindows, type PyramidConfig, type StageWindow } from '../contract/schedule.ts';
import type { TransformerCost } from '../contract/cost-model.ts';
import type { GaussianMixture } from './mixture.ts';
import { isotropicLogLikelihood, posteriorVelocity, type LinearFlow } from './posterior.ts';

/** A named analytic target and the pyramid its ideal models are "trained" with. */
export interface AnalyticPreset {
  readonly name: string;
  readonly description: string;
  readonly mixture: GaussianMixture;
  readonly pyramid: PyramidConfig;
  /** Patch size used to count tokens. */
  readonly patchSize: number;
  /** A notional transformer for the FLOP model, so compute comparisons have a scale (reported as notional). */
  readonly cost: TransformerCost;
}

/** Flow coefficients of pyramid stage k at local time r (training objective, spec section 3). */
export function pyramidFlow(window: StageWindow, r: number): LinearFlow {
  const { startSigma: ss, endSigma: se } = window;
  const coupled = window.stage > 0;
  return {
    // x_r = r * start + (1 - r) * end, start = ss n + (1 - ss) P y (stage 0: n), end = se n + (1 - se) y
    a1: (1 - r) * (1 - se),
    a2: coupled ? r * (1 - ss) : 0,
    b: r * ss + (1 - r) * se,
    // v = start - end
    c: ss - se,
    d1: -(1 - se),
    d2: coupled ? 1 - ss : 0,
  };
}

/** The plain flow x_r = r n + (1 - r) y with v = n - y (full resolution, cascade base and super-resolution). */
export function plainFlow(r: number): LinearFlow {
  return { a1: 1 - r, a2: 0, b: r, c: 1, d1: -1, d2: 0 };
}

/** Content hash of a preset: every number that defines the target and the pyramid. */
export function presetHash(preset: AnalyticPreset): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({ shape: preset.mixture.shape, classes: preset.mixture.classes, pyramid: preset.pyramid, patch: preset.patchSize }),
  );
  for (const c of preset.mixture.components) {
    h.update(JSON.stringify({ w: c.weight, l: c.label, s: c.std }));
    h.update(Buffer.from(c.mean.buffer, c.mean.byteOffset, c.mean.byteLength));
  }
  return h.digest('hex');
}

type Role = ModelSpec['role'];

/** One analytic velocity model: a role (pyramid, full, cascade stage) over a preset's mixture. */
export class AnalyticModel implements VelocityModel {
  readonly id: string;
  readonly hash: string;
  readonly spec: ModelSpec;
  private readonly windows?: StageWindow[];
  /** Downsampling exponent of this model's output relative to the mixture's full resolution. */
  private readonly outputLevel: number;

  constructor(
    readonly preset: AnalyticPreset,
    role: Role,
    outputLevel = 0,
  ) {
    const { shape, classes } = preset.mixture;
    this.outputLevel = outputLevel;
    this.id = `analytic:${preset.name}/${role}${role.startsWith('cascade') ? `@${shape.height / 2 ** outputLevel}` : ''}`;
    this.hash = presetHash(preset);
    if (role === 'pyramid') this.windows = stageWindows(preset.pyramid);
    this.spec = {
      role,
      channels: shape.channels,
      frames: shape.frames,
      height: shape.height / 2 ** outputLevel,
      width: shape.width / 2 ** outputLevel,
      pyramid: role === 'pyramid' ? preset.pyramid : undefined,
      shift: preset.pyramid.shift,
      conditioning: { kind: 'class', classes },
      patchSize: preset.patchSize,
      cost: preset.cost,
      costSource: 'notional',
    };
  }

  async predict(input: VelocityInput): Promise<Tensor> {
    return this.predictSync(input);
  }

  /** The ideal velocity for every row of the input. */
  predictSync(input: VelocityInput): Tensor {
    const { x, flow, ratio: r } = input;
    const mixture = this.preset.mixture;
    const [rows, C, frames, h, w] = x.shape;
    if (C !== mixture.shape.channels) throw new RangeError(`${this.id}: input has ${C} channels, the model has ${mixture.shape.channels}`);
    if (!(r >= 0 && r <= 1)) throw new RangeError(`${this.id}: ratio ${r} is outside [0, 1]`);
    if (input.conditions.length !== rows) throw new RangeError(`${this.id}: ${input.conditions.length} conditions for ${rows} rows`);
    const level = Math.round(Math.log2(mixture.shape.height / h));
    if (mixture.shape.height / 2 ** level !== h || mixture.shape.width / 2 ** level !== w) {
      throw new RangeError(
        `${this.id}: input ${formatShape(x.shape)} is not the mixture's ${mixture.shape.height}x${mixture.shape.width} taken down by a power of 2`,
      );
    }
    let linear: LinearFlow;
    switch (flow.kind) {
      case 'pyramid': {
        if (!this.windows) throw new RangeError(`${this.id}: a '${this.spec.role}' model does not serve pyramid flows`);
        const window = this.windows[flow.stage];
        if (!window) throw new RangeError(`${this.id}: stage ${flow.stage} is not one of the pyramid's ${this.windows.length} stages`);
        if (window.level !== level)
          throw new RangeError(
            `${this.id}: stage ${flow.stage} works at level ${window.level}, got an input at level ${level} (${formatShape(x.shape)})`,
          );
        linear = pyramidFlow(window, r);
        break;
      }
      case 'full':
      case 'super-resolution': {
        const want = flow.kind === 'full' ? ['full', 'cascade-base'] : ['cascade-super-resolution'];
        if (!want.includes(this.spec.role))
          throw new RangeError(`${this.id}: a '${this.spec.role}' model does not serve '${flow.kind}' flows`);
        if (level !== this.outputLevel)
          throw new RangeError(`${this.id}: expects inputs at ${this.spec.height}x${this.spec.width}, got ${formatShape(x.shape)}`);
        linear = plainFlow(r);
        break;
      }
    }
    const slice = mixture.meansAt(level, input.firstFrame, frames);
    const J = mixture.components.length;
    const variances = Float64Array.from({ length: J }, (_, j) => mixture.variance(j, level));
    const g = { planes: C * frames, height: h, width: w };
    const out = new Tensor(x.shape);
    const lowSlice = flow.kind === 'super-resolution' ? mixture.meansAt(level + 1, input.firstFrame, frames) : undefined;
    if (flow.kind === 'super-resolution') {
      const prev = input.previousStage;
      if (!prev || prev.batch !== rows || prev.frames !== frames || prev.height !== h / 2 || prev.width !== w / 2) {
        throw new RangeError(
          `${this.id}: a super-resolution call needs previousStage of shape [${rows}, ${C}, ${frames}, ${h / 2}, ${w / 2}], got ${prev ? formatShape(prev.shape) : 'none'}`,
        );
      }
    }
    for (let row = 0; row < rows; row++) {
      const logEvidence = Float64Array.from(mixture.priorWeights(input.conditions[row]), Math.log);
      // history: frames are independent given the component, so earlier frames only reweight components
      for (const entry of input.history) {
        const t = entry.tensor;
        const hs = mixture.meansAt(entry.level, entry.firstFrame, t.frames);
        if (t.height !== hs.height || t.width !== hs.width)
          throw new RangeError(`${this.id}: history at level ${entry.level} has shape ${formatShape(t.shape)}`);
        const values = t.sample(row);
        for (let j = 0; j < J; j++)
          if (logEvidence[j] !== -Infinity) logEvidence[j] += isotropicLogLikelihood(values, hs.means[j], mixture.variance(j, entry.level));
      }
      let known: Float64Array | undefined;
      if (lowSlice) {
        const low = input.previousStage!.sample(row);
        for (let j = 0; j < J; j++)
          if (logEvidence[j] !== -Infinity)
            logEvidence[j] += isotropicLogLikelihood(low, lowSlice.means[j], mixture.variance(j, level + 1));
        known = Float64Array.from(low);
      }
      posteriorVelocity(x.sample(row), g, linear, { means: slice.means, variances, logEvidence }, out.sample(row), known);
    }
    return out;
  }
}

/** The models of an analytic preset: unified pyramid, full resolution, and a cascade with one model per stage. */
export function analyticModelSet(preset: AnalyticPreset): ModelSet {
  const K = preset.pyramid.stages;
  return {
    id: `analytic:${preset.name}`,
    pyramid: new AnalyticModel(preset, 'pyramid'),
    full: new AnalyticModel(preset, 'full'),
    cascade: Array.from(
      { length: K },
      (_, s) => new AnalyticModel(preset, s === 0 ? 'cascade-base' : 'cascade-super-resolution', K - 1 - s),
    ),
    device: cpuDevice('TypeScript (closed-form velocities)'),
    // nothing to release: the velocities are computed in this process
    close: async () => {},
  };
}
