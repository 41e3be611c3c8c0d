import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openClipSource } from '../../src/data/clip-sources.ts';
import { writePng } from '../../src/data/images.ts';
import { tensorToFrames } from '../../src/data/quantize.ts';
import { shapesVideo } from '../../src/data/shapes.ts';
import { writeVideo } from '../../src/data/video.ts';
import { encodeNpz, npyArray } from '../../src/io/npy.ts';
import { rejects } from '../helpers/assert.ts';
import { badInput } from '../helpers/case-ledger.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'clip-sources-'));

test('an image folder reads in sorted order, PNG exactly', async () => {
  const folder = path.join(dir, 'images');
  mkdirSync(folder);
  const frames = [0, 1, 2].map((i) => tensorToFrames(shapesVideo(0, i, { frames: 1, height: 8, width: 8 }).values, 3, 1, 8, 8)[0]);
  for (const [i, f] of frames.entries()) await writePng(path.join(folder, `img-${2 - i}.png`), { width: 8, height: 8, data: f });
  const s = openClipSource(folder);
  assert.is(s.count, 3);
  assert.is(s.kind, 'image');
  const clips = await s.read(1, 2);
  // sorted names img-0, img-1, img-2 hold frames 2, 1, 0
  assert.ok(Buffer.from(clips[0].frames[0]).equals(Buffer.from(frames[1])));
  assert.ok(Buffer.from(clips[1].frames[0]).equals(Buffer.from(frames[0])));
});

test("a guided-diffusion batch (arr_0, written by NumPy's np.savez) reads by rows", async () => {
  const file = path.join(dir, 'batch.npz');
  execFileSync('python3', [
    '-c',
    'import numpy as np,sys; a=np.arange(4*3*2*3, dtype=np.uint8).reshape(4,3,2,3); np.savez(sys.argv[1], a, np.arange(4))',
    file,
  ]);
  const s = openClipSource(file);
  assert.is(s.count, 4);
  const [clip] = await s.read(2, 1);
  assert.equal([clip.height, clip.width], [3, 2]);
  assert.equal(
    Array.from(clip.frames[0]),
    Array.from({ length: 18 }, (_, i) => 36 + i),
  );
  s.close();
});

test('harness sample files: float32 [N, C, T, H, W] quantised as tensorToFrames; T > 1 is video; grey expands to RGB', async () => {
  const file = path.join(dir, 'samples.npz');
  const values = Float32Array.from({ length: 2 * 1 * 3 * 2 * 2 }, (_, i) => (i % 5) / 2 - 1);
  writeFileSync(file, encodeNpz({ samples: npyArray(values, [2, 1, 3, 2, 2]) }));
  const s = openClipSource(file);
  assert.is(s.kind, 'video');
  const clips = await s.read(0, 2);
  assert.is(clips[1].frames.length, 3);
  const expected = tensorToFrames(values.subarray(12, 24), 1, 3, 2, 2);
  clips[1].frames.forEach((f, t) => assert.equal(Array.from(f), Array.from(expected[t])));
  s.close();
});

test('harness sample files holding NaN or Inf are refused naming the file, the sample and the value (not pixel 0 or 255)', () =>
  badInput('numbers', 'sample files holding NaN or Inf', async () => {
    for (const bad of [Number.NaN, Number.NEGATIVE_INFINITY]) {
      const file = path.join(dir, 'bad-samples.npz');
      const values = new Float32Array(3 * 3 * 1 * 2 * 2);
      values[2 * 12 + 5] = bad; // sample 2, value 5
      writeFileSync(file, encodeNpz({ samples: npyArray(values, [3, 3, 1, 2, 2]) }));
      const s = openClipSource(file);
      await s.read(0, 2);
      await rejects(() => s.read(1, 2), new RegExp(`bad-samples.npz: key 'samples': sample 2 holds ${bad} \\(value 5 of 12\\)`));
      s.close();
      assert.throws(() => tensorToFrames(values.subarray(24), 3, 1, 2, 2), new RegExp(`value 5 is ${bad}; every value must be finite`));
    }
  }));

test('a video folder reads each video as a clip (lossless avi)', async () => {
  const folder = path.join(dir, 'videos');
  mkdirSync(folder);
  const frames = tensorToFrames(shapesVideo(0, 0, { frames: 4, height: 16, width: 16 }).values, 3, 4, 16, 16);
  await writeVideo(path.join(folder, 'a.avi'), frames, 16, 16, 8);
  await writeVideo(path.join(folder, 'b.avi'), frames.slice().reverse(), 16, 16, 8);
  const s = openClipSource(folder);
  assert.is(s.kind, 'video');
  const [a, b] = await s.read(0, 2);
  assert.is(a.frames.length, 4);
  assert.ok(Buffer.from(b.frames[0]).equals(Buffer.from(frames[3])));
  // decoding stops at maxFrames; `frame` takes one frame of each clip as an image
  const [short] = await openClipSource(folder, { maxFrames: 2 }).read(0, 1);
  assert.is(short.frames.length, 2);
  const images = openClipSource(folder, { frame: 1 });
  assert.is(images.kind, 'image');
  assert.ok(Buffer.from((await images.read(1, 1))[0].frames[0]).equals(Buffer.from(frames[2])));
});

test('shapes: inputs regenerate the data set exactly; bad inputs name what is allowed', async () => {
  const s = openClipSource('shapes:n=3,seed=2,size=16,start=5');
  const [clip] = await s.read(1, 1);
  assert.equal(
    Array.from(clip.frames[0]),
    Array.from(tensorToFrames(shapesVideo(2, 6, { frames: 1, height: 16, width: 16 }).values, 3, 1, 16, 16)[0]),
  );
  assert.throws(() => openClipSource('shapes:seed=1'), /n \(the number of samples\) is required/);
  assert.throws(() => openClipSource('shapes:n=2,colour=3'), /'colour=3' is not allowed/);
  assert.throws(() => openClipSource(path.join(dir, 'nope')), /does not exist; allowed: an image or video folder/);
  const other = path.join(dir, 'other.npz');
  writeFileSync(other, encodeNpz({ x: npyArray(new Float32Array(2), [2]) }));
  assert.throws(() => openClipSource(other), /not an input: expected 'arr_0'.*it holds: x/);
  const wrong = path.join(dir, 'wrong.npz');
  writeFileSync(wrong, encodeNpz({ arr_0: npyArray(new Float32Array(12), [1, 2, 2, 3]) }));
  assert.throws(() => openClipSource(wrong), /key 'arr_0': expected uint8 images \[N, H, W, 3\].*found <f4 \[1, 2, 2, 3\]/);
});

test.run();
