/**
 * Image files through sharp (libvips): decoding PNG/JPEG/WebP to RGB24 (alpha dropped, 16-bit reduced to 8, grey
 * expanded to RGB), listing an image folder in a stable order, and writing PNG.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';

/** sharp (libvips), loaded on first use: commands that read no image file do not pay for it. */
async function loadSharp(): Promise<typeof import('sharp').default> {
  return (await import('sharp')).default;
}

/** An RGB24 image: height x width x 3 bytes, row-major. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** File extensions read as images. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.tif', '.tiff'];

/** Decodes an image file to RGB24. */
export async function readImage(file: string): Promise<RgbImage> {
  try {
    const sharp = await loadSharp();
    const { data, info } = await sharp(file)
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (error) {
    throw new Error(`cannot read image ${file}: ${(error as Error).message}`);
  }
}

/** Image files directly in `folder` (or below it with `recursive`), sorted by path. */
export function listImages(folder: string, recursive = false): string[] {
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory())
    throw new Error(`image folder ${folder} does not exist or is not a folder`);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory() && recursive) walk(p);
      else if (entry.isFile() && IMAGE_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) out.push(p);
    }
  };
  walk(folder);
  return out.sort();
}

/** Writes an RGB24 image as PNG, atomically. */
export async function writePng(file: string, image: RgbImage): Promise<void> {
  const sharp = await loadSharp();
  const bytes = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .png({ compressionLevel: 9 })
    .toBuffer();
  writeFileAtomic(file, bytes);
}
