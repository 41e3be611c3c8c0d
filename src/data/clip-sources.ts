/**
 * Inputs to feature extraction, each read as a sequence of clips (an image is a clip of one frame) a slice at a
 * time: image folders (PNG, JPEG, ... through sharp), folders of videos or one video (ffmpeg), NumPy sample
 * batches (.npz with uint8 `arr_0` [N, H, W, 3], as guided-diffusion's samplers and evaluator write them), the
 * harness's own sample files (`samples`, or `videos` from `data shapes`: float32 [N, C, T, H, W] in [-1, 1],
 * quantised to uint8 as src/data/quantize.ts does), and the procedural shapes data set (`shapes:n=..`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { assertFiniteSamples } from '../core/finite.ts';
import { NpzFile } from '../io/npz-file.ts';
import { listImages, readImage } from './images.ts';
import { tensorToFrames } from './quantize.ts';
import { shapesVideo } from './shapes.ts';
import { readVideo, VIDEO_EXTENSIONS } from './video.ts';

/** One image (one frame) or one video clip: RGB24 frames, each height x width x 3. */
export interface Clip {
  readonly width: number;
  readonly height: number;
  readonly frames: readonly Uint8Array[];
}

/** A numbered sequence of clips. */
export interface ClipSource {
  /** What was opened, for messages and statistics files. */
  readonly description: string;
  readonly count: number;
  readonly kind: 'image' | 'video';
  /** Clips [start, start + count). */
  read(start: number, count: number): Promise<Clip[]>;
  close(): void;
}

function listVideos(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isFile() && VIDEO_EXTENSIONS.includes(path.extname(e.name).toLowerCase()))
    .map((e) => path.join(folder, e.name))
    .sort();
}

function fileSource(files: string[], kind: 'image' | 'video', description: string, maxFrames?: number): ClipSource {
  return {
    description,
    count: files.length,
    kind,
    async read(start, count) {
      const out: Clip[] = [];
      for (const file of files.slice(start, start + count)) {
        if (kind === 'image') {
          const img = await readImage(file);
          out.push({ width: img.width, height: img.height, frames: [img.data] });
        } else {
          const v = await readVideo(file, maxFrames === undefined ? {} : { maxFrames });
          out.push({ width: v.info.width, height: v.info.height, frames: v.frames });
        }
      }
      return out;
    },
    close: () => undefined,
  };
}

function npzSource(file: string): ClipSource {
  const npz = new NpzFile(file);
  try {
    if (npz.has('arr_0')) {
      const e = npz.entry('arr_0');
      if (e.dtype !== '|u1' || e.shape.length !== 4 || e.shape[3] !== 3) {
        throw new RangeError(
          `${file}: key 'arr_0': expected uint8 images [N, H, W, 3] (a guided-diffusion sample batch), found ${e.dtype} [${e.shape.join(', ')}]`,
        );
      }
      const [n, h, w] = e.shape;
      return {
        description: `NumPy image batch ${file} (arr_0, ${n} images of ${h}x${w})`,
        count: n,
        kind: 'image',
        async read(start, count) {
          const data = npz.rows('arr_0', start, count) as Uint8Array;
          return Array.from({ length: count }, (_, i) => ({
            width: w,
            height: h,
            frames: [data.subarray(i * h * w * 3, (i + 1) * h * w * 3)],
          }));
        },
        close: () => npz.close(),
      };
    }
    const key = ['samples', 'videos'].find((k) => npz.has(k));
    if (key) {
      const e = npz.entry(key);
      if (e.dtype !== '<f4' || e.shape.length !== 5 || (e.shape[1] !== 1 && e.shape[1] !== 3)) {
        throw new RangeError(
          `${file}: key '${key}': expected float32 [N, C, T, H, W] with C = 1 or 3 in [-1, 1] (a pyramid-bench sample file), found ${e.dtype} [${e.shape.join(', ')}]`,
        );
      }
      const [n, c, t, h, w] = e.shape;
      return {
        description: `pyramid-bench samples ${file} (${key}, ${n} of [${c}, ${t}, ${h}, ${w}])`,
        count: n,
        kind: t === 1 ? 'image' : 'video',
        async read(start, count) {
          const data = npz.rows(key, start, count) as Float32Array;
          const size = c * t * h * w;
          assertFiniteSamples(data, size, `${file}: key '${key}'`, undefined, start);
          return Array.from({ length: count }, (_, i) => ({
            width: w,
            height: h,
            frames: tensorToFrames(data.subarray(i * size, (i + 1) * size), c, t, h, w),
          }));
        },
        close: () => npz.close(),
      };
    }
    throw new RangeError(
      `${file}: not an input: expected 'arr_0' (uint8 [N, H, W, 3] images) or 'samples'/'videos' (float32 [N, C, T, H, W]); it holds: ${npz.keys().join(', ')}`,
    );
  } catch (error) {
    npz.close();
    throw error;
  }
}

/** Parses `shapes:n=64,seed=0,size=32,frames=1,start=0` (every key optional but n). */
function shapesSource(spec: string): ClipSource {
  const allowed = ['n', 'seed', 'size', 'frames', 'start'];
  const values: Record<string, number> = { seed: 0, size: 32, frames: 1, start: 0 };
  for (const part of spec.slice('shapes:'.length).split(',').filter(Boolean)) {
    const [k, v] = part.split('=');
    const n = Number(v);
    if (!allowed.includes(k) || !Number.isInteger(n) || n < 0)
      throw new RangeError(
        `input '${spec}': '${part}' is not allowed; use shapes:n=<N>[,seed=<S>][,size=<px>][,frames=<T>][,start=<i>] with integers`,
      );
    values[k] = n;
  }
  if (!(values.n >= 1)) throw new RangeError(`input '${spec}': n (the number of samples) is required, e.g. shapes:n=256`);
  if (values.size < 8 || values.frames < 1) throw new RangeError(`input '${spec}': size must be >= 8 and frames >= 1`);
  const config = { frames: values.frames, height: values.size, width: values.size };
  return {
    description: `shapes data set (seed ${values.seed}, samples ${values.start} to ${values.start + values.n - 1}, ${values.frames} frame(s) of ${values.size}x${values.size})`,
    count: values.n,
    kind: values.frames === 1 ? 'image' : 'video',
    async read(start, count) {
      return Array.from({ length: count }, (_, i) => ({
        width: values.size,
        height: values.size,
        frames: tensorToFrames(
          shapesVideo(values.seed, values.start + start + i, config).values,
          3,
          values.frames,
          values.size,
          values.size,
        ),
      }));
    },
    close: () => undefined,
  };
}

/**
 * Opens an input by what it is: a `shapes:` spec, a folder of images or videos, a video file or an .npz.
 * `frame` turns every clip into the image of that frame; `maxFrames` limits video decoding.
 */
export function openClipSource(input: string, options: { maxFrames?: number; frame?: number } = {}): ClipSource {
  const source = openWhole(input, options.maxFrames);
  return options.frame === undefined ? source : framesAsImages(source, options.frame);
}

function openWhole(input: string, maxFrames: number | undefined): ClipSource {
  if (input.startsWith('shapes:')) return shapesSource(input);
  if (!existsSync(input))
    throw new RangeError(
      `input ${input} does not exist; allowed: an image or video folder, a video file, an .npz of samples, or shapes:n=<N>`,
    );
  if (statSync(input).isDirectory()) {
    const images = listImages(input);
    const videos = listVideos(input);
    if (images.length && videos.length)
      throw new RangeError(
        `input folder ${input} holds both images (${images.length}) and videos (${videos.length}); use one kind per folder`,
      );
    if (images.length) return fileSource(images, 'image', `image folder ${input} (${images.length} images)`);
    if (videos.length) return fileSource(videos, 'video', `video folder ${input} (${videos.length} videos)`, maxFrames);
    throw new RangeError(
      `input folder ${input} holds no images or videos (looked for ${['.png', '.jpg', ...VIDEO_EXTENSIONS].join(', ')}, ...)`,
    );
  }
  const ext = path.extname(input).toLowerCase();
  if (ext === '.npz') return npzSource(input);
  if (VIDEO_EXTENSIONS.includes(ext)) return fileSource([input], 'video', `video ${input}`, maxFrames);
  throw new RangeError(
    `input ${input}: '${ext}' files are not inputs; allowed: an image or video folder, a video file (${VIDEO_EXTENSIONS.join(', ')}), an .npz of samples, or shapes:n=<N>`,
  );
}

/** Frame `frame` of every clip as an image, e.g. the first frames of generated videos for an image FID. */
export function framesAsImages(source: ClipSource, frame: number): ClipSource {
  if (!Number.isInteger(frame) || frame < 0) throw new RangeError(`frame ${frame} must be an integer >= 0`);
  return {
    description: `frame ${frame} of ${source.description}`,
    count: source.count,
    kind: 'image',
    async read(start, count) {
      const clips = await source.read(start, count);
      return clips.map((clip, i) => {
        if (frame >= clip.frames.length)
          throw new RangeError(
            `input ${start + i} of ${source.description} has ${clip.frames.length} frames; frame ${frame} does not exist`,
          );
        return { width: clip.width, height: clip.height, frames: [clip.frames[frame]] };
      });
    },
    close: () => source.close(),
  };
}
