import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chunkCount, chunkRange, parseShard, shardChunks } from '../../../src/suite/contract/shard.ts';

test('shards partition the chunks: every chunk in exactly one shard', () => {
  const chunks = chunkCount(1000, 128);
  assert.is(chunks, 8);
  const all = [0, 1, 2].flatMap((i) => shardChunks(chunks, { index: i, count: 3 }));
  assert.equal(
    [...all].sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
  assert.equal(shardChunks(chunks, { index: 1, count: 3 }), [1, 4, 7]);
  assert.equal(chunkRange(7, 128, 1000), [896, 1000]);
});

test('--shard accepts i/n with i < n and names what is allowed otherwise', () => {
  assert.equal(parseShard('2/4'), { index: 2, count: 4 });
  for (const bad of ['4/4', '1', 'a/b', '-1/2', '0/0']) assert.throws(() => parseShard(bad), /allowed: i\/n with 0 <= i < n/);
});

test.run();
