/**
 * `cost`: what a method spends per sample, from the sampler's own call records (`CostSummary`): network
 * evaluations (NFE), tokens and FLOPs (the FLOP model of `src/models/cost-model.ts`, from the model's transformer
 * dimensions: 'notional' for analytic presets), in total and per stage. Deterministic: no timing.
 */
import { parseWith, strictObject } from '../../core/schema.ts';
import { mean } from '../../core/statistics.ts';
import type { MetricPlugin, MetricValue, Uncertainty } from '../contract/plugin.ts';
import type { SampleCost } from '../contract/records.ts';

/** The costs of a chunk's samples, in index order. */
export interface CostState {
  readonly costs: readonly SampleCost[];
}

function spread(values: readonly number[], what: string): Uncertainty {
  const first = values[0];
  if (values.every((v) => v === first)) return { kind: 'exact', reason: `every sample has the same ${what}` };
  const m = mean(values);
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
  return { kind: 'stderr', stderr: sd / Math.sqrt(values.length), n: values.length, method: 'standard error of the mean over samples' };
}

function summarize(key: string, label: string, unit: string, values: readonly (number | null)[], note?: string): MetricValue {
  const headline = key === 'nfe' || key === 'flopsPerSample';
  if (values.some((v) => v === null)) {
    return {
      key,
      label,
      value: null,
      unit,
      direction: 'lower',
      uncertainty: { kind: 'none', reason: 'not known' },
      measured: false,
      headline,
      note: 'the model gives no transformer dimensions, so FLOPs are unknown',
    };
  }
  const v = values as number[];
  return {
    key,
    label,
    value: mean(v),
    unit,
    direction: 'lower',
    uncertainty: spread(v, key),
    measured: false,
    headline,
    ...(note ? { note } : {}),
  };
}

/** The `cost` metric. */
export const costMetric: MetricPlugin<Record<string, never>, CostState> = {
  name: 'cost',
  version: 1,
  description: 'NFE, tokens and FLOPs per sample, in total and per stage, from the samplers\u2019 call records',
  referenceSets: [],
  parseOptions: (raw, where) => parseWith(strictObject({}), raw, where) as Record<string, never>,
  chunkState: (chunk) => {
    if (!chunk.records) throw new RangeError(`cost: chunk ${chunk.chunk} has no generation records`);
    return { costs: chunk.records.map((r) => r.cost) };
  },
  encode: (state) => ({ json: state.costs, arrays: {} }),
  decode: (encoded) => ({ costs: encoded.json as SampleCost[] }),
  finalize({ states, method }) {
    const costs = (states.samples ?? []).flatMap((s) => s.costs);
    if (costs.length === 0) throw new RangeError(`cost (${method.id}): no samples`);
    const notional = method.costSource === 'notional' ? 'FLOPs of a notional transformer (the analytic backend has no network)' : undefined;
    const out = [
      summarize(
        'nfe',
        'network evaluations per sample (a guided call counts 2)',
        'evaluations',
        costs.map((c) => c.nfe),
      ),
      summarize(
        'tokensPerSample',
        'tokens processed per sample (current and history)',
        'tokens',
        costs.map((c) => c.tokensPerSample),
      ),
      summarize(
        'flopsPerSample',
        'FLOPs per sample',
        'FLOP',
        costs.map((c) => c.flopsPerSample),
        notional,
      ),
    ];
    const stages = [...new Set(costs.flatMap((c) => c.stages.map((s) => s.stage)))].sort((a, b) => a - b);
    for (const stage of stages) {
      const of = (c: SampleCost) => c.stages.find((s) => s.stage === stage);
      out.push(
        summarize(
          `stage${stage}.nfe`,
          `network evaluations per sample in stage ${stage}`,
          'evaluations',
          costs.map((c) => of(c)?.nfe ?? 0),
        ),
      );
      out.push(
        summarize(
          `stage${stage}.flopsPerSample`,
          `FLOPs per sample in stage ${stage}`,
          'FLOP',
          costs.map((c) => of(c)?.flopsPerSample ?? 0),
          notional,
        ),
      );
    }
    return out;
  },
};
