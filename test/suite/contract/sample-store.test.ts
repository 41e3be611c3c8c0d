import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SampleStore, sampleKey, sampleKeyer, type SampleKeyParts } from '../../../src/suite/contract/sample-store.ts';
import type { SampleRecord } from '../../../src/suite/contract/records.ts';
import { fault } from '../../helpers/case-ledger.ts';

const parts: SampleKeyParts = {
  harness: '0.1.0',
  modelHash: 'm',
  sampler: 'pyramid',
  settings: { stepsPerStage: [3, 3, 3] },
  guidance: { firstFrame: 1, video: 1 },
  frames: 3,
  condition: 'class:1',
  seed: 0,
  index: 5,
};

test('the key changes with every part that determines a sample, and not with key order', () => {
  const base = sampleKey(parts);
  assert.match(base, /^[0-9a-f]{64}$/);
  const changed: Partial<SampleKeyParts>[] = [
    { harness: '0.2.0' },
    { modelHash: 'n' },
    { sampler: 'full' },
    { settings: { stepsPerStage: [3, 3, 4] } },
    { guidance: { firstFrame: 2, video: 1 } },
    { frames: 2 },
    { condition: 'class:0' },
    { seed: 1 },
    { index: 6 },
  ];
  for (const c of changed) assert.is.not(sampleKey({ ...parts, ...c }), base, JSON.stringify(c));
  assert.is(sampleKey({ ...parts, settings: { stepsPerStage: [3, 3, 3] } }), base);
});

test('the keyer gives exactly the keys of sampleKey, also for settings that hold its marks', () => {
  const { condition: _c, index: _i, ...base } = parts;
  for (const b of [base, { ...base, settings: { note: '\u0000condition\u0000', n: [1, 2.5] } }, { ...base, sampler: 'a"b\\' }]) {
    const keyOf = sampleKeyer(b);
    for (const [condition, index] of [
      ['class:1', 5],
      ['text:"quoted" \u00e9\n', 0],
      ['', 123456],
    ] as const)
      assert.is(keyOf(condition, index), sampleKey({ ...b, condition, index }), `${condition} ${index}`);
  }
});

test('samples round-trip bit for bit; reads are counted as hits and misses; a record without values is a miss', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'store-'));
  const store = new SampleStore(root);
  const key = sampleKey(parts);
  assert.is(store.readSample(key), null);
  const values = Float32Array.from({ length: 1 * 3 * 2 * 2 }, (_, i) => Math.fround(i / 7 - 0.3));
  const record: SampleRecord = {
    key,
    index: 5,
    condition: 'class:1',
    seed: 0,
    shape: [1, 3, 2, 2],
    cost: { nfe: 9, tokensPerSample: 10, flopsPerSample: null, stages: [] },
    generationSeconds: 0.1,
    decodeSeconds: 0,
    stageSeconds: [],
    batchSize: 1,
    resolved: null,
  };
  store.writeSample(record, values);
  const back = store.readSample(key)!;
  assert.equal(Array.from(back.values), Array.from(values));
  assert.equal(back.record, record);
  assert.equal(store.counts.samples, { hits: 1, misses: 1, writes: 1 });
  rmSync(path.join(root, 'samples', key.slice(0, 2), `${key}.npy`));
  assert.is(store.hasSample(key), false);
  assert.throws(() => store.writeSample({ ...record, shape: [1, 3, 2, 3] }, values), /has 12 values for shape \[1, 3, 2, 3\]/);
  assert.throws(() => store.readSample('nothex'), /not a SHA-256 hex digest/);
});

test('states and timings are stored under their keys', () => {
  const store = new SampleStore(mkdtempSync(path.join(tmpdir(), 'store-')));
  const key = sampleKey(parts);
  const bytes = (b: Uint8Array) => Array.from(b);
  assert.is(store.readState(key, bytes), null);
  store.writeState(key, new Uint8Array([1, 2, 3]));
  assert.equal(store.readState(key, bytes), [1, 2, 3]);
  store.writeTiming(key, { a: 1 });
  assert.equal(store.readTiming(key), { a: 1 });
  assert.equal(store.counts.states, { hits: 1, misses: 1, writes: 1 });
});

test('a state the decoder refuses is set aside as damaged, reported with its path, and read as a miss', () =>
  fault('recovery', 'a state the decoder refuses (the store)', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'store-'));
    const reports: string[] = [];
    const store = new SampleStore(root, (line) => reports.push(line));
    const key = sampleKey(parts);
    store.writeState(key, new Uint8Array([]));
    const refuse = (_: Uint8Array, where: string) => {
      throw new RangeError(`${where}: not a zip archive`);
    };
    assert.is(store.readState(key, refuse), null);
    const file = path.join(root, 'states', key.slice(0, 2), `${key}.npz`);
    assert.is(store.damaged.length, 1);
    assert.is(store.damaged[0].file, file);
    assert.match(store.damaged[0].movedTo, `${file}.damaged-`);
    assert.ok(reports[0].includes(file) && reports[0].includes('not a zip archive'), reports[0]);
    assert.is(store.readState(key, refuse), null);
    assert.equal(store.counts.states, { hits: 0, misses: 2, writes: 1 });
  }));

test.run();
