import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tensorToFrames } from '../../src/data/quantize.ts';
import { shapesBatch, shapesVideo } from '../../src/data/shapes.ts';
import { writeVideo } from '../../src/data/video.ts';
import { writeFileAtomic } from '../../src/io/atomic.ts';
import { encodeNpz, npyArray } from '../../src/io/npy.ts';
import { FULL_SCORES } from '../helpers/vbench-scores.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'pyramid-bench.js');
const dir = mkdtempSync(path.join(tmpdir(), 'vbench-cli-'));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });

// the hand-worked set of test/helpers/vbench-scores.ts: Quality 80.71249, Semantic 70.95860, Total 78.76172 (percent)
const scores = FULL_SCORES;
const resultsFile = (file: string, ids: string[]) => {
  writeFileSync(
    file,
    JSON.stringify(Object.fromEntries(ids.map((id) => [id, [scores[id], [{ video_path: 'v-0.mp4', video_results: scores[id] }]]]))),
  );
  return file;
};

test('vbench score prints the 16 dimensions and the three scores; --json gives them in percent', () => {
  const file = resultsFile(path.join(dir, 'full_eval_results.json'), Object.keys(scores));
  const text = cli('vbench', 'score', file);
  assert.is(text.status, 0, text.stderr);
  assert.match(text.stdout, /overall consistency\s+27\.00/);
  assert.match(text.stdout, /quality score\s+80\.71 %\nsemantic score\s+70\.96 %\ntotal score\s+78\.76 %/);
  const json = cli('vbench', 'score', file, '--json');
  const out = JSON.parse(json.stdout);
  assert.equal([out.quality, out.semantic, out.total], [80.7125, 70.9586, 78.7617]);
  assert.is(out.dimensions.scene, 50);
});

test('results split over two files merge; a missing dimension is an error unless --missing zero', () => {
  const a = resultsFile(path.join(dir, 'a_eval_results.json'), Object.keys(scores).slice(0, 7));
  const b = resultsFile(path.join(dir, 'b_eval_results.json'), Object.keys(scores).slice(7));
  assert.is(JSON.parse(cli('vbench', 'score', a, b, '--json').stdout).total, 78.7617);
  const missing = cli('vbench', 'score', a);
  assert.is(missing.status, 1);
  assert.match(missing.stderr, /no score for object_class, multiple_objects, .*--missing zero/);
  const zero = JSON.parse(cli('vbench', 'score', a, '--missing', 'zero', '--json').stdout);
  // all semantic dimensions at 0: appearance style normalises to (0 - 0.0009) / 0.2846, so Semantic = -0.00316 / 9 = -0.0351 %
  assert.is(zero.semantic, -0.0351);
  assert.is(zero.defaulted.length, 9);
});

test('vbench eval on a folder of mp4 clips writes VBench-shaped results, a summary and per-video JSON; score reads them back', async () => {
  const clips = path.join(dir, 'clips');
  for (let i = 0; i < 3; i++)
    await writeVideo(
      path.join(clips, `${i}.mp4`),
      tensorToFrames(shapesVideo(0, i, { frames: 8, height: 32, width: 32 }).values, 3, 8, 32, 32),
      32,
      32,
      8,
    );
  const out = path.join(dir, 'eval');
  const r = cli(
    'vbench',
    'eval',
    clips,
    '--out',
    out,
    '--name',
    'shapes',
    '--dims',
    'dynamic_degree,subject_consistency,imaging_quality',
    '--json',
  );
  assert.is(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(
    summary.dimensions.map((d: { id: string; computation: string }) => [d.id, d.computation]),
    [
      ['subject_consistency', 'substitute'],
      ['dynamic_degree', 'substitute'],
      ['imaging_quality', 'not computed'],
    ],
  );
  const results = JSON.parse(readFileSync(path.join(out, 'shapes_eval_results.json'), 'utf8'));
  assert.equal(Object.keys(results).sort(), ['dynamic_degree', 'subject_consistency']);
  assert.is(results.dynamic_degree[1].length, 3);
  assert.is(typeof results.dynamic_degree[1][0].video_results, 'boolean');
  assert.is(readdirSync(path.join(out, 'per-video')).length, 3);
  const scored = cli('vbench', 'score', path.join(out, 'shapes_eval_results.json'), '--missing', 'zero');
  assert.is(scored.status, 0, scored.stderr);
  assert.match(scored.stdout, /subject consistency\s+\d+\.\d\d\s+[-\d.]+\s+substitute backbone: colour-gradient-grid-v1/);
  assert.match(scored.stdout, /dynamic degree\s+\d+\.\d\d\s+[-\d.]+\s+substitute network: clg-pyramid/);
});

test('vbench videos writes a sample store as {prompt}-{index}.mp4; vbench published prints the shipped rows', () => {
  const store = path.join(dir, 'shapes.npz');
  writeFileAtomic(
    store,
    encodeNpz({ samples: npyArray(shapesBatch(0, 0, 3, { frames: 4, height: 16, width: 16 }).values, [3, 3, 4, 16, 16]) }),
  );
  const prompts = path.join(dir, 'prompts.json');
  writeFileSync(prompts, JSON.stringify(['a red disk', 'a blue disk', 'a red disk']));
  const out = path.join(dir, 'named');
  const r = cli('vbench', 'videos', store, '--out', out, '--prompts', prompts, '--fps', '8');
  assert.is(r.status, 0, r.stderr);
  assert.equal(readdirSync(out).sort(), ['a blue disk-0.mp4', 'a red disk-0.mp4', 'a red disk-1.mp4']);
  const bad = cli('vbench', 'videos', store, '--out', out, '--prompt', 'x', '--prompts', prompts);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /exactly one of --prompt/);
  const pub = cli('vbench', 'published');
  assert.match(pub.stdout, /Pyramid Flow \(768p\)[\s\S]*total 81.72/);
  assert.ok(!existsSync(path.join(out, 'a red disk-2.mp4')));
});

test('an unknown subcommand or dimension exits with a message', () => {
  const r = cli('vbench', 'frobnicate');
  assert.is(r.status, 2);
  assert.match(r.stderr, /subcommand 'frobnicate' is not known; allowed: score, eval, videos, published/);
  const d = cli('vbench', 'eval', dir, '--dims', 'scene');
  assert.is(d.status, 2);
  assert.match(d.stderr, /'scene' needs networks the harness cannot run/);
});

test.run();
