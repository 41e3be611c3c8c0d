/**
 * Feature-network manifests: a small JSON or YAML file beside an ONNX network that says how to feed it (input
 * size, layout, value range and normalisation, resize method, frames for video) and which output holds the
 * features. The same manifest shape describes the built-in random networks; docs/feature-extractors.md shows
 * manifests for the FID Inception, DINOv2 and I3D.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseWith } from '../core/schema.ts';
import { RESIZE_METHODS } from './resize.ts';

const imageLayouts = ['NCHW', 'NHWC'] as const;
const videoLayouts = ['NCTHW', 'NTHWC', 'NTCHW'] as const;

/** The manifest schema (every field required or with an explicit default). */
export const manifestSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._:/-]*$/i, 'use letters, digits and . _ : / -'),
    version: z.string().min(1),
    kind: z.enum(['image', 'video']),
    /** The ONNX file, relative to the manifest's folder. */
    model: z.string().min(1),
    /** The ONNX file's sha256 (hex): when given, the file is checked against it on open, so a version is its bytes. */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits')
      .optional(),
    description: z.string().default(''),
    input: z
      .object({
        /** Input name; default: the network's first input. */
        name: z.string().optional(),
        layout: z.enum([...imageLayouts, ...videoLayouts]),
        height: z.number().int().positive(),
        width: z.number().int().positive(),
        /** Frames per clip (video networks); the first `frames` frames, every `frameStride`-th. */
        frames: z.number().int().positive().optional(),
        frameStride: z.number().int().positive().default(1),
        dtype: z.enum(['float32', 'uint8']).default('float32'),
        /** 0..255 maps linearly onto [lo, hi] (float32 inputs). */
        range: z.tuple([z.number(), z.number()]).default([0, 255]),
        /** Per-channel normalisation after `range`: (v - mean) / std. */
        mean: z.tuple([z.number(), z.number(), z.number()]).default([0, 0, 0]),
        std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).default([1, 1, 1]),
      })
      .strict(),
    resize: z.enum(RESIZE_METHODS as [string, ...string[]]),
    output: z
      .object({
        /** Output name; default: the network's first output. */
        name: z.string().optional(),
        dim: z.number().int().positive(),
        /** `mean`: average over every axis after the channel axis (N, C, ...) -> (N, C). */
        pool: z.enum(['none', 'mean']).default('none'),
      })
      .strict(),
    /** Clips per network call. */
    batch: z.number().int().positive().default(16),
  })
  .strict()
  .superRefine((m, ctx) => {
    const video = (videoLayouts as readonly string[]).includes(m.input.layout);
    if (m.kind === 'video' && !video)
      ctx.addIssue({ code: 'custom', path: ['input', 'layout'], message: `a video network needs one of ${videoLayouts.join(', ')}` });
    if (m.kind === 'image' && video)
      ctx.addIssue({ code: 'custom', path: ['input', 'layout'], message: `an image network needs one of ${imageLayouts.join(', ')}` });
    if (m.kind === 'video' && m.input.frames === undefined)
      ctx.addIssue({ code: 'custom', path: ['input', 'frames'], message: 'a video network needs the number of frames per clip' });
  });

/** A parsed manifest; `model` is resolved to an absolute path. */
export type FeatureManifest = z.output<typeof manifestSchema>;

/** Reads and validates a manifest file (.json, .yaml or .yml); errors name the file and the field. */
export function readManifest(file: string): FeatureManifest {
  let raw: unknown;
  const text = readFileSync(file, 'utf8');
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new RangeError(`feature manifest ${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  const manifest = parseWith(manifestSchema, raw, `feature manifest ${file}`);
  const model = path.resolve(path.dirname(file), manifest.model);
  // the network may live beside the manifest or elsewhere (extractors/ names ../models/), but it must be a file
  const stat = statSync(model, { throwIfNoEntry: false });
  if (stat && !stat.isFile()) throw new RangeError(`feature manifest ${file}: model ${model} is not a regular file; allowed: an ONNX file`);
  return { ...manifest, model };
}
