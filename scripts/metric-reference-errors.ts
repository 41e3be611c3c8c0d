/**
 * Prints the relative differences between our metrics and the NumPy/SciPy reference vectors the tests check
 * (the tests assert bounds; this shows the numbers). usage: npx tsx scripts/metric-reference-errors.ts
 * [large.npz] — the optional file is what scripts/reference/frechet_large.py writes (d = 2048 and d = 256 cases).
 */
import { readFileSync } from 'node:fs';
import { decodeNpz } from '../src/io/npy.ts';
import { momentsOf } from '../src/metrics/feature-stats.ts';
import { frechetFromMoments } from '../src/metrics/frechet.ts';
import { openblasLinalg, typescriptLinalg, type LinalgBackend } from '../src/metrics/native-linalg.ts';
import { kernelInceptionDistance } from '../src/metrics/kid.ts';
import { precisionRecall } from '../src/metrics/precision-recall.ts';

const fixture = (name: string) => decodeNpz(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url)));
const rel = (a: number, b: number) => (Math.abs(a - b) / Math.abs(b)).toExponential(2);
const backends: LinalgBackend[] = [typescriptLinalg, ...(openblasLinalg().backend ? [openblasLinalg().backend!] : [])];

const small = fixture('frechet-small.npz');
for (const i of [0, 1, 2, 3]) {
  const [a, b] = ['a', 'b'].map((s) => small[`f${i}_${s}`]);
  const expected = (small[`fd${i}`].data as Float64Array)[0];
  for (const backend of backends) {
    const fd = frechetFromMoments(
      momentsOf(a.data as Float64Array, a.shape[0], a.shape[1]),
      momentsOf(b.data as Float64Array, b.shape[0], b.shape[1]),
      { backend },
    ).fd;
    console.log(
      `FD small case ${i} (d = ${a.shape[1]}, N = ${a.shape[0]}/${b.shape[0]}), ${backend.name}: relative difference to SciPy sqrtm ${rel(fd, expected)}`,
    );
  }
}
if (process.argv[2]) {
  const large = decodeNpz(readFileSync(process.argv[2]));
  for (const k of [0, 1, 2]) {
    const side = (s: string) => ({
      mu: large[`mu${k}_${s}`].data as Float64Array,
      sigma: large[`sigma${k}_${s}`].data as Float64Array,
      count: null,
    });
    const expected = (large[`fd${k}`].data as Float64Array)[0];
    for (const backend of k === 0 ? backends.slice(-1) : backends) {
      console.log(
        `FD large case ${k} (d = ${large[`mu${k}_a`].shape[0]}), ${backend.name}: relative difference to SciPy sqrtm ${rel(frechetFromMoments(side('a'), side('b'), { backend }).fd, expected)}`,
      );
    }
  }
}
const kp = fixture('kid-prc.npz');
const real = { data: kp.real.data as Float64Array, rows: kp.real.shape[0], dim: kp.real.shape[1] };
const gen = { data: kp.gen.data as Float64Array, rows: kp.gen.shape[0], dim: kp.gen.shape[1] };
const tf = kernelInceptionDistance(real, gen, { subsets: 10, subsetSize: 50 });
const [mean, std] = kp.kid_tf.data as Float64Array;
const worst = Math.max(...Array.from(kp.kid_tf_subsets.data as Float64Array, (v, i) => Math.abs(tf.perSubset[i] - v) / Math.abs(v)));
console.log(
  `KID torch-fidelity protocol: mean ${rel(tf.kid, mean)}, std ${rel(tf.std, std)}, worst subset ${worst.toExponential(2)} relative`,
);
const cf = kernelInceptionDistance(real, gen, { protocol: 'clean-fid', subsets: 10, seed: 123 });
console.log(`KID clean-fid protocol: ${rel(cf.kid, (kp.kid_cf.data as Float64Array)[0])} relative`);
for (const k of [3, 5]) {
  const r = precisionRecall(real, gen, { neighborhood: k });
  const [p, rc] = kp[`prc_k${k}`].data as Float64Array;
  console.log(
    `precision/recall k = ${k}: ours ${r.precision} / ${r.recall}, NumPy ${p} / ${rc} (difference ${Math.abs(r.precision - p)} / ${Math.abs(r.recall - rc)})`,
  );
}
