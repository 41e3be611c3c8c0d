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

test.run();
