import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregate } from '../../src/vbench/aggregate.ts';
import { DIMENSIONS } from '../../src/vbench/dimensions.ts';
import type { DimensionOutcome } from '../../src/vbench/evaluate.ts';
import { PUBLISHED_ROWS } from '../../src/vbench/published.ts';
import { formatOutcomes, formatPublished, formatScoreTable } from '../../src/vbench/report.ts';

test('the score table lists all 16 dimensions in percent with notes, then the three scores', () => {
  const scores = Object.fromEntries(DIMENSIONS.map((d) => [d.id, 0.5]));
  const text = formatScoreTable(scores, aggregate(scores), { subject_consistency: 'substitute backbone: colour-gradient-grid-v1' });
  const lines = text.split('\n');
  assert.is(lines.length, 1 + 16 + 1 + 3);
  assert.match(lines[1], /^subject consistency\s+50\.00\s+0\.4144\s+substitute backbone: colour-gradient-grid-v1$/);
  assert.match(text, /total score\s+\d+\.\d\d %/);
  const missing = formatScoreTable({ color: 0.5 }, aggregate({ color: 0.5 }, 'zero'), {});
  assert.match(missing, /scene\s+—\s+0\.0000\s+missing: counted as 0 \(VBench default\)/);
});

test('evaluation outcomes show the computation kind, method and frames per second', () => {
  const outcomes: DimensionOutcome[] = [
    {
      id: 'dynamic_degree',
      computation: 'substitute',
      method: 'flow clg-pyramid (substitute for RAFT)',
      result: { score: 0.25, videos: [] },
      seconds: 2,
      frames: 64,
    },
    {
      id: 'imaging_quality',
      computation: 'not computed',
      method: 'needs MUSIQ ONNX (manifest: musiq)',
      result: null,
      seconds: 0,
      frames: 0,
    },
  ];
  const [, dd, iq] = formatOutcomes(outcomes).split('\n');
  assert.match(dd, /^dynamic degree\s+25\.00\s+0\s+32\.0\s+SUBSTITUTE: flow clg-pyramid/);
  assert.match(iq, /^imaging quality\s+—\s+0\s+—\s+not computed: needs MUSIQ ONNX/);
});

test('published rows print what was stated and say when the aggregate cannot be recomputed', () => {
  const text = formatPublished(PUBLISHED_ROWS);
  assert.match(text, /Pyramid Flow \(768p\)/);
  assert.match(text, /stated:\s+total 81.72\s+quality 84.74\s+semantic 69.62/);
  assert.match(text, /recomputed: needs all 16 dimensions \(2 given\)/);
});

test.run();
