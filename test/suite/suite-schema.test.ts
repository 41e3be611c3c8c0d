import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSuite, parseSuite, samplesPerMethod } from '../../src/suite/suite-schema.ts';
import { rawSuite } from '../helpers/suites.ts';
import { badInput } from '../helpers/case-ledger.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'suite-schema-'));

test('a suite parses with explicit defaults filled in', () => {
  const s = parseSuite(rawSuite({ seed: undefined, reference: undefined, outputs: undefined }), 's.yaml');
  assert.is(s.seed, 0);
  assert.equal(s.reference, { source: 'auto', seed: 1_000_003 });
  // no guidance given: each model set's default applies (else none)
  assert.is(s.guidance, undefined);
  assert.equal(s.outputs, { samples: 'none', costTable: false });
  assert.equal(s.methods[0].settings, { stepsPerStage: [3, 3, 3] });
  // metric options are parsed by the metric, defaults included
  assert.equal(s.metrics[0].options, { downsample: 0, frameStride: 1, maxDimension: 4096, jackknifeGroups: 10 });
});

test('unknown keys and bad values name the field, the value and what is allowed', () => {
  assert.throws(
    () => parseSuite(rawSuite({ smaples: 4 }), 's.yaml'),
    (e: Error) => /^s\.yaml: unknown key 'smaples'; allowed: format, name, version/.test(e.message),
  );
  assert.throws(() => parseSuite(rawSuite({ format: 2 }), 's.yaml'), /s\.yaml\.format: .*expected 1.*\(got 2\)/);
  assert.throws(() => parseSuite({ version: 1, name: 'x', task: 'fid' }, 's.yaml'), /s\.yaml: not a runner suite: it has no 'format'/);
  const methods = [{ name: 'p', model: 'analytic:tiny-image', sampler: 'ddim' }];
  assert.throws(
    () => parseSuite(rawSuite({ methods }), 's.yaml'),
    /s\.yaml\.methods\[0\]\.sampler: Invalid option: expected one of "cascade"\|"full"\|"pyramid" \(got "ddim"\)/,
  );
  assert.throws(
    () => parseSuite(rawSuite({ metrics: [{ name: 'fid' }] }), 's.yaml'),
    /s\.yaml\.metrics\[0\]\.name: Invalid option: expected one of .*"fd-pixel"/,
  );
  assert.throws(
    () => parseSuite(rawSuite({ metrics: [{ name: 'fd-pixel', options: { downsample: -1 } }] }), 's.yaml'),
    /s\.yaml\.metrics\[0\]\.options\.downsample: .*>=0 \(got -1\)/,
  );
  assert.throws(
    () => parseSuite(rawSuite({ conditions: { kind: 'classes' } }), 's.yaml'),
    /s\.yaml\.conditions\.kind: .*'unconditional' \| 'class-balanced' \| 'class' \| 'prompts'/,
  );
  assert.throws(
    () => parseSuite(rawSuite({ outputs: { videos: { format: 'mp4', naming: 'clip' } } }), 's.yaml'),
    /outputs\.videos\.naming: use a file name .*\{index\}/,
  );
});

test('samples: required with class or no conditions, refused with prompts; names, sweeps and metrics unique', () => {
  assert.throws(() => parseSuite(rawSuite({ samples: undefined }), 's.yaml'), /s\.yaml\.samples: required/);
  assert.throws(
    () => parseSuite(rawSuite({ conditions: { kind: 'prompts', file: 'p.txt', samplesPerPrompt: 5 } }), 's.yaml'),
    /s\.yaml\.samples: not allowed with conditions\.kind 'prompts'/,
  );
  const twice = rawSuite();
  (twice.methods as { name: string }[])[1].name = 'pyramid';
  assert.throws(() => parseSuite(twice, 's.yaml'), /methods\[1\]\.name: 'pyramid' is used by an earlier method/);
  assert.throws(
    () => parseSuite(rawSuite({ metrics: [{ name: 'cost' }, { name: 'cost' }] }), 's.yaml'),
    /metrics\[1\]: 'cost' is listed twice; give each use of a metric its own id/,
  );
  // the same metric twice with distinct ids is allowed: results call them by their ids
  const two = parseSuite(rawSuite({ metrics: [{ name: 'cost' }, { name: 'cost', id: 'cost-again' }] }), 's.yaml');
  assert.equal(
    two.metrics.map((m) => m.key),
    ['cost', 'cost-again'],
  );
});

test('a loaded suite: the hash ignores comments and layout; prompt files are read relative to the suite', () => {
  const a = path.join(dir, 'a.yaml');
  const b = path.join(dir, 'b.yaml');
  writeFileSync(a, 'format: 1\nname: x\nversion: 1\nsamples: 8\nmethods: [{name: p, model: "analytic:tiny-image", sampler: pyramid}]\n');
  writeFileSync(
    b,
    '# a comment\nformat: 1\nname: x\nversion: 1\nsamples: 8\nmethods:\n  - {name: p, model: "analytic:tiny-image", sampler: pyramid}\n',
  );
  assert.is(loadSuite(a).hash, loadSuite(b).hash);
  assert.is.not(loadSuite(a).fileHash, loadSuite(b).fileHash);
  writeFileSync(path.join(dir, 'prompts.txt'), 'a cat\n\na dog\n');
  const p = path.join(dir, 'p.yaml');
  writeFileSync(
    p,
    'format: 1\nname: x\nversion: 1\nconditions: {kind: prompts, file: prompts.txt, samplesPerPrompt: 3}\nmethods: [{name: p, model: "analytic:tiny-image", sampler: pyramid}]\n',
  );
  const loaded = loadSuite(p);
  assert.equal(loaded.prompts, ['a cat', 'a dog']);
  assert.is(samplesPerMethod(loaded), 6);
  writeFileSync(
    p,
    'format: 1\nname: x\nversion: 1\nconditions: {kind: prompts, file: missing.txt, samplesPerPrompt: 3}\nmethods: [{name: p, model: "analytic:tiny-image", sampler: pyramid}]\n',
  );
  assert.throws(() => loadSuite(p), /conditions\.file: prompt list .*missing\.txt cannot be read/);
  writeFileSync(p, 'format: 1\nname: [x\n');
  assert.throws(() => loadSuite(p), /is not valid YAML/);
});

test('counts beyond what the planner can hold are refused with the field before anything is allocated', () =>
  badInput('resource limits', "suite samples and chunk sizes beyond the planner's limits", () => {
    assert.throws(
      () => parseSuite(rawSuite({ samples: 1e8 }), 's.yaml'),
      /^s\.yaml\.samples: allowed: at most 250000 samples per method .*\(got 100000000\)/,
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'suite-limits-'));
    writeFileSync(path.join(dir, 'p.txt'), 'a\nb\nc\n');
    writeFileSync(
      path.join(dir, 's.yaml'),
      JSON.stringify(rawSuite({ samples: undefined, conditions: { kind: 'prompts', file: 'p.txt', samplesPerPrompt: 100_000 } })),
    );
    assert.throws(
      () => loadSuite(path.join(dir, 's.yaml')),
      /s\.yaml\.conditions\.samplesPerPrompt: 3 prompts x 100000 = 300000 samples per method; allowed: at most 250000/,
    );
  }));

test('the shipped suites parse', () => {
  for (const name of ['default', 'analytic', 'vbench']) {
    const loaded = loadSuite(path.join('suites', `${name}.yaml`));
    assert.is(loaded.suite.name, name);
  }
  assert.is(samplesPerMethod(loadSuite('suites/vbench.yaml')), 4730);
});

test.run();
