/** Provenance rows from a run's manifest, a merge's (shard 0's manifest), or none. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { provenanceOf } from '../../src/report/provenance.ts';
import { readRunFolder } from '../../src/report/run-folder.ts';
import { reportRun, scratch } from '../helpers/report-runs.ts';

test('the suite hash, git commit, packages, machine, seeds and model hashes of the run', async () => {
  const dir = await reportRun('a');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const p = provenanceOf(readRunFolder(dir));
  const rows = Object.fromEntries(p.rows);
  assert.ok(rows['suite hash'].startsWith(manifest.suite.hash));
  assert.ok(rows['git commit'].startsWith(manifest.git.commit));
  assert.match(rows.packages, /^Node\.js v\d+.*; .*chart\.js 4\..*onnxruntime-node 1\./);
  assert.match(rows['model analytic:tiny-video'], /on .*\(cpu, TypeScript \(closed-form velocities\)\)$/);
  assert.match(rows.machine, new RegExp(`${manifest.machine.cores} cores`));
  assert.is(rows.seeds, 'generation 0; reference 1000003; metrics {"throughput":0,"vbench/motion_smoothness":0}');
  assert.ok(rows['model analytic:tiny-video'].startsWith(manifest.models[0].hash));
  assert.equal(
    p.methods.map((m) => [m.id, m.sampler, m.guidance]),
    [
      ['pyramid [steps=2]', 'pyramid', '1 / 1'],
      ['pyramid [steps=4]', 'pyramid', '1 / 1'],
      ['cascade', 'cascade', '1 / 1'],
    ],
  );
});

test("a merged folder shows shard 0's manifest; a folder without one says what is unknown", async () => {
  const copy = scratch('merged');
  cpSync(await reportRun('a'), copy, { recursive: true });
  const shard = JSON.parse(readFileSync(path.join(copy, 'manifest.json'), 'utf8'));
  const other = { ...shard, shard: { index: 1, count: 2 }, git: { ...shard.git, commit: 'f'.repeat(40) } };
  writeFileSync(
    path.join(copy, 'manifest.json'),
    JSON.stringify({ schema: 'pyramid-bench/merge-manifest@1', shards: [other, { ...shard, shard: { index: 0, count: 2 } }] }),
  );
  const merged = readRunFolder(copy);
  assert.is(merged.shardManifests.length, 2);
  const rows = Object.fromEntries(provenanceOf(merged).rows);
  assert.ok(rows['git commit'].startsWith(shard.git.commit) && rows.run.endsWith('; merged from 2 shards'));
  rmSync(path.join(copy, 'manifest.json'));
  assert.match(
    Object.fromEntries(provenanceOf(readRunFolder(copy)).rows).manifest,
    /no manifest\.json in .*: git commit, packages, machine and seeds are unknown/,
  );
});

test.run();
