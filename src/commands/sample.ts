/** `pyramid-bench sample`: generate samples with a sampler and write them as .npz, printing the cost summary. */
import { parseArgs } from 'node:util';
import { assertFiniteSamples } from '../core/finite.ts';
import { PhiloxNoise } from '../core/philox.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { encodeNpz, npyArray, type NpyArray } from '../io/npy.ts';
import { loadModelSet } from '../models/load.ts';
import { samplers } from '../samplers/index.ts';
import { modelSetSpec, type Condition, type ModelSet } from '../models/contract/velocity-model.ts';
import {
  defaultGuidance,
  resolveGuidance,
  type CostSummary,
  type GuidanceSettings,
  type GuidanceSource,
  type SampleItem,
  type Sampler,
} from '../samplers/contract/sampling.ts';
import { applyTextDefaults, type TextDefaults } from '../models/package/model-set.ts';
import { checkAllocation, float32Bytes, MAX_SAMPLES } from '../core/memory-limits.ts';
import { integerOption, jsonOption, UsageError, type Command } from './command.ts';
import { gridFrames } from '../data/grid.ts';
import { writeVideo } from '../data/video.ts';

async function conditionsFor(
  models: ModelSet,
  n: number,
  classOption: string | undefined,
  unconditional: boolean,
  prompts: string[],
): Promise<Condition[]> {
  const spec = (models.pyramid ?? models.full ?? models.cascade?.[0])!.spec.conditioning;
  if (unconditional || spec.kind === 'none') return Array.from({ length: n }, () => ({ kind: 'unconditional' }));
  if (spec.kind === 'text') {
    if (prompts.length === 0)
      throw new UsageError(`model ${models.id} is text-conditional; give --prompt <text> (repeatable; sample i uses prompt i mod count)`);
    if (!models.conditioner) throw new UsageError(`model ${models.id} is text-conditional but has no condition encoder or embedding table`);
    const encoded = await Promise.all(prompts.map((p) => models.conditioner!.encode(p)));
    return Array.from({ length: n }, (_, i) => encoded[i % encoded.length]);
  }
  if (prompts.length) throw new UsageError(`--prompt given, but model ${models.id} takes class labels; use --class`);
  if (classOption !== undefined) {
    const label = integerOption(classOption, 'class', 0)!;
    if (label >= spec.classes) throw new UsageError(`--class is ${label}; allowed: 0 to ${spec.classes - 1}`);
    return Array.from({ length: n }, () => ({ kind: 'class', label }));
  }
  // class-balanced labels: sample i gets class i mod classes
  return Array.from({ length: n }, (_, i) => ({ kind: 'class', label: i % spec.classes }));
}

/** The cost summary as readable lines. */
export function formatCost(cost: CostSummary): string {
  const flops = (f: number | null) => (f === null ? 'n/a' : f.toExponential(3));
  return [
    `calls ${cost.calls}, NFE per sample ${cost.nfe}, tokens per sample ${cost.tokensPerSample}, FLOPs per sample ${flops(cost.flopsPerSample)}`,
    ...cost.stages.map(
      (s) =>
        `  stage ${s.stage}: calls ${s.calls}, NFE ${s.nfe}, tokens/sample ${s.tokensPerSample}, FLOPs/sample ${flops(s.flopsPerSample)}`,
    ),
  ].join('\n');
}

/** Parses "--guidance 7,5" (first-frame scale, video scale; one value sets both) as given, before `resolveGuidance`. */
export function givenGuidanceOption(value: string): GuidanceSettings {
  const parts = value.split(',').map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if (parts.length < 1 || parts.length > 2 || parts.some((g) => !Number.isFinite(g) || g < 0)) {
    throw new UsageError(
      `--guidance is '${value}'; allowed: <first-frame scale>[,<video scale>], each >= 0, e.g. 7,5 (1 = one conditional call; 0 = guidance off, as Pyramid-Flow treats <= 0)`,
    );
  }
  return { firstFrame: parts[0], video: parts[1] ?? parts[0] };
}

/**
 * Parses "--guidance 7,5" into the scales the samplers run with (`resolveGuidance`: a first-frame scale of 0,
 * Pyramid-Flow's "guidance off", becomes 1); absent: none (1, 1).
 */
export function guidanceOption(value: string | undefined): GuidanceSettings {
  if (value === undefined) return { firstFrame: 1, video: 1 };
  try {
    return resolveGuidance(givenGuidanceOption(value), '--guidance');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

export const sampleCommand: Command = {
  async run(argv) {
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
        prompt: { type: 'string', multiple: true, default: [] },
        guidance: { type: 'string' },
        'no-official-defaults': { type: 'boolean', default: false },
        steps: { type: 'string' },
        settings: { type: 'string' },
        json: { type: 'boolean', default: false },
        video: { type: 'string' },
        fps: { type: 'string' },
      },
      strict: true,
    });
    if (!values.model) throw new UsageError('--model is required, e.g. --model analytic:tiny-video');
    if (!values.out) throw new UsageError('--out is required: the .npz file to write');
    const n = integerOption(values.n, 'n', 1)!;
    if (n > MAX_SAMPLES) throw new UsageError(`--n is ${values.n}; allowed: an integer from 1 to ${MAX_SAMPLES}`);
    const seed = integerOption(values.seed, 'seed', 0)!;
    const sampler = samplers.get(values.sampler!);
    let raw = (jsonOption(values.settings, 'settings') ?? {}) as Record<string, unknown>;
    if (values.steps)
      raw = sampler.settingsFromSteps(
        values.steps.split(',').map((s) => integerOption(s, 'steps', 1)!),
        raw,
      );
    const loaded = await loadModelSet(values.model);
    try {
      const official = !values['no-official-defaults'];
      const { models, text } = await applyTextDefaults(loaded, official);
      await sampleWith(models, sampler, raw, { ...values, model: values.model, out: values.out, official, text }, n, seed);
    } finally {
      await loaded.close();
    }
  },
};

/** The options `sampleWith` reads, as `parseArgs` gives them. */
interface SampleValues {
  readonly model: string;
  readonly out: string;
  readonly class?: string;
  readonly unconditional?: boolean;
  readonly prompt?: string[];
  readonly guidance?: string;
  readonly json?: boolean;
  readonly video?: string;
  readonly fps?: string;
  /** Whether Pyramid-Flow's defaults apply where the package sets none (`--no-official-defaults` turns them off). */
  readonly official: boolean;
  readonly text: TextDefaults | null;
}

/** What `sample` prints and writes about the official defaults: guidance as given and as run, and the text defaults. */
interface OfficialRecord {
  readonly enabled: boolean;
  readonly guidanceSource: GuidanceSource;
  readonly guidanceGiven: GuidanceSettings;
  readonly negativePrompt: TextDefaults['negativePrompt'] | null;
  readonly promptSuffix: string | null;
  readonly reference: string | null;
}

/** Generates with a loaded set and writes the files; the caller owns `models` and closes it. */
async function sampleWith(
  models: ModelSet,
  sampler: Sampler<unknown>,
  raw: Record<string, unknown>,
  values: SampleValues,
  n: number,
  seed: number,
): Promise<void> {
  // the n samples are generated and held in memory at once: refuse before allocating what cannot be held
  const spec = modelSetSpec(models);
  checkAllocation(
    float32Bytes(n, [spec.channels, spec.frames, spec.height, spec.width]),
    `--n ${n}`,
    `${n} samples of ${models.id} ([${spec.channels}, ${spec.frames}, ${spec.height}, ${spec.width}] float32) held in memory`,
    (m) => new UsageError(m),
  );
  const given =
    values.guidance === undefined
      ? defaultGuidance(models, values.official)
      : { guidance: givenGuidanceOption(values.guidance), source: 'given' as const };
  let guidance: GuidanceSettings;
  try {
    guidance = resolveGuidance(given.guidance, given.source === 'given' ? '--guidance' : `${models.id}'s default guidance`);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const official: OfficialRecord = {
    enabled: values.official,
    guidanceSource: given.source,
    guidanceGiven: given.guidance,
    negativePrompt: values.text?.negativePrompt ?? null,
    promptSuffix: values.text?.promptSuffix ?? null,
    reference: values.text?.reference ?? null,
  };
  const settings = sampler.parseSettings(raw, models);
  const conditions = await conditionsFor(models, n, values.class, values.unconditional ?? false, values.prompt ?? []);
  const items: SampleItem[] = conditions.map((condition, index) => ({ index, condition }));
  const started = performance.now();
  const result = await sampler.sample(models, { items, guidance, settings }, new PhiloxNoise(seed));
  const seconds = (performance.now() - started) / 1000;
  const labels = new BigInt64Array(conditions.map((c) => BigInt(c.kind === 'class' ? c.label : -1)));
  // latent models: decode to pixels, keep the latents beside them
  const pixels = models.decoder ? await models.decoder.decode(result.samples) : result.samples;
  assertFiniteSamples(pixels.data, pixels.data.length / Math.max(n, 1), `sampler ${sampler.name} on model ${models.id}`);
  const arrays: Record<string, NpyArray> = {
    samples: npyArray(pixels.data, pixels.shape),
    labels: npyArray(labels, [n], '<i8'),
    indices: npyArray(new BigInt64Array(items.map((i) => BigInt(i.index))), [n], '<i8'),
  };
  if (models.decoder) arrays.latents = npyArray(result.samples.data, result.samples.shape);
  if (conditions.some((c) => c.kind === 'text')) {
    const text = new TextEncoder().encode(JSON.stringify(conditions.map((c) => (c.kind === 'text' ? c.prompt : ''))));
    arrays.prompts = npyArray(text, [text.length]);
  }
  writeFileAtomic(values.out, encodeNpz(arrays));
  if (values.video) {
    // the samples tiled into one clip, to look at
    const grid = gridFrames(pixels);
    const fps = values.fps ? Number(values.fps) : (models.decoder?.fps ?? models.fps ?? 8);
    await writeVideo(values.video, grid.frames, grid.width, grid.height, fps);
  }
  const { records: _records, ...cost } = result.cost;
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ model: values.model, sampler: sampler.name, settings, guidance, n, seed, out: values.out, shape: pixels.shape, seconds, cost, resolved: result.resolved, officialDefaults: official })}\n`,
    );
    return;
  }
  process.stdout.write(
    `wrote ${values.out}: samples [${pixels.shape.join(', ')}] float32, labels, indices${models.decoder ? `, latents [${result.samples.shape.join(', ')}]` : ''}\n` +
      `model ${models.id}, sampler ${sampler.name}, seed ${seed}, ${seconds.toFixed(2)} s\n` +
      (result.resolved ? `resolved settings: ${JSON.stringify(result.resolved)}\n` : '') +
      `device: ${models.device.name} (${models.device.kind}, ${models.device.runtime})\n` +
      formatOfficial(guidance, official) +
      (values.video ? `wrote ${values.video}: the samples side by side\n` : '') +
      formatCost(result.cost) +
      '\n',
  );
}

/** The guidance and text defaults a `sample` run used, as lines. */
function formatOfficial(guidance: GuidanceSettings, o: OfficialRecord): string {
  const given =
    o.guidanceGiven.firstFrame === guidance.firstFrame && o.guidanceGiven.video === guidance.video
      ? ''
      : ` (given ${o.guidanceGiven.firstFrame} / ${o.guidanceGiven.video}: a first-frame scale of 0 turns guidance off, as in Pyramid-Flow)`;
  const source = { given: '--guidance', package: "the package's default", official: "Pyramid-Flow's README default", none: 'none' }[
    o.guidanceSource
  ];
  const lines = [`guidance: first frame ${guidance.firstFrame}, video ${guidance.video} from ${source}${given}`];
  if (o.negativePrompt)
    lines.push(
      `text: negative prompt '${o.negativePrompt.text}' (${o.negativePrompt.source}), prompt suffix '${o.promptSuffix}'` +
        `${o.enabled ? ' (official defaults on; --no-official-defaults turns them off)' : ' (official defaults off)'}`,
    );
  return `${lines.join('\n')}\n`;
}
