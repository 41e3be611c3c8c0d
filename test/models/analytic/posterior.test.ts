import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PhiloxNoise } from '../../../src/core/philox.ts';
import { Tensor, downN } from '../../../src/core/tensor.ts';
import { posteriorVelocity } from '../../../src/models/analytic/posterior.ts';
import { AnalyticModel } from '../../../src/models/analytic/backend.ts';
import { analyticPreset } from '../../../src/models/analytic/presets.ts';
import { stageWindows } from '../../../src/models/contract/schedule.ts';
import { rejects } from '../../helpers/assert.ts';
import { gaussianLogPdf, identity, mul, solveSpd, transpose } from '../../helpers/dense.ts';

/** Dense P = Up Down for planes of h x w (averaging over each 2x2 block). */
function projection(planes: number, h: number, w: number): Float64Array {
  const n = planes * h * w;
  const p = new Float64Array(n * n);
  const block = (i: number) => {
    const plane = Math.floor(i / (h * w));
    const y = Math.floor((i % (h * w)) / w);
    const x = i % w;
    return `${plane}:${y >> 1}:${x >> 1}`;
  };
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (block(i) === block(j)) p[i * n + j] = 0.25;
  return p;
}

function lin(alpha: number, i: Float64Array, beta: number, p: Float64Array): Float64Array {
  return Float64Array.from(i, (v, k) => alpha * v + beta * p[k]);
}

/** E[v | x] for a mixture by dense Gaussian conditioning, x = b n + Ax y, v = c n + Av y. */
function bruteForce(
  x: Float64Array,
  n: number,
  means: Float64Array[],
  vars: number[],
  logPrior: number[],
  b: number,
  Ax: Float64Array,
  c: number,
  Av: Float64Array,
) {
  const logs: number[] = [];
  const velocities: Float64Array[] = [];
  means.forEach((m, j) => {
    const s2 = vars[j];
    const AxT = transpose(Ax, n, n);
    const sxx = mul(Ax, AxT, n, n, n).map((v, k) => s2 * v + (k % (n + 1) === 0 ? b * b : 0));
    const svx = mul(Av, AxT, n, n, n).map((v, k) => s2 * v + (k % (n + 1) === 0 ? c * b : 0));
    const mx = mul(Ax, m, n, n, 1);
    const r = Float64Array.from(x, (v, k) => v - mx[k]);
    const gain = mul(svx, solveSpd(sxx, r, n), n, n, 1);
    const mv = mul(Av, m, n, n, 1);
    velocities.push(Float64Array.from(mv, (v, k) => v + gain[k]));
    logs.push(logPrior[j] + gaussianLogPdf(x, mx, sxx, n));
  });
  const max = Math.max(...logs);
  const w = logs.map((l) => Math.exp(l - max));
  const total = w.reduce((a, v) => a + v, 0);
  const out = new Float64Array(n);
  velocities.forEach((v, j) => v.forEach((e, k) => (out[k] += (w[j] / total) * e)));
  return { velocity: out, posterior: w.map((v) => v / total) };
}

function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    err = Math.max(err, Math.abs(a[i] - b[i]));
  }
  return err / scale;
}

test('the P/Q closed form equals dense Gaussian conditioning for a coupled flow (2 planes of 4x4, 3 components)', () => {
  const noise = new PhiloxNoise(21);
  const g = { planes: 2, height: 4, width: 4 };
  const n = 32;
  const means = [0, 1, 2].map((j) => Float64Array.from(noise.gaussian(j, 'mean', n), (v) => 0.6 * v));
  const vars = [0.04, 0.09, 0.02];
  const logPrior = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
  const flow = { a1: 0.3, a2: 0.25, b: 0.55, c: 0.4, d1: -0.7, d2: 0.35 };
  const x = Float64Array.from(noise.gaussian(9, 'x', n), (v, k) => 0.5 * v + 0.4 * means[1][k]);
  const out = new Float32Array(n);
  const post = posteriorVelocity(Float32Array.from(x), g, flow, { means, variances: vars, logEvidence: Float64Array.from(logPrior) }, out);
  const I = identity(n);
  const P = projection(2, 4, 4);
  const ref = bruteForce(
    Float64Array.from(Float32Array.from(x)),
    n,
    means,
    vars,
    logPrior,
    flow.b,
    lin(flow.a1, I, flow.a2, P),
    flow.c,
    lin(flow.d1, I, flow.d2, P),
  );
  assert.ok(maxRelError(out, ref.velocity) < 1e-5, `velocity error ${maxRelError(out, ref.velocity)}`);
  post.forEach((p, j) => assert.ok(Math.abs(p - ref.posterior[j]) < 1e-9, `posterior ${j}: ${p} vs ${ref.posterior[j]}`));
});

test('the super-resolution form equals dense conditioning on (x, Down y)', () => {
  const noise = new PhiloxNoise(5);
  const g = { planes: 1, height: 4, width: 4 };
  const n = 16;
  const r = 0.37;
  const means = [0, 1].map((j) => Float64Array.from(noise.gaussian(j, 'mean', n), (v) => 0.8 * v));
  const vars = [0.05, 0.12];
  const logPrior = [Math.log(0.6), Math.log(0.4)];
  const y = Float64Array.from(noise.gaussian(3, 'y', n), (v, k) => means[0][k] + Math.sqrt(vars[0]) * v);
  const D = new Float64Array(4 * n); // 2x2 means
  for (let i = 0; i < n; i++) D[((Math.floor(i / 4) >> 1) * 2 + ((i % 4) >> 1)) * n + i] = 0.25;
  const low = mul(D, y, 4, n, 1);
  const x = Float64Array.from(noise.gaussian(4, 'n', n), (v, k) => r * v + (1 - r) * y[k]);
  // posteriorVelocity: evidence from the low-resolution input, P part known
  const logEvidence = Float64Array.from(logPrior, (lp, j) => {
    const ml = mul(D, means[j], 4, n, 1);
    let ss = 0;
    for (let k = 0; k < 4; k++) ss += (low[k] - ml[k]) ** 2;
    const v = vars[j] / 4;
    return lp - 2 * Math.log(2 * Math.PI * v) - ss / (2 * v);
  });
  const out = new Float32Array(n);
  posteriorVelocity(
    Float32Array.from(x),
    g,
    { a1: 1 - r, a2: 0, b: r, c: 1, d1: -1, d2: 0 },
    { means, variances: vars, logEvidence },
    out,
    Float64Array.from(Float32Array.from(low)),
  );
  // dense: o = [x; low] = O z, z = [noise; y], v = noise - y
  const m = n + 4;
  const logs: number[] = [];
  const vs: Float64Array[] = [];
  means.forEach((mean, j) => {
    const O = new Float64Array(m * 2 * n);
    for (let i = 0; i < n; i++) {
      O[i * 2 * n + i] = r;
      O[i * 2 * n + n + i] = 1 - r;
    }
    for (let k = 0; k < 4; k++) for (let i = 0; i < n; i++) O[(n + k) * 2 * n + n + i] = D[k * n + i];
    const S = new Float64Array(2 * n * 2 * n);
    for (let i = 0; i < n; i++) {
      S[i * 2 * n + i] = 1;
      S[(n + i) * 2 * n + n + i] = vars[j];
    }
    const mu = new Float64Array(2 * n);
    mu.set(mean, n);
    const OS = mul(O, S, m, 2 * n, 2 * n);
    const soo = mul(OS, transpose(O, m, 2 * n), m, 2 * n, m);
    const V = new Float64Array(n * 2 * n);
    for (let i = 0; i < n; i++) {
      V[i * 2 * n + i] = 1;
      V[i * 2 * n + n + i] = -1;
    }
    const svo = mul(mul(V, S, n, 2 * n, 2 * n), transpose(O, m, 2 * n), n, 2 * n, m);
    const o = new Float64Array(m);
    o.set(Float32Array.from(x));
    o.set(Float32Array.from(low), n);
    const mo = mul(O, mu, m, 2 * n, 1);
    const gain = mul(
      svo,
      solveSpd(
        soo,
        Float64Array.from(o, (v, k) => v - mo[k]),
        m,
      ),
      n,
      m,
      1,
    );
    const mv = mul(V, mu, n, 2 * n, 1);
    vs.push(Float64Array.from(mv, (v, k) => v + gain[k]));
    logs.push(logPrior[j] + gaussianLogPdf(o, mo, soo, m));
  });
  const max = Math.max(...logs);
  const w = logs.map((l) => Math.exp(l - max));
  const total = w[0] + w[1];
  const ref = Float64Array.from({ length: n }, (_, k) => (w[0] * vs[0][k] + w[1] * vs[1][k]) / total);
  assert.ok(maxRelError(out, ref) < 1e-5, `velocity error ${maxRelError(out, ref)}`);
});

for (const stage of [0, 1, 2]) {
  test(`AnalyticModel's pyramid stage ${stage} velocity equals dense conditioning built from the training start and end points`, async () => {
    const preset = analyticPreset('tiny-image');
    const model = new AnalyticModel(preset, 'pyramid');
    const w = stageWindows(preset.pyramid)[stage];
    const side = 8 / 2 ** w.level;
    const n = side * side;
    const r = 0.61;
    const noise = new PhiloxNoise(2);
    const x = new Tensor([1, 1, 1, side, side], noise.gaussian(0, 'x', n));
    const v = await model.predict({
      x,
      flow: { kind: 'pyramid', stage },
      ratio: r,
      timestep: 0,
      conditions: [{ kind: 'class', label: 1 }],
      history: [],
      firstFrame: 0,
    });
    // start = ss n + (1 - ss) Up Down y (stage 0: n); end = se n + (1 - se) y; x = r start + (1 - r) end; v = start - end
    const I = identity(n);
    const P = stage === 0 ? new Float64Array(n * n) : projection(1, side, side);
    const startY = stage === 0 ? new Float64Array(n * n) : lin(0, I, 1 - w.startSigma, P);
    const endY = lin(1 - w.endSigma, I, 0, P);
    const Ax = Float64Array.from(startY, (s, k) => r * s + (1 - r) * endY[k]);
    const Av = Float64Array.from(startY, (s, k) => s - endY[k]);
    const b = r * w.startSigma + (1 - r) * w.endSigma;
    const c = w.startSigma - w.endSigma;
    const comps = preset.mixture.components.map((comp, j) => ({ comp, j })).filter(({ comp }) => comp.label === 1);
    const total = comps.reduce((a, { comp }) => a + comp.weight, 0);
    const means = comps.map(({ comp }) => Float64Array.from(downN(new Tensor([1, 1, 1, 8, 8], comp.mean), w.level).data));
    const vars = comps.map(({ comp }) => comp.std ** 2 / 4 ** w.level);
    const ref = bruteForce(
      Float64Array.from(x.data),
      n,
      means,
      vars,
      comps.map(({ comp }) => Math.log(comp.weight / total)),
      b,
      Ax,
      c,
      Av,
    );
    assert.ok(maxRelError(v.data, ref.velocity) < 1e-5, `stage ${stage}: velocity error ${maxRelError(v.data, ref.velocity)}`);
  });
}

test('the analytic model refuses inputs at the wrong resolution, flows it does not serve, and text conditions', async () => {
  const preset = analyticPreset('tiny-image');
  const model = new AnalyticModel(preset, 'pyramid');
  const base = { ratio: 0.5, timestep: 0, conditions: [{ kind: 'unconditional' as const }], history: [], firstFrame: 0 };
  const x4 = new Tensor([1, 1, 1, 4, 4]);
  await rejects(
    () => model.predict({ ...base, x: x4, flow: { kind: 'pyramid', stage: 0 } }),
    /stage 0 works at level 2, got an input at level 1/,
  );
  assert.throws(() => model.predictSync({ ...base, x: x4, flow: { kind: 'full' } }), /a 'pyramid' model does not serve 'full' flows/);
  assert.throws(
    () =>
      model.predictSync({
        ...base,
        x: new Tensor([1, 1, 1, 2, 2]),
        flow: { kind: 'pyramid', stage: 0 },
        conditions: [{ kind: 'text', prompt: 'a', embedding: new Float32Array(1), tokens: 1, dim: 1 }],
      }),
    /class-conditional/,
  );
});

test.run();
