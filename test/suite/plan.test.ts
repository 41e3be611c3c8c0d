import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closePlan, planRun } from '../../src/suite/plan.ts';
import { runSuite } from '../../src/suite/runner.ts';
import { rejects } from '../helpers/assert.ts';
import { loadedSuite, rawSuite } from '../helpers/suites.ts';
import { counts, resetCounts } from '../helpers/counting-models.ts';
import { badInput } from '../helpers/case-ledger.ts';

test('methods are paired: sample i has the same condition in every method; keys differ by method', async () => {
  const run = await planRun(loadedSuite(), {});
  const [a, b] = run.methods;
  assert.equal(
    a.items.map((i) => i.conditionKey),
    b.items.map((i) => i.conditionKey),
  );
  assert.is(a.items[5].conditionKey, 'class:1');
  assert.is.not(a.keys[5], b.keys[5]);
  assert.is(new Set(a.keys).size, 96);
  assert.equal([run.samples, run.chunks], [96, 3]);
  assert.is(a.reference!.id, 'analytic-target:tiny-image');
  assert.equal(a.meta.shape, [1, 1, 8, 8]);
  assert.is(a.context.protocolVideos, 96);
  assert.equal(
    run.locked.metrics.map((m) => [m.name, m.version]),
    [
      ['fd-pixel', 1],
      ['cost', 1],
      ['throughput', 2],
    ],
  );
});

test('a distance metric without a reference, and a metric that does not fit a method, are refused by suite field', async () => {
  await rejects(
    () => planRun(loadedSuite(rawSuite({ reference: { source: 'none' } })), {}),
    /test\.yaml\.reference\.source: 'none', but metric 'fd-pixel' compares with reference samples/,
  );
  await rejects(
    () => planRun(loadedSuite(rawSuite({ metrics: [{ name: 'fd-pixel', options: { maxDimension: 10 } }] })), {}),
    /test\.yaml\.metrics\[0\] \(fd-pixel\): fd-pixel \(pyramid\): feature dimension 64/,
  );
});

test('with deferMissingArgs, methods that need arguments are listed instead of refused', async () => {
  const raw = rawSuite({
    args: { model: { description: 'a package' } },
    methods: [
      { name: 'p', model: { $arg: 'model' }, sampler: 'pyramid' },
      { name: 'q', model: 'analytic:tiny-image', sampler: 'cascade' },
    ],
  });
  const run = await planRun(loadedSuite(raw), {}, { deferMissingArgs: true });
  assert.equal(
    run.methods.map((m) => m.method.id),
    ['q'],
  );
  assert.equal(
    run.deferred.map((m) => m.id),
    ['p'],
  );
  await rejects(() => planRun(loadedSuite(raw), {}), /needs --arg model=<value> \(a package\)/);
});

const countingSuite = (models: readonly string[]) =>
  rawSuite({
    samples: 8,
    chunk: 4,
    batch: 4,
    methods: models.map((model, i) => ({ name: `m${i}`, model, sampler: 'pyramid', settings: { stepsPerStage: [2, 2, 2] } })),
    metrics: [{ name: 'cost' }],
  });
const quiet = { write: () => undefined, tty: false, now: () => performance.now() };
const runOptions = (out: string) => ({
  out: path.join(mkdtempSync(path.join(tmpdir(), 'plan-close-')), out),
  shard: { index: 0, count: 1 },
  progress: quiet,
  log: () => undefined,
  command: ['test'],
});

test('closePlan closes each model set of a plan once (methods sharing a reference share its set), after a run and after a run that throws', async () => {
  resetCounts();
  const plan = await planRun(loadedSuite(countingSuite(['counting:tiny-image', 'counting:tiny-image', 'counting:tiny-video'])), {});
  try {
    await runSuite(plan, runOptions('ok'));
  } finally {
    await closePlan(plan);
  }
  assert.equal(Object.fromEntries(counts), { 'tiny-image': { loads: 1, closes: 1 }, 'tiny-video': { loads: 1, closes: 1 } });

  resetCounts();
  const failing = await planRun(loadedSuite(countingSuite(['counting:tiny-image', 'counting:tiny-video!fail5'])), {});
  await rejects(async () => {
    try {
      await runSuite(failing, runOptions('fails'));
    } finally {
      await closePlan(failing);
    }
  }, /velocity call 5 fails/);
  assert.equal(Object.fromEntries(counts), { 'tiny-image': { loads: 1, closes: 1 }, 'tiny-video!fail5': { loads: 1, closes: 1 } });
});

test('when planning fails, the sets loaded so far are closed before the error', async () => {
  resetCounts();
  const badSettings = countingSuite(['counting:tiny-image', 'counting:tiny-video']);
  (badSettings.methods as Record<string, unknown>[])[1].settings = { stepsPerStage: [0, 1, 1] };
  await rejects(() => planRun(loadedSuite(badSettings), {}), /methods\[1\] \(m1\)\.settings: pyramid settings\.stepsPerStage\[0\]/);
  assert.equal(Object.fromEntries(counts), { 'tiny-image': { loads: 1, closes: 1 }, 'tiny-video': { loads: 1, closes: 1 } });

  resetCounts();
  const noReference = { ...countingSuite(['counting:tiny-image']), reference: { source: 'none' }, metrics: [{ name: 'fd-pixel' }] };
  await rejects(
    () => planRun(loadedSuite(noReference), {}),
    /reference\.source: 'none', but metric 'fd-pixel' compares with reference samples/,
  );
  assert.equal(Object.fromEntries(counts), { 'tiny-image': { loads: 1, closes: 1 } });
});

test('a suite whose methods are all deferred plans on this machine without loading a model', async () => {
  const raw = rawSuite({
    args: { model: { description: 'a package' } },
    methods: [{ name: 'p', model: { $arg: 'model' }, sampler: 'pyramid' }],
  });
  const run = await planRun(loadedSuite(raw), {}, { deferMissingArgs: true });
  assert.equal([run.methods.length, run.deferred.length, run.device.hoursUnit], [0, 1, 'CPU-hours']);
  await closePlan(run);
});

test('an fd reference file that is missing, truncated or not a zip, or an unknown extractor, fails planning before any sample', () =>
  badInput('recovery', 'fd reference files missing, truncated or not a zip, and an unknown extractor (before any sample)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'plan-refs-'));
    const truncated = path.join(dir, 'stats.npz');
    writeFileSync(truncated, Buffer.from('PK\x03\x04 cut short'));
    const fd = (options: Record<string, unknown>) =>
      loadedSuite(rawSuite({ frames: 1, metrics: [{ name: 'fd', options: { extractor: 'random-conv2d-v1', ...options } }] }));
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ reference: { kind: 'file', path: path.join(dir, 'missing.npz') } }, /options\.reference\.path: .*missing\.npz cannot be read: /],
      [{ reference: { kind: 'file', path: truncated } }, /options\.reference\.path: .*stats\.npz cannot be read: /],
      [
        { reference: { kind: 'file', path: path.join(dir, 'no-folder') } },
        /options\.reference\.path: .*no-folder cannot be read: input .* does not exist/,
      ],
      [{ extractor: path.join(dir, 'net.yaml') }, /options\.extractor: feature manifest .*net\.yaml does not exist/],
      [{ extractor: 'inceptoin' }, /options\.extractor: unknown feature extractor 'inceptoin'; allowed: /],
    ];
    for (const [options, pattern] of cases) await rejects(() => planRun(fd(options), {}), pattern);
    // a readable reference plans
    await closePlan(await planRun(fd({ reference: { kind: 'file', path: 'shapes:n=8,size=8' } }), {}));
    assert.not.ok(existsSync(path.join(dir, 'store')));
  }));

test.run();
