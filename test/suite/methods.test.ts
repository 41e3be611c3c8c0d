import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { modelSetHash, resolveMethods } from '../../src/suite/methods.ts';
import { expandMethods } from '../../src/suite/sweep.ts';
import { parseSuite } from '../../src/suite/suite-schema.ts';
import { analyticModelSet } from '../../src/models/analytic/backend.ts';
import { analyticPreset } from '../../src/models/analytic/presets.ts';
import { rejects } from '../helpers/assert.ts';
import { rawSuite } from '../helpers/suites.ts';
import { modelSetSpec } from '../../src/models/contract/velocity-model.ts';
import { closeMethods } from '../../src/suite/methods.ts';
import { loadSuite } from '../../src/suite/suite-schema.ts';
import { OFFICIAL_NEGATIVE_PROMPT, OFFICIAL_PROMPT_SUFFIX } from '../../src/models/package/model-set.ts';
import { writeTextPackage } from '../helpers/text-package.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeNpz, npyArray } from '../../src/io/npy.ts';

test('methods resolve: models loaded once per reference, settings filled by the sampler, shape fixed', async () => {
  const suite = parseSuite(
    rawSuite({
      frames: 2,
      methods: [
        { name: 'a', model: 'analytic:tiny-video', sampler: 'pyramid', settings: { stepsPerStage: [3, 3, 3] } },
        { name: 'b', model: 'analytic:tiny-video', sampler: 'full', settings: { steps: 5 } },
      ],
    }),
    's.yaml',
  );
  const loads: string[] = [];
  const methods = await resolveMethods(expandMethods(suite, {}), suite, 's.yaml', async (ref) => {
    loads.push(ref);
    return analyticModelSet(analyticPreset(ref.split(':')[1]));
  });
  assert.equal(loads, ['analytic:tiny-video']);
  assert.equal(methods[0].shape, [1, 2, 8, 8]);
  assert.equal((methods[0].parsedSettings as { videoStepsPerStage: number[] }).videoStepsPerStage, [10, 10, 10]);
  assert.is(methods[0].modelHash, methods[1].modelHash);
  assert.is(modelSetSpec(methods[0].models).role, 'pyramid');
  assert.is.not(modelSetHash(analyticModelSet(analyticPreset('tiny-image'))), methods[0].modelHash);
});

test('bad settings, unknown presets, missing arguments and too many frames name the method', async () => {
  const bad = parseSuite(
    rawSuite({ methods: [{ name: 'p', model: 'analytic:tiny-image', sampler: 'pyramid', settings: { stepsPerStage: [0, 1, 1] } }] }),
    's.yaml',
  );
  await rejects(
    () => resolveMethods(expandMethods(bad, {}), bad, 's.yaml'),
    /s\.yaml\.methods\[0\] \(p\)\.settings: pyramid settings\.stepsPerStage\[0\]/,
  );
  const unknown = parseSuite(rawSuite({ methods: [{ name: 'p', model: 'analytic:nope', sampler: 'pyramid' }] }), 's.yaml');
  await rejects(
    () => resolveMethods(expandMethods(unknown, {}), unknown, 's.yaml'),
    /methods\[0\] \(p\)\.model 'analytic:nope': Unknown analytic preset 'nope'/,
  );
  const arg = parseSuite(
    rawSuite({
      args: { model: { description: 'a text-to-video package' } },
      methods: [{ name: 'p', model: { $arg: 'model' }, sampler: 'pyramid' }],
    }),
    's.yaml',
  );
  await rejects(
    () => resolveMethods(expandMethods(arg, {}), arg, 's.yaml'),
    /suite 'test' needs --arg model=<value> \(a text-to-video package\); none was given/,
  );
  const frames = parseSuite(rawSuite({ frames: 4, methods: [{ name: 'p', model: 'analytic:tiny-video', sampler: 'pyramid' }] }), 's.yaml');
  await rejects(
    () => resolveMethods(expandMethods(frames, {}), frames, 's.yaml'),
    /s\.yaml\.frames: 4 frames asked for, but analytic:tiny-video \(p\) generates at most 3/,
  );
});

test("guidance: Pyramid-Flow's first-frame scale 0 runs as 1 (recorded as given), a video scale it would ignore is refused", async () => {
  const suite = (guidance: unknown) =>
    parseSuite(rawSuite({ methods: [{ name: 'p', model: 'analytic:tiny-video', sampler: 'pyramid', guidance }] }), 's.yaml');
  const off = suite({ firstFrame: 0, video: 0 });
  const [m] = await resolveMethods(expandMethods(off, {}), off, 's.yaml');
  assert.equal(m.guidance, { firstFrame: 1, video: 1 });
  assert.equal(m.guidanceGiven, { firstFrame: 0, video: 0 });
  assert.is(m.guidanceSource, 'given');
  assert.is(m.textDefaults, null);
  const ignored = suite({ firstFrame: 0, video: 5 });
  await rejects(
    () => resolveMethods(expandMethods(ignored, {}), ignored, 's.yaml'),
    /^s\.yaml\.methods\[0\] \(p\)\.guidance\.video is 5 with firstFrame 0; Pyramid-Flow's generate\(\) turns guidance off for every frame/,
  );
  assert.throws(
    () => expandMethods(suite({ firstFrame: -2, video: 1 }), {}),
    /guidance.*firstFrame.*use a number >= 0 .*a first-frame scale of 0 = guidance off/,
  );
});

/** A text package with no guidance of its own and no negative prompt; its table holds the official negative prompt. */
function officialTextPackage(): string {
  const dir = writeTextPackage(path.join(mkdtempSync(path.join(tmpdir(), 'methods-text-')), 'pkg'), ['a red disk']);
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  delete m.defaults.guidance;
  delete m.conditioning.negativePrompt;
  const all = ['', OFFICIAL_NEGATIVE_PROMPT, 'a red disk', `a red disk${OFFICIAL_PROMPT_SUFFIX}`];
  const names = new TextEncoder().encode(JSON.stringify(all));
  writeFileSync(
    path.join(dir, 'emb.npz'),
    encodeNpz({
      prompts: npyArray(names, [names.length]),
      embeddings: npyArray(
        Float32Array.from({ length: all.length * 8 }, (_, i) => Math.floor(i / 8)),
        [all.length, 4, 2],
      ),
    }),
  );
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
  return dir;
}

test("a text package that sets none gets the official guidance 7 / 5 and text defaults; 'officialDefaults: false' turns them off", async () => {
  const pkg = officialTextPackage();
  const resolve = async (officialDefaults?: boolean) => {
    const suite = parseSuite(
      rawSuite({
        samples: undefined,
        conditions: { kind: 'prompts', file: 'p.txt', samplesPerPrompt: 2 },
        reference: { source: 'none' },
        ...(officialDefaults === undefined ? {} : { officialDefaults }),
        methods: [{ name: 'p', model: `onnx:${pkg}`, sampler: 'pyramid' }],
        metrics: [{ name: 'cost' }],
      }),
      's.yaml',
    );
    return resolveMethods(expandMethods(suite, {}), suite, 's.yaml');
  };
  const on = await resolve();
  const off = await resolve(false);
  try {
    assert.equal(on[0].guidance, { firstFrame: 7, video: 5 });
    assert.is(on[0].guidanceSource, 'official');
    assert.equal(on[0].textDefaults?.negativePrompt, { text: OFFICIAL_NEGATIVE_PROMPT, source: 'official' });
    assert.is(on[0].textDefaults?.promptSuffix, OFFICIAL_PROMPT_SUFFIX);
    assert.equal(off[0].guidance, { firstFrame: 1, video: 1 });
    assert.is(off[0].guidanceSource, 'none');
    assert.equal(off[0].textDefaults?.negativePrompt, { text: '', source: 'empty' });
    // samples made under one are never read back for the other
    assert.is.not(on[0].modelHash, off[0].modelHash);
  } finally {
    await closeMethods([...on, ...off]);
  }
});

test('the default suite is untouched by the official defaults: its hash, guidance and model hashes as before them', async () => {
  const loaded = loadSuite('suites/default.yaml');
  // golden model hashes from main at a1b2f05, before the official defaults existed; the suite's hash is version 4's
  // (trained-feature metrics, 48 samples), which the official defaults do not change either
  assert.is(loaded.hash, 'bef0c75f1d90a90c909ff6a800af7f33a5c6fa5d904bd846181f871bd95ceb87');
  const methods = await resolveMethods(expandMethods(loaded.suite, {}, loaded.file), loaded.suite, loaded.file);
  try {
    assert.equal(
      methods.map((m) => [m.id, m.guidance, m.guidanceSource, m.textDefaults, m.modelHash.slice(0, 16)]),
      [
        ['pyramid [checkpoint=onnx:checkpoints/shapes-pyramid-step1000]', { firstFrame: 3, video: 2 }, 'package', null, '5fa1d531bb58e3c8'],
        ['pyramid [checkpoint=onnx:checkpoints/shapes-pyramid-step2000]', { firstFrame: 3, video: 2 }, 'package', null, 'f2bc22a76b90450c'],
        ['pyramid [checkpoint=onnx:checkpoints/shapes-pyramid]', { firstFrame: 3, video: 2 }, 'package', null, 'cf93e6a19df368f8'],
        ['full', { firstFrame: 3, video: 2 }, 'package', null, '4b82a743ee673335'],
        ['cascade', { firstFrame: 3, video: 2 }, 'package', null, '55536a6ec6983bc2'],
      ],
    );
  } finally {
    await closeMethods(methods);
  }
});

test.run();
