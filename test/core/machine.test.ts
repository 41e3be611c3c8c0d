import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeMachine } from '../../src/core/machine.ts';

test('this machine is described', () => {
  const m = describeMachine();
  assert.ok(m.cores >= 1 && m.memoryGiB > 0 && m.cpuModel.length > 0 && Array.isArray(m.gpus));
});

test.run();
