/**
 * Dense float64 linear algebra for the metrics: a symmetric eigensolver (Householder tridiagonalisation, then
 * implicit QL with Wilkinson-type shifts; Golub & Van Loan, "Matrix Computations", 4th ed., algorithms 8.3.1 and
 * 8.3.3) and matrix products. Matrices are row-major Float64Arrays of n x n.
 */

/** Eigenvalues (ascending) and, if asked for, eigenvectors as the rows of `vectors` (row i pairs with values[i]). */
export interface SymmetricEigen {
  readonly values: Float64Array;
  readonly vectors?: Float64Array;
}

/** Throws when `a` is not n x n, not finite, or not symmetric within `tolerance` (relative to its largest entry). */
export function assertSymmetric(a: Float64Array, n: number, what: string, tolerance = 1e-9): void {
  if (a.length !== n * n) throw new RangeError(`${what}: expected ${n}x${n} = ${n * n} values, got ${a.length}`);
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]))
      throw new RangeError(`${what}: entry (${Math.floor(i / n)}, ${i % n}) is ${a[i]}; all entries must be finite`);
    scale = Math.max(scale, Math.abs(a[i]));
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = Math.abs(a[i * n + j] - a[j * n + i]);
      if (d > tolerance * Math.max(scale, 1e-300)) {
        throw new RangeError(
          `${what}: not symmetric: entries (${i}, ${j}) = ${a[i * n + j]} and (${j}, ${i}) = ${a[j * n + i]} differ by ${d}`,
        );
      }
    }
  }
}

/**
 * Householder reduction of symmetric `a` (destroyed) to tridiagonal form T = Q^T A Q. Returns the diagonal,
 * the subdiagonal (e[i] couples i and i+1; e[n-1] = 0) and, if asked for, Q.
 */
function tridiagonalize(a: Float64Array, n: number, wantQ: boolean): { d: Float64Array; e: Float64Array; q?: Float64Array } {
  const vs: { v: Float64Array; beta: number }[] = [];
  const p = new Float64Array(n);
  const w = new Float64Array(n);
  const e = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const m = n - k - 1; // length of x = a[k+1:n, k]
    const x0 = a[(k + 1) * n + k];
    let sigma = 0;
    for (let i = 1; i < m; i++) {
      const xi = a[(k + 1 + i) * n + k];
      sigma += xi * xi;
    }
    const v = new Float64Array(m);
    if (sigma === 0) {
      e[k] = x0;
      vs.push({ v, beta: 0 });
      continue;
    }
    // Householder vector with v[0] = 1 that maps x to mu e1 (Golub & Van Loan algorithm 5.1.1)
    const mu = Math.sqrt(x0 * x0 + sigma);
    const v0 = x0 <= 0 ? x0 - mu : -sigma / (x0 + mu);
    const beta = (2 * v0 * v0) / (sigma + v0 * v0);
    v[0] = 1;
    for (let i = 1; i < m; i++) v[i] = a[(k + 1 + i) * n + k] / v0;
    e[k] = mu;
    // p = beta * A22 v, w = p - (beta p.v / 2) v; A22 -= v w^T + w v^T
    let pv = 0;
    for (let i = 0; i < m; i++) {
      const row = (k + 1 + i) * n + k + 1;
      let s = 0;
      for (let j = 0; j < m; j++) s += a[row + j] * v[j];
      p[i] = beta * s;
      pv += p[i] * v[i];
    }
    const half = (beta * pv) / 2;
    for (let i = 0; i < m; i++) w[i] = p[i] - half * v[i];
    for (let i = 0; i < m; i++) {
      const row = (k + 1 + i) * n + k + 1;
      const vi = v[i];
      const wi = w[i];
      for (let j = 0; j < m; j++) a[row + j] -= vi * w[j] + wi * v[j];
    }
    vs.push({ v, beta });
  }
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
  if (n >= 2) e[n - 2] = a[(n - 1) * n + n - 2];
  e[n - 1] = 0;
  if (!wantQ) return { d, e };
  // Q = H_0 H_1 ... H_{n-3}, accumulated backwards on the trailing blocks
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const u = new Float64Array(n);
  for (let k = vs.length - 1; k >= 0; k--) {
    const { v, beta } = vs[k];
    if (beta === 0) continue;
    const m = v.length;
    const off = k + 1;
    u.fill(0, 0, m);
    for (let i = 0; i < m; i++) {
      const row = (off + i) * n + off;
      const vi = v[i];
      for (let j = 0; j < m; j++) u[j] += vi * q[row + j];
    }
    for (let i = 0; i < m; i++) {
      const row = (off + i) * n + off;
      const bv = beta * v[i];
      for (let j = 0; j < m; j++) q[row + j] -= bv * u[j];
    }
  }
  return { d, e, q };
}

/**
 * Implicit QL iterations on a symmetric tridiagonal matrix (diagonal d, subdiagonal e), in place; rotations are
 * applied to the rows of `zt` (Q transposed) when given, so row i ends as the eigenvector of d[i].
 */
function tridiagonalQL(d: Float64Array, e: Float64Array, n: number, zt?: Float64Array): void {
  // deflation threshold: relative to the neighbours, or to the largest |d| + |e| seen so far (EISPACK tql2), or
  // eps ||T|| (absolute, as LAPACK dsteqr's split test bounds it), so that the clusters of eigenvalues near zero
  // of singular covariances deflate instead of cycling
  let whole = 0;
  for (let i = 0; i < n; i++) whole = Math.max(whole, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
  const floor = Number.EPSILON * whole;
  // LAPACK's budget: 30 iterations per eigenvalue on average, over the whole matrix
  let budget = 30 * n;
  let norm = 0;
  for (let l = 0; l < n; l++) {
    norm = Math.max(norm, Math.abs(d[l]) + Math.abs(e[l]));
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * Math.max(dd, norm) || Math.abs(e[m]) <= floor) break;
      }
      if (m === l) break;
      iterations++;
      if (--budget < 0)
        throw new Error(`symmetric eigensolver: no convergence for eigenvalue ${l} of ${n} within ${30 * n} iterations in all`);
      // Wilkinson-type shift from the leading 2x2 block; every 10th iteration without deflation an exceptional
      // shift (d[l] + |e[l]|) breaks a cycle
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = iterations % 10 === 0 ? d[m] - d[l] - Math.abs(e[l]) : d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (zt) {
          // rotate rows i and i+1
          const ri = i * n;
          const rj = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            const zi = zt[ri + k];
            const zj = zt[rj + k];
            zt[rj + k] = s * zi + c * zj;
            zt[ri + k] = c * zi - s * zj;
          }
        }
      }
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/** Eigen-decomposition of a symmetric matrix (the input is not modified). */
export function symmetricEigen(a: Float64Array, n: number, wantVectors = true): SymmetricEigen {
  if (a.length !== n * n) throw new RangeError(`symmetricEigen: expected ${n * n} values for ${n}x${n}, got ${a.length}`);
  if (n === 0) return { values: new Float64Array(0), vectors: wantVectors ? new Float64Array(0) : undefined };
  const work = Float64Array.from(a);
  const { d, e, q } = tridiagonalize(work, n, wantVectors);
  let zt: Float64Array | undefined;
  if (q) {
    zt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) zt[j * n + i] = q[i * n + j];
  }
  tridiagonalQL(d, e, n, zt);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  const values = Float64Array.from(order, (i) => d[i]);
  if (!zt) return { values };
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => vectors.set(zt!.subarray(src * n, (src + 1) * n), dst * n));
  return { values, vectors };
}

/** C = A B for row-major n x n matrices (i-k-j order, contiguous inner loop). */
export function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ci = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      const bk = k * n;
      for (let j = 0; j < n; j++) c[ci + j] += aik * b[bk + j];
    }
  }
  return c;
}

/** The two operations `psdSqrt` needs; the OpenBLAS backend of `native-linalg.ts` provides them too. */
export interface EigenMatmul {
  eigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array };
  matmul(a: Float64Array, b: Float64Array, n: number): Float64Array;
}

const TYPESCRIPT_OPS: EigenMatmul = {
  eigen: (a, n) => {
    const { values, vectors } = symmetricEigen(a, n, true);
    return { values, vectors: vectors! };
  },
  matmul,
};

/**
 * The PSD square root V diag(sqrt(max(w, 0))) V^T of a symmetric matrix (negative eigenvalues from rounding
 * clipped to 0), from the eigendecomposition and one matrix product of `ops` (rows of `vectors` are eigenvectors).
 */
export function psdSqrt(a: Float64Array, n: number, ops: EigenMatmul = TYPESCRIPT_OPS): Float64Array {
  const { values, vectors } = ops.eigen(a, n);
  // A = sum_k sqrt(w_k) v_k v_k^T = V diag(sqrt w) V^T: V (columns v_k) times the rows v_k scaled by sqrt(w_k)
  const v = new Float64Array(n * n);
  const scaled = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const root = Math.sqrt(Math.max(values[k], 0));
    for (let j = 0; j < n; j++) {
      v[j * n + k] = vectors[k * n + j];
      scaled[k * n + j] = root * vectors[k * n + j];
    }
  }
  return ops.matmul(v, scaled, n);
}

/**
 * Cholesky factor L (lower, row-major, zeros above the diagonal) with L L^T = a, or null when `a` is not
 * numerically positive definite (a pivot <= 0), as LAPACK `dpotrf` reports. Column-oriented (left-looking).
 */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  if (a.length !== n * n) throw new RangeError(`cholesky: expected ${n * n} values for ${n}x${n}, got ${a.length}`);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const li = i * n;
    for (let j = 0; j <= i; j++) {
      const lj = j * n;
      let s = a[li + j];
      for (let k = 0; k < j; k++) s -= l[li + k] * l[lj + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[li + i] = Math.sqrt(s);
      } else l[li + j] = s / l[lj + j];
    }
  }
  return l;
}

/**
 * Pivoted (positive semi-definite) Cholesky, as LAPACK `dpstrf`: F (n x r, row-major) with F F^T = a up to a
 * remainder whose diagonal is at most `tolerance` (default n eps max_i a_ii, dpstrf's), r the numerical rank, and
 * `lowerBound`, a lower bound on the smallest eigenvalue of `a` (Gershgorin on the remainder; O(n^2 r)).
 * Each step takes the largest remaining diagonal entry as pivot; O(n r^2), so a rank-r covariance of N = r + 1
 * samples factors in a few milliseconds at d = 2048.
 */
export function pivotedCholesky(
  a: Float64Array,
  n: number,
  tolerance?: number,
): { factor: Float64Array; rank: number; lowerBound: number } {
  if (a.length !== n * n) throw new RangeError(`pivotedCholesky: expected ${n * n} values for ${n}x${n}, got ${a.length}`);
  const residual = new Float64Array(n);
  let largest = 0;
  for (let i = 0; i < n; i++) {
    residual[i] = a[i * n + i];
    largest = Math.max(largest, residual[i]);
  }
  const tol = tolerance ?? n * Number.EPSILON * largest;
  const columns: Float64Array[] = [];
  const pivoted = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    let p = -1;
    for (let i = 0; i < n; i++) if (!pivoted[i] && (p < 0 || residual[i] > residual[p])) p = i;
    if (p < 0 || !(residual[p] > tol)) break;
    // column k: (a[:, p] - sum_j F[:, j] F[p, j]) / sqrt(residual[p]); zero on rows already pivoted
    const col = Float64Array.from(a.subarray(p * n, (p + 1) * n));
    for (const f of columns) {
      const fp = f[p];
      if (fp !== 0) for (let i = 0; i < n; i++) col[i] -= f[i] * fp;
    }
    const root = Math.sqrt(residual[p]);
    pivoted[p] = 1;
    for (let i = 0; i < n; i++) {
      col[i] = pivoted[i] && i !== p ? 0 : col[i] / root;
      residual[i] -= col[i] * col[i];
    }
    residual[p] = 0;
    columns.push(col);
  }
  const rank = columns.length;
  const factor = new Float64Array(n * rank);
  columns.forEach((col, k) => {
    for (let i = 0; i < n; i++) factor[i * rank + k] = col[i];
  });
  // Gershgorin: every eigenvalue of the remainder R = a - F F^T is >= min_i (R_ii - sum_{j != i} |R_ij|), and
  // a = F F^T + R >= that bound, so a bound above -tolerance proves `a` positive semi-definite to that tolerance
  let lowerBound = Infinity;
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    row.set(a.subarray(i * n, (i + 1) * n));
    for (const f of columns) {
      const fi = f[i];
      if (fi !== 0) for (let j = 0; j < n; j++) row[j] -= fi * f[j];
    }
    let off = 0;
    for (let j = 0; j < n; j++) if (j !== i) off += Math.abs(row[j]);
    lowerBound = Math.min(lowerBound, row[i] - off);
  }
  return { factor, rank, lowerBound: n === 0 ? 0 : lowerBound };
}

/** F^T S F for F (n x r, row-major) and symmetric S (n x n): r x r, O(n^2 r). */
export function lowRankCongruence(f: Float64Array, r: number, s: Float64Array, n: number): Float64Array {
  // G = S F (n x r), then C = F^T G
  const g = new Float64Array(n * r);
  for (let i = 0; i < n; i++) {
    const si = i * n;
    const gi = i * r;
    for (let k = 0; k < n; k++) {
      const sik = s[si + k];
      if (sik === 0) continue;
      const fk = k * r;
      for (let j = 0; j < r; j++) g[gi + j] += sik * f[fk + j];
    }
  }
  const c = new Float64Array(r * r);
  for (let k = 0; k < n; k++) {
    const fk = k * r;
    const gk = k * r;
    for (let i = 0; i < r; i++) {
      const fki = f[fk + i];
      if (fki === 0) continue;
      const ci = i * r;
      for (let j = 0; j < r; j++) c[ci + j] += fki * g[gk + j];
    }
  }
  return c;
}

/** L^T S L for lower-triangular L and any S (n x n, row-major), skipping L's zero upper triangle. */
export function congruence(l: Float64Array, s: Float64Array, n: number): Float64Array {
  // B = S L: B[i][j] = sum_{k >= j} S[i][k] L[k][j]
  const b = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const bi = i * n;
    const si = i * n;
    for (let k = 0; k < n; k++) {
      const sik = s[si + k];
      if (sik === 0) continue;
      const lk = k * n;
      for (let j = 0; j <= k; j++) b[bi + j] += sik * l[lk + j];
    }
  }
  // C = L^T B: C[i][j] = sum_{k >= i} L[k][i] B[k][j]
  const c = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const lk = k * n;
    const bk = k * n;
    for (let i = 0; i <= k; i++) {
      const lki = l[lk + i];
      if (lki === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) c[ci + j] += lki * b[bk + j];
    }
  }
  return c;
}

/** A B^T for row-major A (rowsA x dim) and B (rowsB x dim): entry (i, j) is the dot product of rows i and j. */
export function gramCross(a: Float64Array, rowsA: number, b: Float64Array, rowsB: number, dim: number): Float64Array {
  if (a.length !== rowsA * dim || b.length !== rowsB * dim)
    throw new RangeError(`gramCross: expected ${rowsA}x${dim} and ${rowsB}x${dim} values, got ${a.length} and ${b.length}`);
  const out = new Float64Array(rowsA * rowsB);
  for (let i = 0; i < rowsA; i++) {
    const ai = i * dim;
    for (let j = 0; j < rowsB; j++) {
      const bj = j * dim;
      let s = 0;
      for (let k = 0; k < dim; k++) s += a[ai + k] * b[bj + k];
      out[i * rowsB + j] = s;
    }
  }
  return out;
}
