/**
 * The `pyramid-bench` command line.
 *   sample   generate samples with a sampler and write them as .npz
 *   default  the embedded default job (the analytic testbed comparison)
 *   list     samplers, backends and analytic presets
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { PhiloxNoise } from './core/philox.ts';
import { writeFileAtomic } from './io/atomic.ts';
import { encodeNpz, npyArray } from './io/npy.ts';
import { loadModelSet, backends } from './models/load.ts';
import { samplers } from './models/samplers.ts';
import { analyticPresets, analyticPreset } from './models/analytic/presets.ts';
import type { Condition, ModelSet } from './models/velocity-model.ts';
import type { CostSummary, SampleItem } from './models/sampling.ts';
import { comparisonTable, defaultMethods, runAnalyticComparison } from './bench/analytic-compare.ts';

class UsageError extends Error {}

const USAGE = `usage: pyramid-bench <command> [options]

commands:
  sample --model <ref> --sampler <pyramid|full|cascade> --n <N> --seed <S> --out <file.npz>
         [--class <k> | --unconditional] [--guidance <first>,<video>] [--steps <a,b,c>] [--settings <json>] [--json]
  default [--out <dir>] [--samples <N>]   run the embedded default job
  list                                     samplers, backends and analytic presets
`;

function integer(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} is '${value}'; allowed: an integer >= ${min}`);
  return n;
}

function conditionsFor(models: ModelSet, n: number, classOption: string | undefined, unconditional: boolean): Condition[] {
  const spec = (models.pyramid ?? models.full ?? models.cascade?.[0])!.spec.conditioning;
  if (unconditional || spec.kind === 'none') return Array.from({ length: n }, () => ({ kind: 'unconditional' }));
  if (spec.kind !== 'class') throw new UsageError(`model ${models.id} takes text conditions; the sample command supports class-conditional and unconditional models`);
  if (classOption !== undefined) {
    const label = integer(classOption, 'class', 0)!;
    if (label >= spec.classes) throw new UsageError(`--class is ${label}; allowed: 0 to ${spec.classes - 1}`);
    return Array.from({ length: n }, () => ({ kind: 'class', label }));
  }
  // class-balanced labels: sample i gets class i mod classes
  return Array.from({ length: n }, (_, i) => ({ kind: 'class', label: i % spec.classes }));
}

function formatCost(cost: CostSummary): string {
  const lines = [
    `calls ${cost.calls}, NFE per sample ${cost.nfe}, tokens per sample ${cost.tokensPerSample}, FLOPs per sample ${cost.flopsPerSample === null ? 'n/a' : cost.flopsPerSample.toExponential(3)}`,
    ...cost.stages.map(
      (s) =>
        `  stage ${s.stage}: calls ${s.calls}, NFE ${s.nfe}, tokens/sample ${s.tokensPerSample}, FLOPs/sample ${s.flopsPerSample === null ? 'n/a' : s.flopsPerSample.toExponential(3)}`,
    ),
  ];
  return lines.join('\n');
}

async function commandSample(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      sampler: { type: 'string', default: 'pyramid' },
      n: { type: 'string', default: '8' },
      seed: { type: 'string', default: '0' },
      out: { type: 'string' },
      class: { type: 'string' },
      unconditional: { type: 'boolean', default: false },
      guidance: { type: 'string' },
      steps: { type: 'string' },
      settings: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.model) throw new UsageError('--model is required, e.g. --model analytic:tiny-video');
  if (!values.out) throw new UsageError('--out is required: the .npz file to write');
  const n = integer(values.n, 'n', 1)!;
  const seed = integer(values.seed, 'seed', 0)!;
  const models = await loadModelSet(values.model);
  const sampler = samplers.get(values.sampler!);
  let raw: Record<string, unknown> = {};
  if (values.settings) {
    try {
      raw = JSON.parse(values.settings);
    } catch (error) {
      throw new UsageError(`--settings is not JSON: ${(error as Error).message}`);
    }
  }
  if (values.steps) {
    const steps = values.steps.split(',').map((s) => integer(s, 'steps', 1)!);
    if (sampler.name === 'full') raw = { ...raw, steps: steps.reduce((a, b) => a + b, 0) };
    else raw = { ...raw, stepsPerStage: steps, ...(sampler.name === 'pyramid' && raw.videoStepsPerStage === undefined ? { videoStepsPerStage: steps } : {}) };
  }
  let guidance = { firstFrame: 1, video: 1 };
  if (values.guidance) {
    const parts = values.guidance.split(',').map(Number);
    if (parts.length < 1 || parts.length > 2 || parts.some((g) => !Number.isFinite(g) || g < 0)) {
      throw new UsageError(`--guidance is '${values.guidance}'; allowed: <first-frame scale>[,<video scale>], e.g. 7,5`);
    }
    guidance = { firstFrame: parts[0], video: parts[1] ?? parts[0] };
  }
  const settings = sampler.parseSettings(raw, models);
  const conditions = conditionsFor(models, n, values.class, values.unconditional!);
  const items: SampleItem[] = conditions.map((condition, index) => ({ index, condition }));
  const started = performance.now();
  const result = await sampler.sample(models, { items, guidance, settings }, new PhiloxNoise(seed));
  const seconds = (performance.now() - started) / 1000;
  const labels = new BigInt64Array(conditions.map((c) => BigInt(c.kind === 'class' ? c.label : -1)));
  writeFileAtomic(
    values.out,
    encodeNpz({
      samples: npyArray(result.samples.data, result.samples.shape),
      labels: npyArray(labels, [n], '<i8'),
      indices: npyArray(new BigInt64Array(items.map((i) => BigInt(i.index))), [n], '<i8'),
    }),
  );
  const { records: _records, ...cost } = result.cost;
  if (values.json) {
    process.stdout.write(
      JSON.stringify({ model: values.model, sampler: sampler.name, settings, guidance, n, seed, out: values.out, shape: result.samples.shape, seconds, cost, resolved: result.resolved }) + '\n',
    );
    return;
  }
  process.stdout.write(
    `wrote ${values.out}: samples [${result.samples.shape.join(', ')}] float32, labels, indices\n` +
      `model ${models.id}, sampler ${sampler.name}, seed ${seed}, ${seconds.toFixed(2)} s\n` +
      (result.resolved ? `resolved settings: ${JSON.stringify(result.resolved)}\n` : '') +
      formatCost(result.cost) +
      '\n',
  );
}

async function commandDefault(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string', default: 'reports/default' }, samples: { type: 'string', default: '2000' }, steps: { type: 'string', default: '20' } },
    strict: true,
  });
  const samples = integer(values.samples, 'samples', 2)!;
  const steps = integer(values.steps, 'steps', 1)!;
  const preset = analyticPreset('tiny-video');
  const comparison = await runAnalyticComparison(preset, { samples, seed: 0, methods: defaultMethods(steps) }, (name) =>
    process.stderr.write(`[default] ${preset.name}: sampling with ${name}\n`),
  );
  const table = comparisonTable(comparison);
  writeFileAtomic(path.join(values.out!, 'analytic.json'), JSON.stringify(comparison, null, 2) + '\n');
  writeFileAtomic(path.join(values.out!, 'analytic.md'), table + '\n');
  process.stdout.write(table + '\n\nwrote ' + path.join(values.out!, 'analytic.json') + '\n');
}

function commandList(): void {
  const section = (title: string, rows: { name: string; description: string }[]) =>
    `${title}:\n${rows.map((r) => `  ${r.name.padEnd(16)} ${r.description}`).join('\n')}\n`;
  process.stdout.write(
    section('samplers', samplers.list()) + section('backends', backends.list()) + section('analytic presets (analytic:<name>)', analyticPresets.list()),
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'sample':
      return commandSample(rest);
    case 'default':
      return commandDefault(rest);
    case 'list':
      return commandList();
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`pyramid-bench: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.stderr.write(`pyramid-bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
