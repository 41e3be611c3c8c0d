import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { probeVideo, readVideo, writeVideo } from '../../src/data/video.ts';
import { listImages, readImage, writePng } from '../../src/data/images.ts';
import { framesToTensor, tensorToFrames } from '../../src/data/quantize.ts';
import { shapesVideo } from '../../src/data/shapes.ts';
import { rejects } from '../helpers/assert.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'video-test-'));

test('quantisation: -1 -> 0, 0 -> 128, 1 -> 255, and back within half a level', () => {
  const f = tensorToFrames(Float32Array.from([-1, 0, 1, 0.5]), 1, 1, 2, 2);
  assert.equal(Array.from(f[0]), [0, 0, 0, 128, 128, 128, 255, 255, 255, 191, 191, 191]);
  const back = framesToTensor(f, 2, 2);
  assert.ok(Math.abs(back[3] - 0.5) <= 1 / 255 + 1e-6);
});

test('lossless video formats round trip exactly (avi/ffv1, webm/vp9-lossless); mp4 stays within a few levels', async () => {
  const { values } = shapesVideo(0, 3, { frames: 6, height: 32, width: 32 });
  const frames = tensorToFrames(values, 3, 6, 32, 32);
  for (const ext of ['.avi', '.webm']) {
    const file = path.join(dir, `clip${ext}`);
    await writeVideo(file, frames, 32, 32, 8);
    const back = await readVideo(file);
    assert.is(back.frames.length, 6);
    assert.is(back.info.width, 32);
    back.frames.forEach((f, t) => assert.ok(Buffer.from(f).equals(Buffer.from(frames[t])), `${ext} frame ${t}`));
  }
  const mp4 = path.join(dir, 'clip.mp4');
  await writeVideo(mp4, frames, 32, 32, 8);
  const info = probeVideo(mp4);
  assert.equal([info.width, info.height, info.fps, info.codec], [32, 32, 8, 'h264']);
  const back = await readVideo(mp4);
  let err = 0;
  back.frames.forEach((f, t) => f.forEach((v, i) => (err += Math.abs(v - frames[t][i]))));
  assert.ok(err / (6 * 32 * 32 * 3) < 4, `mean abs error ${err / (6 * 32 * 32 * 3)}`);
});

test('PNG images round trip and folders list in order', async () => {
  const img = { width: 3, height: 2, data: Uint8Array.from({ length: 18 }, (_, i) => i * 10) };
  await writePng(path.join(dir, 'imgs', 'b.png'), img);
  await writePng(path.join(dir, 'imgs', 'a.png'), img);
  writeFileSync(path.join(dir, 'imgs', 'notes.txt'), 'x');
  assert.equal(
    listImages(path.join(dir, 'imgs')).map((f) => path.basename(f)),
    ['a.png', 'b.png'],
  );
  assert.equal(Array.from((await readImage(path.join(dir, 'imgs', 'a.png'))).data), Array.from(img.data));
});

test('missing and broken video files get clear errors', async () => {
  await rejects(() => readVideo(path.join(dir, 'nope.mp4')), /nope.mp4 does not exist/);
  const broken = path.join(dir, 'broken.mp4');
  writeFileSync(broken, 'not a video');
  await rejects(() => readVideo(broken), /ffprobe cannot read .*broken.mp4/);
  await rejects(() => writeVideo(path.join(dir, 'x.mkv'), [new Uint8Array(12)], 2, 2, 8), /cannot write '.mkv' videos/);
  await rejects(() => readImage(path.join(dir, 'nope.png')), /cannot read image/);
});

test.run();
