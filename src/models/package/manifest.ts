/**
 * The model package manifest (`manifest.json`, format "pyramid-bench/model-package", version 1): what kind of
 * model a folder holds, its sample shape, pyramid, temporal pyramid, conditioning, networks and their input names,
 * an optional decoder and condition encoder, and the cost per call. Parsed once through a zod schema; every file
 * it names is checked to exist and to match its sha256. Documented in docs/model-format.md.
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseWith, SchemaError } from '../../core/schema.ts';
import { sha256Hex } from '../../core/hash.ts';
import { insideFolder } from '../../io/safe-path.ts';
import { validatePyramidConfig } from '../contract/schedule.ts';

const positiveInt = z.number().int().min(1);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256 of 64 characters');
const fileName = z
  .string()
  .min(1)
  .refine((f) => !path.isAbsolute(f) && !f.split(/[\\/]/).includes('..'), 'a file inside the package folder (no absolute paths, no ..)');

const networkInputs = z
  .object({
    x: z.string(),
    timestep: z.string(),
    label: z.string().optional(),
    text: z.string().optional(),
    textMask: z.string().optional(),
    frame0: z.string().optional(),
    level: z.string().optional(),
    history: z.array(z.string()).optional(),
    historyLayout: z.string().optional(),
    lowRes: z.string().optional(),
  })
  .strict();

const pinnedFile = z.object({ file: fileName, sha256 }).strict();

/** What the PyTorch engine loads for one network: the weights files (pinned) and the factory's configuration. */
const torchComponent = z
  .object({
    weights: z.array(pinnedFile).default([]),
    config: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

const pythonName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'a Python module name (dotted identifiers, e.g. my_models.dit)');

const torchSection = z
  .object({
    /** The module that builds the networks: a .py file or package in the package folder, or on the harness's python/ folder. */
    module: pythonName,
    /** The factory in that module: called once per network (and for the decoder and condition encoder) with a spec. */
    factory: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a Python identifier'),
    /** Python sources the package ships (pinned, so the code that runs is part of the package's hash). */
    files: z.array(pinnedFile).default([]),
    decoder: torchComponent.extend({ fps: z.number().positive().optional() }).strict().optional(),
    /** Prompt -> text embedding [tokens, dim] (the component's `encode(prompt)`). */
    conditionEncoder: torchComponent.optional(),
  })
  .strict();

const network = z
  .object({
    role: z.enum(['pyramid', 'full', 'cascade-base', 'cascade-super-resolution']),
    /** The ONNX network (absent in a package that runs only on the PyTorch engine). */
    file: fileName.optional(),
    sha256: sha256.optional(),
    /** The PyTorch engine's weights and configuration for this network. */
    torch: torchComponent.optional(),
    /** Output resolution of this network (cascade stages have their own; pyramid and full: the full resolution). */
    height: positiveInt,
    width: positiveInt,
    inputs: networkInputs,
    output: z.string(),
    /** How the previous stage's output is brought to this stage's size (super-resolution stages). */
    lowResUpsample: z.enum(['nearest', 'bilinear']).optional(),
  })
  .strict();

const conditioning = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({
      kind: z.literal('class'),
      classes: positiveInt,
      /** The label fed for the unconditional input of guidance. */
      nullLabel: z.number().int().min(0),
      classNames: z.array(z.string()).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('text'),
      tokens: positiveInt,
      dim: positiveInt,
      /** The prompt whose embedding is the unconditional input (Pyramid-Flow uses a negative prompt). */
      negativePrompt: z.string().default(''),
      /** Precomputed embeddings: an .npz with `prompts` (uint8 UTF-8 JSON list) and `embeddings` float32 [P, tokens, dim]. */
      embeddings: fileName.optional(),
      embeddingsSha256: sha256.optional(),
    })
    .strict(),
]);

const auxiliary = z
  .object({
    file: fileName,
    sha256,
    input: z.string(),
    output: z.string(),
  })
  .strict();

const manifestSchema = z
  .object({
    format: z.literal('pyramid-bench/model-package'),
    version: z.literal(1),
    name: z.string().min(1),
    description: z.string().optional(),
    kind: z.enum(['pyramid', 'full', 'cascade']),
    sample: z
      .object({
        space: z.enum(['pixel', 'latent']),
        channels: positiveInt,
        frames: positiveInt,
        height: positiveInt,
        width: positiveInt,
        valueRange: z.tuple([z.number(), z.number()]).optional(),
        /** Playback rate of generated (decoded) frames, frames per second. */
        fps: z.number().positive().default(8),
      })
      .strict(),
    conditioning,
    pyramid: z
      .object({
        stages: positiveInt,
        stageRange: z.array(z.number()),
        gamma: z.number(),
        shift: z.number().default(1),
        trainTimesteps: positiveInt.default(1000),
      })
      .strict()
      .optional(),
    temporal: z.object({ mode: z.enum(['autoregressive', 'joint']), framesPerUnit: positiveInt.default(1) }).strict(),
    networks: z.array(network).min(1),
    /** Latent -> pixels, when samples are latents. */
    decoder: auxiliary.extend({ fps: z.number().positive().optional() }).strict().optional(),
    /** Token ids (UTF-8 bytes, 0-padded) -> text embedding [tokens, dim]. */
    conditionEncoder: auxiliary
      .extend({ tokenizer: z.literal('utf8-bytes'), maxLength: positiveInt })
      .strict()
      .optional(),
    patchSize: positiveInt,
    cost: z
      .object({
        parameters: z.number().int().min(0).optional(),
        hidden: positiveInt,
        depth: positiveInt,
        mlpRatio: z.number().positive(),
        conditionTokens: z.number().int().min(0),
        attention: z.enum(['block-causal', 'dense']).default('block-causal'),
        inputFlopsPerToken: z.number().min(0).default(0),
        outputFlopsPerToken: z.number().min(0).default(0),
      })
      .strict()
      .optional(),
    defaults: z
      .object({
        guidance: z
          .object({ firstFrame: z.number().min(0), video: z.number().min(0) })
          .strict()
          .optional(),
        stepsPerStage: z.array(positiveInt).optional(),
        videoStepsPerStage: z.array(positiveInt).optional(),
        steps: positiveInt.optional(),
      })
      .strict()
      .default({}),
    /** How the PyTorch engine builds the networks (docs/model-format.md, "PyTorch packages"). */
    torch: torchSection.optional(),
    /** Free-form training provenance (steps, data, seeds, losses). */
    training: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type PackageManifest = z.output<typeof manifestSchema>;
export type NetworkEntry = PackageManifest['networks'][number];

/** Thrown when a package is malformed: the message names the package, the field or file, and what is wrong. */
export class PackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageError';
  }
}

/** sha256 of a file's bytes, hex. */
export function fileSha256(file: string): string {
  return sha256Hex(readFileSync(file));
}

/**
 * Checks that a file the manifest names is a regular file inside the package folder (no link, no `..`, no
 * absolute path), before its bytes are read, so a package cannot make the harness hash (and print the hash of)
 * a file elsewhere; then checks its sha256.
 */
function checkFile(dir: string, file: string, expected: string | undefined, what: string): string {
  let full: string;
  try {
    full = insideFolder(dir, [file], `package ${dir}: ${what} file`);
  } catch (error) {
    throw new PackageError((error as Error).message);
  }
  const stat = lstatSync(full, { throwIfNoEntry: false });
  if (!stat) throw new PackageError(`package ${dir}: ${what} file ${file} is missing`);
  if (!stat.isFile())
    throw new PackageError(
      `package ${dir}: ${what} file ${file} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; allowed: a regular file inside the package folder`,
    );
  if (expected) {
    const found = fileSha256(full);
    if (found !== expected)
      throw new PackageError(`package ${dir}: ${what} file ${file} is corrupt or changed: sha256 ${found}, the manifest says ${expected}`);
  }
  return full;
}

function crossCheck(m: PackageManifest, dir: string): void {
  const roles = m.networks.map((n) => n.role);
  const want =
    m.kind === 'pyramid'
      ? ['pyramid']
      : m.kind === 'full'
        ? ['full']
        : ['cascade-base', ...Array(m.networks.length - 1).fill('cascade-super-resolution')];
  if (roles.length !== want.length || roles.some((r, i) => r !== want[i])) {
    throw new PackageError(
      `package ${dir}: a '${m.kind}' package needs networks with roles [${want.join(', ')}]${m.kind === 'cascade' ? ' (base first)' : ''}, found [${roles.join(', ')}]`,
    );
  }
  if (m.kind === 'pyramid') {
    if (!m.pyramid) throw new PackageError(`package ${dir}: manifest.pyramid is required for kind 'pyramid'`);
    try {
      validatePyramidConfig(m.pyramid, 'manifest.pyramid');
    } catch (error) {
      throw new PackageError(`package ${dir}: ${(error as Error).message}`);
    }
    const n = m.networks[0];
    const K = m.pyramid.stages;
    if (
      m.temporal.mode === 'autoregressive' &&
      (n.inputs.history?.length !== K || !n.inputs.historyLayout || !n.inputs.frame0 || !n.inputs.level)
    ) {
      throw new PackageError(
        `package ${dir}: an autoregressive pyramid network needs inputs.history (${K} names, one per level), historyLayout, frame0 and level`,
      );
    }
    if (!n.inputs.level)
      throw new PackageError(`package ${dir}: a pyramid network needs inputs.level (the stages run at different resolutions)`);
  }
  for (const n of m.networks) {
    if (!n.file && !n.torch)
      throw new PackageError(`package ${dir}: network '${n.role}' names neither an ONNX file (file, sha256) nor PyTorch weights (torch)`);
    if (n.file && !n.sha256) throw new PackageError(`package ${dir}: network ${n.file} has no sha256`);
    if (m.conditioning.kind === 'class' && !n.inputs.label)
      throw new PackageError(`package ${dir}: network ${n.file ?? n.role} needs inputs.label for class conditioning`);
    if (m.conditioning.kind === 'text' && !n.inputs.text)
      throw new PackageError(`package ${dir}: network ${n.file ?? n.role} needs inputs.text for text conditioning`);
    if (n.role === 'cascade-super-resolution' && !n.inputs.lowRes)
      throw new PackageError(`package ${dir}: super-resolution network ${n.file ?? n.role} needs inputs.lowRes`);
  }
  const withTorch = m.networks.filter((n) => n.torch).length;
  if (m.torch ? withTorch !== m.networks.length : withTorch > 0)
    throw new PackageError(
      m.torch
        ? `package ${dir}: manifest.torch names a factory, but network '${m.networks.find((n) => !n.torch)?.role}' has no torch section (weights, config)`
        : `package ${dir}: network '${m.networks.find((n) => n.torch)?.role}' has a torch section, but the manifest has no top-level torch (module, factory)`,
    );
  const last = m.networks[m.networks.length - 1];
  if (last.height !== m.sample.height || last.width !== m.sample.width) {
    throw new PackageError(
      `package ${dir}: the last network (${last.file ?? last.role}) outputs ${last.height}x${last.width}, the sample is ${m.sample.height}x${m.sample.width}`,
    );
  }
  m.networks.slice(1).forEach((n, i) => {
    const prev = m.networks[i];
    if (n.height !== 2 * prev.height || n.width !== 2 * prev.width)
      throw new PackageError(
        `package ${dir}: cascade stage ${i + 1} (${n.file ?? n.role}) is ${n.height}x${n.width}; it must be twice stage ${i}'s ${prev.height}x${prev.width}`,
      );
  });
}

/** Reads and validates `<dir>/manifest.json` and checks every file it names. */
export function readManifest(dir: string): PackageManifest {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) throw new PackageError(`${dir} is not a model package: manifest.json is missing`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PackageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  let m: PackageManifest;
  try {
    m = parseWith(manifestSchema, raw, 'manifest');
  } catch (error) {
    if (error instanceof SchemaError) throw new PackageError(`package ${dir}: bad manifest field\n${error.message}`);
    throw error;
  }
  crossCheck(m, dir);
  for (const n of m.networks) {
    if (n.file) checkFile(dir, n.file, n.sha256, `network (${n.role})`);
    // weights that are the network file itself, with the same sha256, were checked just above
    for (const w of n.torch?.weights ?? [])
      checkFile(dir, w.file, w.file === n.file && w.sha256 === n.sha256 ? undefined : w.sha256, `PyTorch weights (${n.role})`);
  }
  for (const f of m.torch?.files ?? []) checkFile(dir, f.file, f.sha256, 'PyTorch module');
  for (const [what, c] of [
    ['decoder', m.torch?.decoder],
    ['condition encoder', m.torch?.conditionEncoder],
  ] as const)
    for (const w of c?.weights ?? []) checkFile(dir, w.file, w.sha256, `PyTorch weights (${what})`);
  if (m.decoder) checkFile(dir, m.decoder.file, m.decoder.sha256, 'decoder');
  if (m.conditionEncoder) checkFile(dir, m.conditionEncoder.file, m.conditionEncoder.sha256, 'condition encoder');
  if (m.conditioning.kind === 'text' && m.conditioning.embeddings)
    checkFile(dir, m.conditioning.embeddings, m.conditioning.embeddingsSha256, 'text embeddings');
  return m;
}
