/**
 * Per-sample files beside results.json: `samples/<method>.csv` (one row per sample: index, condition, store key,
 * cost and measured generation time), optionally `samples/<method>.npz` (the samples, as NumPy reads them) and
 * `videos/<method>/<name>.<format>` named by the suite's template (VBench: `{prompt}-{repeat}.mp4`). Videos
 * already written for the same sample key are kept, so a resumed run does not encode them again.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import { encodeNpz, npyArray } from '../io/npy.ts';
import { tensorToFrames } from '../data/quantize.ts';
import { writeVideo } from '../data/video.ts';
import type { SuiteItem } from './contract/records.ts';

/** The file name a template gives an item: {index}, {repeat}, {prompt}, {class}; refuses names with path separators. */
export function videoName(template: string, item: SuiteItem): string {
  const name = template.replace(/\{(index|repeat|prompt|class)\}/g, (_, k: string) => {
    if (k === 'index') return String(item.index);
    if (k === 'repeat') return String(item.repeat ?? item.index);
    if (k === 'prompt') {
      if (item.prompt === null)
        throw new RangeError(
          `video name '${template}': {prompt} needs prompt conditions (sample ${item.index} has '${item.conditionKey}')`,
        );
      return item.prompt;
    }
    if (item.label === null)
      throw new RangeError(`video name '${template}': {class} needs class conditions (sample ${item.index} has '${item.conditionKey}')`);
    return String(item.label);
  });
  if (/[/\\\0]/.test(name) || name === '.' || name === '..')
    throw new RangeError(`video name '${name}' (sample ${item.index}) contains a path separator; allowed: a plain file name`);
  return name;
}

/** Writes videos of samples, skipping those already written for the same key (tracked in `keys.json`). */
export class VideoWriter {
  private readonly keys: Record<string, string>;
  private readonly keysFile: string;

  constructor(
    readonly dir: string,
    private readonly format: 'mp4' | 'gif' | 'webm',
    private readonly template: string,
    private readonly fps: number,
  ) {
    this.keysFile = path.join(dir, 'keys.json');
    this.keys = existsSync(this.keysFile) ? (JSON.parse(readFileSync(this.keysFile, 'utf8')) as Record<string, string>) : {};
  }

  /** Writes one sample ([C, T, H, W] in [-1, 1], C = 1 or 3) unless the same key was written under that name. */
  async write(item: SuiteItem, key: string, values: Float32Array, shape: readonly [number, number, number, number]): Promise<void> {
    const file = `${videoName(this.template, item)}.${this.format}`;
    const target = path.join(this.dir, file);
    if (this.keys[file] === key && existsSync(target)) return;
    const [C, T, H, W] = shape;
    if (C !== 1 && C !== 3)
      throw new RangeError(
        `videos: samples have ${C} channels; only 1 or 3 (pixel space) can be written, a latent model needs a decoder first`,
      );
    await writeVideo(target, tensorToFrames(values, C, T, H, W), W, H, this.fps);
    this.keys[file] = key;
  }

  /** Saves the name-to-key index. */
  save(): void {
    writeFileAtomic(this.keysFile, `${JSON.stringify(this.keys, Object.keys(this.keys).sort(), 2)}\n`);
  }
}

/** The samples of a method as .npz: samples [N, C, T, H, W] float32, indices and labels (-1: none) int64. */
export function samplesNpz(
  rows: readonly { item: SuiteItem; values: Float32Array }[],
  shape: readonly [number, number, number, number],
): Buffer {
  const sorted = [...rows].sort((a, b) => a.item.index - b.item.index);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(sorted.length * size);
  sorted.forEach((r, i) => data.set(r.values, i * size));
  return encodeNpz({
    samples: npyArray(data, [sorted.length, ...shape]),
    indices: npyArray(new BigInt64Array(sorted.map((r) => BigInt(r.item.index))), [sorted.length], '<i8'),
    labels: npyArray(new BigInt64Array(sorted.map((r) => BigInt(r.item.label ?? -1))), [sorted.length], '<i8'),
  });
}
