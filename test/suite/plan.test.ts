import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planRun } from '../../src/suite/plan.ts';
import { rejects } from '../helpers/assert.ts';
import { loadedSuite, rawSuite } from '../helpers/suites.ts';

test('methods are paired: sample i has the same condition in every method; keys differ by method', async () => {
  const run = await planRun(loadedSuite(), {});
  const [a, b] = run.methods;
  assert.equal(a.items.map((i) => i.conditionKey), b.items.map((i) => i.conditionKey));
  assert.is(a.items[5].conditionKey, 'class:1');
  assert.is.not(a.keys[5], b.keys[5]);
  assert.is(new Set(a.keys).size, 96);
  assert.equal([run.samples, run.chunks], [96, 3]);
  assert.is(a.reference!.id, 'analytic-target:tiny-image');
  assert.equal(a.meta.shape, [1, 1, 8, 8]);
  assert.is(a.context.protocolVideos, 96);
  assert.equal(run.locked.metrics.map((m) => [m.name, m.version]), [['fd-pixel', 1], ['cost', 1], ['throughput', 1]]);
});

test('a distance metric without a reference, and a metric that does not fit a method, are refused by suite field', async () => {
  await rejects(() => planRun(loadedSuite(rawSuite({ reference: { source: 'none' } })), {}), /test\.yaml\.reference\.source: 'none', but metric 'fd-pixel' compares with reference samples/);
  await rejects(() => planRun(loadedSuite(rawSuite({ metrics: [{ name: 'fd-pixel', options: { maxDimension: 10 } }] })), {}), /test\.yaml\.metrics\[0\] \(fd-pixel\): fd-pixel \(pyramid\): feature dimension 64/);
});

test('with deferMissingArgs, methods that need arguments are listed instead of refused', async () => {
  const raw = rawSuite({ args: { model: { description: 'a package' } }, methods: [{ name: 'p', model: { $arg: 'model' }, sampler: 'pyramid' }, { name: 'q', model: 'analytic:tiny-image', sampler: 'cascade' }] });
  const run = await planRun(loadedSuite(raw), {}, { deferMissingArgs: true });
  assert.equal(run.methods.map((m) => m.method.id), ['q']);
  assert.equal(run.deferred.map((m) => m.id), ['p']);
  await rejects(() => planRun(loadedSuite(raw), {}), /needs --arg model=<value> \(a package\)/);
});

test.run();
