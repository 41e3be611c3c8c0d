import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writePng } from '../../src/data/images.ts';
import { writeVideo } from '../../src/data/video.ts';
import { writeFileAtomic } from '../../src/io/atomic.ts';
import { encodeNpz, npyArray } from '../../src/io/npy.ts';
import { listVideoSources } from '../../src/vbench/sources.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'vbench-sources-'));
const rgb = (w: number, h: number, v: number) => new Uint8Array(w * h * 3).fill(v);

test('a folder of VBench-named videos and frame folders: prompts and indices from the names, fps from the container', async () => {
  const root = path.join(dir, 'mixed');
  await writeVideo(path.join(root, 'a red car-1.webm'), [rgb(16, 8, 10), rgb(16, 8, 20), rgb(16, 8, 30)], 16, 8, 24);
  await writeVideo(path.join(root, 'a red car-0.webm'), [rgb(16, 8, 10), rgb(16, 8, 20)], 16, 8, 12);
  for (let t = 0; t < 4; t++) await writePng(path.join(root, 'a dog-2', `frame${t}.png`), { width: 6, height: 4, data: rgb(6, 4, 50 * t) });
  writeFileSync(path.join(root, 'notes.txt'), 'not a video');
  const sources = listVideoSources(root);
  assert.equal(
    sources.map((s) => [path.basename(s.id), s.kind, s.prompt, s.index]),
    [
      ['a dog-2', 'frame-folder', 'a dog', 2],
      ['a red car-0.webm', 'video-file', 'a red car', 0],
      ['a red car-1.webm', 'video-file', 'a red car', 1],
    ],
  );
  const folder = await sources[0].load();
  assert.equal([folder.width, folder.height, folder.fps, folder.frames.length], [6, 4, null, 4]);
  assert.equal(Array.from(folder.frames[3].subarray(0, 3)), [150, 150, 150]);
  const video = await sources[2].load();
  assert.equal([video.width, video.height, video.fps, video.frames.length], [16, 8, 24, 3]);
  // VP9 lossless: the frames come back exactly
  assert.equal(Array.from(video.frames[1].subarray(0, 3)), [20, 20, 20]);
});

test("a sample store: 'samples' [N, C, T, H, W] in [-1, 1] become N clips quantised as the harness does; --fps applies", async () => {
  const [n, c, t, h, w] = [2, 3, 4, 5, 6];
  const data = new Float32Array(n * c * t * h * w);
  // sample 1, frame 2: value 0.5 everywhere -> round(0.5 * 127.5 + 127.5) = 191
  for (let ch = 0; ch < c; ch++) data.fill(0.5, 1 * c * t * h * w + (ch * t + 2) * h * w, 1 * c * t * h * w + (ch * t + 3) * h * w);
  const file = path.join(dir, 'samples.npz');
  writeFileAtomic(file, encodeNpz({ samples: npyArray(data, [n, c, t, h, w]) }));
  const sources = listVideoSources(file, { fps: 24 });
  assert.equal(
    sources.map((s) => s.id),
    [`${file}#0`, `${file}#1`],
  );
  const clip = await sources[1].load();
  assert.equal([clip.width, clip.height, clip.fps, clip.frames.length], [6, 5, 24, 4]);
  assert.is(clip.frames[2][0], 191);
  assert.is(clip.frames[0][0], 128);
});

test('bad inputs are named with what is allowed', () => {
  assert.throws(() => listVideoSources(path.join(dir, 'nope')), /does not exist/);
  const txt = path.join(dir, 'a.txt');
  writeFileSync(txt, 'x');
  assert.throws(() => listVideoSources(txt), /'.txt' files are not read; allowed: .mp4, .webm, .gif/);
  const empty = path.join(dir, 'empty');
  mkdirSync(empty);
  assert.throws(() => listVideoSources(empty), /holds no videos/);
  const wrong = path.join(dir, 'wrong.npz');
  writeFileAtomic(wrong, encodeNpz({ labels: npyArray(new Float32Array(2), [2]) }));
  assert.throws(() => listVideoSources(wrong), /no 'samples' or 'videos' array; members: labels/);
  const rank = path.join(dir, 'rank.npz');
  writeFileAtomic(rank, encodeNpz({ samples: npyArray(new Float32Array(8), [2, 4]) }));
  assert.throws(() => listVideoSources(rank), /expected float32 \[N, C, T, H, W\]/);
  assert.throws(() => listVideoSources(dir, { fps: -1 }), /fps -1/);
});

test.run();
