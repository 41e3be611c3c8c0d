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

test.run();
