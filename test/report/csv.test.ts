import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Results } from '../../src/suite/contract/results.ts';
import { SAMPLE_COLUMNS, samplesCsv, SUMMARY_COLUMNS, summaryCsv } from '../../src/report/csv.ts';
import { parseCsv } from '../../src/vbench/published.ts';
import type { SampleRow } from '../../src/suite/contract/sample-rows.ts';

test('summary.csv: one row per method and value with every uncertainty field; quotes survive', () => {
  const results = {
    methods: [
      {
        id: 'full (same steps)',
        name: 'full',
        metrics: {
          'fd-pixel': {
            version: 1,
            values: [
              {
                key: 'fd',
                label: 'distance, "pixel" space',
                value: 0.5,
                unit: '(pixel value)^2',
                direction: 'lower',
                uncertainty: { kind: 'stderr', stderr: 0.1, n: 8, method: 'jackknife, 8 groups' },
                measured: false,
                headline: true,
              },
            ],
          },
          throughput: {
            version: 1,
            values: [
              {
                key: 'latencyMs.p50',
                label: 'p50',
                value: null,
                unit: 'ms',
                direction: 'lower',
                uncertainty: { kind: 'none', reason: 'not measured' },
                measured: true,
                note: 'shard 0 only',
              },
              {
                key: 'framesPerSecond',
                label: 'fps',
                value: 300,
                unit: 'frames/s',
                direction: 'higher',
                uncertainty: { kind: 'interval', low: 290, high: 310, level: 0.95, n: 8, method: 'bootstrap' },
                measured: true,
              },
            ],
          },
        },
      },
    ],
  } as unknown as Results;
  const text = summaryCsv(results);
  const rows = parseCsv(text, 'summary.csv');
  assert.equal(Object.keys(rows[0]), [...SUMMARY_COLUMNS]);
  assert.is(rows.length, 3);
  assert.equal(
    [rows[0].method, rows[0].label, rows[0].stderr, rows[0].n, rows[0].uncertainty_method, rows[0].measured, rows[0].headline],
    ['full (same steps)', 'distance, "pixel" space', '0.1', '8', 'jackknife, 8 groups', 'false', 'true'],
  );
  assert.equal(
    [rows[1].value, rows[1].uncertainty, rows[1].uncertainty_method, rows[1].note],
    ['', 'none', 'not measured', 'shard 0 only'],
  );
  assert.equal([rows[2].low, rows[2].high, rows[2].level, rows[2].direction], ['290', '310', '0.95', 'higher']);
});

test('samples.csv: per-sample rows of every method, missing fields empty', () => {
  const row: SampleRow = {
    method: 'pyramid',
    index: 3,
    condition: 'prompt:a, b',
    label: null,
    prompt: 'a, b',
    repeat: 1,
    seed: 0,
    key: 'k',
    nfe: 30,
    tokensPerSample: 10,
    flopsPerSample: null,
    generationSeconds: 0.25,
  };
  const rows = parseCsv(samplesCsv([row]), 'samples.csv');
  assert.equal(Object.keys(rows[0]), [...SAMPLE_COLUMNS]);
  assert.equal([rows[0].condition, rows[0].label, rows[0].flopsPerSample, rows[0].generationSeconds], ['prompt:a, b', '', '', '0.25']);
});

test.run();
