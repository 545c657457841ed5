import assert from 'node:assert/strict';
import { fnv1a32, inShard, parseShard, shardOf } from '../../../lib/transcript/shard';

describe('lib/transcript/shard', () => {
  it('is FNV-1a 32-bit (stable across processes and versions)', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  });

  it('puts every id in exactly one of n shards, spread evenly', () => {
    const n = 4;
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const id = `6f1c0a8e-1111-4222-8333-${String(i).padStart(12, '0')}`;
      const hits = [1, 2, 3, 4].filter((k) => inShard(id, { index: k, count: n }));
      assert.equal(hits.length, 1);
      counts[shardOf(id, n) - 1]!++;
    }
    for (const c of counts) assert.ok(c > 800 && c < 1200, `uneven: ${counts.join(',')}`);
  });

  it('validates k of n', () => {
    assert.deepEqual(parseShard(2, 3), { index: 2, count: 3 });
    assert.deepEqual(parseShard(undefined, undefined), { index: 1, count: 1 });
    assert.throws(() => parseShard(4, 3), /shard number must be an integer from 1 to 3/);
    assert.throws(() => parseShard(1, 0), /shard count/);
    assert.throws(() => parseShard('x', 2), /shard number/);
    assert.deepEqual(parseShard(' 2 ', '3'), { index: 2, count: 3 });
    assert.throws(() => parseShard(true, 2), /shard number must be an integer from 1 to 2 \(got true\)/);
    assert.throws(() => parseShard(1, [2]), /shard count/);
  });
});
