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
  readonly stages: readonly { readonly stage: number; readonly nfe: number; readonly tokensPerSample: number; readonly flopsPerSample: number | null }[];
}

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
  readonly batchSize: number;
  /** Settings the sampler resolved at run time (matched step counts), if any. */
  readonly resolved: Readonly<Record<string, unknown>> | null;
}

/** How to time a method. */
export interface TimingPlan {
  /** Untimed generations before the timed ones. */
  readonly warmup: number;
  /** Timed generations. */
  readonly repeats: number;
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
}
