import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chunkSamples } from '../../src/suite/generate.ts';
import { planRun } from '../../src/suite/plan.ts';
import { SampleStore } from '../../src/suite/contract/sample-store.ts';
import { rejects } from '../helpers/assert.ts';
import { loadedSuite, rawSuite } from '../helpers/suites.ts';
import { badInput } from '../helpers/case-ledger.ts';

test('a chunk is generated once in batches, stored, then read back; values do not depend on the batch size', async () => {
  const run = await planRun(
    loadedSuite(
      rawSuite({
        methods: [
          {
            name: 'p',
            model: 'analytic:tiny-video',
            sampler: 'pyramid',
            settings: { stepsPerStage: [2, 2, 2], videoStepsPerStage: [2, 2, 2] },
          },
        ],
      }),
    ),
    {},
  );
  const plan = run.methods[0];
  const machine = run.fingerprint;
  const items = plan.items.slice(0, 7);
  const keys = plan.keys.slice(0, 7);
  const a = new SampleStore(mkdtempSync(path.join(tmpdir(), 'gen-')));
  const batches: number[] = [];
  const first = await chunkSamples(a, plan, items, keys, 0, 3, machine, (n) => batches.push(n));
  assert.equal(batches, [3, 3, 1]);
  assert.is(first.generated, 7);
  assert.equal(
    first.records.map((r) => r.batchSize),
    [3, 3, 3, 3, 3, 3, 1],
  );
  const again = await chunkSamples(a, plan, items, keys, 0, 3, machine, () => assert.unreachable('nothing to generate'));
  assert.is(again.generated, 0);
  // the machine that measured each sample's seconds is stored with it and read back
  assert.ok(
    again.records.every((r) => r.machine?.id === machine.id && r.machine.name === run.device.name),
    JSON.stringify(again.records[0].machine),
  );
  assert.ok(Buffer.from(again.samples.data.buffer).equals(Buffer.from(first.samples.data.buffer)));
  const b = new SampleStore(mkdtempSync(path.join(tmpdir(), 'gen-')));
  const single = await chunkSamples(b, plan, items, keys, 0, 1, machine, () => undefined);
  assert.ok(Buffer.from(single.samples.data.buffer).equals(Buffer.from(first.samples.data.buffer)));
  assert.equal(first.records[0].cost.nfe, 18);
  assert.equal(a.counts.samples, { hits: 7, misses: 7, writes: 7 });
});

test('a sampler that returns NaN or Inf is refused naming the method, sampler, sample index and value; nothing is stored', () =>
  badInput('numbers', 'a sampler returning NaN or Inf', async () => {
    const run = await planRun(loadedSuite(rawSuite({ methods: [{ name: 'p', model: 'analytic:tiny-video', sampler: 'full' }] })), {});
    const plan = run.methods[0];
    const impl = plan.method.samplerImpl;
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const broken = {
        ...plan,
        method: {
          ...plan.method,
          samplerImpl: {
            ...impl,
            sample: async (...args: Parameters<typeof impl.sample>) => {
              const r = await impl.sample(...args);
              r.samples.data[r.samples.data.length - 1] = bad; // the last value of the batch's last sample
              return r;
            },
          },
        },
      };
      const store = new SampleStore(mkdtempSync(path.join(tmpdir(), 'gen-')));
      await rejects(
        () => chunkSamples(store, broken, plan.items.slice(0, 3), plan.keys.slice(0, 3), 0, 3, run.fingerprint, () => undefined),
        new RegExp(`^p: the sampler full: sample ${plan.items[2].index} holds ${bad} \\(value \\d+ of \\d+\\); samples must be finite$`),
      );
      assert.equal(store.counts.samples.writes, 0);
    }
  }));

test.run();
