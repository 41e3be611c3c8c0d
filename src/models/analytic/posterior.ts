/**
 * The closed-form ideal velocity E[dx/dr | x_r] for linear flows over a Gaussian mixture
 * (`../shared/docs/pyramid-flow.md` section 8). Within component j, data y ~ N(m_j, s^2 I) and noise n ~ N(0, I) at
 * the flow's resolution, and
 *   x = b n + (a1 I + a2 P) y,     v = c n + (d1 I + d2 P) y,
 * with P = Up Down the orthogonal projection onto 2x2-block-constant images. On range(P) and its complement the
 * coefficients are scalars (A_P = a1 + a2, A_Q = a1; D_P = d1 + d2, D_Q = d1) and the noise is isotropic, so on
 * each part S: x_S | j ~ N(A m_S, V I) with V = A^2 s^2 + b^2, and E[v_S | x, j] = D m_S + g (x_S - A m_S) with
 * g = (D A s^2 + c b) / V. The velocity averages these over the component posterior
 * p(j | x, history) ∝ w_j p(history | j) p(x | j).
 */

/** Coefficients of one linear flow at one time r (see the module comment). */
export interface LinearFlow {
  readonly a1: number;
  readonly a2: number;
  readonly b: number;
  readonly c: number;
  readonly d1: number;
  readonly d2: number;
}

/** Geometry of one row: planes (channels x frames) of h x w. */
export interface RowGeometry {
  readonly planes: number;
  readonly height: number;
  readonly width: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** Block means of a row (2x2 means per plane), float64. */
export function blockMeans(x: ArrayLike<number>, g: RowGeometry): Float64Array {
  const { planes, height: h, width: w } = g;
  const hh = h / 2;
  const ww = w / 2;
  const out = new Float64Array(planes * hh * ww);
  for (let p = 0; p < planes; p++) {
    for (let y = 0; y < hh; y++) {
      for (let xx = 0; xx < ww; xx++) {
        const a = p * h * w + 2 * y * w + 2 * xx;
        out[p * hh * ww + y * ww + xx] = (x[a] + x[a + 1] + x[a + w] + x[a + w + 1]) / 4;
      }
    }
  }
  return out;
}

/** Index of the 2x2 block of every entry of a row. */
function blockIndex(g: RowGeometry): Int32Array {
  const { planes, height: h, width: w } = g;
  const idx = new Int32Array(planes * h * w);
  const hh = h / 2;
  const ww = w / 2;
  for (let p = 0; p < planes; p++) {
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) idx[p * h * w + y * w + xx] = p * hh * ww + (y >> 1) * ww + (xx >> 1);
    }
  }
  return idx;
}

const blockIndexCache = new Map<string, Int32Array>();
function cachedBlockIndex(g: RowGeometry): Int32Array {
  const key = `${g.planes}:${g.height}:${g.width}`;
  let idx = blockIndexCache.get(key);
  if (!idx) {
    idx = blockIndex(g);
    blockIndexCache.set(key, idx);
  }
  return idx;
}

/** Gaussian log-likelihood of `x` under N(mean, variance I): -n/2 log(2 pi variance) - |x - mean|^2 / (2 variance). */
export function isotropicLogLikelihood(x: ArrayLike<number>, mean: ArrayLike<number>, variance: number, scale = 1): number {
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - scale * mean[i];
    ss += d * d;
  }
  return -0.5 * x.length * (LOG_2PI + Math.log(variance)) - ss / (2 * variance);
}

/** Normalises log-weights into probabilities (max-subtracted softmax). */
export function softmax(logw: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of logw) if (v > max) max = v;
  const out = new Float64Array(logw.length);
  if (max === -Infinity) throw new RangeError('every mixture component has zero posterior probability');
  let total = 0;
  for (let j = 0; j < logw.length; j++) {
    out[j] = logw[j] === -Infinity ? 0 : Math.exp(logw[j] - max);
    total += out[j];
  }
  for (let j = 0; j < out.length; j++) out[j] /= total;
  return out;
}

/** Posterior probabilities below this (relative to 1) are skipped when averaging velocities. */
const NEGLIGIBLE = 1e-18;

/** Per-component inputs of one row. */
export interface ComponentTerms {
  /** Component means at the row's resolution and frames. */
  readonly means: readonly Float64Array[];
  /** Per-entry variances s_j^2 at the row's resolution. */
  readonly variances: ArrayLike<number>;
  /** log prior + log-likelihood of everything else observed (history, a cascade's low-resolution input); -Infinity excludes. */
  readonly logEvidence: Float64Array;
}

/**
 * E[v | x] for one row under a linear flow. When `known` is given (a cascade's super-resolution flow), the
 * block-constant part of the data is fixed to those block values: then the P part of v is (x_P - y_P) / r with
 * r = b, and only the complement informs the components. Writes the velocity into `out`.
 */
export function posteriorVelocity(
  x: Float32Array,
  g: RowGeometry,
  flow: LinearFlow,
  terms: ComponentTerms,
  out: Float32Array,
  known?: Float64Array,
): Float64Array {
  const n = x.length;
  const J = terms.means.length;
  const coupled = flow.a2 !== 0 || flow.d2 !== 0 || known !== undefined;
  const blocked = coupled && g.height % 2 === 0 && g.width % 2 === 0;
  if (coupled && !blocked) throw new RangeError(`a coupled flow needs even height and width, got ${g.height}x${g.width}`);
  const xb = blocked ? blockMeans(x, g) : undefined;
  const idx = blocked ? cachedBlockIndex(g) : undefined;
  const nBlocks = xb?.length ?? 0;
  const nP = blocked ? n / 4 : 0;
  const nQ = n - nP;
  const AQ = flow.a1;
  const AP = flow.a1 + flow.a2;
  const DQ = flow.d1;
  const DP = flow.d1 + flow.d2;
  const b2 = flow.b * flow.b;

  // component posterior
  const logw = new Float64Array(J);
  const blockMeansOf: Float64Array[] = [];
  for (let j = 0; j < J; j++) {
    const m = terms.means[j];
    const s2 = terms.variances[j];
    const VQ = AQ * AQ * s2 + b2;
    let ssFull = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - AQ * m[i];
      ssFull += d * d;
    }
    let log = terms.logEvidence[j];
    if (blocked) {
      const mb = blockMeans(m, g);
      blockMeansOf.push(mb);
      let ssP = 0;
      let ssQb = 0;
      for (let k = 0; k < nBlocks; k++) {
        const eQ = xb![k] - AQ * mb[k];
        ssQb += eQ * eQ;
        if (!known) {
          const eP = xb![k] - AP * mb[k];
          ssP += eP * eP;
        }
      }
      const ssQ = Math.max(ssFull - 4 * ssQb, 0);
      log += -0.5 * nQ * (LOG_2PI + Math.log(VQ)) - ssQ / (2 * VQ);
      if (!known) {
        const VP = AP * AP * s2 + b2;
        log += -0.5 * nP * (LOG_2PI + Math.log(VP)) - (4 * ssP) / (2 * VP);
      }
    } else {
      log += -0.5 * n * (LOG_2PI + Math.log(VQ)) - ssFull / (2 * VQ);
    }
    logw[j] = log;
  }
  const post = softmax(logw);

  // velocity: sum_j p_j E[v | x, j], accumulated in float64
  const acc = new Float64Array(n);
  const corr = blocked ? new Float64Array(nBlocks) : undefined;
  for (let j = 0; j < J; j++) {
    const p = post[j];
    if (p < NEGLIGIBLE) continue;
    const m = terms.means[j];
    const s2 = terms.variances[j];
    const VQ = AQ * AQ * s2 + b2;
    const gQ = (DQ * AQ * s2 + flow.c * flow.b) / VQ;
    if (blocked) {
      const mb = blockMeansOf[j];
      const VP = AP * AP * s2 + b2;
      const gP = (DP * AP * s2 + flow.c * flow.b) / VP;
      for (let k = 0; k < nBlocks; k++) {
        // replace the Q formula's block-constant part by the P part's own
        const qPart = DQ * mb[k] + gQ * (xb![k] - AQ * mb[k]);
        const pPart = known ? (xb![k] - known[k]) / flow.b : DP * mb[k] + gP * (xb![k] - AP * mb[k]);
        corr![k] = pPart - qPart;
      }
      for (let i = 0; i < n; i++) acc[i] += p * (DQ * m[i] + gQ * (x[i] - AQ * m[i]) + corr![idx![i]]);
    } else {
      for (let i = 0; i < n; i++) acc[i] += p * (DQ * m[i] + gQ * (x[i] - AQ * m[i]));
    }
  }
  for (let i = 0; i < n; i++) out[i] = acc[i];
  return post;
}
