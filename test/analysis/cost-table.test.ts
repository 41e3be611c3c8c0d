import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  costRow,
  costTable,
  costTableMarkdown,
  equalStepsCheckConfig,
  paperConfigs,
  type CostConfig,
} from '../../src/analysis/cost-table.ts';

test("the equal-steps check reproduces the spec's 0.4375 token share (section 6)", () => {
  const row = costRow(equalStepsCheckConfig());
  assert.ok(Math.abs(row.tokenRatio.fullAutoregressive - 0.4375) < 1e-15, String(row.tokenRatio.fullAutoregressive));
  // attention is quadratic in tokens, so the FLOP share is below the token share
  assert.ok(row.flopsRatio.fullAutoregressive < 0.4375);
  assert.is(row.pyramid.historyTokenShare, 0);
  assert.is(costTable().equalStepsTokenShare, 0.4375);
});

test('two frames by hand: the history is the previous frame at each stage\u2019s own resolution; guidance doubles evaluations', () => {
  const config: CostConfig = {
    ...paperConfigs()[0],
    frames: 2,
    height: 16,
    width: 16,
    patchSize: 2,
    stepsPerStage: [4, 4, 4],
    videoStepsPerStage: [2, 2, 2],
    guidance: { firstFrame: 3, video: 3 },
  };
  // tokens per frame at stages 0, 1, 2: 2x2, 4x4 and 8x8 patches
  const t = [4, 16, 64];
  const frame0 = 4 * (t[0] + t[1] + t[2]);
  const frame1 = 2 * (2 * t[0] + 2 * t[1] + 2 * t[2]);
  const row = costRow(config);
  assert.is(row.pyramid.tokensPerSample, 2 * (frame0 + frame1));
  assert.is(row.pyramid.nfe, 2 * (12 + 6));
  assert.is(row.pyramid.historyTokenShare, (2 * (t[0] + t[1] + t[2])) / (frame0 + frame1));
  // full autoregressive: 12 steps on frame 0, 6 steps on frame 1 with frame 0 as history, all at 64 tokens
  assert.is(row.fullAutoregressive.tokensPerSample, 2 * (12 * 64 + 6 * 128));
  // full sequence: 6 steps on both frames jointly; cascade: 2 steps per stage on both frames
  assert.is(row.fullSequence.tokensPerSample, 2 * 6 * 128);
  assert.is(row.cascade.tokensPerSample, 2 * 2 * 2 * (t[0] + t[1] + t[2]));
});

test('the paper settings: 384p and 768p, 5 s and 10 s; longer videos spend more of their tokens on history', () => {
  const table = costTable();
  assert.equal(
    table.rows.map((r) => [r.config.name, r.config.frames, r.config.height, r.config.width]),
    [
      ['384p, 5 s', 16, 48, 80],
      ['384p, 10 s', 31, 48, 80],
      ['768p, 5 s', 16, 96, 160],
      ['768p, 10 s', 31, 96, 160],
      ['check: 1 frame, [20, 20, 20], no guidance', 1, 96, 160],
    ],
  );
  assert.ok(table.rows[1].pyramid.historyTokenShare > table.rows[0].pyramid.historyTokenShare);
  for (const r of table.rows.slice(0, 4)) assert.ok(r.flopsRatio.fullAutoregressive < 0.1 && r.flopsRatio.fullSequence < 1, r.config.name);
  const md = costTableMarkdown(table);
  assert.match(md, /\| 768p, 5 s \| 16 x 96 x 160 \|/);
  assert.match(md, /0\.4375/);
  assert.match(md, /SD3-medium-like/);
});

test.run();
