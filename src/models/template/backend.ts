/**
 * The `template` backend: the smallest complete `ModelSet`, written to be copied when adding a backend (as
 * lm-evaluation-harness `lm_eval/models/dummy.py` is; docs/extending.md walks through it). Every member of
 * `VelocityModel` and `ModelSet` is implemented, validated and explained here.
 *
 * What it models: a point-mass target per class, a flat colour image (class k is `TEMPLATE_PALETTE[k]` in every
 * pixel and frame; the unconditional input's target is the palette's mean). For a point mass y the ideal velocity
 * of every flow the samplers use has a closed form (below), Euler steps on it are exact, and so every sampler ends
 * on y (under guidance scale g: on u + g (y - u), u the unconditional target) up to float32 rounding.
 *
 * Reference: `template:<frames>x<height>x<width>`, e.g. `template:2x8x8`.
 */
import { createHash } from 'node:crypto';
import { Tensor, formatShape } from '../../core/tensor.ts';
import {
  validateCondition,
  type Condition,
  type ModelSet,
  type ModelSpec,
  type VelocityInput,
  type VelocityModel,
} from '../contract/velocity-model.ts';
import { cpuDevice, type ComputeDevice } from '../contract/device.ts';
import { DEFAULT_PYRAMID, stageWindows, type PyramidConfig, type StageWindow } from '../contract/schedule.ts';

/** Colours of the classes, RGB in [-1, 1] (the samplers' pixel range): red, green, blue, grey. */
export const TEMPLATE_PALETTE: readonly (readonly [number, number, number])[] = Object.freeze([
  [0.8, -0.6, -0.6],
  [-0.6, 0.8, -0.6],
  [-0.6, -0.6, 0.8],
  [0, 0, 0],
]);

/** The unconditional target: the palette's mean colour. */
export const TEMPLATE_UNCONDITIONAL: readonly [number, number, number] = [0, 1, 2].map(
  (c) => TEMPLATE_PALETTE.reduce((a, p) => a + p[c], 0) / TEMPLATE_PALETTE.length,
) as unknown as readonly [number, number, number];

/** Bump when the template's velocities change: it enters the model hash, so stored samples are not reused. */
const TEMPLATE_VERSION = 1;

/** Largest frames and side accepted, to keep a mistyped reference from allocating gigabytes. */
const MAX_FRAMES = 64;
const MAX_SIDE = 512;

/** The shape a template reference asks for. */
export interface TemplateShape {
  readonly frames: number;
  readonly height: number;
  readonly width: number;
}

/**
 * Parses the part of a reference after `template:`, `<frames>x<height>x<width>`. Height and width must halve
 * cleanly at every pyramid stage (multiples of 2^(K-1) = 4 for the default 3 stages). Throws naming the bad value
 * and what is allowed.
 */
export function parseTemplateReference(rest: string, pyramid: PyramidConfig = DEFAULT_PYRAMID): TemplateShape {
  const m = /^(\d+)x(\d+)x(\d+)$/.exec(rest);
  if (!m) {
    throw new RangeError(`template reference '${rest}' is not <frames>x<height>x<width>; allowed: e.g. template:2x8x8`);
  }
  const [frames, height, width] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (frames < 1 || frames > MAX_FRAMES) {
    throw new RangeError(`template reference '${rest}': frames is ${frames}; allowed: an integer from 1 to ${MAX_FRAMES}`);
  }
  const multiple = 2 ** (pyramid.stages - 1);
  for (const [name, side] of [
    ['height', height],
    ['width', width],
  ] as const) {
    if (side < multiple || side > MAX_SIDE || side % multiple !== 0) {
      throw new RangeError(
        `template reference '${rest}': ${name} is ${side}; allowed: a multiple of ${multiple} from ${multiple} to ${MAX_SIDE} (the pyramid halves it ${pyramid.stages - 1} times)`,
      );
    }
  }
  return { frames, height, width };
}

/** The target colour of one condition (class k: palette entry k; unconditional: the palette's mean). */
export function templateTarget(condition: Condition): readonly [number, number, number] {
  if (condition.kind === 'class') return TEMPLATE_PALETTE[condition.label];
  if (condition.kind === 'unconditional') return TEMPLATE_UNCONDITIONAL;
  throw new RangeError(`template: condition '${condition.kind}' is not allowed; allowed: class, unconditional`);
}

/** What the models of one set share: whether the set is closed. */
interface SetState {
  closed: boolean;
  readonly id: string;
}

/**
 * One template velocity model: the unified pyramidal model (`role: 'pyramid'`, every stage of its pyramid) or the
 * full-resolution model (`role: 'full'`).
 */
export class TemplateModel implements VelocityModel {
  /** A readable name: `template:<frames>x<height>x<width>/<role>`. Reports and error messages use it. */
  readonly id: string;
  /**
   * Content hash of everything that defines the model's outputs (here: version, shape, palette, pyramid; for a
   * network: its weight files). Part of every sample's cache key, so it must change when the outputs do.
   */
  readonly hash: string;
  /**
   * What the model generates and how it was trained: read by the samplers (shape, pyramid, conditioning, shift)
   * and the cost model (patch size; `cost` is absent, so FLOPs are reported as unknown, never guessed).
   */
  readonly spec: ModelSpec;
  private readonly windows?: readonly StageWindow[];

  constructor(
    shape: TemplateShape,
    role: 'pyramid' | 'full',
    private readonly state: SetState,
    pyramid: PyramidConfig = DEFAULT_PYRAMID,
  ) {
    this.id = `${state.id}/${role}`;
    this.hash = createHash('sha256')
      .update(JSON.stringify({ backend: 'template', version: TEMPLATE_VERSION, shape, role, palette: TEMPLATE_PALETTE, pyramid }))
      .digest('hex');
    if (role === 'pyramid') this.windows = stageWindows(pyramid);
    this.spec = {
      channels: 3,
      frames: shape.frames,
      height: shape.height,
      width: shape.width,
      role,
      pyramid: role === 'pyramid' ? pyramid : undefined,
      shift: 1,
      conditioning: { kind: 'class', classes: TEMPLATE_PALETTE.length },
      patchSize: 1,
    };
  }

  /**
   * The velocity dx/dr for every row of `input.x`, in a new tensor the caller owns (samplers combine guidance in
   * place in it). Rejects inputs the model was not made for, naming the value and what is allowed.
   *
   * Closed form: on a flow whose start is s n + (1 - s) y and end e n + (1 - e) y (s, e the stage window's
   * startSigma and endSigma; the full flow has s = 1, e = 0), x_r = b(r) n + (1 - b(r)) y with b(r) = r s + (1 - r) e,
   * so v = (s - e)(n - y) = (s - e)(x_r - y) / b(r) (the training objective of `../shared/docs/pyramid-flow.md` section 3 with a point-mass target). An Euler
   * step from r to r' multiplies x - y by b(r') / b(r), exactly.
   */
  async predict(input: VelocityInput): Promise<Tensor> {
    if (this.state.closed) throw new Error(`${this.id}: predict called after close(); load the model set again`);
    const { x, flow, ratio: r } = input;
    const [rows, C, frames, h, w] = x.shape;
    // the flow: which stage window, at which resolution
    let startSigma: number;
    let endSigma: number;
    let level: number;
    if (flow.kind === 'pyramid') {
      if (!this.windows) throw new RangeError(`${this.id}: a '${this.spec.role}' model does not serve pyramid flows; allowed: full`);
      const window = this.windows[flow.stage];
      if (!window) throw new RangeError(`${this.id}: stage ${flow.stage} is not allowed; allowed: 0 to ${this.windows.length - 1}`);
      ({ startSigma, endSigma, level } = window);
    } else if (flow.kind === 'full') {
      if (this.spec.role !== 'full')
        throw new RangeError(`${this.id}: a '${this.spec.role}' model does not serve 'full' flows; allowed: pyramid`);
      [startSigma, endSigma, level] = [1, 0, 0];
    } else {
      throw new RangeError(`${this.id}: flow '${flow.kind}' is not served; allowed: ${this.spec.role}`);
    }
    // the input: shape, frames, time, one condition per row
    const [H, W] = [this.spec.height / 2 ** level, this.spec.width / 2 ** level];
    if (C !== this.spec.channels || h !== H || w !== W) {
      throw new RangeError(
        `${this.id}: input ${formatShape(x.shape)} does not fit; allowed: [rows, ${this.spec.channels}, frames, ${H}, ${W}] for this flow`,
      );
    }
    if (input.firstFrame < 0 || input.firstFrame + frames > this.spec.frames) {
      throw new RangeError(
        `${this.id}: frames ${input.firstFrame} to ${input.firstFrame + frames - 1} asked for; allowed: 0 to ${this.spec.frames - 1}`,
      );
    }
    if (!(r >= 0 && r <= 1)) throw new RangeError(`${this.id}: ratio ${r} is not allowed; allowed: 0 <= r <= 1`);
    const b = r * startSigma + (1 - r) * endSigma;
    if (!(b > 0))
      throw new RangeError(`${this.id}: ratio ${r} is the flow's noise-free end point, where the velocity is undefined; allowed: r > 0`);
    if (input.conditions.length !== rows)
      throw new RangeError(`${this.id}: ${input.conditions.length} conditions for ${rows} rows; give one per row`);
    input.conditions.forEach((c, i) => validateCondition(c, this.spec.conditioning, `${this.id}: conditions[${i}]`));
    // the history (earlier frames) does not change a per-frame target, so it is not read; a network would read it
    const out = new Tensor(x.shape);
    const plane = frames * h * w;
    const scale = (startSigma - endSigma) / b;
    for (let row = 0; row < rows; row++) {
      const target = templateTarget(input.conditions[row]);
      for (let c = 0; c < C; c++) {
        const offset = (row * C + c) * plane;
        for (let i = offset; i < offset + plane; i++) out.data[i] = scale * (x.data[i] - target[c]);
      }
    }
    return out;
  }
}

/**
 * The template model set for a shape: a unified pyramidal model (Pyramid-Flow's default 3-stage pyramid) and a
 * full-resolution model; no cascade, decoder or conditioner (samples are pixels, conditions are class labels).
 */
export function templateModelSet(shape: TemplateShape): ModelSet {
  const id = `template:${shape.frames}x${shape.height}x${shape.width}`;
  // shared by the set and its models: a real backend keeps its sessions or worker processes here
  const state: SetState = { closed: false, id };
  const pyramid = new TemplateModel(shape, 'pyramid', state);
  const full = new TemplateModel(shape, 'full', state);
  const device: ComputeDevice = cpuDevice('TypeScript (template backend)');
  return {
    id,
    hash: createHash('sha256').update(pyramid.hash).update(full.hash).digest('hex'),
    pyramid,
    full,
    // Euler is exact on these velocities, so few steps suffice; a suite's or the CLI's settings override these
    samplerDefaults: { pyramid: { stepsPerStage: [4, 4, 4], videoStepsPerStage: [2, 2, 2] }, full: { steps: 8 } },
    guidanceDefaults: { firstFrame: 1, video: 1 },
    fps: 8,
    device,
    async close() {
      // release sessions, processes and device memory here; closing twice must be harmless
      state.closed = true;
    },
  };
}

/** Loads `template:<rest>` (the loader registered in `src/models/load.ts`). */
export async function loadTemplateModelSet(rest: string): Promise<ModelSet> {
  return templateModelSet(parseTemplateReference(rest));
}
