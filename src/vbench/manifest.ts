/**
 * The ONNX manifest: a small JSON file naming the VBench networks the user has exported, so the harness can
 * run them instead of its substitutes. Every entry is optional; paths are relative to the manifest's folder.
 *
 * ```json
 * { "version": 1,
 *   "raft":     { "file": "raft-things.onnx", "inputs": ["image1", "image2"], "output": "flow_up" },
 *   "amt":      { "file": "amt-s.onnx", "inputs": ["img0", "img1", "embt"], "output": "imgt_pred" },
 *   "dino":     { "file": "dino_vitb16.onnx" },
 *   "clip_b32": { "file": "clip_vitb32_visual.onnx" },
 *   "clip_l14": { "file": "clip_vitl14_visual.onnx" },
 *   "laion_aesthetic": { "file": "sa_0_4_vit_l_14_linear.onnx" },
 *   "musiq":    { "file": "musiq_spaq.onnx" } }
 * ```
 * What each network must take and return is in docs/vbench.md ("ONNX manifest").
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseWith } from '../core/schema.ts';
import { insideFolder } from '../io/safe-path.ts';

const file = z.string().min(1);
const oneIo = z.strictObject({
  file,
  input: z.string().optional(),
  output: z.string().optional(),
  batch: z.number().int().min(1).optional(),
});

const manifestSchema = z.strictObject({
  version: z.literal(1),
  raft: z
    .strictObject({
      file,
      inputs: z.tuple([z.string(), z.string()]).optional(),
      output: z.string().optional(),
      scale: z.number().positive().optional(),
    })
    .optional(),
  amt: z.strictObject({ file, inputs: z.tuple([z.string(), z.string(), z.string()]).optional(), output: z.string().optional() }).optional(),
  dino: oneIo.optional(),
  clip_b32: oneIo.optional(),
  clip_l14: oneIo.optional(),
  laion_aesthetic: oneIo.optional(),
  musiq: oneIo.optional(),
});

/** A parsed manifest; every `file` is an absolute path of a regular file in the manifest's folder when it was read. */
export type OnnxManifest = z.output<typeof manifestSchema>;

/** The networks a manifest may name. */
export const MANIFEST_NETWORKS = ['raft', 'amt', 'dino', 'clip_b32', 'clip_l14', 'laion_aesthetic', 'musiq'] as const;

/** Parses manifest JSON (already decoded) whose folder is `baseDir`; `where` names it in errors. */
export function parseManifest(raw: unknown, baseDir: string, where: string): OnnxManifest {
  const m = parseWith(manifestSchema, raw, where);
  for (const key of MANIFEST_NETWORKS) {
    const entry = m[key];
    if (!entry) continue;
    // a network is a regular file in the manifest's folder: no absolute path, no '..', no link
    const resolved = path.resolve(insideFolder(baseDir, [entry.file], `${where}.${key}.file`));
    const stat = lstatSync(resolved, { throwIfNoEntry: false });
    if (!stat) throw new RangeError(`${where}.${key}.file: ${resolved} does not exist`);
    if (!stat.isFile())
      throw new RangeError(
        `${where}.${key}.file: ${resolved} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; allowed: a regular file in the manifest's folder`,
      );
    (entry as { file: string }).file = resolved;
  }
  if (m.laion_aesthetic && !m.clip_l14)
    throw new RangeError(`${where}: laion_aesthetic needs clip_l14 (the head scores CLIP ViT-L/14 features)`);
  return m;
}

/** Reads and parses a manifest file. */
export function readManifest(file: string): OnnxManifest {
  if (!existsSync(file)) throw new RangeError(`ONNX manifest ${file} does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RangeError(`ONNX manifest ${file} is not JSON: ${(error as Error).message}`);
  }
  return parseManifest(raw, path.dirname(path.resolve(file)), file);
}
