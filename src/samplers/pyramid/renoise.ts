/**
 * The jump point between pyramid stages: nearest upsampling, rescaling and block-correlated corrective noise
 * (Jin et al., 2024, inference with renoising at jump points; Pyramid-Flow `generate_one_unit` and `sample_block_noise`, commit 3040d71;
 * `../shared/docs/pyramid-flow.md` section 4).
 */
import { type Tensor, upNearest2 } from '../../core/tensor.ts';
import type { NoiseSource } from '../../core/philox.ts';

/** How the jump point renoises; anything but the defaults is an ablation that breaks the pyramid's marginals. */
export interface JumpOptions {
  /** 'block': correlated within 2x2 blocks (correct); 'independent': i.i.d. noise; 'none': no noise. */
  readonly noise: 'block' | 'independent' | 'none';
  /** 'corrected': alpha as derived; 'none': alpha = 1 (the upsampled state is not rescaled). */
  readonly rescale: 'corrected' | 'none';
}

export const CORRECT_JUMP: JumpOptions = Object.freeze({ noise: 'block', rescale: 'corrected' });

/** The rescale and noise coefficients of a jump. */
export interface JumpCoefficients {
  /** Signal coefficient reached at the end of the previous stage, c = 1 - endSigma_(k-1). */
  readonly signal: number;
  readonly alpha: number;
  readonly beta: number;
}

/**
 * alpha = 1 / (sqrt(1 + 1/gamma) (1 - c) + c) and beta = alpha (1 - c) / sqrt(gamma), with c the signal
 * coefficient reached (the paper's renoising rule with gamma = -correlation; Pyramid-Flow
 * `generate_one_unit`). After the jump the noise is i.i.d. with
 * standard deviation alpha (1 - c) sqrt(1 + 1/gamma) and alpha c + that = 1.
 */
export function jumpCoefficients(previousEndSigma: number, gamma: number): JumpCoefficients {
  const c = 1 - previousEndSigma;
  const alpha = 1 / (Math.sqrt(1 + 1 / gamma) * (1 - c) + c);
  const beta = (alpha * (1 - c)) / Math.sqrt(gamma);
  return { signal: c, alpha, beta };
}

/**
 * Block noise for one sample of [C, T, H, W]: independent across 2x2 blocks; within a block Gaussian with
 * covariance 1 on the diagonal and -gamma off it. Drawn as m = sqrt(1 + gamma) (z - mean z) + sqrt(1 - 3 gamma) mean z
 * from four standard normals z, whose covariance is (1 + gamma) I - gamma 11^T exactly (also at gamma = 1/3, where
 * it is singular and a Cholesky factor would not exist).
 */
export function blockNoise(
  noise: NoiseSource,
  sampleIndex: number,
  purpose: string,
  shape: readonly [number, number, number, number],
  gamma: number,
): Float32Array {
  const [C, T, H, W] = shape;
  if (H % 2 !== 0 || W % 2 !== 0) throw new RangeError(`block noise needs even height and width, got ${H}x${W}`);
  if (!(gamma > 0 && gamma <= 1 / 3 + 1e-12)) throw new RangeError(`gamma ${gamma} is not allowed: 0 < gamma <= 1/3`);
  const h = H / 2;
  const w = W / 2;
  const blocks = C * T * h * w;
  const z = noise.gaussian(sampleIndex, purpose, 4 * blocks);
  const out = new Float32Array(C * T * H * W);
  const spread = Math.sqrt(1 + gamma);
  const common = Math.sqrt(Math.max(1 - 3 * gamma, 0));
  let block = 0;
  for (let plane = 0; plane < C * T; plane++) {
    const base = plane * H * W;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++, block++) {
        // the block's four values in (p, q) order: (0,0), (0,1), (1,0), (1,1)
        const z0 = z[4 * block];
        const z1 = z[4 * block + 1];
        const z2 = z[4 * block + 2];
        const z3 = z[4 * block + 3];
        const mean = (z0 + z1 + z2 + z3) / 4;
        const shared = common * mean;
        const r0 = base + 2 * y * W + 2 * x;
        const r1 = r0 + W;
        out[r0] = spread * (z0 - mean) + shared;
        out[r0 + 1] = spread * (z1 - mean) + shared;
        out[r1] = spread * (z2 - mean) + shared;
        out[r1 + 1] = spread * (z3 - mean) + shared;
      }
    }
  }
  return out;
}

/**
 * The jump point: x <- alpha Up(x) + beta m, one noise draw per sample addressed by (sample index, purpose).
 * `x` is the previous stage's end state [B, C, T, h, w]; returns [B, C, T, 2h, 2w].
 */
export function jump(
  x: Tensor,
  sampleIndices: readonly number[],
  purpose: string,
  coefficients: JumpCoefficients,
  gamma: number,
  noise: NoiseSource,
  options: JumpOptions = CORRECT_JUMP,
): Tensor {
  if (sampleIndices.length !== x.batch) {
    throw new RangeError(`jump: ${sampleIndices.length} sample indices for a batch of ${x.batch}`);
  }
  const up = upNearest2(x);
  const alpha = options.rescale === 'corrected' ? coefficients.alpha : 1;
  const beta = options.noise === 'none' ? 0 : coefficients.beta;
  const [, C, T, H, W] = up.shape;
  const n = up.sampleSize;
  const d = up.data;
  for (let b = 0; b < x.batch; b++) {
    const offset = b * n;
    if (beta === 0) {
      for (let i = 0; i < n; i++) d[offset + i] = alpha * d[offset + i];
      continue;
    }
    const m =
      options.noise === 'block'
        ? blockNoise(noise, sampleIndices[b], purpose, [C, T, H, W], gamma)
        : noise.gaussian(sampleIndices[b], purpose, n);
    for (let i = 0; i < n; i++) d[offset + i] = alpha * d[offset + i] + beta * m[i];
  }
  return up;
}
