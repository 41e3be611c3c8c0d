import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeNpz } from '../../src/io/npy.ts';
import { momentsOf } from '../../src/metrics/feature-stats.ts';
import { FRECHET_COMPAT, frechetDistance, frechetFromMoments } from '../../src/metrics/frechet.ts';
import { openblasLinalg, typescriptLinalg } from '../../src/metrics/native-linalg.ts';

// Reference vectors: scripts/reference/frechet_vectors.py (NumPy np.cov, SciPy sqrtm, as pytorch-fid)
const ref = decodeNpz(readFileSync(new URL('../fixtures/frechet-small.npz', import.meta.url)));
const features = (key: string) => {
  const a = ref[key];
  return { data: a.data as Float64Array, rows: a.shape[0], dim: a.shape[1] };
};

for (const i of [0, 1, 2, 3]) {
  // full-rank cases agree to rounding; case 3 (N < d) differs by SciPy's +-1e-8 roots of zero eigenvalues
  const tolerance = i === 3 ? 1e-7 : 1e-9;
  test(`Fréchet distance matches pytorch-fid's (NumPy/SciPy) within ${tolerance} relative (case ${i})`, () => {
    const a = features(`f${i}_a`);
    const b = features(`f${i}_b`);
    const fd = frechetFromMoments(momentsOf(a.data, a.rows, a.dim), momentsOf(b.data, b.rows, b.dim)).fd;
    const expected = (ref[`fd${i}`].data as Float64Array)[0];
    assert.ok(Math.abs(fd - expected) <= tolerance * Math.abs(expected), `${fd} vs ${expected}`);
  });
}

test('identical inputs give 0, a mean shift gives |shift|^2, scaled identity covariances give the closed form', () => {
  const d = 4;
  const eye = (s: number) => Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? s : 0));
  const mu = new Float64Array(d);
  const shifted = Float64Array.from({ length: d }, () => 0.5);
  assert.ok(Math.abs(frechetDistance(mu, eye(2), mu, eye(2)).fd) < 1e-12);
  assert.ok(Math.abs(frechetDistance(mu, eye(1), shifted, eye(1)).fd - d * 0.25) < 1e-12);
  // tr(aI) + tr(bI) - 2 tr(sqrt(ab) I) = d (sqrt a - sqrt b)^2
  assert.ok(Math.abs(frechetDistance(mu, eye(4), mu, eye(1)).fd - d * (2 - 1) ** 2) < 1e-12);
});

test('a sample smaller than the dimension gets a warning; bad covariances are refused', () => {
  const a = features('f2_a');
  const small = momentsOf(a.data.subarray(0, 2 * a.dim), 2, a.dim);
  const r = frechetFromMoments(small, momentsOf(a.data, a.rows, a.dim));
  assert.match(r.warnings.join(' '), /sample 1 has 2 feature vectors for dimension 3/);
  const mu = new Float64Array(2);
  assert.throws(
    () => frechetDistance(mu, Float64Array.from([1, 0.5, 0, 1]), mu, Float64Array.from([1, 0, 0, 1])),
    /sigma1: not symmetric: entries \(0, 1\) = 0.5 and \(1, 0\) = 0/,
  );
  assert.throws(
    () => frechetDistance(mu, Float64Array.from([1, NaN, NaN, 1]), mu, Float64Array.from([1, 0, 0, 1])),
    /entry \(0, 1\) is NaN/,
  );
});

// d = 2048 and d = 256 cases: scripts/reference/frechet_large.py writes them (about 70 MB) into a temp folder
const largeFile = path.join(mkdtempSync(path.join(tmpdir(), 'frechet-large-')), 'large.npz');
execFileSync('python3', [
  path.join(path.dirname(new URL(import.meta.url).pathname), '../../scripts/reference/frechet_large.py'),
  largeFile,
]);
const large = decodeNpz(readFileSync(largeFile));
const largeCase = (k: number) => {
  const counts = large[`count${k}`].data as BigInt64Array;
  return {
    a: { mu: large[`mu${k}_a`].data as Float64Array, sigma: large[`sigma${k}_a`].data as Float64Array, count: Number(counts[0]) },
    b: { mu: large[`mu${k}_b`].data as Float64Array, sigma: large[`sigma${k}_b`].data as Float64Array, count: Number(counts[1]) },
    expected: (large[`fd${k}`].data as Float64Array)[0],
  };
};
const native = openblasLinalg().backend;

test(`d = 2048: within 1e-6 relative of SciPy's sqrtm route (backend ${native ? 'openblas' : 'typescript'})`, () => {
  const { a, b, expected } = largeCase(0);
  const r = frechetFromMoments(a, b, { backend: native ?? typescriptLinalg });
  const rel = Math.abs(r.fd - expected) / Math.abs(expected);
  assert.ok(rel < 1e-6, `fd ${r.fd} vs SciPy ${expected}: relative ${rel}`);
  assert.is(r.route, 'cholesky(sigma1)');
  assert.equal(r.warnings, []);
});

test('d = 256: the TypeScript fallback and (when built) the OpenBLAS addon, Cholesky and eigen routes, all within 1e-6 of SciPy', () => {
  for (const k of [1, 2]) {
    const { a, b, expected } = largeCase(k);
    for (const backend of native ? [typescriptLinalg, native] : [typescriptLinalg]) {
      for (const route of ['auto', 'eigen'] as const) {
        const r = frechetFromMoments(a, b, { backend, route });
        const rel = Math.abs(r.fd - expected) / Math.abs(expected);
        assert.ok(rel < 1e-6, `case ${k} ${backend.name} ${route}: ${r.fd} vs ${expected} (relative ${rel})`);
      }
    }
  }
  // case 2 has N = 200 < d = 256: singular covariances, the eigen route, and a warning
  const { a, b } = largeCase(2);
  const r = frechetFromMoments(a, b, { backend: typescriptLinalg });
  assert.is(r.route, 'eigen(sigma1)');
  assert.match(r.warnings[0], /sample 1 has 200 feature vectors for dimension 256/);
});

test('pytorch-fid compat: the eps offset on singular products moves identical inputs by -2 d eps; the imaginary-part check raises', () => {
  const { a } = largeCase(2); // singular sigma (N = 200 < d = 256)
  const plain = frechetFromMoments(a, a).fd;
  const compat = frechetFromMoments(a, a, FRECHET_COMPAT['pytorch-fid']);
  assert.is(compat.route, 'eigen(sigma1 + eps)');
  assert.match(compat.warnings.join(' '), /sigma1 \+ 0\.000001 I/);
  // tr sqrt((S + eps I)^2) = tr S + d eps, so FD = -2 d eps (frechet.md section 1)
  assert.ok(Math.abs(compat.fd - -2 * 256 * 1e-6) < 1e-7, `compat fd ${compat.fd}`);
  assert.ok(Math.abs(plain) < 1e-5, `plain fd ${plain}`);
  // an indefinite "covariance" gives a negative eigenvalue in the product
  const mu = new Float64Array(2);
  const indefinite = Float64Array.from([1, 2, 2, 1]);
  assert.throws(
    () => frechetDistance(mu, Float64Array.from([1, 0, 0, 1]), mu, indefinite, FRECHET_COMPAT['pytorch-fid']),
    /Imaginary component (1|0\.9{12,}\d*): the product sigma1 sigma2 has a negative eigenvalue/,
  );
  assert.ok(
    Number.isFinite(frechetDistance(mu, Float64Array.from([1, 0, 0, 1]), mu, indefinite).fd),
    'without the check the negative eigenvalue counts as 0',
  );
});

test.run();
