import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatResults, mergeResults, parseResults, substituteBackbone } from '../../src/vbench/results.ts';
import { badInput } from '../helpers/case-ledger.ts';

// the shape VBench writes (values as in its code: booleans for dynamic degree, 0-100 for imaging quality)
const vbenchFile = {
  subject_consistency: [
    0.9512,
    [
      { video_path: 'videos/a cat-0.mp4', video_results: 0.95 },
      { video_path: 'videos/a cat-1.mp4', video_results: 0.9524 },
    ],
  ],
  background_consistency: [0.96, [{ video_path: 'videos/a cat-0.mp4', video_results: 0.96, video_sim: 14.4, cnt_per_video: 15 }]],
  dynamic_degree: [
    0.5,
    [
      { video_path: 'a-0.mp4', video_results: true },
      { video_path: 'a-1.mp4', video_results: false },
    ],
  ],
  imaging_quality: [0.6712, [{ video_path: 'a-0.mp4', video_results: 67.12 }]],
};

test("VBench's own results file parses; extra per-video keys are kept", () => {
  const r = parseResults(vbenchFile, 'x_eval_results.json');
  assert.is(r.subject_consistency!.score, 0.9512);
  assert.is(r.dynamic_degree!.videos[0].video_results, true);
  assert.is(r.background_consistency!.videos[0].cnt_per_video, 15);
  assert.is(r.imaging_quality!.videos[0].video_results, 67.12);
});

test('our files round trip through the VBench shape', () => {
  const r = parseResults(vbenchFile, 'a');
  const text = formatResults(r);
  assert.equal(JSON.parse(text), vbenchFile);
  assert.equal(parseResults(JSON.parse(text), 'b'), r);
});

test('malformed files are refused with the path of the bad field', () =>
  badInput('numbers', 'malformed VBench results files (scores outside [0, 1] among them)', () => {
    assert.throws(() => parseResults({ sharpness: [1, []] }, 'f.json'), /f.json: key 'sharpness' is not a VBench dimension/);
    assert.throws(() => parseResults({ color: [0.5] }, 'f.json'), /f.json.color/);
    assert.throws(() => parseResults({ color: [0.5, [{ video_results: 1 }]] }, 'f.json'), /f.json.color\[1\]\[0\].video_path/);
    assert.throws(() => parseResults([1, 2], 'f.json'), /f.json/);
    // a dimension score outside [0, 1] is refused naming the file, the dimension and the value
    assert.throws(
      () => parseResults({ color: [1e9, []] }, 'f.json'),
      /^f.json.color\[0\]: color score is 1000000000; allowed: a number in \[0, 1\]$/,
    );
    assert.throws(() => parseResults({ dynamic_degree: [-0.1, []] }, 'f.json'), /dynamic_degree score is -0.1/);
  }));

test('merging results from several files; a dimension twice is an error naming both files', () => {
  const a = parseResults({ color: [0.5, []] }, 'a.json');
  const b = parseResults({ scene: [0.4, []] }, 'b.json');
  const m = mergeResults([
    { results: a, source: 'a.json' },
    { results: b, source: 'b.json' },
  ]);
  assert.equal(Object.keys(m.results).sort(), ['color', 'scene']);
  assert.equal(m.sources, { color: 'a.json', scene: 'b.json' });
  assert.throws(
    () =>
      mergeResults([
        { results: a, source: 'a.json' },
        { results: a, source: 'c.json' },
      ]),
    /color appears in both a.json and c.json/,
  );
});

test('substitute backbones are read from the per-video entries', () => {
  const r = parseResults(
    {
      subject_consistency: [0.9, [{ video_path: 'x', video_results: 0.9, backbone: 'substitute:colour-gradient-grid-v1' }]],
      color: [0.5, [{ video_path: 'x', video_results: 0.5 }]],
    },
    'f',
  );
  assert.is(substituteBackbone(r.subject_consistency!), 'substitute:colour-gradient-grid-v1');
  assert.is(substituteBackbone(r.color!), null);
});

test.run();
