/**
 * The ONNX backend benchmark: (1) harness overhead, the sampler's wall time over the bare sum of `session.run`
 * times on the same calls (target <= 1.05); (2) the pyramidal sampler's measured speed-up over the
 * full-resolution sampler on the same network, against the speed-up the FLOP model predicts (target >= 0.9 of it).
 * "Same network": the full-resolution sampler runs the pyramid package's own network at full resolution (the same
 * weights and per-token cost); the trained full-resolution package is measured beside it when given.
 * Untimed load and warm-up first, then alternating rounds (one run of each configuration per round); medians reported.
 */
import { PhiloxNoise } from '../../src/core/philox.ts';
import { loadOnnxPackage, type OnnxModelSet } from '../../src/models/onnx/package.ts';
import type { OnnxVelocityModel } from '../../src/models/onnx/velocity.ts';
import { samplers } from '../../src/samplers/index.ts';
import type { GuidanceSettings, SampleItem, SampleResult } from '../../src/samplers/contract/sampling.ts';
import type { ModelSet } from '../../src/models/contract/velocity-model.ts';
import { median } from '../../src/core/statistics.ts';
import { describeMachine, type MachineDescription } from '../../src/core/machine.ts';

export interface OnnxBenchOptions {
  readonly pyramidPackage: string;
  readonly fullPackage?: string;
  /** Samples per batch. */
  readonly samples: number;
  readonly repeats: number;
  readonly stepsPerStage: readonly number[];
  readonly guidance: GuidanceSettings;
  readonly threads: number;
  /** Calls below this many input values run single-threaded (0: never; absent: the package loader's default). */
  readonly smallCallValues?: number;
}

/** One timed configuration. */
export interface TimedRun {
  readonly sampler: string;
  readonly model: string;
  readonly frames: number;
  /** Median sampler wall time, seconds. */
  readonly samplerSeconds: number;
  /** Median summed session.run time, seconds. */
  readonly sessionRunSeconds: number;
  /** Median over rounds of sampler seconds / session.run seconds. */
  readonly overheadRatio: number;
  readonly nfe: number;
  readonly flopsPerSample: number;
  readonly perStageSeconds: readonly number[];
  readonly perStageFlops: readonly number[];
  readonly repeats: readonly { samplerSeconds: number; sessionRunSeconds: number }[];
}

export interface SpeedupResult {
  readonly frames: number;
  readonly pyramid: TimedRun;
  readonly full: TimedRun;
  /** full / pyramid sampler seconds. */
  readonly measuredSpeedup: number;
  /** full / pyramid FLOPs per sample. */
  readonly predictedSpeedup: number;
  /** measured / predicted (target >= 0.9). */
  readonly ratioToPrediction: number;
}

export interface OnnxBenchResult {
  readonly benchmark: 'onnx';
  readonly machine: MachineDescription;
  readonly provider: string;
  readonly options: OnnxBenchOptions;
  /** Worst overhead ratio over all timed runs (target <= 1.05). */
  readonly worstOverheadRatio: number;
  readonly sameNetwork: readonly SpeedupResult[];
  readonly trainedFull: readonly SpeedupResult[];
}

/** One configuration to time: a sampler on a model set, the networks whose session.run time is summed. */
interface Config {
  readonly models: ModelSet;
  readonly networks: readonly OnnxVelocityModel[];
  readonly sampler: string;
  readonly settings: unknown;
}

/** At least this much timed work per configuration: short configurations (one frame) get more repeats. */
const MIN_TIMED_SECONDS = 3;

/**
 * Times several configurations in alternating rounds (one run of each per round, after one untimed warm-up of
 * each), so that drift in the machine's speed falls on all of them alike; the speed-up is then a ratio of medians
 * taken in the same rounds.
 */
async function timeRuns(configs: readonly Config[], frames: number, options: OnnxBenchOptions): Promise<TimedRun[]> {
  const prepared = configs.map((c) => {
    const s = samplers.get(c.sampler);
    const parsed = s.parseSettings(c.settings, c.models);
    const classes = c.models.pyramid?.spec.conditioning ?? c.models.full!.spec.conditioning;
    const label = (i: number) => (classes.kind === 'class' ? i % classes.classes : 0);
    const items: SampleItem[] = Array.from({ length: options.samples }, (_, i) => ({
      index: i,
      condition: { kind: 'class', label: label(i) },
    }));
    const once = async (): Promise<{ seconds: number; run: number; result: SampleResult }> => {
      for (const n of c.networks) Object.assign(n.runStats, { calls: 0, milliseconds: 0, singleThreadCalls: 0 });
      const started = performance.now();
      const result = await s.sample(c.models, { items, frames, guidance: options.guidance, settings: parsed }, new PhiloxNoise(0));
      const seconds = (performance.now() - started) / 1000;
      return { seconds, run: c.networks.reduce((a, n) => a + n.runStats.milliseconds, 0) / 1000, result };
    };
    return {
      config: c,
      once,
      repeats: [] as { samplerSeconds: number; sessionRunSeconds: number }[],
      last: undefined as SampleResult | undefined,
    };
  });
  let warmSeconds = Infinity;
  for (const p of prepared) warmSeconds = Math.min(warmSeconds, (await p.once()).seconds); // first-call allocations, kernel selection
  const rounds = Math.max(options.repeats, Math.ceil(MIN_TIMED_SECONDS / warmSeconds));
  for (let r = 0; r < rounds; r++) {
    for (const p of prepared) {
      const { seconds, run, result } = await p.once();
      p.repeats.push({ samplerSeconds: seconds, sessionRunSeconds: run });
      p.last = result;
    }
  }
  return prepared.map(({ config, repeats, last }) => {
    const samplerSeconds = median(repeats.map((r) => r.samplerSeconds));
    const sessionRunSeconds = median(repeats.map((r) => r.sessionRunSeconds));
    const cost = last!.cost;
    return {
      sampler: config.sampler,
      model: config.networks.map((n) => n.id).join('+'),
      frames,
      samplerSeconds,
      sessionRunSeconds,
      overheadRatio: median(repeats.map((r) => r.samplerSeconds / r.sessionRunSeconds)),
      nfe: cost.nfe,
      flopsPerSample: cost.flopsPerSample ?? NaN,
      perStageSeconds: cost.stages.map((st) => st.modelSeconds),
      perStageFlops: cost.stages.map((st) => st.flopsPerSample ?? NaN),
      repeats,
    };
  });
}

function speedup(pyramid: TimedRun, full: TimedRun): SpeedupResult {
  const measured = full.samplerSeconds / pyramid.samplerSeconds;
  const predicted = full.flopsPerSample / pyramid.flopsPerSample;
  return {
    frames: pyramid.frames,
    pyramid,
    full,
    measuredSpeedup: measured,
    predictedSpeedup: predicted,
    ratioToPrediction: measured / predicted,
  };
}

/** Runs the benchmark; `log` gets one line per timed configuration. */
export async function runOnnxBenchmark(options: OnnxBenchOptions, log: (line: string) => void = () => undefined): Promise<OnnxBenchResult> {
  const machine = describeMachine();
  const pkg: OnnxModelSet = await loadOnnxPackage(options.pyramidPackage, {
    threads: options.threads,
    smallCallValues: options.smallCallValues,
  });
  const pyrNet = pkg.velocityModels[0];
  const sameNetwork: ModelSet = { id: `${pkg.id} at full resolution`, full: pyrNet, device: pkg.device, close: async () => {} };
  const totalSteps = options.stepsPerStage.reduce((a, b) => a + b, 0);
  const pyramidSettings = { stepsPerStage: options.stepsPerStage, videoStepsPerStage: options.stepsPerStage };
  const frameCounts = [1, pkg.manifest.sample.frames];
  const results: SpeedupResult[] = [];
  const trained: SpeedupResult[] = [];
  const runs: TimedRun[] = [];
  // the sets this benchmark loaded: closed when it ends, also on error
  let fullPkg: OnnxModelSet | undefined;
  try {
    fullPkg = options.fullPackage
      ? await loadOnnxPackage(options.fullPackage, { threads: options.threads, smallCallValues: options.smallCallValues })
      : undefined;
    for (const frames of frameCounts) {
      const configs: Config[] = [
        { models: pkg, networks: [pyrNet], sampler: 'pyramid', settings: pyramidSettings },
        { models: sameNetwork, networks: [pyrNet], sampler: 'full', settings: { steps: totalSteps, temporal: 'joint' } },
        ...(fullPkg
          ? [{ models: fullPkg, networks: fullPkg.velocityModels, sampler: 'full', settings: { steps: totalSteps, temporal: 'joint' } }]
          : []),
      ];
      const [pyramid, full, f] = await timeRuns(configs, frames, options);
      log(
        `pyramid  ${frames} frame(s): ${pyramid.samplerSeconds.toFixed(3)} s, session.run ${pyramid.sessionRunSeconds.toFixed(3)} s, overhead x${pyramid.overheadRatio.toFixed(4)} (${pyramid.repeats.length} rounds)`,
      );
      log(`full (same network) ${frames} frame(s): ${full.samplerSeconds.toFixed(3)} s, overhead x${full.overheadRatio.toFixed(4)}`);
      results.push(speedup(pyramid, full));
      runs.push(pyramid, full);
      if (f) {
        log(`full (trained package) ${frames} frame(s): ${f.samplerSeconds.toFixed(3)} s, overhead x${f.overheadRatio.toFixed(4)}`);
        trained.push(speedup(pyramid, f));
        runs.push(f);
      }
    }
    return {
      benchmark: 'onnx',
      machine,
      provider: pkg.provider,
      options,
      worstOverheadRatio: Math.max(...runs.map((r) => r.overheadRatio)),
      sameNetwork: results,
      trainedFull: trained,
    };
  } finally {
    await fullPkg?.close();
    await pkg.close();
  }
}
