/**
 * `pyramid-bench data shapes`: writes the project's procedural moving-shapes data set as an .npz
 * (videos float32 [N, 3, T, H, W] in [-1, 1], or uint8 with --uint8; labels int64; and what was drawn: `motion` int64 0 straight / 1
 * bouncing, `background` int64 (flat, gradient, checker, blobs), `radius` float32, `velocity` float32 [N, 2] pixels per
 * frame (y, x), `track` float32 [N, T, 2] the shape's centre per frame), as a folder of mp4/gif/webm videos, or as a folder of
 * PNG images (first frames), named `<index>-<class>.<ext>`.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import { encodeNpz, npyArray } from '../io/npy.ts';
import { DEFAULT_SHAPES, SHAPE_BACKGROUNDS, SHAPE_CLASSES, shapesVideo } from '../data/shapes.ts';
import { tensorToFrames } from '../data/quantize.ts';
import { writeVideo } from '../data/video.ts';
import { writePng } from '../data/images.ts';
import { checkAllocation, float32Bytes, MAX_SAMPLES } from '../core/memory-limits.ts';
import { integerOption, UsageError, type Command } from './command.ts';

export const dataCommand: Command = {
  async run(argv) {
    const [which, ...rest] = argv;
    if (which !== 'shapes') throw new UsageError(`data set '${which ?? ''}' is not known; allowed: shapes`);
    const { values } = parseArgs({
      args: rest,
      options: {
        n: { type: 'string', default: '64' },
        seed: { type: 'string', default: '0' },
        start: { type: 'string', default: '0' },
        frames: { type: 'string', default: String(DEFAULT_SHAPES.frames) },
        size: { type: 'string', default: String(DEFAULT_SHAPES.height) },
        format: { type: 'string', default: 'npz' },
        uint8: { type: 'boolean', default: false },
        out: { type: 'string' },
      },
      strict: true,
    });
    if (!values.out) throw new UsageError('--out is required');
    const n = integerOption(values.n, 'n', 1)!;
    const seed = integerOption(values.seed, 'seed', 0)!;
    const start = integerOption(values.start, 'start', 0)!;
    const frames = integerOption(values.frames, 'frames', 1)!;
    const size = integerOption(values.size, 'size', 8)!;
    if (n > MAX_SAMPLES) throw new UsageError(`--n is ${values.n}; allowed: an integer from 1 to ${MAX_SAMPLES}`);
    const config = { frames, height: size, width: size };
    const format = values.format!;
    // one clip is always held; the .npz holds all n of them (uint8 with --uint8)
    const clipWhat = `a clip of [3, ${frames}, ${size}, ${size}] float32`;
    checkAllocation(float32Bytes(1, [3, frames, size, size]), `--frames ${frames} --size ${size}`, clipWhat, (m) => new UsageError(m));
    if (format === 'npz')
      checkAllocation(
        float32Bytes(n, [3, frames, size, size]) / (values.uint8 ? 4 : 1),
        `--n ${n} --frames ${frames} --size ${size}`,
        `the data set tensor [${n}, 3, ${frames}, ${size}, ${size}] ${values.uint8 ? 'uint8' : 'float32'}`,
        (m) => new UsageError(m),
      );
    if (format === 'npz') {
      const clip = 3 * frames * size * size;
      // --uint8 stores round(x * 127.5 + 127.5): a quarter of the size, for training sets
      const videos = values.uint8 ? new Uint8Array(n * clip) : new Float32Array(n * clip);
      const labels = new BigInt64Array(n);
      const motion = new BigInt64Array(n);
      const background = new BigInt64Array(n);
      const radius = new Float32Array(n);
      const velocity = new Float32Array(n * 2);
      const track = new Float32Array(n * frames * 2);
      for (let i = 0; i < n; i++) {
        const { values: v, meta } = shapesVideo(seed, start + i, config);
        if (values.uint8)
          for (let k = 0; k < clip; k++) videos[i * clip + k] = Math.min(255, Math.max(0, Math.round(v[k] * 127.5 + 127.5)));
        else videos.set(v, i * clip);
        labels[i] = BigInt(meta.label);
        motion[i] = meta.motion === 'straight' ? 0n : 1n;
        background[i] = BigInt(SHAPE_BACKGROUNDS.indexOf(meta.background));
        radius[i] = meta.radius;
        velocity.set(meta.velocity, i * 2);
        meta.track.forEach((p, t) => track.set(p, (i * frames + t) * 2));
      }
      writeFileAtomic(
        values.out,
        encodeNpz({
          videos: npyArray(videos, [n, 3, frames, size, size]),
          labels: npyArray(labels, [n], '<i8'),
          indices: npyArray(new BigInt64Array(Array.from({ length: n }, (_, i) => BigInt(start + i))), [n], '<i8'),
          motion: npyArray(motion, [n], '<i8'),
          background: npyArray(background, [n], '<i8'),
          radius: npyArray(radius, [n]),
          velocity: npyArray(velocity, [n, 2]),
          track: npyArray(track, [n, frames, 2]),
        }),
      );
    } else if (['mp4', 'gif', 'webm', 'png'].includes(format)) {
      for (let i = 0; i < n; i++) {
        const { values: v, meta } = shapesVideo(seed, start + i, config);
        const name = `${start + i}-${meta.className.replace(' ', '-')}`;
        const rgb = tensorToFrames(v, 3, frames, size, size);
        if (format === 'png') await writePng(path.join(values.out, `${name}.png`), { width: size, height: size, data: rgb[0] });
        else await writeVideo(path.join(values.out, `${name}.${format}`), rgb, size, size, 8);
      }
    } else {
      throw new UsageError(`--format is '${format}'; allowed: npz, mp4, gif, webm, png`);
    }
    process.stdout.write(
      `wrote ${n} ${format === 'png' ? 'images' : 'clips'} of the shapes data set (classes: ${SHAPE_CLASSES.join(', ')}) to ${values.out}\n`,
    );
  },
};
