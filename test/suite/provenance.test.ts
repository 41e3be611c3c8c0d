import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitState, harnessInfo, HARNESS_ROOT, packageVersions } from '../../src/suite/provenance.ts';

test('package versions come from package-lock.json', async () => {
  const lock = JSON.parse(readFileSync(path.join(HARNESS_ROOT, 'package-lock.json'), 'utf8'));
  const v = await packageVersions();
  assert.is(v.npm.zod, lock.packages['node_modules/zod'].version);
  assert.is(v.npm.typescript, lock.packages['node_modules/typescript'].version);
  assert.ok(!('onnxruntime' in v), "the runtime version is the device's to say");
  assert.is(v.node, process.version);
  assert.is(harnessInfo().version, JSON.parse(readFileSync(path.join(HARNESS_ROOT, 'package.json'), 'utf8')).version);
});

test('git state: the commit and dirty flag of the checkout; outside a checkout, nulls and why', () => {
  const here = gitState();
  assert.match(here.commit ?? '', /^[0-9a-f]{40}$/);
  assert.type(here.dirty, 'boolean');
  const outside = gitState(mkdtempSync(path.join(tmpdir(), 'no-git-')));
  assert.equal([outside.commit, outside.dirty], [null, null]);
  assert.ok((outside.error ?? '').length > 0);
});

test.run();
