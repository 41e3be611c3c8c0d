import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { suiteItems } from '../../src/suite/conditions.ts';
import { analyticModelSet } from '../../src/models/analytic/backend.ts';
import { analyticPreset } from '../../src/models/analytic/presets.ts';
import type { ModelSet } from '../../src/models/contract/velocity-model.ts';
import { rejects } from '../helpers/assert.ts';

const image = analyticModelSet(analyticPreset('tiny-image'));

test('class-balanced: sample i gets class i mod classes; one class; unconditional', async () => {
  const items = await suiteItems({ kind: 'class-balanced' }, 5, [], image, 'w');
  assert.equal(
    items.map((i) => [i.index, i.conditionKey, i.label]),
    [
      [0, 'class:0', 0],
      [1, 'class:1', 1],
      [2, 'class:0', 0],
      [3, 'class:1', 1],
      [4, 'class:0', 0],
    ],
  );
  const one = await suiteItems({ kind: 'class', label: 1 }, 2, [], image, 'w');
  assert.equal(
    one.map((i) => i.condition),
    [
      { kind: 'class', label: 1 },
      { kind: 'class', label: 1 },
    ],
  );
  const none = await suiteItems({ kind: 'unconditional' }, 2, [], image, 'w');
  assert.equal(
    none.map((i) => i.conditionKey),
    ['unconditional', 'unconditional'],
  );
  await rejects(
    () => suiteItems({ kind: 'class', label: 2 }, 2, [], image, 'w'),
    /w: conditions\.label is 2; analytic:tiny-image has classes 0 to 1/,
  );
});

test('prompts: prompt floor(i / k), repeat i mod k, each encoded once; refused by a class-conditional model', async () => {
  const encoded: string[] = [];
  const spec = { ...image.pyramid!.spec, conditioning: { kind: 'text' as const, tokens: 2, dim: 2 } };
  const text: ModelSet = {
    id: 'fake:t2v',
    pyramid: { ...image.pyramid!, spec },
    device: image.device,
    close: image.close,
    conditioner: {
      async encode(prompt: string) {
        encoded.push(prompt);
        return { kind: 'text', prompt, embedding: new Float32Array([prompt.length, 1, 2, 3]), tokens: 2, dim: 2 };
      },
    },
  };
  const items = await suiteItems({ kind: 'prompts', file: 'p.txt', samplesPerPrompt: 2 }, 4, ['a cat', 'a dog'], text, 'w');
  assert.equal(
    items.map((i) => [i.index, i.prompt, i.repeat]),
    [
      [0, 'a cat', 0],
      [1, 'a cat', 1],
      [2, 'a dog', 0],
      [3, 'a dog', 1],
    ],
  );
  assert.equal(encoded, ['a cat', 'a dog']);
  assert.match(items[0].conditionKey, /^text:a cat#[0-9a-f]{16}$/);
  await rejects(
    () => suiteItems({ kind: 'prompts', file: 'p.txt', samplesPerPrompt: 2 }, 4, ['a cat', 'a dog'], image, 'w'),
    /w: conditions\.kind 'prompts' needs a text-conditioned model .*it is conditioned on 'class'/,
  );
  const noEncoder: ModelSet = { id: 'fake:t2v', pyramid: { ...image.pyramid!, spec }, device: image.device, close: image.close };
  await rejects(
    () => suiteItems({ kind: 'prompts', file: 'p.txt', samplesPerPrompt: 2 }, 4, ['a cat', 'a dog'], noEncoder, 'w'),
    /no condition encoder or embedding table/,
  );
});

test.run();
