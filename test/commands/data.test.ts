/** `pyramid-bench data shapes` in-process: sizes that cannot be held are refused before anything is allocated. */
import { test } from 'uvu';
import { existsSync, mkdtempSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dataCommand } from '../../src/commands/data.ts';
import { rejects } from '../helpers/assert.ts';
import { badInput } from '../helpers/case-ledger.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'data-cmd-'));

test('--size, --frames and --n that imply more than memory or a typed array can hold are refused, naming them', () =>
  badInput('resource limits', 'data --size, --frames, --n beyond memory', async () => {
    const out = path.join(dir, 'd.npz');
    await rejects(
      () => dataCommand.run(['shapes', '--size', '100000', '--out', out]),
      /^--frames 16 --size 100000: a clip of \[3, 16, 100000, 100000\] float32 needs [0-9.e+]+ GiB; allowed: at most/,
    );
    await rejects(
      () => dataCommand.run(['shapes', '--n', '200000', '--size', '64', '--out', out]),
      /^--n 200000 --frames 16 --size 64: the data set tensor \[200000, 3, 16, 64, 64\] float32 needs [0-9.e+]+ GiB/,
    );
    await rejects(() => dataCommand.run(['shapes', '--n', '1e15', '--out', out]), /^--n is 1e15; allowed: an integer from 1 to 250000$/);
    assert.not.ok(existsSync(out));
  }));

test.run();
