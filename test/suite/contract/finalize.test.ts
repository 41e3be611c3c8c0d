import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { finalizeMethod } from '../../../src/suite/contract/finalize.ts';
import { rejects } from '../../helpers/assert.ts';
import type { MethodContext, MetricPlugin } from '../../../src/suite/contract/plugin.ts';
import type { MethodMeta } from '../../../src/suite/contract/results.ts';
import type { MetricEntry } from '../../../src/suite/contract/plugin.ts';

// a metric that reports the order it was given the chunk states in
const order: MetricPlugin<unknown, number> = {
  name: 'order',
  version: 1,
  description: '',
  referenceSets: ['reference'],
  parseOptions: () => ({}),
  chunkState: () => 0,
  encode: (s) => ({ json: s, arrays: {} }),
  decode: (e) => e.json as number,
  finalize: ({ states, chunks }) => [
    {
      key: 'seen',
      label: '',
      value: Number([...states.samples!, ...states.reference!].join('')),
      unit: '',
      direction: 'none',
      uncertainty: { kind: 'exact', reason: '' },
      measured: false,
      note: chunks.join(','),
    },
  ],
};
const entry: MetricEntry[] = [{ key: 'order', plugin: order as MetricPlugin, options: {}, optionsHash: '' }];
const meta = { id: 'm' } as MethodMeta;
const context = {} as MethodContext;

test('chunk states reach the metric in chunk order whatever order they were gathered in', async () => {
  const r = await finalizeMethod(meta, 3, context, entry, {
    order: {
      sets: {
        samples: [
          { chunk: 2, state: 3 },
          { chunk: 0, state: 1 },
          { chunk: 1, state: 2 },
        ],
        reference: [
          { chunk: 1, state: 5 },
          { chunk: 2, state: 6 },
          { chunk: 0, state: 4 },
        ],
      },
      timing: null,
    },
  });
  assert.is(r.metrics.order.values[0].value, 123456);
  assert.is(r.metrics.order.values[0].note, '0,1,2');
  assert.is(r.samples, 3);
});

test('a chunk given twice, or a set missing chunks, is refused with the method and metric named', async () => {
  await rejects(
    () =>
      finalizeMethod(meta, 2, context, entry, {
        order: {
          sets: {
            samples: [
              { chunk: 0, state: 1 },
              { chunk: 0, state: 1 },
            ],
            reference: [],
          },
          timing: null,
        },
      }),
    /method 'm', metric 'order': chunk 0 appears twice/,
  );
  await rejects(
    () => finalizeMethod(meta, 2, context, entry, { order: { sets: { samples: [{ chunk: 0, state: 1 }], reference: [] }, timing: null } }),
    /set 'reference' has chunks \[\], the samples have \[0\]/,
  );
});

test("a shard's partial results report a metric that fails on its chunks alone instead of failing the shard", async () => {
  const failing: MetricPlugin<unknown, number> = {
    ...order,
    finalize: () => {
      throw new Error('singular');
    },
  };
  const entries: MetricEntry[] = [{ key: 'order', plugin: failing as MetricPlugin, options: {}, optionsHash: '' }];
  const states = { order: { sets: { samples: [{ chunk: 0, state: 1 }], reference: [{ chunk: 0, state: 1 }] }, timing: null } };
  await rejects(() => finalizeMethod(meta, 1, context, entries, states), /method 'm', metric 'order': singular/);
  const r = await finalizeMethod(meta, 1, context, entries, states, true);
  assert.equal(r.metrics.order, { version: 1, values: [], error: "method 'm', metric 'order': singular" });
});

test.run();
