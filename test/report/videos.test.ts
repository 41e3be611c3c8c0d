/**
 * Side-by-side videos: the same samples of every method as GIFs, from the sample store (exact), or from the
 * suite's written videos when the store is gone; none, with the reason, when neither is there.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SampleStore } from '../../src/suite/contract/sample-store.ts';
import { tensorToFrames } from '../../src/data/quantize.ts';
import { readVideo } from '../../src/data/video.ts';
import { readRunFolder } from '../../src/report/run-folder.ts';
import { sideBySideVideos } from '../../src/report/videos.ts';
import { reportRun, scratch } from '../helpers/report-runs.ts';

async function framesOf(file: string) {
  return (await readVideo(file)).frames.map((f) => Buffer.from(f).toString('hex'));
}

test('from the store: one GIF per method and sample, the exact frames of the stored sample', async () => {
  const dir = await reportRun('a');
  const run = readRunFolder(dir);
  const out = scratch('videos');
  const v = await sideBySideVideos(run, out, 2);
  assert.ok(!('reason' in v), JSON.stringify(v));
  if ('reason' in v) return;
  assert.match(v.source, /^the sample store/);
  assert.equal(v.methods, ['pyramid [steps=2]', 'pyramid [steps=4]', 'cascade']);
  assert.equal(
    v.rows.map((r) => [r.index, r.condition, r.cells.map((c) => c.file)]),
    [
      [0, 'class:0', ['videos/0-pyramid-steps-2.gif', 'videos/0-pyramid-steps-4.gif', 'videos/0-cascade.gif']],
      [1, 'class:1', ['videos/1-pyramid-steps-2.gif', 'videos/1-pyramid-steps-4.gif', 'videos/1-cascade.gif']],
    ],
  );
  const key = run.samples.get('cascade')!.find((r) => r.index === 1)!.key;
  const stored = new SampleStore(path.join(dir, 'store')).readSample(key)!;
  const [C, T, H, W] = stored.record.shape;
  assert.equal(
    await framesOf(path.join(out, 'videos', '1-cascade.gif')),
    tensorToFrames(stored.values, C, T, H, W).map((f) => Buffer.from(f).toString('hex')),
  );
});

test("without the store: from the suite's written videos (matched by store key); else the reason", async () => {
  const copy = scratch('no-store');
  cpSync(await reportRun('a'), copy, { recursive: true });
  rmSync(path.join(copy, 'store'), { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(copy, 'manifest.json'), 'utf8'));
  manifest.store.root = path.join(copy, 'gone');
  writeFileSync(path.join(copy, 'manifest.json'), JSON.stringify(manifest));
  const out = scratch('videos');
  const v = await sideBySideVideos(readRunFolder(copy), out, 5);
  assert.ok(!('reason' in v) && /^the suite's videos/.test(v.source));
  if ('reason' in v) return;
  // the suite wrote two videos per method
  assert.equal(
    v.rows.map((r) => r.index),
    [0, 1],
  );
  assert.equal(
    await framesOf(path.join(out, 'videos', '0-pyramid-steps-4.gif')),
    await framesOf(path.join(copy, 'videos', 'pyramid-steps-4', '0.gif')),
  );
  rmSync(path.join(copy, 'videos'), { recursive: true });
  const none = await sideBySideVideos(readRunFolder(copy), out, 5);
  assert.ok(
    'reason' in none && /neither the sample store nor written videos \(outputs\.videos in the suite\) are in /.test(none.reason),
    JSON.stringify(none),
  );
  assert.equal(await sideBySideVideos(readRunFolder(copy), out, 0), { reason: 'no videos asked for (--videos 0)' });
});

test.run();
