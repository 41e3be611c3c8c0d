/**
 * The records a run keeps per sample and per timed phase, as the runner writes them and metric plug-ins,
 * merges and reports read them: the suite's items, each generated sample's record (its cost and measured
 * seconds, with the machine and batch that measured them), and the timed phase's record.
 */
import type { SampleItem } from '../../samplers/contract/sampling.ts';

/** One sample of the suite: index, condition, and the text that identifies the condition in keys and files. */
export interface SuiteItem extends SampleItem {
  /** 'unconditional', 'class:<k>' or 'text:<prompt>#<embedding hash>'. */
  readonly conditionKey: string;
  /** Class label, for class conditions. */
  readonly label: number | null;
  /** Prompt and repeat number (0 .. samplesPerPrompt - 1), for prompt conditions. */
  readonly prompt: string | null;
  readonly repeat: number | null;
}

/** Cost of one sample, from the sampler's cost summary. */
export interface SampleCost {
  /** Network evaluations (a guided call counts 2). */
  readonly nfe: number;
  readonly tokensPerSample: number;
  /** FLOPs, or null when the model cannot say. */
  readonly flopsPerSample: number | null;
  readonly stages: readonly {
    readonly stage: number;
    readonly nfe: number;
    readonly tokensPerSample: number;
    readonly flopsPerSample: number | null;
  }[];
}

/**
 * The machine a time was measured on, as a short fingerprint: `id` is the first 16 hex digits of the SHA-256 of
 * the canonical JSON of its CPU model, core count, GPUs and run device (kind and name), so two machines of the same
 * make share it and their times are comparable; `name` is the run device's name, `hoursUnit` what its hours count.
 */
export interface MachineFingerprint {
  readonly id: string;
  readonly name: string;
  readonly hoursUnit: 'CPU-hours' | 'GPU-hours';
}

/** The fingerprint of a record written before records named their machine. */
export const UNKNOWN_MACHINE: MachineFingerprint = {
  id: 'unknown',
  name: 'unknown machine (a record without one)',
  hoursUnit: 'CPU-hours',
};

/** What the store keeps beside a sample. */
export interface SampleRecord {
  readonly key: string;
  readonly index: number;
  readonly condition: string;
  readonly seed: number;
  readonly shape: readonly [number, number, number, number];
  readonly cost: SampleCost;
  /** Measured: this sample's share of its batch's wall time (sampler, then decoder if any), seconds. */
  readonly generationSeconds: number;
  /** Measured: this sample's share of its batch's decoder time (0 without a decoder), seconds. */
  readonly decodeSeconds: number;
  /** Measured: this sample's share of each stage's model time (same order as cost.stages), seconds. */
  readonly stageSeconds: readonly number[];
  /** Samples in the batch that measured it, at the suite's batch size (smaller for a chunk's last batch). */
  readonly batchSize: number;
  /**
   * The machine that generated it and measured its seconds; absent in records of harness versions before it was
   * kept (read as `UNKNOWN_MACHINE`). Not part of the sample's key: the values do not depend on it.
   */
  readonly machine?: MachineFingerprint;
  /** Settings the sampler resolved at run time (matched step counts), if any. */
  readonly resolved: Readonly<Record<string, unknown>> | null;
}

/**
 * How to time a method, with validity rules after MLPerf LoadGen's `min_query_count` and `min_duration`
 * (loadgen/test_settings.h): the timed phase runs until it has at least `repeats` generations and at least
 * `minDurationSeconds` of timed wall time, stopping at `maxRepeats`; a phase stopped by the cap short of its
 * minimum duration is invalid.
 */
export interface TimingPlan {
  /** Untimed generations before the timed ones. */
  readonly warmup: number;
  /** Timed generations, at least. */
  readonly repeats: number;
  /** Timed wall time (sum of the timed generations), seconds, at least (0: no minimum duration). */
  readonly minDurationSeconds: number;
  /** Timed generations at most, when the minimum duration is not yet met (>= `repeats`). */
  readonly maxRepeats: number;
  /** Videos per timed generation (1: the latency of one video). */
  readonly batch: number;
}

/** One timed generation. */
export interface TimedRepeat {
  /** Wall time of the sampler and the decoder (if the set has one), seconds. */
  readonly wallSeconds: number;
  /** Decoder time, seconds (0 without a decoder). */
  readonly decodeSeconds: number;
  /** Model time per stage (summed call durations), seconds, by stage number. */
  readonly stageSeconds: Readonly<Record<string, number>>;
  /** Network evaluations per video. */
  readonly nfe: number;
}

/** What the timed phase measured. */
export interface TimingRecord {
  readonly plan: TimingPlan;
  /** Frames per video. */
  readonly frames: number;
  readonly warmupSeconds: readonly number[];
  readonly repeats: readonly TimedRepeat[];
  /** Resident set size before the first timed generation, and its largest value sampled during the timed ones, bytes. */
  readonly baselineRssBytes: number;
  readonly peakRssBytes: number;
  /** The process's peak resident set size so far (getrusage ru_maxrss), bytes. */
  readonly processMaxRssBytes: number;
  /** Peak GPU memory allocated during the timed phase (a GPU backend's report), bytes; null or absent on a CPU. */
  readonly devicePeakBytes?: number | null;
  /** Peak resident set size of the model set's worker process by the end of the timed phase, bytes; null or absent without one. */
  readonly workerMaxRssBytes?: number | null;
}
