/**
 * Pyramid-Flow generate()'s text defaults on a loaded set (`applyTextDefaults`): the official prompt suffix and
 * negative prompt where the package sets none, the package's own negative prompt kept, all of it switchable off,
 * and a clear message when a table-only package lacks what the defaults look up.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Tensor } from '../../../src/core/tensor.ts';
import { encodeNpz, npyArray } from '../../../src/io/npy.ts';
import { analyticModelSet } from '../../../src/models/analytic/backend.ts';
import { analyticPreset } from '../../../src/models/analytic/presets.ts';
import type { Condition, ModelSet } from '../../../src/models/contract/velocity-model.ts';
import { loadOnnxPackage } from '../../../src/models/onnx/package.ts';
import { applyTextDefaults, OFFICIAL_NEGATIVE_PROMPT, OFFICIAL_PROMPT_SUFFIX } from '../../../src/models/package/model-set.ts';
import { rejects } from '../../helpers/assert.ts';
import { writeToyPackage } from '../../helpers/toy-package.ts';

const root = mkdtempSync(path.join(tmpdir(), 'text-defaults-'));
let made = 0;
const quiet = { report: () => undefined };

/**
 * A text package whose velocity is the mean of the row's text embedding, with a table `prompt -> value` (every
 * embedding entry that value); `negativePrompt` undefined leaves the manifest without one.
 */
function textPackage(table: Record<string, number>, negativePrompt?: string): string {
  const dir = writeToyPackage(path.join(root, `p${made++}`), {
    kind: 'full',
    text: true,
    body: (g, i) =>
      g.op('Add', [
        g.op('Mul', [i.x, g.initializer(null, 'float32', [], Float32Array.from([0]))]),
        g.op('Reshape', [
          g.op('ReduceMean', [i.text], { axes: [1, 2], keepdims: 0 }),
          g.initializer(null, 'int64', [5], BigInt64Array.from([-1n, 1n, 1n, 1n, 1n])),
        ]),
      ]),
  });
  const prompts = Object.keys(table);
  const names = new TextEncoder().encode(JSON.stringify(prompts));
  const values = Float32Array.from(prompts.flatMap((p) => Array(8).fill(table[p])));
  writeFileSync(
    path.join(dir, 'emb.npz'),
    encodeNpz({ prompts: npyArray(names, [names.length]), embeddings: npyArray(values, [prompts.length, 4, 2]) }),
  );
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  m.conditioning.embeddings = 'emb.npz';
  if (negativePrompt === undefined) delete m.conditioning.negativePrompt;
  else m.conditioning.negativePrompt = negativePrompt;
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
  return dir;
}

/** The velocity of an unconditional row and of `prompt`'s row, as the set's full-resolution network gives them. */
async function rows(models: ModelSet, prompt: string): Promise<[number, number]> {
  const cond = await models.conditioner!.encode(prompt);
  const conditions: Condition[] = [{ kind: 'unconditional' }, cond];
  const v = await models.full!.predict({
    x: new Tensor([2, 3, 3, 8, 8]),
    flow: { kind: 'full' },
    ratio: 1,
    timestep: 1000,
    conditions,
    history: [],
    firstFrame: 0,
  });
  return [v.data[0], v.data[v.data.length - 1]];
}

const table = { '': -1, bad: -2, [OFFICIAL_NEGATIVE_PROMPT]: 5, 'a red disk': 3, [`a red disk${OFFICIAL_PROMPT_SUFFIX}`]: 7 };

test('official defaults on: the suffixed prompt is encoded, the official negative prompt is the unconditional text, the hash changes', async () => {
  const loaded = await loadOnnxPackage(textPackage(table), quiet);
  try {
    const { models, text } = await applyTextDefaults(loaded, true);
    assert.equal(await rows(models, 'a red disk'), [5, 7]);
    const cond = await models.conditioner!.encode('a red disk');
    // the condition keeps the prompt as given (file names, records)
    assert.is(cond.kind === 'text' && cond.prompt, 'a red disk');
    assert.equal(text, {
      official: true,
      negativePrompt: { text: OFFICIAL_NEGATIVE_PROMPT, source: 'official' },
      promptSuffix: ', hyper quality, Ultra HD, 8K',
      reference: text!.reference,
    });
    assert.match(text!.reference, /^jy0205\/Pyramid-Flow@3040d717b0ef48f0dfb10d0eb9f3c1d0b55442e0 /);
    assert.is.not(models.hash, loaded.hash);
    // the loaded set as it was: the empty negative prompt, no suffix
    assert.equal(await rows(loaded, 'a red disk'), [-1, 3]);
  } finally {
    await loaded.close();
  }
});

test('official defaults off: the set as loaded (the empty negative prompt, no suffix), recorded as such', async () => {
  const loaded = await loadOnnxPackage(textPackage(table), quiet);
  try {
    const { models, text } = await applyTextDefaults(loaded, false);
    assert.is(models, loaded);
    assert.equal(await rows(models, 'a red disk'), [-1, 3]);
    assert.equal(text?.negativePrompt, { text: '', source: 'empty' });
    assert.is(text?.promptSuffix, '');
  } finally {
    await loaded.close();
  }
});

test("a package's own negative prompt is kept; the suffix still applies", async () => {
  const loaded = await loadOnnxPackage(textPackage(table, 'bad'), quiet);
  try {
    const { models, text } = await applyTextDefaults(loaded, true);
    assert.equal(await rows(models, 'a red disk'), [-2, 7]);
    assert.equal(text?.negativePrompt, { text: 'bad', source: 'package' });
    const off = await applyTextDefaults(loaded, false);
    assert.equal(off.text?.negativePrompt, { text: 'bad', source: 'package' });
  } finally {
    await loaded.close();
  }
});

test('a set that is not text-conditional is returned unchanged', async () => {
  const set = analyticModelSet(analyticPreset('tiny-video'));
  const { models, text } = await applyTextDefaults(set, true);
  assert.is(models, set);
  assert.is(text, null);
});

test('a table without the official negative prompt or a suffixed prompt is refused, naming what is missing and the switch', async () => {
  const noNegative = await loadOnnxPackage(textPackage({ '': -1, 'a red disk': 3 }), quiet);
  try {
    await rejects(
      () => applyTextDefaults(noNegative, true),
      /no embedding for prompt 'cartoon style, worst quality.*the official negative prompt, used because the package sets no conditioning\.negativePrompt.*--no-official-defaults.*officialDefaults: false/,
    );
  } finally {
    await noNegative.close();
  }
  const noSuffix = await loadOnnxPackage(textPackage({ '': -1, bad: -2, 'a red disk': 3 }, 'bad'), quiet);
  try {
    const { models } = await applyTextDefaults(noSuffix, true);
    await rejects(
      () => models.conditioner!.encode('a red disk'),
      /no embedding for prompt 'a red disk, hyper quality, Ultra HD, 8K'.*the official prompt suffix ', hyper quality, Ultra HD, 8K' was appended to 'a red disk'.*--no-official-defaults/,
    );
  } finally {
    await noSuffix.close();
  }
});

test.run();
