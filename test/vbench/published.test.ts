import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregate } from '../../src/vbench/aggregate.ts';
import { DIMENSIONS } from '../../src/vbench/dimensions.ts';
import { parseCsv, parsePublished, PUBLISHED_ROWS, recomputed } from '../../src/vbench/published.ts';

test("the shipped table holds Pyramid Flow's sourced numbers and nothing invented", () => {
  const row = PUBLISHED_ROWS.find((r) => r.model.startsWith('Pyramid Flow'))!;
  assert.equal([row.total, row.quality, row.semantic], [81.72, 84.74, 69.62]);
  assert.equal(row.dimensions, { motion_smoothness: 99.12, dynamic_degree: 64.63 });
  assert.match(row.source, /pyramid-flow.md/);
  assert.is(recomputed(row), null);
});

test('CSV: quoted fields with commas and doubled quotes, labels or ids as columns, blank cells skipped', () => {
  const csv = 'model,source,total,motion smoothness,dynamic_degree\r\n"Model, ""v2""",paper table 1,80.5,98.1,\n';
  const [row] = parsePublished(csv, 'csv', 'rows.csv');
  assert.is(row.model, 'Model, "v2"');
  assert.is(row.total, 80.5);
  assert.equal(row.dimensions, { motion_smoothness: 98.1 });
  assert.throws(() => parseCsv('a,b\n1\n', 'x.csv'), /x.csv line 2: 1 fields, the header has 2/);
  assert.throws(() => parseCsv('a\n"open\n', 'x.csv'), /not closed/);
});

test('a JSON row with all 16 dimensions is recomputed with the aggregate', () => {
  const dims = Object.fromEntries(DIMENSIONS.map((d, i) => [d.id, 50 + i]));
  const [row] = parsePublished(JSON.stringify([{ model: 'm', source: 's', ...dims }]), 'json', 'rows.json');
  const re = recomputed(row)!;
  const a = aggregate(Object.fromEntries(Object.entries(dims).map(([k, v]) => [k, v / 100])));
  assert.ok(Math.abs(re.total - 100 * a.total) < 1e-9);
  assert.ok(Math.abs(re.quality - 100 * a.quality) < 1e-9);
});

test('bad rows are refused with the row and column named', () => {
  assert.throws(() => parsePublished('model,source,total\nm,s,abc\n', 'csv', 'r.csv'), /r.csv row 1.total/);
  assert.throws(
    () => parsePublished('model,source,sharpness\nm,s,1\n', 'csv', 'r.csv'),
    /r.csv row 1: column 'sharpness' is not a VBench dimension/,
  );
  assert.throws(() => parsePublished('[{"source":"s"}]', 'json', 'r.json'), /r.json\[0\].model/);
  assert.throws(() => parsePublished('{}', 'json', 'r.json'), /expected a JSON array/);
});

test.run();
