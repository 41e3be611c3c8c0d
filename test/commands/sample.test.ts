/** `pyramid-bench sample` in-process: it closes the model set it loaded exactly once, also when sampling fails. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sampleCommand } from '../../src/commands/sample.ts';
import { counts, resetCounts } from '../helpers/counting-models.ts';
import { rejects } from '../helpers/assert.ts';
import { badInput } from '../helpers/case-ledger.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeNpz } from '../../src/io/npy.ts';
import { writeTextPackage } from '../helpers/text-package.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'sample-cmd-'));

/** Runs the command with stdout captured. */
async function sample(...args: string[]): Promise<string> {
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    await sampleCommand.run(args);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

test('the set is closed once after sampling, and once when sampling or its settings fail', async () => {
  resetCounts();
  const out = path.join(dir, 'a.npz');
  const printed = await sample(
    '--model',
    'counting:tiny-image',
    '--sampler',
    'full',
    '--steps',
    '2,2,2',
    '--n',
    '2',
    '--out',
    out,
    '--json',
  );
  assert.ok(existsSync(out));
  assert.is(JSON.parse(printed).settings.steps, 6);
  assert.equal(counts.get('tiny-image'), { loads: 1, closes: 1 });

  await rejects(
    () => sample('--model', 'counting:tiny-image!fail3', '--steps', '2,2,2', '--n', '2', '--out', path.join(dir, 'b.npz')),
    /velocity call 3 fails/,
  );
  assert.equal(counts.get('tiny-image!fail3'), { loads: 1, closes: 1 });
  assert.not.ok(existsSync(path.join(dir, 'b.npz')));

  await rejects(
    () => sample('--model', 'counting:tiny-video', '--sampler', 'cascade', '--steps', '2,2', '--n', '1', '--out', path.join(dir, 'c.npz')),
    /cascade settings\.stepsPerStage/,
  );
  assert.equal(counts.get('tiny-video'), { loads: 1, closes: 1 });
});

test('--n beyond the sample limit, or more samples than memory can hold, is refused before anything is generated', () =>
  badInput('resource limits', 'sample --n beyond the limit or memory', async () => {
    const out = path.join(dir, 'huge.npz');
    await rejects(
      () => sample('--model', 'counting:tiny-image', '--n', '1e15', '--out', out),
      /^--n is 1e15; allowed: an integer from 1 to 250000$/,
    );
    resetCounts();
    await rejects(
      () => sample('--model', 'onnx:checkpoints/shapes-pyramid', '--n', '250000', '--out', out),
      /^--n 250000: 250000 samples of .* held in memory needs [0-9.e+]+ GiB; allowed: at most/,
    );
    assert.not.ok(existsSync(out));
  }));

test("a text package that sets no guidance samples with Pyramid-Flow's 7 / 5 and prompt suffix, printed; --no-official-defaults turns them off", async () => {
  const pkg = writeTextPackage(path.join(dir, 'text'), ['a red disk']);
  const m = JSON.parse(readFileSync(path.join(pkg, 'manifest.json'), 'utf8'));
  delete m.defaults.guidance;
  writeFileSync(path.join(pkg, 'manifest.json'), JSON.stringify(m));
  const run = (name: string, ...extra: string[]) =>
    sample('--model', `onnx:${pkg}`, '--prompt', 'a red disk', '--n', '2', '--seed', '3', '--out', path.join(dir, `${name}.npz`), ...extra);
  const on = JSON.parse(await run('on', '--json'));
  assert.equal(on.guidance, { firstFrame: 7, video: 5 });
  assert.equal(on.officialDefaults, {
    enabled: true,
    guidanceSource: 'official',
    guidanceGiven: { firstFrame: 7, video: 5 },
    negativePrompt: { text: 'bad', source: 'package' },
    promptSuffix: ', hyper quality, Ultra HD, 8K',
    reference: on.officialDefaults.reference,
  });
  // two guided calls per step: 3 stages x 2 steps for the first frame, 3 x 1 for each of 2 later frames
  assert.is(on.cost.nfe, 2 * (6 + 3 + 3));
  const off = JSON.parse(await run('off', '--json', '--no-official-defaults'));
  assert.equal(off.guidance, { firstFrame: 1, video: 1 });
  assert.equal([off.officialDefaults.guidanceSource, off.officialDefaults.promptSuffix], ['none', '']);
  assert.is(off.cost.nfe, 6 + 3 + 3);
  const printed = await run('printed');
  assert.match(printed, /\nguidance: first frame 7, video 5 from Pyramid-Flow's README default\n/);
  assert.match(
    printed,
    /\ntext: negative prompt 'bad' \(package\), prompt suffix ', hyper quality, Ultra HD, 8K' \(official defaults on; --no-official-defaults turns them off\)\n/,
  );
  // the npz records the prompt as given
  assert.equal(JSON.parse(new TextDecoder().decode(decodeNpz(readFileSync(path.join(dir, 'on.npz'))).prompts.data as Uint8Array)), [
    'a red disk',
    'a red disk',
  ]);
});

test("--guidance 0 is Pyramid-Flow's guidance off: the same bytes as --guidance 1; 0 with a video scale it would ignore is refused", async () => {
  const run = (name: string, guidance: string) =>
    sample(
      '--model',
      'analytic:tiny-video',
      '--steps',
      '2,2,2',
      '--n',
      '2',
      `--guidance=${guidance}`,
      '--out',
      path.join(dir, `${name}.npz`),
    );
  const printed = await run('g0', '0');
  assert.match(
    printed,
    /\nguidance: first frame 1, video 1 from --guidance \(given 0 \/ 0: a first-frame scale of 0 turns guidance off, as in Pyramid-Flow\)\n/,
  );
  await run('g1', '1');
  assert.ok(readFileSync(path.join(dir, 'g0.npz')).equals(readFileSync(path.join(dir, 'g1.npz'))));
  await rejects(
    () => run('bad', '0,5'),
    /^--guidance\.video is 5 with firstFrame 0; Pyramid-Flow's generate\(\) turns guidance off for every frame/,
  );
  await rejects(() => run('neg', '-1'), /^--guidance is '-1'; allowed: <first-frame scale>\[,<video scale>\], each >= 0/);
});

test.run();
