/**
 * Generated videos side by side: the first samples that every method generated (paired: the same index, seed
 * and condition), one animated GIF per method and sample (ffmpeg, `src/data/video.ts`) at the suite's playback
 * rate. Frames come from the run's sample store when it is still there (exact values), else from the videos the
 * suite wrote (`videos/<method>/`, matched to samples by their store keys).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { insideFolder } from '../io/safe-path.ts';
import { SampleStore } from '../suite/contract/sample-store.ts';
import { tensorToFrames } from '../data/quantize.ts';
import { readVideo, VIDEO_EXTENSIONS, writeVideo } from '../data/video.ts';
import type { RunFolder } from './run-folder.ts';

/** One GIF of one method's sample. */
export interface VideoCell {
  readonly method: string;
  /** Path relative to the report's output folder. */
  readonly file: string;
  readonly width: number;
  readonly height: number;
}

/** The side-by-side table: one row per sample, one cell per method (results order), and where frames came from. */
export interface SideBySide {
  readonly methods: readonly string[];
  readonly rows: readonly { readonly index: number; readonly condition: string; readonly cells: readonly VideoCell[] }[];
  readonly source: string;
}

type Frames = { frames: Uint8Array[]; width: number; height: number };

/**
 * A frame source by method id and sample key, or null. A damaged store entry is set aside by the store and
 * reported through `log` (its path, what was wrong, where it went); its sample is then left out of the videos.
 */
function storeSource(
  run: RunFolder,
  log: (line: string) => void,
): { read: (methodId: string, key: string) => Promise<Frames | null>; name: string } | null {
  const candidates = [run.manifest?.store.root, path.join(run.dir, 'store')].filter((x): x is string => !!x);
  const root = candidates.find((r) => existsSync(path.join(r, 'samples')));
  if (!root) return null;
  const store: SampleStore = new SampleStore(root, () => {
    const d = store.damaged[store.damaged.length - 1];
    log(`store: damaged entry ${d.file} (${d.reason}); set aside as ${d.movedTo}; its sample is left out of the videos`);
  });
  return {
    name: `the sample store (${root})`,
    read: async (_methodId, key) => {
      const got = store.hasSample(key) ? store.readSample(key) : null;
      if (!got) return null;
      const [C, T, H, W] = got.record.shape;
      if (C !== 1 && C !== 3) return null;
      return { frames: tensorToFrames(got.values, C, T, H, W), width: W, height: H };
    },
  };
}

/** Frames from the suite's written videos, found through each method folder's keys.json. */
function videoFileSource(run: RunFolder): { read: (methodId: string, key: string) => Promise<Frames | null>; name: string } | null {
  const byKey = new Map<string, string>();
  for (const m of run.results.methods) {
    const folder = insideFolder(run.dir, ['videos', m.slug], `videos of method '${m.slug}'`);
    const index = path.join(folder, 'keys.json');
    if (!existsSync(index)) continue;
    const keys = JSON.parse(readFileSync(index, 'utf8')) as Record<string, string>;
    for (const name of readdirSync(folder)) {
      if (VIDEO_EXTENSIONS.includes(path.extname(name).toLowerCase()) && keys[name])
        byKey.set(`${m.id}\0${keys[name]}`, path.join(folder, name));
    }
  }
  if (byKey.size === 0) return null;
  return {
    name: `the suite's videos (${path.join(run.dir, 'videos')})`,
    read: async (methodId, key) => {
      const file = byKey.get(`${methodId}\0${key}`);
      if (!file) return null;
      const v = await readVideo(file);
      return { frames: v.frames, width: v.info.width, height: v.info.height };
    },
  };
}

/**
 * Writes `videos/<index>-<method slug>.gif` under `outDir` for the first `count` samples every method has in
 * its source, and returns the table; or the reason there are none.
 */
export async function sideBySideVideos(
  run: RunFolder,
  outDir: string,
  count: number,
  log: (line: string) => void = () => {},
): Promise<SideBySide | { reason: string }> {
  if (count === 0) return { reason: 'no videos asked for (--videos 0)' };
  const methods = run.results.methods.filter((m) => run.samples.has(m.id));
  if (methods.length === 0) return { reason: `no per-sample rows (samples/<method>.jsonl) in ${run.dir}` };
  const source = storeSource(run, log) ?? videoFileSource(run);
  if (!source) return { reason: `neither the sample store nor written videos (outputs.videos in the suite) are in ${run.dir}` };
  const keyOf = (methodId: string, index: number) => run.samples.get(methodId)!.find((r) => r.index === index);
  const indices = [...new Set(run.samples.get(methods[0].id)!.map((r) => r.index))].sort((a, b) => a - b);
  const rows: SideBySide['rows'][number][] = [];
  for (const index of indices) {
    if (rows.length >= count) break;
    const frames: (Frames | null)[] = [];
    for (const m of methods) {
      const row = keyOf(m.id, index);
      frames.push(row ? await source.read(m.id, row.key) : null);
    }
    if (frames.some((f) => f === null)) continue;
    const cells: VideoCell[] = [];
    for (const [i, m] of methods.entries()) {
      const f = frames[i]!;
      const file = path.join('videos', `${index}-${m.slug}.gif`);
      await writeVideo(
        insideFolder(outDir, [file], `side-by-side video of method '${m.slug}'`),
        f.frames,
        f.width,
        f.height,
        run.results.locked.playbackFps,
      );
      cells.push({ method: m.id, file, width: f.width, height: f.height });
    }
    rows.push({ index, condition: keyOf(methods[0].id, index)!.condition, cells });
  }
  if (rows.length === 0) return { reason: `no sample is in ${source.name} for every method` };
  return { methods: methods.map((m) => m.id), rows, source: source.name };
}
