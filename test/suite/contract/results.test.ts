import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertComparable, deterministicValues, differences, readResults, type Results } from '../../../src/suite/contract/results.ts';
import { loadedSuite, rawSuite } from '../../helpers/suites.ts';
import { lockedSettings } from '../../../src/suite/plan.ts';

const locked = (raw = rawSuite()) => lockedSettings(loadedSuite(raw), '0.1.0', { 'fd-pixel': 1, cost: 1, throughput: 1 }, 96);
const results = (l = locked()) => ({ locked: l }) as unknown as Results;

test('differences name each path with both values', () => {
  assert.equal(differences({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] }, d: 'x' }), ['b.c: [1,2] vs [1,3]', 'd: missing vs "x"']);
  assert.equal(differences({ a: 1 }, { a: 1 }), []);
});

test('results with different locked settings are refused, naming every difference', () => {
  const a = results();
  assertComparable(a, results(), 'compare', ['A', 'B']);
  const b = results(locked(rawSuite({ seed: 3, metrics: [{ name: 'fd-pixel', options: { downsample: 1 } }, { name: 'cost' }] })));
  assert.throws(
    () => assertComparable(a, b, 'compare', ['A', 'B']),
    (e: Error) =>
      /cannot compare A and B: their locked settings differ/.test(e.message) &&
      /metrics: /.test(e.message) &&
      /seed: 0 vs 3/.test(e.message),
  );
  // methods are what is compared, so they are not locked
  const other = results(locked(rawSuite({ methods: [{ name: 'x', model: 'analytic:tiny-video', sampler: 'full' }] })));
  assertComparable(a, other, 'compare', ['A', 'B']);
});

test('deterministic values leave out wall-clock measurements; reading checks the schema tag', () => {
  const r = {
    methods: [
      {
        id: 'm',
        metrics: {
          x: {
            version: 1,
            values: [
              { key: 'a', measured: false },
              { key: 'b', measured: true },
            ],
          },
        },
      },
    ],
  } as unknown as Results;
  assert.equal(Object.keys(deterministicValues(r).m), ['x.a']);
  const dir = mkdtempSync(path.join(tmpdir(), 'results-'));
  writeFileSync(path.join(dir, 'results.json'), JSON.stringify({ schema: 'other@9' }));
  assert.throws(() => readResults(dir), /schema 'other@9'; this harness reads 'pyramid-bench\/results@1'/);
});

test.run();
