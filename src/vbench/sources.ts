/**
 * Where `vbench eval` finds videos: video files (mp4, webm, gif, avi, mov, mkv; decoded by ffmpeg to RGB24 at
 * native size, fps from the container), frame folders (PNG/JPEG/... files in sorted order, one video; no fps,
 * as VBench reads image folders), and the harness's sample stores (`.npz` with `samples`, or the data
 * command's `videos`: float32 [N, C, T, H, W] in [-1, 1], C = 1 or 3, quantised as src/data/quantize.ts does;
 * no fps unless given). A folder may hold video files and frame folders; VBench's `{prompt}-{index}` naming is
 * read from each name. Videos are decoded only when `load()` is called.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { IMAGE_EXTENSIONS, listImages, readImage } from '../data/images.ts';
import { tensorToFrames } from '../data/quantize.ts';
import { readVideo, VIDEO_EXTENSIONS } from '../data/video.ts';
import { decodeNpz } from '../io/npy.ts';
import { checkClip, type VideoClip } from './video/clip.ts';
import { parseVbenchName } from './naming.ts';

/** One video to evaluate. */
export interface VideoSource {
  /** VBench's `video_path`: the file, the folder, or `file.npz#i`. */
  readonly id: string;
  readonly kind: 'video-file' | 'frame-folder' | 'sample-store';
  /** The prompt from VBench's naming (the file stem without `-<index>`). */
  readonly prompt: string;
  readonly index: number | null;
  load(): Promise<VideoClip>;
}

/** Options for reading sources. */
export interface SourceOptions {
  /** Frames per second for sources without one (frame folders, sample stores); null keeps "unknown". */
  readonly fps?: number | null;
}

function isDirectory(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** A source named by its path, with VBench's prompt and index read from the name. */
function named(id: string, kind: VideoSource['kind'], load: () => Promise<VideoClip>): VideoSource {
  return { id, kind, ...parseVbenchName(id), load };
}

function videoFile(file: string): VideoSource {
  return named(file, 'video-file', async () => {
    const { info, frames } = await readVideo(file);
    return checkClip({ id: file, width: info.width, height: info.height, fps: Number.isFinite(info.fps) ? info.fps : null, frames });
  });
}

function frameFolder(folder: string, fps: number | null): VideoSource {
  return named(folder, 'frame-folder', async () => {
    const files = listImages(folder);
    if (files.length === 0) throw new RangeError(`frame folder ${folder} has no image files (${IMAGE_EXTENSIONS.join(', ')})`);
    const images = [];
    for (const f of files) images.push(await readImage(f));
    const { width, height } = images[0];
    images.forEach((img, i) => {
      if (img.width !== width || img.height !== height)
        throw new RangeError(
          `frame folder ${folder}: ${files[i]} is ${img.width}x${img.height}, ${files[0]} is ${width}x${height}; all frames must have one size`,
        );
    });
    return checkClip({ id: folder, width, height, fps, frames: images.map((i) => i.data) });
  });
}

/** The videos of a sample store: key `samples` (from `sample`) or `videos` (from `data shapes`). */
export function sampleStoreSources(file: string, fps: number | null): VideoSource[] {
  const arrays = decodeNpz(readFileSync(file), file);
  const key = arrays.samples ? 'samples' : arrays.videos ? 'videos' : null;
  if (key === null) throw new RangeError(`${file}: no 'samples' or 'videos' array; members: ${Object.keys(arrays).join(', ')}`);
  const { shape, dtype, data } = arrays[key];
  if (dtype !== '<f4' || shape.length !== 5)
    throw new RangeError(`${file}: '${key}' is ${dtype} [${shape.join(', ')}]; expected float32 [N, C, T, H, W]`);
  const [n, c, t, h, w] = shape;
  if (c !== 1 && c !== 3) throw new RangeError(`${file}: '${key}' has ${c} channels; allowed 1 or 3`);
  const size = c * t * h * w;
  const stem = path.parse(file).name;
  return Array.from({ length: n }, (_, i) => ({
    id: `${file}#${i}`,
    kind: 'sample-store' as const,
    prompt: stem,
    index: i,
    async load() {
      const frames = tensorToFrames((data as Float32Array).subarray(i * size, (i + 1) * size), c, t, h, w);
      return checkClip({ id: `${file}#${i}`, width: w, height: h, fps, frames });
    },
  }));
}

/**
 * The videos under `input`: a video file, a sample store, a frame folder, or a folder of video files and
 * frame folders (sorted by name). Throws naming the input when nothing readable is there.
 */
export function listVideoSources(input: string, options: SourceOptions = {}): VideoSource[] {
  const fps = options.fps ?? null;
  if (fps !== null && !(fps > 0 && Number.isFinite(fps))) throw new RangeError(`fps ${fps} is not allowed; a finite number > 0`);
  const stat = statSync(input, { throwIfNoEntry: false });
  if (!stat) throw new RangeError(`video input ${input} does not exist`);
  const ext = path.extname(input).toLowerCase();
  if (stat.isFile()) {
    if (ext === '.npz') return sampleStoreSources(input, fps);
    if (VIDEO_EXTENSIONS.includes(ext)) return [videoFile(input)];
    throw new RangeError(
      `video input ${input}: '${ext}' files are not read; allowed: ${[...VIDEO_EXTENSIONS, '.npz'].join(', ')}, a frame folder, or a folder of those`,
    );
  }
  if (listImages(input).length > 0) return [frameFolder(input, fps)];
  const out: VideoSource[] = [];
  for (const name of readdirSync(input).sort()) {
    const p = path.join(input, name);
    const e = path.extname(name).toLowerCase();
    if (isDirectory(p) && listImages(p).length > 0) out.push(frameFolder(p, fps));
    else if (VIDEO_EXTENSIONS.includes(e)) out.push(videoFile(p));
    else if (e === '.npz') out.push(...sampleStoreSources(p, fps));
  }
  if (out.length === 0)
    throw new RangeError(
      `video input ${input} holds no videos: no ${VIDEO_EXTENSIONS.join('/')} files, .npz sample stores or folders of images`,
    );
  return out;
}
