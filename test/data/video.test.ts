import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { probeVideo, readVideo, writeVideo } from '../../src/data/video.ts';
import { listImages, readImage, writePng } from '../../src/data/images.ts';
import { framesToTensor, tensorToFrames } from '../../src/data/quantize.ts';
import { shapesVideo } from '../../src/data/shapes.ts';
import { rejects } from '../helpers/assert.ts';
import { badInput } from '../helpers/case-ledger.ts';

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
  await rejects(
    () => readVideo(broken),
    /^video .*broken.mp4: its first bytes \("not a vi"\) are not those of an MP4\/QuickTime file; allowed: /,
  );
  // right bytes, broken inside: ffmpeg's own error
  writeFileSync(broken, Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from('ftypisom'), Buffer.alloc(20)]));
  await rejects(() => readVideo(broken), /ffprobe cannot read .*broken.mp4/);
  await rejects(() => writeVideo(path.join(dir, 'x.mkv'), [new Uint8Array(12)], 2, 2, 8), /cannot write '.mkv' videos/);
  await rejects(() => readImage(path.join(dir, 'nope.png')), /cannot read image/);
});

test('a text playlist named .mp4 that names another local file is refused, not followed; each extension reads only its container', async () => {
  const target = path.join(dir, 'target.avi');
  const { values } = shapesVideo(1, 0, { frames: 4, height: 16, width: 16 });
  await writeVideo(target, tensorToFrames(values, 3, 4, 16, 16), 16, 16, 8);
  // an HLS playlist: ffmpeg's probe would pick the hls demuxer and open target.avi
  const playlist = path.join(dir, 'playlist.mp4');
  writeFileSync(playlist, `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n${target}\n#EXT-X-ENDLIST\n`);
  await badInput('paths', 'an HLS playlist named .mp4 (read)', () =>
    rejects(
      () => readVideo(playlist),
      /^video .*playlist.mp4: its first bytes \("#EXTM3U\\n"\) are not those of an MP4\/QuickTime file; allowed: a .mp4 file/,
    ),
  );
  await badInput('paths', 'an HLS playlist named .mp4 (probe)', () =>
    assert.throws(() => probeVideo(playlist), /playlist.mp4: its first bytes/),
  );
  // an ffconcat list, and an AVI renamed .mp4: refused by its bytes
  const concat = path.join(dir, 'concat.webm');
  writeFileSync(concat, `ffconcat version 1.0\nfile '${target}'\n`);
  await badInput('paths', 'an ffconcat list named .webm', () =>
    rejects(() => readVideo(concat), /concat.webm: its first bytes .* are not those of a WebM\/Matroska file/),
  );
  const renamed = path.join(dir, 'renamed.mp4');
  writeFileSync(renamed, readFileSync(target));
  await badInput('paths', 'an AVI renamed .mp4', () => rejects(() => readVideo(renamed), /renamed.mp4: its first bytes \("RIFF/));
  const m3u8 = path.join(dir, 'list.m3u8');
  writeFileSync(m3u8, '#EXTM3U\n');
  await badInput('paths', 'a .m3u8 file', () =>
    rejects(() => readVideo(m3u8), /^video .*list.m3u8: cannot read '.m3u8' files; allowed: .mp4, .mov, .webm, .mkv, .gif, .avi$/),
  );
  // the real file still reads
  assert.is((await readVideo(target)).frames.length, 4);
});

test.run();
