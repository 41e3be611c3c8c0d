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
import { badInput } from '../helpers/case-ledger.ts';

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
  assert.is(r.route, 'factor(sigma1)');
  assert.match(r.warnings[0], /sample 1 has 200 feature vectors for dimension 256/);
});

// N < d: scripts/reference/frechet_rank_deficient.py (SciPy's sqrtm of the singular product is finite: no offset)
const deficient = decodeNpz(readFileSync(new URL('../fixtures/frechet-rank-deficient.npz', import.meta.url)));
const deficientSide = (key: string) => {
  const a = deficient[key];
  return momentsOf(a.data as Float64Array, a.shape[0], a.shape[1]);
};

test('pytorch-fid and clean-fid compat at N = 20 < d = 64 match the sqrtm route (no eps offset) within 1e-6 relative', () => {
  const expected = (deficient.compat_fd.data as Float64Array)[0];
  for (const compat of ['pytorch-fid', 'clean-fid'] as const) {
    for (const backend of native ? [typescriptLinalg, native] : [typescriptLinalg]) {
      const r = frechetFromMoments(deficientSide('compat_a'), deficientSide('compat_b'), { ...FRECHET_COMPAT[compat], backend });
      const rel = Math.abs(r.fd - expected) / expected;
      assert.ok(rel < 1e-6, `${compat} on ${backend.name}: ${r.fd} vs pytorch-fid ${expected} (relative ${rel})`);
      assert.is(r.route, backend.name === 'typescript' ? 'factor(sigma1)' : 'eigen(sigma1)');
    }
  }
});

test('pytorch-fid compat: identical singular inputs give 0 (no offset, as sqrtm is finite); the imaginary-part check raises', () => {
  const { a } = largeCase(2); // singular sigma (N = 200 < d = 256)
  const compat = frechetFromMoments(a, a, { ...FRECHET_COMPAT['pytorch-fid'], backend: native ?? typescriptLinalg });
  assert.is(compat.route, native ? 'eigen(sigma1)' : 'factor(sigma1)');
  assert.ok(compat.fd >= 0 && compat.fd < 1e-5, `compat fd ${compat.fd}`);
  // an indefinite product of PSD covariances cannot happen; a product with a negative root from round-off can
  const mu = new Float64Array(2);
  assert.throws(
    () =>
      frechetDistance(mu, Float64Array.from([1, 0, 0, 0]), mu, Float64Array.from([1, 0, 0, 1]), {
        ...FRECHET_COMPAT['pytorch-fid'],
        imaginaryTolerance: -1,
      }),
    /Imaginary component 0: the product sigma1 sigma2 has a negative eigenvalue/,
  );
});

test('a covariance that is not positive semi-definite is refused with its eigenvalue and source, on every route and backend', async () => {
  const mu = new Float64Array(2);
  const indefinite = Float64Array.from([1, 2, 2, 1]); // eigenvalues 3 and -1
  const eye = Float64Array.from([1, 0, 0, 1]);
  const singular = Float64Array.from([1, 0, 0, 0]);
  for (const backend of native ? [typescriptLinalg, native] : [typescriptLinalg]) {
    for (const [s1, s2, bad] of [
      [eye, indefinite, 'b.npz'],
      [indefinite, eye, 'a.npz'],
      [singular, indefinite, 'b.npz'],
      [indefinite, singular, 'a.npz'],
    ] as const) {
      for (const route of ['auto', 'eigen'] as const) {
        await badInput('numbers', `a covariance that is not PSD (${backend.name}, route ${route}, ${bad})`, () =>
          assert.throws(
            () => frechetDistance(mu, s1, mu, s2, { backend, route, sources: ['a.npz', 'b.npz'] }),
            (e: Error) =>
              e.message.startsWith(`${bad}: the covariance is not positive semi-definite: its most negative eigenvalue is -`) &&
              /is -(1|0\.9{6,}\d*), -0\.3{6,}\d* of the largest \((3|2\.9{6,}\d*)\); allowed: >= -0\.000001 of the largest$/.test(
                e.message,
              ),
            `${backend.name} ${route} ${bad}`,
          ),
        );
      }
    }
  }
  // within the tolerance (docs/metrics.md): a rounding-size negative eigenvalue passes
  const nearly = Float64Array.from([1, 0, 0, -1e-9]);
  assert.ok(frechetDistance(mu, eye, mu, nearly).fd >= 0);
});

test.run();
