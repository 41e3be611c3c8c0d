import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expandMethods } from '../../src/suite/sweep.ts';
import { parseSuite } from '../../src/suite/suite-schema.ts';
import { rawSuite } from '../helpers/suites.ts';
import { slugOf } from '../../src/suite/contract/results.ts';

const steps = { $sweep: 'steps' };

test('a method expands over the cartesian product of the sweeps it uses, placeholders substituted anywhere', () => {
  const suite = parseSuite(
    rawSuite({
      sweeps: [
        { name: 'steps', values: [2, 4] },
        { name: 'cfg', values: [1, 3] },
      ],
      methods: [
        {
          name: 'pyramid',
          model: 'analytic:tiny-image',
          sampler: 'pyramid',
          settings: { stepsPerStage: [steps, steps, steps] },
          guidance: { firstFrame: { $sweep: 'cfg' }, video: 1 },
        },
        { name: 'cascade', model: 'analytic:tiny-image', sampler: 'cascade', settings: { stepsPerStage: [steps, 1, 1] } },
      ],
    }),
    's.yaml',
  );
  const methods = expandMethods(suite, {});
  assert.equal(
    methods.map((m) => m.id),
    [
      'pyramid [steps=2, cfg=1]',
      'pyramid [steps=2, cfg=3]',
      'pyramid [steps=4, cfg=1]',
      'pyramid [steps=4, cfg=3]',
      'cascade [steps=2]',
      'cascade [steps=4]',
    ],
  );
  assert.equal(methods[3].settings, { stepsPerStage: [4, 4, 4] });
  assert.equal(methods[3].guidance, { firstFrame: 3, video: 1 });
  assert.equal(methods[3].sweep, { steps: 4, cfg: 3 });
  assert.is(methods[3].slug, 'pyramid-steps-4-cfg-3');
  // a method using no sweep stays one method with the suite's guidance
  const plain = expandMethods(parseSuite(rawSuite(), 's.yaml'), {});
  assert.equal(
    plain.map((m) => [m.id, m.guidance]),
    [
      ['pyramid', null],
      ['cascade', null],
    ],
  );
});

test('a checkpoint sweep over model references', () => {
  const suite = parseSuite(
    rawSuite({
      sweeps: [{ name: 'checkpoint', values: ['analytic:tiny-image', 'analytic:tiny-video'] }],
      methods: [{ name: 'p', model: { $sweep: 'checkpoint' }, sampler: 'pyramid' }],
    }),
    's.yaml',
  );
  assert.equal(
    expandMethods(suite, {}).map((m) => m.model),
    ['analytic:tiny-image', 'analytic:tiny-video'],
  );
  const bad = parseSuite(
    rawSuite({
      sweeps: [{ name: 'checkpoint', values: [3] }],
      methods: [{ name: 'p', model: { $sweep: 'checkpoint' }, sampler: 'pyramid' }],
    }),
    's.yaml',
  );
  assert.throws(() => expandMethods(bad, {}), /methods\[0\]\.model: the sweep gave 3; allowed: a model reference string/);
});

test('unknown and unused sweeps, unknown and missing arguments are named', () => {
  const unknown = parseSuite(
    rawSuite({ methods: [{ name: 'p', model: 'analytic:tiny-image', sampler: 'pyramid', settings: { stepsPerStage: [steps, 1, 1] } }] }),
    's.yaml',
  );
  assert.throws(() => expandMethods(unknown, {}, 's.yaml'), /s\.yaml\.methods\[0\]: unknown sweep 'steps'; declared sweeps: \(none\)/);
  const unused = parseSuite(rawSuite({ sweeps: [{ name: 'steps', values: [1] }] }), 's.yaml');
  assert.throws(() => expandMethods(unused, {}, 's.yaml'), /s\.yaml\.sweeps\[0\]: sweep 'steps' is used by no method/);
  const withArg = parseSuite(
    rawSuite({ args: { model: { description: 'a package' } }, methods: [{ name: 'p', model: { $arg: 'model' }, sampler: 'pyramid' }] }),
    's.yaml',
  );
  const missing = expandMethods(withArg, {});
  assert.equal([missing[0].model, missing[0].missingArgs], [null, ['model']]);
  const given = expandMethods(withArg, { model: 'analytic:tiny-video' });
  assert.equal([given[0].model, given[0].missingArgs], ['analytic:tiny-video', []]);
  assert.throws(() => expandMethods(withArg, { modle: 'x' }), /--arg modle: suite 'test' declares no argument 'modle'; declared: model/);
});

test('two methods whose ids give the same file name are refused', () => {
  assert.is(slugOf('Full (same steps) [steps=4/4/4]'), 'full-same-steps-steps-4-4-4');
  const suite = parseSuite(
    rawSuite({
      methods: [
        { name: 'a b', model: 'analytic:tiny-image', sampler: 'pyramid' },
        { name: 'a-b', model: 'analytic:tiny-image', sampler: 'cascade' },
      ],
    }),
    's.yaml',
  );
  assert.throws(() => expandMethods(suite, {}), /methods 'a b' and 'a-b' have the same file name 'a-b'/);
});

test.run();
