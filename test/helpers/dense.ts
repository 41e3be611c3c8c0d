/** Small dense float64 helpers for brute-force checks in tests (row-major n x n). */

export function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

export function mul(a: Float64Array, b: Float64Array, n: number, m: number, p: number): Float64Array {
  // a: n x m, b: m x p
  const c = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) for (let j = 0; j < p; j++) c[i * p + j] += a[i * m + k] * b[k * p + j];
  return c;
}

export function transpose(a: Float64Array, n: number, m: number): Float64Array {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j];
  return t;
}

/** Cholesky factor L (lower) of an SPD matrix. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error('not positive definite');
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  return l;
}

/** Solves A x = b for SPD A via its Cholesky factor. */
export function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = cholesky(a, n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** log N(x; mean, cov) for SPD cov. */
export function gaussianLogPdf(x: ArrayLike<number>, mean: ArrayLike<number>, cov: Float64Array, n: number): number {
  const l = cholesky(cov, n);
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += 2 * Math.log(l[i * n + i]);
  const r = Float64Array.from({ length: n }, (_, i) => x[i] - mean[i]);
  const sol = solveSpd(cov, r, n);
  let q = 0;
  for (let i = 0; i < n; i++) q += r[i] * sol[i];
  return -0.5 * (n * Math.log(2 * Math.PI) + logDet + q);
}
