/**
 * The feature extractors that can be named: built-ins (raw pixels, seeded random 2D/3D conv nets) by name, and
 * any ONNX network through a manifest file. `openExtractor` is the one entry point.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { sha256Hex } from '../core/hash.ts';
import path from 'node:path';
import { HARNESS_ROOT } from '../core/harness-root.ts';
import { Registry } from '../core/registry.ts';
import type { FeatureExtractor } from './extractor.ts';
import { readManifest } from './manifest.ts';
import { openOnnxExtractor } from './onnx-extractor.ts';
import { pixelExtractor } from './pixels.ts';
import { randomNetworkManifest } from './random-conv.ts';

/** A registered extractor: how to open it. */
export interface ExtractorEntry {
  open(): Promise<FeatureExtractor>;
}

/** Built-in extractors by name. */
export const extractors = new Registry<ExtractorEntry>('feature extractor');
extractors.register(
  'pixels-v1',
  { open: async () => pixelExtractor() },
  'raw RGB pixels in [-1, 1] (tiny images and clips, d = 3THW <= 12288)',
);
extractors.register(
  'random-conv2d-v1',
  { open: () => openOnnxExtractor(randomNetworkManifest('random-conv2d-v1')) },
  'seeded random-weight 2D conv net, 64x64 clean-bicubic input, 256 features',
);
extractors.register(
  'random-conv3d-v1',
  { open: () => openOnnxExtractor(randomNetworkManifest('random-conv3d-v1')) },
  'seeded random-weight 3D conv net, 16 frames at 64x64, 256 features',
);
extractors.register(
  'random-conv3d-8f-v1',
  { open: () => openOnnxExtractor(randomNetworkManifest('random-conv3d-8f-v1')) },
  'the same 3D conv net for short clips: the first 8 frames at 64x64, 256 features',
);

// The moving-shapes domain networks (training/features.py), committed in extractors/ with manifests that pin them
// by sha256: the default suite's FD and FVD feature spaces.
const MANIFEST_EXTRACTORS = new Set(['shapes-frame-v1', 'shapes-clip-v1']);
for (const [name, description] of [
  [
    'shapes-frame-v1',
    'moving-shapes frame net trained on the data set (class, background, position, size): 64 features of one 32x32 frame',
  ],
  [
    'shapes-clip-v1',
    'moving-shapes clip net trained on the data set (class, motion kind, track, velocity): 64 features of 9 frames at 32x32',
  ],
] as const) {
  extractors.register(
    name,
    { open: async () => openOnnxExtractor(readManifest(path.join(HARNESS_ROOT, 'extractors', `${name}.yaml`))) },
    description,
  );
}

/**
 * What identifies an extractor's features for caching: its name, version and, for an ONNX network, the sha256 its
 * manifest pins (else the file's own). Features cached under one identity are never read back for another, so a
 * retrained network under the same name computes its features anew.
 */
export function extractorIdentity(reference: string): { name: string; version: string; sha256: string | null } {
  const manifestFile = extractors.has(reference)
    ? MANIFEST_EXTRACTORS.has(reference)
      ? path.join(HARNESS_ROOT, 'extractors', `${reference}.yaml`)
      : null
    : /\.(json|ya?ml)$/i.test(reference) && existsSync(reference)
      ? reference
      : null;
  if (manifestFile === null) {
    const version = reference.startsWith('random-')
      ? randomNetworkManifest(reference as Parameters<typeof randomNetworkManifest>[0]).version
      : '1';
    return { name: reference, version, sha256: null };
  }
  const manifest = readManifest(manifestFile);
  return { name: manifest.name, version: manifest.version, sha256: manifest.sha256 ?? fileSha256(manifest.model) };
}

/** An unpinned network's sha256, hashed again only when its file changes (size or modification time). */
const fileHashes = new Map<string, { stamp: string; sha256: string }>();
function fileSha256(file: string): string | null {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return null;
  const stamp = `${stat.size}:${stat.mtimeMs}`;
  const known = fileHashes.get(file);
  if (known?.stamp === stamp) return known.sha256;
  const sha256 = sha256Hex(readFileSync(file));
  fileHashes.set(file, { stamp, sha256 });
  return sha256;
}

/** Opens a registered extractor by name, or the network a manifest file (.json, .yaml, .yml) describes. */
export async function openExtractor(reference: string): Promise<FeatureExtractor> {
  if (extractors.has(reference)) return extractors.get(reference).open();
  if (/\.(json|ya?ml)$/i.test(reference)) {
    if (!existsSync(reference)) throw new RangeError(`feature manifest ${reference} does not exist`);
    return openOnnxExtractor(readManifest(reference));
  }
  throw new RangeError(
    `Unknown feature extractor '${reference}'. Available: ${extractors.names().join(', ')}; or a manifest file (.json, .yaml) describing an ONNX network`,
  );
}
