/** Checks of generated samples against an analytic mixture target, shared by the sampler tests. */
import * as assert from 'uvu/assert';
import { PhiloxNoise } from '../../src/core/philox.ts';
import type { Tensor } from '../../src/core/tensor.ts';
import type { GaussianMixture } from '../../src/models/analytic/mixture.ts';
import type { SampleItem } from '../../src/samplers/contract/sampling.ts';
import { accumulate, createStats, moments } from '../../src/metrics/feature-stats.ts';
import { frechetFromMoments } from '../../src/metrics/frechet.ts';

export function unconditionalItems(n: number): SampleItem[] {
  return Array.from({ length: n }, (_, index) => ({ index, condition: { kind: 'unconditional' as const } }));
}

function targetMomentsOf(mixture: GaussianMixture, items: readonly SampleItem[], seed: number) {
  const stats = createStats(mixture.components[0].mean.length);
  const noise = new PhiloxNoise(seed);
  for (const item of items) accumulate(stats, mixture.sample(noise, item.index, item.condition).values, 1);
  return moments(stats);
}

/** FD of the samples to a target sample set, and the floor: FD between two target sets of the same size. */
export function distanceToTarget(samples: Tensor, mixture: GaussianMixture, items: readonly SampleItem[]): { fd: number; floor: number } {
  const reference = targetMomentsOf(mixture, items, 1_000_001);
  const second = targetMomentsOf(mixture, items, 2_000_002);
  const stats = createStats(samples.sampleSize);
  accumulate(stats, samples.data, samples.batch);
  return { fd: frechetFromMoments(moments(stats), reference).fd, floor: frechetFromMoments(second, reference).fd };
}

/**
 * Asserts that samples reproduce the mixture's components: weights within 4 binomial standard errors, each
 * component's per-entry mean within 4.5 standard errors of its prototype (max over entries), and its pooled
 * per-entry variance within `varianceTolerance` (relative) of s_j^2.
 */
export function assertComponents(samples: Tensor, mixture: GaussianMixture, prior: ArrayLike<number>, varianceTolerance: number): void {
  const N = samples.batch;
  const groups: number[][] = mixture.components.map(() => []);
  for (let i = 0; i < N; i++) groups[mixture.classify(samples.sample(i))].push(i);
  mixture.components.forEach((c, j) => {
    const n = groups[j].length;
    const share = n / N;
    const se = Math.sqrt((prior[j] * (1 - prior[j])) / N);
    assert.ok(
      Math.abs(share - prior[j]) <= 4 * se + 1e-12,
      `component ${j}: share ${share.toFixed(4)} vs weight ${prior[j]} (4 SE = ${(4 * se).toFixed(4)})`,
    );
    if (prior[j] === 0) return;
    const d = c.mean.length;
    const mean = new Float64Array(d);
    for (const i of groups[j]) {
      const x = samples.sample(i);
      for (let k = 0; k < d; k++) mean[k] += x[k] / n;
    }
    let maxDev = 0;
    let ss = 0;
    for (let k = 0; k < d; k++) maxDev = Math.max(maxDev, Math.abs(mean[k] - c.mean[k]));
    for (const i of groups[j]) {
      const x = samples.sample(i);
      for (let k = 0; k < d; k++) ss += (x[k] - mean[k]) ** 2;
    }
    const ratio = ss / ((n - 1) * d) / (c.std * c.std);
    const meanTol = (4.5 * c.std) / Math.sqrt(n);
    assert.ok(maxDev <= meanTol, `component ${j}: largest mean deviation ${maxDev.toFixed(4)} > ${meanTol.toFixed(4)} (4.5 SE)`);
    assert.ok(
      Math.abs(ratio - 1) <= varianceTolerance,
      `component ${j}: variance ratio ${ratio.toFixed(4)} outside 1 ± ${varianceTolerance}`,
    );
  });
}

/** Normalised mixture weights. */
export function mixtureWeights(mixture: GaussianMixture): number[] {
  const total = mixture.components.reduce((a, c) => a + c.weight, 0);
  return mixture.components.map((c) => c.weight / total);
}

/** Share of videos whose frames are all closest to the same component's frames. */
export function frameConsistency(samples: Tensor, mixture: GaussianMixture): number {
  const [N, C, T, H, W] = samples.shape;
  const plane = H * W;
  let consistent = 0;
  for (let i = 0; i < N; i++) {
    const x = samples.sample(i);
    const labels = new Set<number>();
    for (let t = 0; t < T; t++) {
      let best = -1;
      let bestLog = -Infinity;
      mixture.components.forEach((comp, j) => {
        let ss = 0;
        for (let c = 0; c < C; c++) {
          for (let p = 0; p < plane; p++) {
            const k = (c * T + t) * plane + p;
            ss += (x[k] - comp.mean[k]) ** 2;
          }
        }
        const v = comp.std ** 2;
        const log = -0.5 * C * plane * Math.log(v) - ss / (2 * v);
        if (log > bestLog) {
          bestLog = log;
          best = j;
        }
      });
      labels.add(best);
    }
    if (labels.size === 1) consistent++;
  }
  return consistent / N;
}
