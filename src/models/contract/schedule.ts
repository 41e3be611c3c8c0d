/**
 * The pyramidal flow schedule as pure data: stage windows, network timesteps and the local time grid of each
 * stage, computed up front. Matches Pyramid-Flow `diffusion_schedulers/scheduling_flow_matching.py`
 * (`PyramidFlowMatchEulerDiscreteScheduler.init_sigmas_for_each_stage` and `set_timesteps`, commit 3040d71);
 * `../shared/docs/pyramid-flow.md` section 2.
 */

/** How a unified pyramidal model was trained: its stages, their windows and the jump-point correlation. */
export interface PyramidConfig {
  /** K, the number of stages (stage 0 is the lowest resolution; stage k works at full / 2^(K-1-k)). */
  readonly stages: number;
  /** K + 1 increasing fractions of the global schedule from 0 to 1 (Pyramid-Flow `stage_range`). */
  readonly stageRange: readonly number[];
  /** Block-noise correlation magnitude at the jump points (0 < gamma <= 1/3; Pyramid-Flow default 1/3). */
  readonly gamma: number;
  /** Timestep shift of the global sigmas (SD3's shift; 1 = none). */
  readonly shift: number;
  /** Number of training timesteps T (1000). */
  readonly trainTimesteps: number;
}

/** Pyramid-Flow's defaults: 3 stages, equal thirds, gamma 1/3, no shift, T = 1000. */
export const DEFAULT_PYRAMID: PyramidConfig = Object.freeze({
  stages: 3,
  stageRange: Object.freeze([0, 1 / 3, 2 / 3, 1]),
  gamma: 1 / 3,
  shift: 1,
  trainTimesteps: 1000,
});

/** Throws a message naming the bad field when a pyramid configuration is invalid. */
export function validatePyramidConfig(cfg: PyramidConfig, where = 'pyramid'): void {
  const { stages, stageRange, gamma, shift, trainTimesteps } = cfg;
  if (!Number.isInteger(stages) || stages < 1 || stages > 8) {
    throw new RangeError(`${where}.stages is ${stages}; allowed: an integer from 1 to 8`);
  }
  if (!Array.isArray(stageRange) || stageRange.length !== stages + 1) {
    throw new RangeError(`${where}.stageRange has ${stageRange?.length} values; allowed: stages + 1 = ${stages + 1} values`);
  }
  if (stageRange[0] !== 0 || stageRange[stages] !== 1 || stageRange.some((v, i) => i > 0 && !(v > stageRange[i - 1]))) {
    throw new RangeError(`${where}.stageRange is [${stageRange.join(', ')}]; allowed: strictly increasing from 0 to 1`);
  }
  if (!(gamma > 0 && gamma <= 1 / 3 + 1e-12)) {
    throw new RangeError(
      `${where}.gamma is ${gamma}; allowed: 0 < gamma <= 1/3 (a block of four equally correlated values needs correlation >= -1/3)`,
    );
  }
  if (!(shift > 0) || !Number.isFinite(shift)) throw new RangeError(`${where}.shift is ${shift}; allowed: a finite number > 0`);
  if (!Number.isInteger(trainTimesteps) || trainTimesteps < 2) {
    throw new RangeError(`${where}.trainTimesteps is ${trainTimesteps}; allowed: an integer >= 2`);
  }
}

/** numpy.linspace(start, stop, num) in float64. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const out = new Array<number>(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  out[num - 1] = stop;
  return out;
}

/** SD3 timestep shift: s' = shift * s / (1 + (shift - 1) * s). */
export function shiftSigma(sigma: number, shift: number): number {
  return (shift * sigma) / (1 + (shift - 1) * sigma);
}

/** Global sigmas s'_i for i = 0..T-1, s_i = (T - i) / T (sigma 1 is pure noise). */
export function globalSigmas(cfg: PyramidConfig): Float64Array {
  const T = cfg.trainTimesteps;
  const out = new Float64Array(T);
  for (let i = 0; i < T; i++) out[i] = shiftSigma((T - i) / T, cfg.shift);
  return out;
}

/** One stage's window on the global noise scale and its share of the network timesteps. */
export interface StageWindow {
  readonly stage: number;
  /** Downsampling exponent: the stage works at full resolution / 2^level. */
  readonly level: number;
  /** Noise level at the stage's start point, corrected for the jump point for stages > 0. */
  readonly startSigma: number;
  /** Noise level at the stage's end point (0 for the last stage). */
  readonly endSigma: number;
  /** The start before the jump-point correction (Pyramid-Flow `ori_start_sigmas`). */
  readonly rawStartSigma: number;
  /** Network timesteps of the stage's 1000 training ratios run from timestepMax down to this. */
  readonly timestepMax: number;
  readonly timestepEnd: number;
}

/**
 * Stage windows (Pyramid-Flow `init_sigmas_for_each_stage`): raw windows from `stageRange` on the global
 * sigmas, the jump-point correction of each later start (corrected signal = c / (sqrt(1 + 1/gamma)(1 - c) + c)),
 * and each stage's share of the timesteps in proportion to its window length.
 */
export function stageWindows(cfg: PyramidConfig): StageWindow[] {
  validatePyramidConfig(cfg);
  const T = cfg.trainTimesteps;
  const sigmas = globalSigmas(cfg);
  const timesteps = sigmas.map((s) => s * T);
  const K = cfg.stages;
  const raw: { start: number; end: number; rawStart: number }[] = [];
  for (let k = 0; k < K; k++) {
    const startIndex = Math.max(Math.floor(cfg.stageRange[k] * T), 0);
    const endIndex = Math.min(Math.floor(cfg.stageRange[k + 1] * T), T);
    const rawStart = sigmas[startIndex];
    const end = endIndex < T ? sigmas[endIndex] : 0;
    let start = rawStart;
    if (k > 0) {
      // jump-point correction of the start (Pyramid-Flow scheduler; paper eq. for the renoised start)
      const signal = 1 - rawStart;
      const corrected = signal / (Math.sqrt(1 + 1 / cfg.gamma) * (1 - signal) + signal);
      start = 1 - corrected;
    }
    raw.push({ start, end, rawStart });
  }
  const distances = raw.map((w) => w.start - w.end);
  const total = distances.reduce((a, b) => a + b, 0);
  return raw.map((w, k) => {
    const startRatio = k === 0 ? 0 : distances.slice(0, k).reduce((a, b) => a + b, 0) / total;
    const endRatio = k === K - 1 ? 1 : distances.slice(0, k + 1).reduce((a, b) => a + b, 0) / total;
    const timestepMax = timesteps[Math.floor(startRatio * T)];
    const timestepMin = timesteps[Math.min(Math.floor(endRatio * T), T - 1)];
    // the stage's training timesteps are linspace(max, min, T + 1)[:-1]; inference spans its first to last
    const timestepEnd = timestepMax + ((timestepMin - timestepMax) * (T - 1)) / T;
    return { stage: k, level: K - 1 - k, startSigma: w.start, endSigma: w.end, rawStartSigma: w.rawStart, timestepMax, timestepEnd };
  });
}

/** The Euler grid of one stage: local ratios r (n + 1 values ending in 0) and the n network timesteps. */
export interface StageSchedule extends StageWindow {
  /** r_0 = 1 (start point) ... r_{n-1} = 1/T, then r_n = 0 (end point). */
  readonly ratios: readonly number[];
  /** The timestep fed to the network at each of the n steps. */
  readonly timesteps: readonly number[];
}

/** Stage k's grid for n Euler steps (Pyramid-Flow `set_timesteps(n, k)`). */
export function stageSchedule(window: StageWindow, steps: number, cfg: PyramidConfig): StageSchedule {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`steps for stage ${window.stage} is ${steps}; allowed: an integer >= 1`);
  }
  const rMin = 1 / cfg.trainTimesteps;
  return {
    ...window,
    ratios: [...linspace(1, rMin, steps), 0],
    timesteps: linspace(window.timestepMax, window.timestepEnd, steps),
  };
}

/** Every stage's grid for the given steps per stage (one entry per stage). */
export function pyramidSchedule(cfg: PyramidConfig, stepsPerStage: readonly number[]): StageSchedule[] {
  const windows = stageWindows(cfg);
  if (stepsPerStage.length !== cfg.stages) {
    throw new RangeError(
      `steps per stage [${stepsPerStage.join(', ')}] has ${stepsPerStage.length} entries; the model has ${cfg.stages} stages`,
    );
  }
  return windows.map((w, k) => stageSchedule(w, stepsPerStage[k], cfg));
}

/** A plain flow-matching Euler grid from noise (r = 1) to data (r = 0), as diffusers' FlowMatchEulerDiscrete. */
export interface FlowSchedule {
  readonly ratios: readonly number[];
  readonly timesteps: readonly number[];
}

/** n Euler steps on sigma = shift(linspace(1, 1/T, n)), then 0; timesteps = T * sigma. */
export function flowSchedule(steps: number, shift = 1, trainTimesteps = 1000): FlowSchedule {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps is ${steps}; allowed: an integer >= 1`);
  const sigmas = linspace(1, 1 / trainTimesteps, steps).map((s) => shiftSigma(s, shift));
  return { ratios: [...sigmas, 0], timesteps: sigmas.map((s) => s * trainTimesteps) };
}
