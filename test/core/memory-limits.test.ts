/** Sizes checked against what the machine can hold before they are allocated, naming the field that asked. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { totalmem } from 'node:os';
import { checkAllocation, float32Bytes, MAX_SAMPLES, MEMORY_FRACTION, TYPED_ARRAY_MAX_BYTES } from '../../src/core/memory-limits.ts';
import { badInput } from '../helpers/case-ledger.ts';

test('bytes within the fraction of memory and the typed-array limit pass; beyond, the field and the limit are named', () =>
  badInput('resource limits', 'bytes beyond memory or a typed array (the helper)', () => {
    assert.is(float32Bytes(2, [3, 4, 5, 6]), 2 * 360 * 4);
    checkAllocation(float32Bytes(128, [3, 16, 64, 64]), 's.yaml.chunk', 'a chunk');
    const limit = Math.min(totalmem() * MEMORY_FRACTION, TYPED_ARRAY_MAX_BYTES);
    assert.throws(
      () => checkAllocation(limit + 1, 's.yaml.chunk', '1000000 samples held in memory'),
      (e: Error) =>
        /^s\.yaml\.chunk: 1000000 samples held in memory needs [0-9.e+]+ GiB; allowed: at most [0-9.e+]+ GiB \(/.test(e.message),
    );
    assert.throws(() => checkAllocation(Number.NaN, '--n', 'x'), /^--n: x needs/);
    assert.ok(MAX_SAMPLES >= 50_000, 'the FID protocol (50000 samples) fits');
  }));

test.run();
