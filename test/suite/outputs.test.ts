import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { samplesNpz, videoName } from '../../src/suite/outputs.ts';
import { decodeNpz } from '../../src/io/npy.ts';
import type { SuiteItem } from '../../src/suite/contract/records.ts';
import { readSampleRows, writeSampleRows, type SampleRow } from '../../src/suite/contract/sample-rows.ts';

const item = (index: number, prompt: string | null, label: number | null): SuiteItem => ({
  index,
  condition: { kind: 'unconditional' },
  conditionKey: 'x',
  label,
  prompt,
  repeat: prompt ? index % 5 : null,
});

test("video names: VBench's {prompt}-{repeat}, {index}, {class}; path separators refused", () => {
  assert.is(videoName('{prompt}-{repeat}', item(7, 'a cat, frozen in time', null)), 'a cat, frozen in time-2');
  assert.is(videoName('{class}-{index}', item(7, null, 1)), '1-7');
  assert.throws(() => videoName('{prompt}-{repeat}', item(7, null, 1)), /\{prompt\} needs prompt conditions/);
  assert.throws(() => videoName('{prompt}-{repeat}', item(7, 'a/b', null)), /contains a path separator/);
});

test('per-sample rows are written as JSON lines and CSV sorted by index, and read back', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'outputs-'));
  const row = (index: number): SampleRow => ({
    method: 'p',
    index,
    condition: 'text:a, "b"',
    label: null,
    prompt: 'a, "b"',
    repeat: 0,
    seed: 0,
    key: 'k',
    nfe: 3,
    tokensPerSample: 4,
    flopsPerSample: null,
    generationSeconds: 0.5,
  });
  writeSampleRows(dir, 'p', [row(3), row(1)]);
  assert.equal(
    readSampleRows(dir, 'p').map((r) => r.index),
    [1, 3],
  );
  const csv = readFileSync(path.join(dir, 'samples', 'p.csv'), 'utf8').split('\n');
  assert.is(csv[0], 'method,index,condition,label,prompt,repeat,seed,key,nfe,tokensPerSample,flopsPerSample,generationSeconds');
  assert.is(csv[1], 'p,1,"text:a, ""b""",,"a, ""b""",0,0,k,3,4,,0.5');
  assert.throws(() => readSampleRows(dir, 'q'), /q\.jsonl does not exist/);
});

test('samples as .npz: [N, C, T, H, W] in index order with indices and labels', () => {
  const npz = decodeNpz(
    samplesNpz(
      [
        { item: item(2, null, 1), values: new Float32Array([2, 2]) },
        { item: item(0, null, null), values: new Float32Array([0, 0]) },
      ],
      [1, 1, 1, 2],
    ),
  );
  assert.equal(npz.samples.shape, [2, 1, 1, 1, 2]);
  assert.equal(Array.from(npz.samples.data as Float32Array), [0, 0, 2, 2]);
  assert.equal(Array.from(npz.labels.data as BigInt64Array), [-1n, 1n]);
});

test.run();
