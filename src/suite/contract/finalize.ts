/**
 * From metric states to results: each metric's chunk states are put in chunk order and handed to its
 * `finalize`. A run and a merge of shards both end here, so a merge gives the same numbers as one run.
 */
import type { MethodContext, MetricValue, SampleSetKind } from './plugin.ts';
import { referenceSetsOf } from './plugin.ts';
import type { LockedSettings, MethodMeta, MethodResult } from './results.ts';
import type { DeviceInfo } from '../../models/contract/device.ts';
import type { MachineFingerprint, TimingRecord } from './records.ts';
import type { MetricEntry } from './plugin.ts';

/** One metric's states for one method: chunk states per sample set (any order) and the timed phase's record. */
export interface MetricStates {
  readonly sets: Partial<Record<SampleSetKind, readonly { readonly chunk: number; readonly state: unknown }[]>>;
  readonly timing: TimingRecord | null;
}

/** The context a metric finalizes in, from the method's description, the locked settings and the machines that ran it. */
export function methodContext(
  meta: MethodMeta,
  locked: LockedSettings,
  device: DeviceInfo,
  machines: readonly MachineFingerprint[],
): MethodContext {
  return {
    id: meta.id,
    shape: meta.shape,
    costSource: meta.costSource,
    playbackFps: locked.playbackFps,
    protocolVideos: locked.protocol?.videos ?? locked.samples,
    device,
    machines,
  };
}

/** Chunk numbers of a set, ascending; throws on a chunk present twice (overlapping shards). */
function orderedChunks(list: readonly { chunk: number }[], where: string): number[] {
  const chunks = list.map((s) => s.chunk).sort((a, b) => a - b);
  chunks.forEach((c, i) => {
    if (i > 0 && c === chunks[i - 1])
      throw new RangeError(`${where}: chunk ${c} appears twice; were the same shard's results given twice?`);
  });
  return chunks;
}

/**
 * Finalizes every metric of one method. With `partial` (a shard's own results, over some chunks only), a metric
 * that cannot be computed on the shard's samples alone (e.g. a covariance too singular for the eigensolver) is
 * reported with its error instead of failing the shard; the merge computes it over all chunks.
 */
export async function finalizeMethod(
  meta: MethodMeta,
  samples: number,
  context: MethodContext,
  metrics: readonly MetricEntry[],
  states: Readonly<Record<string, MetricStates>>,
  partial = false,
): Promise<MethodResult> {
  const out: Record<string, { version: number; values: readonly MetricValue[]; error?: string }> = {};
  for (const { key, plugin, options } of metrics) {
    const where = `method '${meta.id}', metric '${key}'`;
    const s = states[key];
    if (!s) throw new RangeError(`${where}: no states`);
    const own = s.sets.samples ?? [];
    const chunks = orderedChunks(own, where);
    const ordered: Partial<Record<SampleSetKind, unknown[]>> = {};
    for (const set of ['samples', ...referenceSetsOf({ plugin, options })] as SampleSetKind[]) {
      const list = s.sets[set] ?? [];
      const these = orderedChunks(list, `${where}, set '${set}'`);
      if (these.join(',') !== chunks.join(','))
        throw new RangeError(`${where}: set '${set}' has chunks [${these.join(', ')}], the samples have [${chunks.join(', ')}]`);
      ordered[set] = chunks.map((c) => list.find((x) => x.chunk === c)!.state);
    }
    try {
      out[key] = {
        version: plugin.version,
        values: await plugin.finalize({ options, method: context, chunks, states: ordered, timing: s.timing }),
      };
    } catch (error) {
      const message = `${where}: ${(error as Error).message}`;
      if (!partial) throw new Error(message);
      out[key] = { version: plugin.version, values: [], error: message };
    }
  }
  return { ...meta, samples, metrics: out };
}
