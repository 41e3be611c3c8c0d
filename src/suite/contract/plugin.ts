/**
 * The metric plug-in interface of the suite runner, staged as torch-fidelity and clean-fid stage theirs:
 * samples -> per-chunk state (features or records; pure, cached in the store and written to the results folder)
 * -> one number or a few, with units, direction and uncertainty. Chunk states are combined only at `finalize`,
 * always in chunk order, so a merged set of shards and a single run give the same bits.
 *
 * Adding a metric: implement `MetricPlugin` in its own module under `src/suite/metrics/` and register it in
 * `src/suite/metrics/index.ts`; a suite then names it under `metrics:`. Nothing else in the runner changes. This
 * file imports only other contracts (docs/architecture.md); docs/extending.md walks through an example.
 */
import type { Tensor } from '../../core/tensor.ts';
import type { MachineFingerprint, SuiteItem, SampleRecord, TimingPlan, TimingRecord } from './records.ts';
import type { DeviceInfo } from '../../models/contract/device.ts';

/** Which way is better. */
export type Direction = 'lower' | 'higher' | 'none';

/** How sure a value is. */
export type Uncertainty =
  /** A standard error from `n` observations (or groups), and how it was estimated. */
  | { readonly kind: 'stderr'; readonly stderr: number; readonly n: number; readonly method: string }
  /** A confidence interval from `n` observations, e.g. a seeded bootstrap. */
  | {
      readonly kind: 'interval';
      readonly low: number;
      readonly high: number;
      readonly level: number;
      readonly n: number;
      readonly method: string;
    }
  /** A quantity with no sampling error (a count, a planned cost). */
  | { readonly kind: 'exact'; readonly reason: string }
  /** No estimate could be made (one observation, a single chunk). */
  | { readonly kind: 'none'; readonly reason: string };

/**
 * Whether a measured value meets its validity rule (MLPerf LoadGen's `results.h` "Result is: VALID/INVALID"): a
 * minimum duration and count of the timed phase, enough observations for a percentile. An invalid value keeps its
 * number, and every summary and report shows it marked with `rule`, never as if it were fine.
 */
export interface Validity {
  readonly valid: boolean;
  /** The rule and how the value fares, e.g. 'p99 needs >= 299 observations, has 8'. */
  readonly rule: string;
}

/** One reported number. Units are in `unit`; keys say what it is (`latencyMs.p50`, `framesPerSecond`). */
export interface MetricValue {
  readonly key: string;
  readonly label: string;
  /** Null when it could not be computed here (e.g. timing in a shard other than 0); `note` says why. */
  readonly value: number | null;
  readonly unit: string;
  readonly direction: Direction;
  readonly uncertainty: Uncertainty;
  /** True for wall-clock measurements: they differ between runs and machines, so equality checks leave them out. */
  readonly measured: boolean;
  /** Shown in the run's short summary (a few per metric). */
  readonly headline?: boolean;
  readonly note?: string;
  /** For measurements with a validity rule: whether this one meets it. Absent: no rule applies. */
  readonly validity?: Validity;
}

/** The three sample sets a metric may read: the method's samples, the reference, a second reference draw. */
export type SampleSetKind = 'samples' | 'reference' | 'second';

/** One chunk of one sample set, rows in index order. */
export interface SampleChunk {
  readonly set: SampleSetKind;
  readonly chunk: number;
  readonly items: readonly SuiteItem[];
  /** [rows, C, T, H, W]. */
  readonly samples: Tensor;
  /** Generation records, for the method's own samples (null for reference sets). */
  readonly records: readonly SampleRecord[] | null;
}

/** What a metric knows about the method it measures. */
export interface MethodContext {
  readonly id: string;
  /** One sample's shape [C, T, H, W]. */
  readonly shape: readonly [number, number, number, number];
  /** Whether FLOPs describe the network that runs or a notional one. */
  readonly costSource: 'architecture' | 'notional' | 'unknown';
  /** Playback rate of the generated videos, frames per second (the suite's `playbackFps`). */
  readonly playbackFps: number;
  /** Videos in the full protocol, for extrapolated device-hours (the suite's `protocol.videos`, else its sample count). */
  readonly protocolVideos: number;
  /**
   * The suite's `conditions.kind`, so that `check` can refuse a suite whose samples a metric cannot judge (e.g. a
   * class-accuracy metric on unconditional samples) before anything is generated; absent where a run folder is
   * finalized again (merge, analysis), which never calls `check`.
   */
  readonly conditions?: 'unconditional' | 'class' | 'class-balanced' | 'prompts';
  readonly device: DeviceInfo;
  /**
   * The machines whose generations count as this result's own (a run: its machine; a merge: each shard's, in
   * shard order). Times that samples read from the store carry from any other machine are not this run's.
   */
  readonly machines: readonly MachineFingerprint[];
}

/** A state as arrays (binary, exact) and JSON (small data). */
export interface EncodedState {
  readonly json: unknown;
  readonly arrays: Readonly<Record<string, Float32Array | Float64Array>>;
}

/** What `finalize` gets. */
export interface FinalizeInput<O, S> {
  readonly options: O;
  readonly method: MethodContext;
  /** Chunk numbers present, ascending; `states` lists each set's chunk states in this order. */
  readonly chunks: readonly number[];
  readonly states: Readonly<Partial<Record<SampleSetKind, readonly S[]>>>;
  /** The timed phase's record, when the metric asked for one and this run measured it. */
  readonly timing: TimingRecord | null;
}

/** A metric the suite runner can compute. */
export interface MetricPlugin<O = unknown, S = unknown> {
  readonly name: string;
  /** Bump when the numbers it gives change; part of cache keys and results. */
  readonly version: number;
  readonly description: string;
  /** Sets read besides the method's own samples ('reference', 'second'); the runner refuses when the suite has no reference. */
  readonly referenceSets: readonly Exclude<SampleSetKind, 'samples'>[];
  /** When the sets depend on the options (e.g. a reference statistics file instead of reference samples): those sets. */
  setsFor?(options: O): readonly Exclude<SampleSetKind, 'samples'>[];
  /**
   * What else the chunk states depend on beyond the options (e.g. the bytes of the network an extractor name
   * stands for); part of the states' cache keys, so a retrained network is never read back from the store.
   */
  stateIdentity?(options: O): unknown;
  /** Fills defaults and validates; throws naming `where` and the bad field. */
  parseOptions(raw: unknown, where: string): O;
  /** Checks the options against a method before anything runs (e.g. a dimension limit); throws naming the method. */
  check?(options: O, method: MethodContext): void;
  /**
   * The state of one chunk: pure, depends only on the chunk's samples (and records), the options and the
   * method's sample shape and playback rate (all part of its cache key).
   */
  chunkState(chunk: SampleChunk, options: O, method: MethodContext): S | Promise<S>;
  encode(state: S): EncodedState;
  decode(encoded: EncodedState): S;
  /** A timed phase to run once per method (by shard 0), or null. */
  timing?(options: O): TimingPlan | null;
  /** The reported values from all chunk states, combined in chunk order (async when it must read a reference). */
  finalize(input: FinalizeInput<O, S>): MetricValue[] | Promise<MetricValue[]>;
}

/** The reference sets a metric reads with these options. */
export function referenceSetsOf(entry: {
  readonly plugin: MetricPlugin;
  readonly options: unknown;
}): readonly Exclude<SampleSetKind, 'samples'>[] {
  return entry.plugin.setsFor?.(entry.options) ?? entry.plugin.referenceSets;
}

/** A metric of the run with its parsed options. */
export interface MetricEntry {
  /** The name results use for this metric (the suite entry's id, else the metric's name). */
  readonly key: string;
  readonly plugin: MetricPlugin;
  readonly options: unknown;
  /** Hash of the options; part of the metric's cache keys. */
  readonly optionsHash: string;
}
