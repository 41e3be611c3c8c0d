/**
 * The samples of one chunk of one method: read back from the store, or generated in batches of the suite's
 * batch size (and decoded to pixels by the set's decoder, when it has one) and stored (record, then values) as
 * each batch finishes. A sample's values depend only on its key (model, sampler settings, guidance, frames,
 * condition, seed, index), not on the batch it was made in (for the analytic backend exactly; an ONNX backend
 * may round differently in other batch sizes).
 */
import { assertFiniteSamples } from '../core/finite.ts';
import { PhiloxNoise } from '../core/philox.ts';
import type { NoiseSource } from '../core/philox.ts';
import { stackSamples, type Tensor } from '../core/tensor.ts';
import type { SampleResult, StepObserver } from '../samplers/contract/sampling.ts';
import type { ResolvedMethod } from './methods.ts';
import type { MethodPlan } from './plan.ts';
import type { SampleStore } from './contract/sample-store.ts';
import type { MachineFingerprint, SuiteItem, SampleRecord } from './contract/records.ts';

/** A chunk's samples [rows, C, T, H, W] and their records, in item order. */
export interface ChunkSamples {
  readonly samples: Tensor;
  readonly records: readonly SampleRecord[];
  /** How many of them were generated now (the rest came from the store). */
  readonly generated: number;
}

/** One batch of `method`: its sampler's result and the pixels (decoded by the set's decoder, when it has one). */
export async function generateBatch(
  method: ResolvedMethod,
  items: readonly SuiteItem[],
  noise: NoiseSource,
  onStep?: StepObserver,
): Promise<{ result: SampleResult; pixels: Tensor; decodeSeconds: number }> {
  const result = await method.samplerImpl.sample(
    method.models,
    { items, frames: method.frames, guidance: method.guidance, settings: method.parsedSettings },
    noise,
    onStep,
  );
  const sampled = performance.now();
  const pixels = method.models.decoder ? await method.models.decoder.decode(result.samples) : result.samples;
  const made = method.models.decoder
    ? `${method.id}: the sampler ${method.samplerImpl.name} and decoder`
    : `${method.id}: the sampler ${method.samplerImpl.name}`;
  assertFiniteSamples(
    pixels.data,
    pixels.data.length / Math.max(pixels.shape[0], 1),
    made,
    items.map((i) => i.index),
  );
  return { result, pixels, decodeSeconds: (performance.now() - sampled) / 1000 };
}

/**
 * Reads or generates the samples of `items` (whose store keys are `keys`); each generated sample's record names
 * `machine`, the machine that measured its seconds; `onBatch` is told after each generated batch.
 */
export async function chunkSamples(
  store: SampleStore,
  plan: MethodPlan,
  items: readonly SuiteItem[],
  keys: readonly string[],
  seed: number,
  batchSize: number,
  machine: MachineFingerprint,
  onBatch: (generated: number) => void,
): Promise<ChunkSamples> {
  const { method } = plan;
  const values: (Float32Array | null)[] = [];
  const records: (SampleRecord | null)[] = [];
  for (const key of keys) {
    const stored = store.readSample(key);
    if (stored && stored.record.shape.join(',') !== method.shape.join(',')) {
      throw new RangeError(
        `store entry ${key} (${method.id}) has shape [${stored.record.shape.join(', ')}]; the method makes [${method.shape.join(', ')}]`,
      );
    }
    values.push(stored?.values ?? null);
    records.push(stored?.record ?? null);
  }
  const missing = keys.map((_, i) => i).filter((i) => values[i] === null);
  const noise = new PhiloxNoise(seed);
  for (let b = 0; b < missing.length; b += batchSize) {
    const positions = missing.slice(b, b + batchSize);
    const batch = positions.map((p) => items[p]);
    const started = performance.now();
    const { result, pixels, decodeSeconds } = await generateBatch(method, batch, noise);
    const seconds = (performance.now() - started) / 1000;
    const n = batch.length;
    const shape = pixels.shape.slice(1) as [number, number, number, number];
    if (shape.join(',') !== method.shape.join(','))
      throw new RangeError(`${method.id}: the sampler made samples [${shape.join(', ')}]; expected [${method.shape.join(', ')}]`);
    const cost = {
      nfe: result.cost.nfe,
      tokensPerSample: result.cost.tokensPerSample,
      flopsPerSample: result.cost.flopsPerSample,
      stages: result.cost.stages.map((s) => ({
        stage: s.stage,
        nfe: s.nfe,
        tokensPerSample: s.tokensPerSample,
        flopsPerSample: s.flopsPerSample,
      })),
    };
    positions.forEach((p, j) => {
      const record: SampleRecord = {
        key: keys[p],
        index: items[p].index,
        condition: items[p].conditionKey,
        seed,
        shape,
        cost,
        generationSeconds: seconds / n,
        decodeSeconds: decodeSeconds / n,
        stageSeconds: result.cost.stages.map((s) => s.modelSeconds / n),
        batchSize: n,
        machine,
        resolved: result.resolved ?? null,
      };
      const v = pixels.sample(j).slice();
      store.writeSample(record, v);
      values[p] = v;
      records[p] = record;
    });
    onBatch(n);
  }
  return { samples: stackSamples(values as Float32Array[], method.shape), records: records as SampleRecord[], generated: missing.length };
}

/** Reference samples of `items` from set 0 or 1, [rows, C, T, H, W]. */
export function referenceSamples(plan: MethodPlan, items: readonly SuiteItem[], set: 0 | 1): Tensor {
  const reference = plan.reference;
  if (!reference) throw new RangeError(`${plan.method.id}: no reference source`);
  return stackSamples(
    items.map((item) => reference.sample(set, item)),
    plan.method.shape,
  );
}
