/**
 * The suite file: YAML parsed once through a zod schema into a typed `Suite`. Every field is required or has an
 * explicit default; unknown keys and bad values are refused with the field's path and what is allowed. The
 * format is documented in docs/suites.md.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseWith, SchemaError, strictObject } from '../core/schema.ts';
import { hashValue, sha256Hex } from '../core/hash.ts';
import { MAX_SAMPLES } from '../core/memory-limits.ts';
import { samplers } from '../samplers/index.ts';
import { suiteMetrics } from './metrics/index.ts';
import { referenceSources } from './references.ts';

/** The suite file format this parser reads (the `format` field). */
export const SUITE_FORMAT = 1;

const samplesLimit = `allowed: at most ${MAX_SAMPLES} samples per method (the planner's limit, docs/reliability.md "Resource limits")`;
const identifier = z.string().regex(/^[a-z][a-z0-9_]*$/, 'use a lowercase identifier: a letter, then letters, digits or _');
const placeholder = z.union([strictObject({ $sweep: identifier }), strictObject({ $arg: identifier })]);

const scaleMessage = 'use a number >= 0 (1 = one conditional call; a first-frame scale of 0 = guidance off, as Pyramid-Flow treats <= 0)';

/** Guidance scales; 1 means no guidance, and a first-frame scale of 0 turns guidance off as in Pyramid-Flow (docs/suites.md). */
export const guidanceSchema = strictObject({
  firstFrame: z.number().min(0, scaleMessage).describe('first-frame scale (Pyramid-Flow guidance_scale)'),
  video: z.number().min(0, scaleMessage).describe('later-frame scale (Pyramid-Flow video_guidance_scale)'),
});

const conditionsSchema = z.discriminatedUnion('kind', [
  strictObject({ kind: z.literal('unconditional') }),
  strictObject({ kind: z.literal('class-balanced') }),
  strictObject({ kind: z.literal('class'), label: z.number().int().min(0) }),
  strictObject({
    kind: z.literal('prompts'),
    file: z.string().min(1).describe('prompt list, one per line, relative to the suite file'),
    samplesPerPrompt: z.number().int().min(1).max(MAX_SAMPLES, samplesLimit),
  }),
]);

const methodSchema = () =>
  strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._()+,=-]{0,79}$/, 'use 1 to 80 letters, digits, spaces and . _ ( ) + , = -'),
    description: z.string().default(''),
    model: z.union([z.string().min(3), placeholder]),
    sampler: z.enum(samplers.names() as [string, ...string[]]),
    settings: z.record(z.string(), z.unknown()).default({}),
    guidance: z.unknown().optional(),
  });

const videosSchema = strictObject({
  format: z.enum(['mp4', 'gif', 'webm']),
  count: z.union([z.number().int().min(1), z.literal('all')]).default('all'),
  naming: z
    .string()
    .regex(/^[^/\\]*\{(index|repeat)\}[^/\\]*$/, 'use a file name (no folders) with {index} or {repeat}; also allowed: {prompt}, {class}')
    .default('{index}'),
});

const suiteSchema = () =>
  strictObject({
    format: z.literal(SUITE_FORMAT),
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lowercase letters, digits and . _ -'),
    version: z.number().int().min(1),
    description: z.string().default(''),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    samples: z.number().int().min(2).max(MAX_SAMPLES, samplesLimit).optional(),
    conditions: conditionsSchema.default({ kind: 'unconditional' }),
    frames: z.number().int().min(1).optional(),
    guidance: guidanceSchema.optional(),
    /**
     * Pyramid-Flow generate()'s defaults where a package sets none (docs/suites.md): guidance 7 / 5, the official
     * negative prompt and prompt suffix for text-conditional packages. Absent means true (kept absent so that
     * suites written before it keep their hash).
     */
    officialDefaults: z.boolean().optional(),
    batch: z.number().int().min(1).max(4096).default(16),
    chunk: z.number().int().min(1).max(1_000_000).default(128),
    playbackFps: z.number().positive().default(24),
    protocol: strictObject({ name: z.string().min(1), videos: z.number().int().min(1) }).optional(),
    reference: strictObject({
      source: z.enum(['auto', 'none', ...referenceSources.names()] as [string, ...string[]]).default('auto'),
      seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(1_000_003),
    }).default({ source: 'auto', seed: 1_000_003 }),
    args: z.record(identifier, strictObject({ description: z.string().min(1) })).default({}),
    sweeps: z
      .array(strictObject({ name: identifier, description: z.string().default(''), values: z.array(z.unknown()).min(1) }))
      .default([]),
    methods: z.array(methodSchema()).min(1),
    metrics: z
      .array(
        strictObject({
          name: z.enum(suiteMetrics.names() as [string, ...string[]]),
          /** A name for this use of the metric when a suite uses the same metric twice (e.g. FD with two extractors). */
          id: z
            .string()
            .regex(/^[a-z][a-z0-9_./-]*$/, 'use a lowercase name: a letter, then letters, digits and _ . / -')
            .optional(),
          options: z.unknown().optional(),
        }),
      )
      .default([{ name: 'cost' }]),
    outputs: strictObject({
      samples: z.enum(['none', 'npz']).default('none'),
      videos: videosSchema.optional(),
      costTable: z
        .boolean()
        .default(false)
        .describe("write the paper's planned-compute table (pyramid vs full resolution vs cascade at 768p) beside the results"),
    }).default({ samples: 'none', costTable: false }),
  });

type RawSuite = z.output<ReturnType<typeof suiteSchema>>;

/** One metric of a suite, with its options parsed by the metric. */
export interface SuiteMetricEntry {
  readonly name: string;
  /** What results call this use of the metric: its `id`, else its name. */
  readonly key: string;
  readonly options: unknown;
}

/** A method as written in the suite (placeholders not yet substituted). */
export type SuiteMethod = RawSuite['methods'][number];
/** The suite's `conditions`: unconditional, one class, class-balanced or prompts. */
export type ConditionsSpec = RawSuite['conditions'];
/** Guidance scales as a suite gives them (1 = no guidance). */
export type GuidanceSpec = z.output<typeof guidanceSchema>;

/** A parsed suite. */
export interface Suite extends Omit<RawSuite, 'metrics'> {
  readonly metrics: readonly SuiteMetricEntry[];
}

/** A suite loaded from a file: the parsed suite, where it came from, its prompts, and its content hash. */
export interface LoadedSuite {
  readonly suite: Suite;
  readonly file: string;
  /** SHA-256 of the parsed suite (canonical JSON) and of the prompt list; comments and layout do not change it. */
  readonly hash: string;
  /** SHA-256 of the file's bytes. */
  readonly fileHash: string;
  /** Prompts, for `conditions.kind: prompts` (empty otherwise). */
  readonly prompts: readonly string[];
  /** SHA-256 of the prompt file's bytes, or null. */
  readonly promptsHash: string | null;
}

/** Parses a suite object (from YAML); `where` names the source in messages. */
export function parseSuite(raw: unknown, where: string): Suite {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !('format' in raw)) {
    throw new SchemaError(
      `${where}: not a runner suite: it has no 'format' (runner suites start with format: ${SUITE_FORMAT}; docs/suites.md). The metric suites of docs/metrics.md have their own format and commands.`,
    );
  }
  const parsed = parseWith(suiteSchema(), raw, where);
  if (parsed.conditions.kind === 'prompts') {
    if (parsed.samples !== undefined) {
      throw new SchemaError(
        `${where}.samples: not allowed with conditions.kind 'prompts' (got ${parsed.samples}); the count is prompts x samplesPerPrompt`,
      );
    }
  } else if (parsed.samples === undefined) {
    throw new SchemaError(`${where}.samples: required (an integer >= 2) with conditions.kind '${parsed.conditions.kind}' (got missing)`);
  }
  const names = new Set<string>();
  parsed.methods.forEach((m, i) => {
    if (names.has(m.name))
      throw new SchemaError(`${where}.methods[${i}].name: '${m.name}' is used by an earlier method; method names must be unique`);
    names.add(m.name);
  });
  const metricNames = new Set<string>();
  const metrics = parsed.metrics.map((m, i) => {
    const key = m.id ?? m.name;
    if (metricNames.has(key))
      throw new SchemaError(`${where}.metrics[${i}]: '${key}' is listed twice; give each use of a metric its own id`);
    metricNames.add(key);
    return { name: m.name, key, options: suiteMetrics.get(m.name).parseOptions(m.options ?? {}, `${where}.metrics[${i}].options`) };
  });
  const sweepNames = new Set<string>();
  parsed.sweeps.forEach((s, i) => {
    if (sweepNames.has(s.name)) throw new SchemaError(`${where}.sweeps[${i}].name: '${s.name}' is declared twice`);
    sweepNames.add(s.name);
  });
  return { ...parsed, metrics };
}

/** Reads, parses and hashes a suite file (and its prompt list, if any). */
export function loadSuite(file: string): LoadedSuite {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SchemaError(`suite ${file} cannot be read: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new SchemaError(`suite ${file} is not valid YAML: ${(error as Error).message}`);
  }
  const suite = parseSuite(raw, file);
  let prompts: string[] = [];
  let promptsHash: string | null = null;
  if (suite.conditions.kind === 'prompts') {
    const promptFile = path.resolve(path.dirname(file), suite.conditions.file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(promptFile);
    } catch (error) {
      throw new SchemaError(`${file}.conditions.file: prompt list ${promptFile} cannot be read: ${(error as Error).message}`);
    }
    promptsHash = sha256Hex(bytes);
    prompts = bytes
      .toString('utf8')
      .split(/\r?\n/)
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    if (prompts.length === 0) throw new SchemaError(`${file}.conditions.file: prompt list ${promptFile} has no prompts`);
    const count = prompts.length * suite.conditions.samplesPerPrompt;
    if (count > MAX_SAMPLES)
      throw new SchemaError(
        `${file}.conditions.samplesPerPrompt: ${prompts.length} prompts x ${suite.conditions.samplesPerPrompt} = ${count} samples per method; allowed: at most ${MAX_SAMPLES}`,
      );
  }
  return { suite, file, hash: hashValue({ suite, promptsHash }), fileHash: sha256Hex(text), prompts, promptsHash };
}

/** Samples per method: `samples`, or prompts x samplesPerPrompt. */
export function samplesPerMethod(loaded: Pick<LoadedSuite, 'suite' | 'prompts'>): number {
  const { suite } = loaded;
  return suite.conditions.kind === 'prompts' ? loaded.prompts.length * suite.conditions.samplesPerPrompt : suite.samples!;
}
