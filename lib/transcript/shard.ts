/**
 * "Shard k of n" (DESIGN.md, "Beyond one machine"): several Node-RED instances split
 * conversations without coordination by a stable hash of the conversation id. FNV-1a 32-bit
 * over the UTF-8 bytes: the same id lands on the same shard in every process and version.
 */
import { InputError } from '../util/errors';
import { readDialogNumber } from '../util/dialog';

export interface Shard {
  /** 1-based shard number k. */
  index: number;
  /** Number of shards n (1 = no sharding). */
  count: number;
}

export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** 1-based shard of a conversation id among n shards. */
export function shardOf(conversationId: string, count: number): number {
  return (fnv1a32(conversationId) % count) + 1;
}

export function inShard(conversationId: string, shard: Shard | undefined): boolean {
  if (!shard || shard.count <= 1) return true;
  return shardOf(conversationId, shard.count) === shard.index;
}

/** Validates k and n from a dialog (1 <= k <= n <= 1024). */
export function parseShard(k: unknown, n: unknown): Shard {
  // (Read as the other dialog numbers are: true or [2] is no number, as Number() would have it.)
  const index = k === undefined || k === null ? 1 : readDialogNumber(k);
  const count = n === undefined || n === null ? 1 : readDialogNumber(n);
  if (!Number.isInteger(count) || count < 1 || count > 1024) throw new InputError(`shard count must be an integer from 1 to 1024 (got ${String(n)})`, 'INVALID_CONFIG', 'shardCount');
  if (!Number.isInteger(index) || index < 1 || index > count) throw new InputError(`shard number must be an integer from 1 to ${count} (got ${String(k)})`, 'INVALID_CONFIG', 'shardIndex');
  return { index, count };
}
