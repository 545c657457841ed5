import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { canonicalJson, hmacSha256Hex, sha256Hex } from '../../../lib/audit/canonical';
import { AuditDiskError, AuditQueueFullError } from '../../../lib/audit/errors';
import { GENESIS_HASH, REPAIR_KIND, lockFileName } from '../../../lib/audit/record';
import { verifyTrail } from '../../../lib/audit/verify';
import { AuditWriter, AuditStartError, type AuditAck, type AuditEntry, type AuditWriterOptions, type RepairInfo } from '../../../lib/audit/writer';
import { InputError } from '../../../lib/util/errors';
import { ManualClock } from '../../support/manual-clock';
import { deferred, faultyFs, nextEvent, readRecords, removeDir, tempDir, trailFiles } from './helpers';

const NODE = { id: 'n1', type: 'genesys-audit-out', name: 'audit' };

describe('audit writer', () => {
  let dir: string;
  let clock: ManualClock;
  const writers: AuditWriter[] = [];

  function writer(extra: Partial<AuditWriterOptions> = {}): AuditWriter {
    const w = new AuditWriter({ dir, instance: 'test-1', node: NODE, clock, retry: { initialMs: 100, maxMs: 1000, jitter: 0 }, ...extra });
    writers.push(w);
    return w;
  }

  /** Appends, fires the group-commit timer, and waits for every ack. */
  async function appendAll(w: AuditWriter, n: number, make = (i: number): AuditEntry => ({ kind: 'test', conversationId: 'conv-1', data: { i } })): Promise<AuditAck[]> {
    const acks = Array.from({ length: n }, (_, i) => w.append(make(i)));
    clock.advance(20);
    return Promise.all(acks);
  }

  beforeEach(() => {
    dir = join(tempDir(), 'trail');
    clock = new ManualClock(Date.UTC(2026, 4, 10, 12, 0, 0));
  });
  afterEach(async () => {
    for (const w of writers.splice(0)) {
      const closing = w.close(0);
      clock.advance(0);
      await closing.catch(() => undefined);
    }
    removeDir(join(dir, '..'));
  });

  it('chains records: seq, prevHash and hash over the canonical form without hash', async () => {
    const w = writer();
    await w.start();
    const acks = await appendAll(w, 5);
    assert.deepEqual(
      acks.map((a) => a.seq),
      [1, 2, 3, 4, 5],
    );
    const lines = readFileSync(acks[0]!.file, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 5);
    let prev = GENESIS_HASH;
    lines.forEach((line, i) => {
      const rec = JSON.parse(line) as Record<string, unknown>;
      const { hash, ...rest } = rec;
      assert.equal(rec.prevHash, prev);
      assert.equal(hash, sha256Hex(canonicalJson(rest)));
      assert.equal(hash, acks[i]!.hash);
      assert.equal(line, `${canonicalJson(rest).slice(0, -1)},"hash":"${String(hash)}"}`);
      assert.deepEqual(rec.node, NODE);
      assert.equal(rec.instance, 'test-1');
      assert.equal(rec.conversationId, 'conv-1');
      assert.equal(rec.ts, '2026-05-10T12:00:00.000Z');
      assert.deepEqual(rec.data, { i });
      prev = hash as string;
    });
    assert.equal((await verifyTrail(dir)).ok, true);
  });

  it('records of every size and script in one batch: staged heads across chunks, a big one on its own, bytes and hashes as canonicalJson gives them', async () => {
    const w = writer({ maxBatch: 5000 });
    const texts = ['a', 'é€ 😀 \u2028 "q" \\', 'x'.repeat(300_000), 'ü'.repeat(1500)];
    // ~2,600 records of 0.5-5 KB: more than two 1 MiB staging chunks, plus a 300 KB record
    const acks = await appendAll(w, 2600, (i) => ({ kind: i % 3 ? 'utterance' : 'ü-kind', conversationId: i % 2 ? `c-${i}` : null, data: { i, text: i === 1000 ? texts[2] : texts[i % 4 === 2 ? 3 : i % 2] } }));
    const lines = readFileSync(acks[0]!.file, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 2600);
    let prev = GENESIS_HASH;
    lines.forEach((line, i) => {
      const { hash, ...rest } = JSON.parse(line) as Record<string, unknown>;
      assert.equal(rest.prevHash, prev);
      assert.equal(line, `${canonicalJson(rest).slice(0, -1)},"hash":"${String(hash)}"}`);
      assert.equal(hash, sha256Hex(canonicalJson(rest)));
      assert.equal(hash, acks[i]!.hash);
      prev = hash as string;
    });
    assert.equal((JSON.parse(lines[1000]!) as { data: { text: string } }).data.text.length, 300_000);
    assert.equal((await verifyTrail(dir)).records, 2600);
  });

  it('stores only the digest when asked', async () => {
    const w = writer();
    const [ack] = await appendAll(w, 1, () => ({ kind: 'secret', data: { text: 'my card 4111' }, digestOnly: true }));
    const [rec] = readRecords(dir);
    assert.equal(rec!.data, undefined);
    assert.equal(rec!.dataSha256, sha256Hex(canonicalJson({ text: 'my card 4111' })));
    // (The text, not its four digits: hashes and times in the file may hold any four digits by chance.)
    assert.equal(readFileSync(ack!.file, 'utf8').includes('my card'), false);
  });

  it('group commit: one write+fsync per batch, acks only after the fsync', async () => {
    const { fs, faults, counts, onSync } = faultyFs();
    const gate = deferred();
    faults.syncGate = gate.promise;
    const w = writer({ fs });
    await w.start();
    counts.writes = 0; // the lock file
    const syncing = new Promise<void>((r) => onSync.push(r));
    let acked = 0;
    const acks = Array.from({ length: 300 }, (_, i) => w.append({ kind: 'k', data: i }).then((a) => (acked++, a)));
    clock.advance(20);
    await syncing; // the batch is written, fsync is in progress
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.equal(acked, 0, 'nothing acknowledged before fsync completes');
    gate.resolve();
    await Promise.all(acks);
    assert.equal(acked, 300);
    assert.equal(counts.writes, 1);
    assert.equal(counts.datasync, 1);
  });

  it('writes a full batch without waiting for the timer', async () => {
    const w = writer({ maxBatch: 50, syncIntervalMs: 60_000 });
    const acks = await Promise.all(Array.from({ length: 50 }, (_, i) => w.append({ kind: 'k', data: i })));
    assert.equal(acks.at(-1)!.seq, 50);
  });

  it('rotates by size and keeps the chain across files', async () => {
    const w = writer({ rotateBytes: 2000, maxBatch: 7 });
    const acks = await appendAll(w, 60);
    const files = trailFiles(dir);
    assert.ok(files.length >= 5, `expected several files, got ${files.length}`);
    for (const f of files) assert.ok(statSync(join(dir, f)).size <= 2000);
    // each ack names the file its record is in
    for (const a of acks) assert.ok(readFileSync(a.file, 'utf8').includes(a.hash));
    const report = await verifyTrail(dir);
    assert.equal(report.ok, true);
    assert.equal(report.records, 60);
    assert.equal(report.files, files.length);
  });

  it('rotates when the UTC day changes', async () => {
    clock = new ManualClock(Date.UTC(2026, 4, 10, 23, 59, 59, 900));
    const w = writer();
    await appendAll(w, 2);
    clock.advance(1000);
    await appendAll(w, 2);
    assert.deepEqual(trailFiles(dir), ['audit-test-1-000001-20260510.jsonl', 'audit-test-1-000002-20260511.jsonl']);
    assert.equal((await verifyTrail(dir)).records, 4);
  });

  it('continues the chain after a restart (reads the tail of the newest file)', async () => {
    const w1 = writer({ rotateBytes: 1500 });
    const first = await appendAll(w1, 20);
    await w1.close();
    const w2 = writer({ rotateBytes: 1500 });
    await w2.start();
    assert.deepEqual(w2.head, { seq: 20, hash: first.at(-1)!.hash });
    const [next] = await appendAll(w2, 1);
    assert.equal(next!.seq, 21);
    const recs = readRecords(dir);
    assert.equal(recs.at(-1)!.prevHash, first.at(-1)!.hash);
    const report = await verifyTrail(dir);
    assert.equal(report.ok, true);
    assert.equal(report.records, 21);
  });

  it('refuses to start on a last record whose data is nested too deep to check, without a RangeError', async () => {
    const w1 = writer();
    const acks = await appendAll(w1, 3);
    await w1.close();
    const file = acks[0]!.file;
    const ls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    ls[2] = ls[2]!.replace(/"data":\{[^}]*\}/, `"data":${'['.repeat(20000)}${']'.repeat(20000)}`);
    writeFileSync(file, ls.map((l) => `${l}\n`).join(''));
    await assert.rejects(writer().start(), (e: unknown) => e instanceof AuditStartError && e.code === 'AUDIT_TRAIL_CORRUPT' && /is unreadable \(.*nested too deep/.test(e.message));
  });

  it('repairs a torn last line on start and records the repair', async () => {
    const w1 = writer();
    const acks = await appendAll(w1, 5);
    await w1.close();
    const file = acks[0]!.file;
    const goodSize = statSync(file).size;
    const tornText = '{"alg":"sha256","conversationId":"conv-1","data":{"i":5,"t":"é';
    appendFileSync(file, tornText);
    const before = await verifyTrail(dir);
    assert.equal(before.ok, false);
    assert.equal(before.break!.kind, 'truncated');

    const w2 = writer();
    const repaired = nextEvent<RepairInfo>(w2, 'repaired');
    await w2.start();
    clock.advance(20);
    const info = await repaired;
    assert.equal(info.truncatedAt, goodSize);
    assert.equal(info.removedBytes, Buffer.byteLength(tornText));
    assert.equal(info.removedSha256, createHash('sha256').update(tornText, 'utf8').digest('hex'));
    const [ack] = await appendAll(w2, 1);
    assert.equal(ack!.seq, 7);
    const recs = readRecords(dir);
    assert.equal(recs[5]!.kind, REPAIR_KIND);
    assert.equal(recs[5]!.seq, 6);
    assert.deepEqual((recs[5]!.data as { removedBytes: number }).removedBytes, Buffer.byteLength(tornText));
    const after = await verifyTrail(dir);
    assert.equal(after.ok, true);
    assert.equal(after.repairs, 1);
    assert.equal(after.records, 7);
  });

  it('repair is crash-safe: a kill between overwriting the torn bytes and cutting the file is repaired again', async () => {
    const w1 = writer();
    await appendAll(w1, 3);
    await w1.close();
    const [name] = trailFiles(dir);
    const file = join(dir, name!);
    const goodSize = statSync(file).size;
    const tornText = `{"alg":"sha256","data":"${'q'.repeat(3000)}`; // longer than a repair record
    appendFileSync(file, tornText);
    // what a crash right after the overwrite (before the cut) would leave: repair line + torn rest
    const w2 = writer();
    await w2.start();
    await w2.close();
    const repairedLine = readFileSync(file).subarray(goodSize);
    assert.ok(repairedLine.length < Buffer.byteLength(tornText));
    const leftover = Buffer.from(tornText).subarray(repairedLine.length);
    appendFileSync(file, leftover);
    const w3 = writer();
    await w3.start();
    const [ack] = await appendAll(w3, 1);
    assert.equal(ack!.seq, 6); // 3 records, 2 repairs, then this one
    const report = await verifyTrail(dir);
    assert.equal(report.ok, true, JSON.stringify(report.break));
    assert.equal(report.repairs, 2);
  });

  it('back-pressure: rejects beyond the queue cap, never grows unbounded', async () => {
    const { fs, faults } = faultyFs();
    const gate = deferred();
    faults.syncGate = gate.promise; // the disk is slower than the input
    const w = writer({ fs, maxQueue: 5 });
    await w.start();
    const queued = Array.from({ length: 5 }, (_, i) => w.append({ kind: 'k', data: i }));
    clock.advance(20);
    await assert.rejects(w.append({ kind: 'k', data: 99 }), (err: unknown) => err instanceof AuditQueueFullError && /queue full/.test(err.message));
    assert.equal(w.stats.queued, 5);
    gate.resolve();
    const acks = await Promise.all(queued);
    assert.equal(acks.length, 5);
    // drained: accepted again
    const more = w.append({ kind: 'k', data: 6 });
    clock.advance(20);
    assert.equal((await more).seq, 6);
  });

  it('disk full: reports, keeps the batch, retries with backoff, writes no partial line', async () => {
    const { fs, faults } = faultyFs();
    const w = writer({ fs });
    await appendAll(w, 3);
    faults.write = 'ENOSPC';
    const errorSeen = nextEvent<AuditDiskError>(w, 'diskError');
    let acked = false;
    const pending = Promise.all([w.append({ kind: 'k', data: 'a' }), w.append({ kind: 'k', data: 'b' })]).then((a) => ((acked = true), a));
    clock.advance(20);
    const err = await errorSeen;
    assert.equal(err.code, 'ENOSPC');
    assert.match(err.message, /disk full/);
    assert.match(err.message, /retrying in 100 ms/);
    assert.equal(w.stats.failing, true);
    // still failing at the first retry: next delay doubles
    const second = nextEvent<AuditDiskError>(w, 'diskError');
    clock.advance(100);
    assert.equal((await second).retryInMs, 200);
    assert.equal(acked, false);
    faults.write = undefined;
    const recovered = nextEvent(w, 'recovered');
    clock.advance(200);
    const acks = await pending;
    await recovered;
    assert.deepEqual(
      acks.map((a) => a.seq),
      [4, 5],
    );
    const report = await verifyTrail(dir);
    assert.equal(report.ok, true, JSON.stringify(report.break));
    assert.equal(report.records, 5);
  });

  it('permission denied on a new file: reported and retried until it works', async () => {
    const { fs, faults } = faultyFs();
    faults.openMatch = 'audit-test-1-000002';
    faults.openCode = 'EACCES';
    const w = writer({ fs, rotateBytes: 600 });
    const errorSeen = nextEvent<AuditDiskError>(w, 'diskError');
    const all = Promise.all(Array.from({ length: 6 }, (_, i) => w.append({ kind: 'k', data: i })));
    clock.advance(20);
    const err = await errorSeen;
    assert.equal(err.code, 'EACCES');
    assert.match(err.message, /permission denied/);
    assert.ok(w.stats.queued > 0);
    faults.openMatch = undefined;
    clock.advance(100);
    await all;
    assert.equal((await verifyTrail(dir)).records, 6);
  });

  it('a disk error while starting is retried; start resolves and "recovered" fires once it works', async () => {
    const { fs, faults } = faultyFs();
    faults.openMatch = 'audit-test-1.lock';
    faults.openCode = 'EROFS';
    const w = writer({ fs });
    const errorSeen = nextEvent<AuditDiskError>(w, 'diskError');
    let started = false;
    const starting = w.start().then(() => (started = true));
    const err = await errorSeen;
    assert.equal(err.code, 'EROFS');
    assert.match(err.message, /read-only file system/);
    assert.equal(started, false);
    faults.openMatch = undefined;
    const recovered = nextEvent(w, 'recovered');
    clock.advance(100);
    await starting;
    await recovered;
    assert.equal(w.stats.failing, false);
  });

  it('directory removed while open: nothing acknowledged into the deleted file; retried until the directory is back', async () => {
    const w = writer();
    await appendAll(w, 2);
    rmSync(dir, { recursive: true, force: true });
    const errors: AuditDiskError[] = [];
    w.on('diskError', (e: AuditDiskError) => errors.push(e));
    let acked: AuditAck | undefined;
    const pending = w.append({ kind: 'k', data: 'after-rm' }).then((a) => (acked = a));
    clock.advance(20);
    if (errors.length < 1) await nextEvent(w, 'diskError');
    clock.advance(100);
    if (errors.length < 2) await nextEvent(w, 'diskError');
    assert.equal(errors[0]!.code, 'AUDIT_FILE_REMOVED');
    assert.equal(errors[1]!.code, 'ENOENT');
    assert.match(errors[1]!.message, /directory or file is gone/);
    assert.equal(acked, undefined);
    mkdirSync(dir);
    clock.advance(1000);
    await pending;
    assert.equal(acked!.seq, 3);
    const recs = readRecords(dir);
    assert.equal(recs.length, 1);
    assert.equal(recs[0]!.seq, 3);
    assert.equal(recs[0]!.data, 'after-rm');
  });

  it('read-only directory (real permissions; skipped as root, who bypasses them)', async function () {
    if (process.getuid?.() === 0) this.skip();
    const w = writer({ rotateBytes: 400 });
    await appendAll(w, 1);
    chmodSync(dir, 0o555);
    try {
      const errorSeen = nextEvent<AuditDiskError>(w, 'diskError');
      const all = Promise.all(Array.from({ length: 6 }, (_, i) => w.append({ kind: 'k', data: i })));
      clock.advance(20);
      assert.equal((await errorSeen).code, 'EACCES');
      chmodSync(dir, 0o755);
      clock.advance(1000);
      await all;
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('keyed chain: HMAC with the key; refuses to continue with another key or without one', async () => {
    const key = 'test-secret-not-real';
    const w = writer({ key });
    await appendAll(w, 3);
    await w.close();
    const recs = readRecords(dir);
    for (const r of recs) {
      const { hash, ...rest } = r;
      assert.equal(r.alg, 'hmac-sha256');
      assert.equal(hash, hmacSha256Hex(Buffer.from(key), canonicalJson(rest)));
    }
    assert.equal((await verifyTrail(dir, { key })).ok, true);
    await assert.rejects(writer({ key: 'another-test-key' }).start(), (e: unknown) => e instanceof AuditStartError && e.code === 'AUDIT_KEY_MISMATCH');
    const plain = writer();
    await assert.rejects(plain.start(), (e: unknown) => e instanceof AuditStartError && e.code === 'AUDIT_ALG_MISMATCH');
    await assert.rejects(plain.append({ kind: 'k' }), /audit trail unavailable/);
  });

  it('one writer per directory and instance: a second one is refused, a dead owner\'s lock is taken over', async () => {
    const w1 = writer();
    await w1.start();
    await assert.rejects(writer().start(), (e: unknown) => e instanceof AuditStartError && e.code === 'AUDIT_LOCKED');
    await w1.close();
    // a lock left by a process that no longer exists (kill -9)
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(join(dir, lockFileName('test-1')), JSON.stringify({ pid: Number(dead.stdout.toString()), host: hostname() }));
    const w3 = writer();
    await w3.start();
    const [ack] = await appendAll(w3, 1);
    assert.equal(ack!.seq, 1);
    await w3.close();
    // a lock with our own pid from a previous incarnation (a restarted container reuses small pids)
    writeFileSync(join(dir, lockFileName('test-1')), JSON.stringify({ pid: process.pid, host: hostname(), token: 'previous-process' }));
    const w4 = writer();
    await w4.start();
    // a live process elsewhere on this host keeps its lock
    writeFileSync(join(dir, lockFileName('other')), JSON.stringify({ pid: process.ppid, host: hostname(), token: 'parent' }));
    await assert.rejects(writer({ instance: 'other' }).start(), /locked by process \d+/);
  });

  it('close writes and fsyncs everything queued before resolving', async () => {
    const w = writer({ syncIntervalMs: 60_000 });
    const acks = Array.from({ length: 7 }, (_, i) => w.append({ kind: 'k', data: i }));
    await w.close();
    assert.equal((await Promise.all(acks)).length, 7);
    assert.equal(readRecords(dir).length, 7);
    await assert.rejects(w.append({ kind: 'k' }), /closed/);
  });

  it('close gives up on a disk that keeps failing after its timeout, rejecting what is left', async () => {
    const { fs, faults } = faultyFs();
    const w = writer({ fs });
    await w.start();
    faults.write = 'EIO';
    const p = w.append({ kind: 'k', data: 1 });
    const outcome = p.then(
      () => undefined,
      (e: unknown) => e,
    );
    const failed = nextEvent(w, 'diskError');
    clock.advance(20);
    await failed;
    const closing = w.close(500);
    clock.advance(500);
    await closing;
    assert.match(String(await outcome), /closed before 1 record\(s\) could be written: audit write failed \(I\/O error\)/);
  });

  it('rejects bad entries without disturbing the chain', async () => {
    const w = writer();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await assert.rejects(w.append({ kind: 'k', data: cyclic }), (e: unknown) => e instanceof InputError && e.code === 'AUDIT_UNSERIALISABLE');
    const deep: unknown = JSON.parse(`${'['.repeat(20000)}${']'.repeat(20000)}`);
    await assert.rejects(w.append({ kind: 'k', data: deep }), (e: unknown) => e instanceof InputError && e.code === 'AUDIT_UNSERIALISABLE');
    await assert.rejects(w.append({ kind: '' }), (e: unknown) => e instanceof InputError && e.code === 'AUDIT_BAD_KIND');
    const [ack] = await appendAll(w, 1);
    assert.equal(ack!.seq, 1);
    assert.throws(() => new AuditWriter({ dir, instance: 'bad/instance' }), /instance id/);
    // Options from code may hold anything: a non-string is the same InputError, not a TypeError or a pass.
    for (const instance of [null, 123, {}, ['abc']]) {
      assert.throws(() => new AuditWriter({ dir, instance: instance as unknown as string }), (err: unknown) => err instanceof Error && err.name === 'InputError' && /instance id/.test(err.message));
    }
  });
});
