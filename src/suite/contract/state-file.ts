/**
 * Metric states on disk: one .npz per (sample set, metric) holding a JSON header (member `header`, UTF-8 bytes)
 * and each chunk's arrays (members `c<chunk>.<name>`, exact float32/float64). The store caches single-chunk
 * files; a results folder keeps one file per method and metric under `state/`, which `merge` reads.
 */
import { writeFileAtomic } from '../../io/atomic.ts';
import { insideFolder, safeName } from '../../io/safe-path.ts';
import { decodeNpz, encodeNpz, npyArray, type NpyArray } from '../../io/npy.ts';
import type { MetricStates } from './finalize.ts';
import { referenceSetsOf, type EncodedState, type SampleSetKind } from './plugin.ts';
import type { TimingRecord } from './records.ts';
import type { MetricEntry } from './plugin.ts';

/** Format of state files. */
export const STATE_FORMAT = 1;

/** The states of one metric for one sample set, by chunk, and the timed phase's record if any. */
export interface StateFile {
  readonly metric: string;
  readonly version: number;
  /** 'samples', 'reference' or 'second'. */
  readonly set: string;
  /** Hash of the metric's options. */
  readonly optionsHash: string;
  readonly chunks: readonly { readonly chunk: number; readonly state: EncodedState }[];
  readonly timing: TimingRecord | null;
}

interface Header {
  readonly format: number;
  readonly metric: string;
  readonly version: number;
  readonly set: string;
  readonly optionsHash: string;
  readonly chunks: readonly { readonly chunk: number; readonly json: unknown; readonly arrays: readonly string[] }[];
  readonly timing: TimingRecord | null;
}

/** The .npz bytes of a state file (same states give the same bytes). */
export function encodeStateFile(file: StateFile): Buffer {
  const arrays: Record<string, NpyArray> = {};
  const header: Header = {
    format: STATE_FORMAT,
    metric: file.metric,
    version: file.version,
    set: file.set,
    optionsHash: file.optionsHash,
    chunks: file.chunks.map(({ chunk, state }) => {
      const names = Object.keys(state.arrays).sort();
      for (const name of names) arrays[`c${chunk}.${name}`] = npyArray(state.arrays[name], [state.arrays[name].length]);
      return { chunk, json: state.json, arrays: names };
    }),
    timing: file.timing,
  };
  const text = new Uint8Array(Buffer.from(JSON.stringify(header), 'utf8'));
  return encodeNpz({ header: npyArray(text, [text.length], '|u1'), ...arrays });
}

/** Reads a state file; `where` names it in messages. */
export function decodeStateFile(bytes: Uint8Array, where: string): StateFile {
  const members = decodeNpz(bytes, where);
  if (!members.header) throw new RangeError(`${where}: not a state file (no header member)`);
  const header = JSON.parse(Buffer.from(members.header.data as Uint8Array).toString('utf8')) as Header;
  if (header.format !== STATE_FORMAT)
    throw new RangeError(`${where}: state format ${header.format}; this harness reads format ${STATE_FORMAT}`);
  return {
    metric: header.metric,
    version: header.version,
    set: header.set,
    optionsHash: header.optionsHash,
    timing: header.timing,
    chunks: header.chunks.map((c) => {
      const arrays: Record<string, Float32Array | Float64Array> = {};
      for (const name of c.arrays) {
        const a = members[`c${c.chunk}.${name}`];
        if (!a || !(a.data instanceof Float32Array || a.data instanceof Float64Array))
          throw new RangeError(`${where}: chunk ${c.chunk} is missing float array '${name}'`);
        arrays[name] = a.data;
      }
      return { chunk: c.chunk, state: { json: c.json, arrays } };
    }),
  };
}

/** Path of a method's state file for one metric and sample set; refuses a slug or metric key that would leave `dir`. */
export function stateFilePath(dir: string, slug: string, metric: string, set: SampleSetKind): string {
  const name = safeName(`${metric.replace(/\//g, '_')}.${set}.npz`, `state file name of metric key '${metric}'`);
  return insideFolder(dir, ['state', safeName(slug, 'method slug'), name], `state file of method '${slug}'`);
}

/** Writes every metric's state files of one method (chunks ascending; the timed phase with the samples set). */
export function writeMethodStates(
  dir: string,
  slug: string,
  metrics: readonly MetricEntry[],
  states: Readonly<Record<string, MetricStates>>,
): void {
  for (const metric of metrics) {
    const s = states[metric.key];
    for (const set of ['samples', ...referenceSetsOf(metric)] as SampleSetKind[]) {
      const chunks = [...(s.sets[set] ?? [])]
        .sort((a, b) => a.chunk - b.chunk)
        .map(({ chunk, state }) => ({ chunk, state: metric.plugin.encode(state) }));
      const file = encodeStateFile({
        metric: metric.plugin.name,
        version: metric.plugin.version,
        set,
        optionsHash: metric.optionsHash,
        chunks,
        timing: set === 'samples' ? s.timing : null,
      });
      writeFileAtomic(stateFilePath(dir, slug, metric.key, set), file);
    }
  }
}
