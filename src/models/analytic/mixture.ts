/**
 * The target of the exact analytic testbed: a Gaussian mixture of prototype videos, component j = prototype
 * mu_j plus i.i.d. N(0, s_j^2) noise on every entry (`../shared/docs/pyramid-flow.md` section 8). Taking data down
 * one level (2x2 means) keeps this form: means taken down, variance divided by 4.
 */
import type { NoiseSource } from '../../core/philox.ts';
import type { Condition } from '../contract/velocity-model.ts';
import { blockMeans } from './posterior.ts';

/** One mixture component. */
export interface MixtureComponent {
  /** Mixture weight (weights are normalised over all components). */
  readonly weight: number;
  /** Class label this component belongs to. */
  readonly label: number;
  /** Per-entry standard deviation s_j at full resolution. */
  readonly std: number;
  /** Prototype video [C, T, H, W] at full resolution. */
  readonly mean: Float32Array;
}

/** Per-sample shape [C, T, H, W]. */
export interface VideoShape {
  readonly channels: number;
  readonly frames: number;
  readonly height: number;
  readonly width: number;
}

/** Means of every component at one level, restricted to a frame range, in float64. */
export interface LevelMeans {
  readonly level: number;
  readonly firstFrame: number;
  readonly frames: number;
  readonly height: number;
  readonly width: number;
  /** Per component: [C, frames, h, w]. */
  readonly means: readonly Float64Array[];
}

/** A Gaussian mixture of videos with isotropic per-component noise. */
export class GaussianMixture {
  readonly shape: VideoShape;
  readonly components: readonly MixtureComponent[];
  readonly classes: number;
  private readonly levels = new Map<number, Float64Array[]>();
  private readonly slices = new Map<string, LevelMeans>();

  constructor(shape: VideoShape, components: readonly MixtureComponent[], classes: number) {
    const size = shape.channels * shape.frames * shape.height * shape.width;
    if (components.length === 0) throw new RangeError('a mixture needs at least one component');
    components.forEach((c, j) => {
      if (c.mean.length !== size) throw new RangeError(`component ${j}: mean has ${c.mean.length} values, expected ${size}`);
      if (!(c.weight > 0)) throw new RangeError(`component ${j}: weight ${c.weight} must be > 0`);
      if (!(c.std > 0)) throw new RangeError(`component ${j}: std ${c.std} must be > 0`);
      if (!Number.isInteger(c.label) || c.label < 0 || c.label >= classes) {
        throw new RangeError(`component ${j}: label ${c.label} is not a class; allowed 0 to ${classes - 1}`);
      }
    });
    for (let k = 0; k < classes; k++) {
      if (!components.some((c) => c.label === k)) throw new RangeError(`class ${k} has no component`);
    }
    this.shape = shape;
    this.components = components;
    this.classes = classes;
  }

  /** Normalised weights of the components a condition allows (a class's components, or all). */
  priorWeights(condition: Condition): Float64Array {
    const w = new Float64Array(this.components.length);
    this.components.forEach((c, j) => {
      if (condition.kind === 'unconditional' || (condition.kind === 'class' && c.label === condition.label)) w[j] = c.weight;
    });
    if (condition.kind === 'text') throw new RangeError('analytic mixtures are class-conditional; a text condition is not allowed');
    const total = w.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new RangeError(`no component fits condition ${JSON.stringify(condition)}`);
    return w.map((v) => v / total);
  }

  /** Per-entry variance of component j at `level` (s_j^2 / 4^level). */
  variance(j: number, level: number): number {
    return (this.components[j].std * this.components[j].std) / 4 ** level;
  }

  /** Whole-video means of every component at `level`. */
  private levelMeans(level: number): Float64Array[] {
    let means = this.levels.get(level);
    if (!means) {
      const { channels, frames, height, width } = this.shape;
      if (height % 2 ** level !== 0 || width % 2 ** level !== 0) {
        throw new RangeError(`level ${level}: ${height}x${width} cannot be halved ${level} times`);
      }
      means =
        level === 0
          ? this.components.map((c) => Float64Array.from(c.mean))
          : this.levelMeans(level - 1).map((m) =>
              blockMeans(m, { planes: channels * frames, height: height / 2 ** (level - 1), width: width / 2 ** (level - 1) }),
            );
      this.levels.set(level, means);
    }
    return means;
  }

  /** Component means at `level` for frames [firstFrame, firstFrame + frames), cached. */
  meansAt(level: number, firstFrame: number, frames: number): LevelMeans {
    const key = `${level}:${firstFrame}:${frames}`;
    let slice = this.slices.get(key);
    if (!slice) {
      const { channels: C, frames: T } = this.shape;
      if (firstFrame < 0 || firstFrame + frames > T)
        throw new RangeError(`frames [${firstFrame}, ${firstFrame + frames}) are outside the mixture's ${T} frames`);
      const h = this.shape.height / 2 ** level;
      const w = this.shape.width / 2 ** level;
      const plane = h * w;
      const means = this.levelMeans(level).map((m) => {
        const out = new Float64Array(C * frames * plane);
        for (let c = 0; c < C; c++)
          out.set(m.subarray((c * T + firstFrame) * plane, (c * T + firstFrame + frames) * plane), c * frames * plane);
        return out;
      });
      slice = { level, firstFrame, frames, height: h, width: w, means };
      this.slices.set(key, slice);
    }
    return slice;
  }

  /** Draws sample `index` from the mixture (restricted to the condition's components), seeded by (index, purpose). */
  sample(noise: NoiseSource, index: number, condition: Condition, purpose = 'target'): { values: Float32Array; component: number } {
    const prior = this.priorWeights(condition);
    const u = noise.uniform(index, `${purpose}/component`, 1)[0];
    let j = 0;
    let acc = prior[0];
    while (u > acc && j < prior.length - 1) acc += prior[++j];
    while (prior[j] === 0 && j > 0) j--;
    const c = this.components[j];
    const z = noise.gaussian(index, `${purpose}/values`, c.mean.length);
    const values = new Float32Array(c.mean.length);
    for (let i = 0; i < values.length; i++) values[i] = c.mean[i] + c.std * z[i];
    return { values, component: j };
  }

  /** The most likely component of a full-resolution sample (for weight and moment checks). */
  classify(values: Float32Array): number {
    let best = 0;
    let bestLog = -Infinity;
    this.components.forEach((c, j) => {
      let ss = 0;
      for (let i = 0; i < values.length; i++) {
        const d = values[i] - c.mean[i];
        ss += d * d;
      }
      const v = c.std * c.std;
      const log = Math.log(c.weight) - 0.5 * values.length * Math.log(v) - ss / (2 * v);
      if (log > bestLog) {
        bestLog = log;
        best = j;
      }
    });
    return best;
  }
}
