import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as nodeFs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Backoff, type BackoffOptions } from '../util/backoff';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { InputError, errorMessage } from '../util/errors';
import { canonicalJson, sha256Hex } from './canonical';
import { AuditClosedError, AuditQueueFullError, describeDiskError, type AuditDiskError } from './errors';
import {
  GENESIS_HASH,
  REPAIR_KIND,
  CanonicalHeadBuilder,
  canonicalTail,
  checkRecordHash,
  groupTrailFiles,
  hashMemberEnd,
  lockFileName,
  parseRecordLine,
  recordHash,
  trailFileName,
  validateInstance,
  type AuditNodeRef,
  type HashAlg,
} from './record';
import { readFully, readTail } from './tail';

/** The file-system calls the writer makes; tests wrap it to inject ENOSPC / EACCES / EIO. */
export type AuditFs = Pick<typeof nodeFs, 'open' | 'readdir' | 'mkdir' | 'unlink' | 'readFile'>;

export interface AuditWriterOptions {
  /** Directory of the trail (created at start if missing). */
  dir: string;
  /** Instance id written into every record and file name (A-Z a-z 0-9 . _ -). */
  instance: string;
  /** Node reference for entries that carry none (and for repair records). */
  node?: AuditNodeRef;
  /** HMAC key: when set the chain is keyed (alg hmac-sha256). */
  key?: Buffer | string;
  /** Start a new file when the current one would exceed this many bytes; 0 = never. Default 64 MiB. */
  rotateBytes?: number;
  /** Start a new file when the UTC day changes. Default true. */
  rotateDaily?: boolean;
  /** Group-commit window: how long the first queued record waits for company. Default 20 ms. */
  syncIntervalMs?: number;
  /** Records per write+fsync at most; a full batch is written at once. Default 1000. */
  maxBatch?: number;
  /** Records waiting for the disk at most; beyond it append() rejects. Default 10000. */
  maxQueue?: number;
  /** Retry delays after a disk error. Default 100 ms doubling to 10 s, with jitter. */
  retry?: BackoffOptions;
  clock?: Clock;
  fs?: AuditFs;
}

export interface AuditEntry {
  kind: string;
  conversationId?: string | null;
  /** The content to store (or to digest). */
  data?: unknown;
  /** Store only SHA-256(canonical(data)) in `dataSha256`. */
  digestOnly?: boolean;
  node?: AuditNodeRef;
}

/** What a durable record returns: DESIGN.md's msg.audit. */
export interface AuditAck {
  seq: number;
  hash: string;
  /** Absolute path of the file holding the record. */
  file: string;
}

export interface RepairInfo {
  file: string;
  /** Offset the file was cut back to (end of the last complete line). */
  truncatedAt: number;
  removedBytes: number;
  removedSha256: string;
}

export interface AuditWriterStats {
  written: number;
  queued: number;
  lastSeq: number;
  failing: boolean;
  lastError?: string;
}

/**
 * A queued record. Its canonical head (canonicalHead) is already UTF-8 in a staging chunk, so
 * the thousands of records that wait for the disk at high rates are a few small objects each
 * rather than strings: the young-generation GC copies every live object at each scavenge, and
 * that copying was the largest cost of the writer.
 */
interface Pending {
  /** ISO 8601 UTC; its first 10 characters are the UTC day. */
  ts: string;
  /** JSON.stringify(ts). */
  tsJson: string;
  chunk: Buffer;
  start: number;
  end: number;
  resolve: (ack: AuditAck) => void;
  reject: (err: Error) => void;
}

/**
 * Buffer's per-encoding writers (on Buffer.prototype since Node 0.x, used by buf.write itself):
 * buf.write(text, offset, encoding) spends more time parsing its arguments than copying a
 * few hundred bytes.
 */
type FastBuffer = Buffer & { utf8Write(text: string, offset: number): number; latin1Write(text: string, offset: number): number };

/** Staging chunk size: the heads of ~2,000 typical records. */
const STAGE_CHUNK = 1024 * 1024;
/** Bytes of a record after its head at most: prevHash, seq, v, hash, punctuation (ts is added). */
const TAIL_MAX = 64 + 24 + 16 + 16 + 64 + 16;

interface CurrentFile {
  name: string;
  index: number;
  day: string;
  /** Bytes known durable (written and fsync'ed). Writes go at this offset. */
  size: number;
  fh: FileHandle | null;
  /** Unlinked while open: never write here again. */
  gone: boolean;
}

/** Configuration or trail state the writer must not continue from (not retried). */
export class AuditStartError extends Error {
  override readonly name = 'AuditStartError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Identifies this process in lock files (a pid alone can be reused, e.g. after a container restart). */
const PROCESS_TOKEN = randomUUID();

const DEFAULT_NODE: AuditNodeRef = { id: '', type: 'audit-writer', name: '' };

/**
 * Hash-chained, group-committed, crash-safe append-only writer (DESIGN.md genesys-audit-out).
 *
 * append() queues an entry and resolves only after its record is written and fsync'ed. Records
 * are written in batches: a batch goes to disk when it is full or `syncIntervalMs` after the
 * first record of an idle period, and while one batch is being fsync'ed the next one gathers.
 * A disk error keeps the batch queued and retries with backoff; nothing is acknowledged before
 * it is durable, and the queue cap bounds memory.
 *
 * Events: 'written' (count), 'diskError' (AuditDiskError), 'recovered', 'repaired' (RepairInfo),
 * 'fatal' (AuditStartError).
 */
export class AuditWriter extends EventEmitter {
  readonly dir: string;
  readonly instance: string;
  private readonly key: Buffer | undefined;
  private readonly alg: HashAlg;
  private readonly node: AuditNodeRef;
  private readonly rotateBytes: number;
  private readonly rotateDaily: boolean;
  private readonly syncIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxQueue: number;
  private readonly clock: Clock;
  private readonly fs: AuditFs;
  private readonly backoff: Backoff;
  private readonly heads: CanonicalHeadBuilder;

  private queue: Pending[] = [];
  private headSeq = 0;
  private headHash = GENESIS_HASH;
  private lastIndex = 0;
  private file: CurrentFile | null = null;
  private recovered = false;
  private lockHeld = false;
  private dirCreated = false;
  private pumping: Promise<void> | null = null;
  private kickAgain = false;
  private batchTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private failing = false;
  private lastError: string | undefined;
  private fatalError: Error | undefined;
  private closed = false;
  private closing: Promise<void> | null = null;
  private written = 0;
  private lastTs = NaN;
  private lastIso = '';
  private lastIsoJson = '';
  private stage: Buffer = Buffer.allocUnsafeSlow(0);
  private stageOff = 0;
  /** Reused for each batch's bytes (one write at a time). */
  private out: Buffer = Buffer.allocUnsafeSlow(0);
  private idleWaiters: Array<() => void> = [];
  private startWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  constructor(opts: AuditWriterOptions) {
    super();
    if (typeof opts.dir !== 'string' || opts.dir.trim() === '') {
      throw new InputError('audit directory is required', 'AUDIT_BAD_CONFIG', 'dir');
    }
    this.dir = opts.dir;
    this.instance = validateInstance(opts.instance);
    const key = typeof opts.key === 'string' ? Buffer.from(opts.key, 'utf8') : opts.key;
    this.key = key && key.length > 0 ? key : undefined;
    this.alg = this.key ? 'hmac-sha256' : 'sha256';
    this.node = opts.node ?? DEFAULT_NODE;
    this.rotateBytes = positiveInt(opts.rotateBytes ?? 64 * 1024 * 1024, 'rotateBytes', true);
    this.rotateDaily = opts.rotateDaily ?? true;
    this.syncIntervalMs = positiveInt(opts.syncIntervalMs ?? 20, 'syncIntervalMs', true);
    this.maxBatch = positiveInt(opts.maxBatch ?? 1000, 'maxBatch');
    this.maxQueue = positiveInt(opts.maxQueue ?? 10000, 'maxQueue');
    this.clock = opts.clock ?? systemClock;
    this.fs = opts.fs ?? nodeFs;
    this.backoff = new Backoff(opts.retry ?? { initialMs: 100, maxMs: 10_000 });
    this.heads = new CanonicalHeadBuilder(this.alg, this.instance);
  }

  /**
   * Opens the trail: creates the directory, takes the instance lock, continues the chain from the
   * newest file and repairs a torn last line. Resolves once ready; disk errors are retried (and
   * reported as 'diskError') meanwhile; rejects with AuditStartError on what cannot be retried.
   */
  start(): Promise<void> {
    if (this.recovered) return Promise.resolve();
    if (this.fatalError) return Promise.reject(this.fatalError);
    const p = new Promise<void>((resolve, reject) => this.startWaiters.push({ resolve, reject }));
    this.kick();
    return p;
  }

  /** Queues an entry; resolves with {seq, hash, file} once the record is durable. */
  append(entry: AuditEntry): Promise<AuditAck> {
    if (this.fatalError) return Promise.reject(new AuditClosedError(`audit trail unavailable: ${this.fatalError.message}`, 'AUDIT_UNAVAILABLE'));
    if (this.closed) return Promise.reject(new AuditClosedError('audit writer is closed; the record was not written'));
    if (this.queue.length >= this.maxQueue) return Promise.reject(new AuditQueueFullError(this.maxQueue));
    let pending: Pending;
    try {
      pending = this.prepare(entry);
    } catch (err) {
      return Promise.reject(err);
    }
    const promise = new Promise<AuditAck>((resolve, reject) => {
      pending.resolve = resolve;
      pending.reject = reject;
    });
    this.queue.push(pending);
    this.schedule();
    return promise;
  }

  get stats(): AuditWriterStats {
    return { written: this.written, queued: this.queue.length, lastSeq: this.headSeq, failing: this.failing, lastError: this.lastError };
  }

  /** The chain head: seq and hash of the last durable record. */
  get head(): { seq: number; hash: string } {
    return { seq: this.headSeq, hash: this.headHash };
  }

  /**
   * Stops accepting entries, writes and fsyncs everything queued, closes the file and releases
   * the lock. Entries still not durable after `timeoutMs` (a disk that keeps failing) are rejected.
   */
  close(timeoutMs = 10_000): Promise<void> {
    if (!this.closing) this.closing = this.doClose(timeoutMs);
    return this.closing;
  }

  // ---- internals ----

  private prepare(entry: AuditEntry): Pending {
    const head = this.headOf(entry);
    // The head is copied as UTF-8 into the staging chunk (a big one gets a buffer of its own).
    const most = head.length * 3; // UTF-8 bytes per UTF-16 unit at most
    if (most > STAGE_CHUNK / 8) {
      const own = Buffer.from(head, 'utf8');
      return { ts: this.lastIso, tsJson: this.lastIsoJson, chunk: own, start: 0, end: own.length, resolve: noop, reject: noop };
    }
    if (this.stageOff + most > this.stage.length) {
      // The old chunk lives on while records in it wait; it is collected after their batch.
      this.stage = Buffer.allocUnsafeSlow(STAGE_CHUNK);
      this.stageOff = 0;
    }
    const start = this.stageOff;
    this.stageOff += (this.stage as FastBuffer).utf8Write(head, start);
    return { ts: this.lastIso, tsJson: this.lastIsoJson, chunk: this.stage, start, end: this.stageOff, resolve: noop, reject: noop };
  }

  /**
   * Validates an entry and builds the chain-independent start of its canonical form; the
   * record's time is then in lastIso / lastIsoJson.
   */
  private headOf(entry: AuditEntry): string {
    if (!entry || typeof entry.kind !== 'string' || entry.kind.trim() === '') {
      throw new InputError('audit record kind must be a non-empty string', 'AUDIT_BAD_KIND', 'kind');
    }
    const cid = entry.conversationId;
    if (cid !== undefined && cid !== null && typeof cid !== 'string') {
      throw new InputError('conversationId must be a string', 'AUDIT_BAD_CONVERSATION', 'conversationId');
    }
    // Canonicalised now: a cyclic/BigInt payload fails this append, not the batch, and later
    // changes to the caller's object cannot alter what is stored.
    const canonical = entry.data === undefined ? undefined : canonicalJson(entry.data);
    let dataMember = '';
    if (entry.digestOnly) dataMember = `"dataSha256":"${sha256Hex(canonical ?? 'null')}"`;
    else if (canonical !== undefined) dataMember = `"data":${canonical}`;
    const ts = this.clock.now();
    if (ts !== this.lastTs) {
      // many records share a millisecond at high rates: format each instant once
      this.lastTs = ts;
      this.lastIso = new Date(ts).toISOString();
      this.lastIsoJson = JSON.stringify(this.lastIso);
    }
    return this.heads.build(entry.node ?? this.node, cid ?? null, entry.kind, dataMember);
  }

  private schedule(): void {
    if (this.retryTimer) return; // the retry picks the queue up
    if (this.queue.length >= this.maxBatch) {
      this.clearBatchTimer();
      this.kick();
    } else if (!this.batchTimer) {
      this.batchTimer = keepAlive(
        this.clock.setTimeout(() => {
          this.batchTimer = undefined;
          this.kick();
        }, this.syncIntervalMs),
      );
    }
  }

  private clearBatchTimer(): void {
    if (this.batchTimer) this.clock.clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
  }

  private kick(): void {
    if (this.fatalError) return;
    if (this.pumping) {
      // The loop may be past its last check (its promise not settled yet): run again after it.
      this.kickAgain = true;
      return;
    }
    this.kickAgain = false;
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      const again = this.kickAgain;
      this.kickAgain = false;
      if (this.fatalError) this.notifyIdle();
      else if (this.retryTimer) return;
      else if (this.queue.length > 0 || again) this.kick(); // arrived as the loop ended: they already waited
      else this.notifyIdle();
    });
  }

  private async pump(): Promise<void> {
    while (!this.fatalError && !this.retryTimer) {
      try {
        if (!this.recovered) {
          await this.recover();
          this.recovered = true;
          this.healthy();
          for (const w of this.startWaiters.splice(0)) w.resolve();
        }
        if (this.queue.length === 0) return;
        await this.writeSegment();
        this.healthy();
      } catch (err) {
        if (err instanceof AuditStartError) {
          await this.releaseFiles();
          this.fail(err);
          return;
        }
        await this.abandonFile();
        const delay = this.backoff.next();
        const diskErr = describeDiskError(err, (err as { path?: string }).path ?? this.dir, delay);
        this.failing = true;
        this.lastError = diskErr.message;
        this.emit('diskError', diskErr satisfies AuditDiskError);
        this.retryTimer = keepAlive(
          this.clock.setTimeout(() => {
            this.retryTimer = undefined;
            this.kick();
          }, delay),
        );
        return;
      }
    }
  }

  private healthy(): void {
    this.backoff.reset();
    if (this.failing) {
      this.failing = false;
      this.lastError = undefined;
      this.emit('recovered');
    }
  }

  /** Writes the longest run of queued records that fits the current file, in one write+fsync. */
  private async writeSegment(): Promise<void> {
    const take = Math.min(this.queue.length, this.maxBatch);
    const firstDay = this.queue[0]!.ts.slice(0, 10);
    let cur = this.file && !this.file.gone ? this.file : null;
    if (cur && !cur.fh) cur = await this.reopen(cur);

    // Room for the batch: each record's head, its tail and hash.
    let room = 0;
    for (let i = 0; i < take; i++) {
      const p = this.queue[i]!;
      room += p.end - p.start + p.tsJson.length + TAIL_MAX;
    }
    if (this.out.length < room) this.out = Buffer.allocUnsafeSlow(Math.max(room, this.out.length * 2));
    const out = this.out;

    let seq = this.headSeq;
    let prev = this.headHash;
    const hashes: string[] = [];
    let bytes = 0;
    let newFile = !cur || (this.rotateDaily && cur.day !== firstDay);
    const startSize = newFile ? 0 : cur!.size;
    for (let i = 0; i < take; i++) {
      const p = this.queue[i]!;
      // canonical = head + tail, hashed as the bytes written; then its closing brace becomes the hash member
      let end = bytes + p.chunk.copy(out, bytes, p.start, p.end);
      end += (out as FastBuffer).latin1Write(canonicalTail(prev, seq + 1, p.tsJson), end); // ASCII
      const hash = recordHash(out.subarray(bytes, end), this.key);
      end += (out as FastBuffer).latin1Write(hashMemberEnd(hash), end - 1) - 1;
      const len = end - bytes;
      if (i === 0) {
        if (!newFile && this.rotateBytes > 0 && startSize > 0 && startSize + len > this.rotateBytes) newFile = true;
      } else {
        if (this.rotateDaily && !p.ts.startsWith(firstDay)) break;
        const base = newFile ? 0 : startSize;
        if (this.rotateBytes > 0 && base + end > this.rotateBytes) break;
      }
      hashes.push(hash);
      bytes = end;
      seq++;
      prev = hash;
    }

    let target: CurrentFile;
    if (newFile) {
      if (cur?.fh) {
        await closeQuietly(cur.fh);
        cur.fh = null;
      }
      target = await this.createFile(firstDay);
    } else {
      target = cur!;
    }
    const buf = out.subarray(0, bytes);
    const fh = target.fh!;
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await fh.write(buf, off, buf.length - off, target.size + off);
      off += bytesWritten;
    }
    await fh.datasync();
    const st = await fh.stat();
    if (st.nlink === 0) {
      target.gone = true;
      throw Object.assign(new Error('the audit file was deleted while open; rewriting the batch into a new file'), {
        code: 'AUDIT_FILE_REMOVED',
        path: join(this.dir, target.name),
      });
    }
    // Durable: advance the chain and acknowledge.
    target.size += buf.length;
    this.headSeq = seq;
    this.headHash = prev;
    const done = this.queue.splice(0, hashes.length);
    this.written += done.length;
    const path = join(this.dir, target.name);
    const firstSeq = seq - done.length + 1;
    for (let i = 0; i < done.length; i++) done[i]!.resolve({ seq: firstSeq + i, hash: hashes[i]!, file: path });
    this.emit('written', done.length);
  }

  private async createFile(day: string): Promise<CurrentFile> {
    for (;;) {
      const index = this.lastIndex + 1;
      const name = trailFileName(this.instance, index, day);
      const path = join(this.dir, name);
      let fh: FileHandle;
      try {
        fh = await this.fs.open(path, 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
          // Left by an attempt whose first write failed; never reuse a name we did not track.
          this.lastIndex = index;
          continue;
        }
        throw withPath(err, path);
      }
      this.lastIndex = index;
      this.file = { name, index, day, size: 0, fh, gone: false };
      await this.syncDir();
      return this.file;
    }
  }

  /** Re-opens the current file after an error, cutting off whatever a failed write left. */
  private async reopen(cur: CurrentFile): Promise<CurrentFile | null> {
    const path = join(this.dir, cur.name);
    let fh: FileHandle;
    try {
      fh = await this.fs.open(path, 'r+');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        cur.gone = true;
        return null; // continue in a new file (fails again if the directory itself is gone)
      }
      throw withPath(err, path);
    }
    try {
      const { size } = await fh.stat();
      if (size > cur.size) await fh.truncate(cur.size);
      else if (size < cur.size) cur.size = size; // cut by someone else; the verifier will tell
    } catch (err) {
      await closeQuietly(fh);
      throw withPath(err, path);
    }
    cur.fh = fh;
    return cur;
  }

  /** After a failed write: drop the partial bytes if possible and close, so a retry reopens. */
  private async abandonFile(): Promise<void> {
    const f = this.file;
    if (!f?.fh) return;
    if (!f.gone) {
      try {
        await f.fh.truncate(f.size);
      } catch {
        // reopen() truncates again
      }
    }
    await closeQuietly(f.fh);
    f.fh = null;
  }

  private async syncDir(): Promise<void> {
    // The new file's directory entry must be durable too, or a crash could lose the whole file.
    let dh: FileHandle | undefined;
    try {
      dh = await this.fs.open(this.dir, 'r');
      await dh.sync();
    } catch (err) {
      // Some platforms/filesystems refuse fsync on directories; the data fsync still happened.
      if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes((err as NodeJS.ErrnoException).code ?? '')) throw withPath(err, this.dir);
    } finally {
      if (dh) await closeQuietly(dh);
    }
  }

  /** Continues the chain from the newest file; repairs a torn last line. */
  private async recover(): Promise<void> {
    if (!this.dirCreated) {
      await this.fs.mkdir(this.dir, { recursive: true }).catch((err: unknown) => {
        throw withPath(err, this.dir);
      });
      this.dirCreated = true;
    }
    if (!this.lockHeld) await this.acquireLock();
    const names = (await this.fs.readdir(this.dir).catch((err: unknown) => {
      throw withPath(err, this.dir);
    })) as string[];
    const files = groupTrailFiles(names).get(this.instance) ?? [];
    this.lastIndex = files.at(-1)?.index ?? 0;
    if (this.file?.fh) await closeQuietly(this.file.fh); // from an earlier attempt that failed
    this.file = null;
    let torn: { bytes: Buffer; at: number } | undefined;
    for (let i = files.length - 1; i >= 0; i--) {
      const f = files[i]!;
      const path = join(this.dir, f.name);
      const newest = i === files.length - 1;
      let fh: FileHandle;
      try {
        fh = await this.fs.open(path, newest ? 'r+' : 'r');
      } catch (err) {
        throw withPath(err, path);
      }
      let keepOpen = false;
      try {
        const { size } = await fh.stat();
        const tail = await readTail(fh, size);
        if (newest && tail.completeEnd < size) {
          const bytes = Buffer.alloc(size - tail.completeEnd);
          await readFully(fh, bytes, tail.completeEnd);
          torn = { bytes, at: tail.completeEnd };
        }
        if (newest) {
          this.file = { name: f.name, index: f.index, day: f.day, size: tail.completeEnd, fh, gone: false };
          keepOpen = true;
        }
        if (tail.lastLine !== null) {
          this.adoptHead(tail.lastLine, f.name);
          break;
        }
      } catch (err) {
        throw err instanceof AuditStartError ? err : withPath(err, path);
      } finally {
        if (!keepOpen) await closeQuietly(fh);
      }
    }
    if (torn && this.file?.fh) await this.repairTornLine(this.file, torn.bytes, torn.at);
  }

  /**
   * Replaces a torn last line with a repair record. The record is written OVER the torn bytes and
   * only then is the file cut to its end, so a crash at any point leaves either the torn bytes
   * (repaired again on the next start) or the repair record, never a silent truncation. Whatever
   * part of the torn bytes the record did not overwrite has no newline, so it reads as torn again.
   */
  private async repairTornLine(file: CurrentFile, bytes: Buffer, at: number): Promise<void> {
    const info: RepairInfo = { file: file.name, truncatedAt: at, removedBytes: bytes.length, removedSha256: createHash('sha256').update(bytes).digest('hex') };
    const head = this.headOf({ kind: REPAIR_KIND, conversationId: null, data: { action: 'replaced-torn-last-line', ...info } });
    const canonical = head + canonicalTail(this.headHash, this.headSeq + 1, this.lastIsoJson);
    const hash = recordHash(canonical, this.key);
    const buf = Buffer.from(canonical.slice(0, -1) + hashMemberEnd(hash), 'utf8');
    const fh = file.fh!;
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await fh.write(buf, off, buf.length - off, at + off);
      off += bytesWritten;
    }
    await fh.truncate(at + buf.length);
    await fh.datasync();
    file.size = at + buf.length;
    this.headSeq += 1;
    this.headHash = hash;
    this.written++;
    this.emit('repaired', info);
  }

  private adoptHead(line: string, file: string): void {
    let rec;
    try {
      rec = parseRecordLine(line);
    } catch (err) {
      throw new AuditStartError(
        `the last record of ${file} is unreadable (${errorMessage(err)}); check the trail with genesys-audit-verify before writing to it`,
        'AUDIT_TRAIL_CORRUPT',
      );
    }
    if (rec.alg !== this.alg) {
      throw new AuditStartError(
        `the trail in ${this.dir} for instance ${this.instance} is ${rec.alg === 'hmac-sha256' ? 'keyed (HMAC)' : 'not keyed'} but this writer is ${this.key ? 'keyed' : 'not keyed'}; use the same setting or a new directory`,
        'AUDIT_ALG_MISMATCH',
      );
    }
    let hashOk: boolean;
    try {
      hashOk = checkRecordHash(rec, line, this.key).hashOk;
    } catch (err) {
      // parses but cannot be serialised again (data nested too deep): the line was not written by a writer
      throw new AuditStartError(
        `the last record of ${file} is unreadable (${errorMessage(err)}); check the trail with genesys-audit-verify before writing to it`,
        'AUDIT_TRAIL_CORRUPT',
      );
    }
    if (!hashOk) {
      throw new AuditStartError(
        this.key
          ? `the HMAC key does not match the trail in ${this.dir} (last record of ${file}); use the key the trail was written with or a new directory`
          : `the last record of ${file} does not match its hash; check the trail with genesys-audit-verify before writing to it`,
        this.key ? 'AUDIT_KEY_MISMATCH' : 'AUDIT_TRAIL_CORRUPT',
      );
    }
    this.headSeq = rec.seq;
    this.headHash = rec.hash;
  }

  private async acquireLock(): Promise<void> {
    const path = join(this.dir, lockFileName(this.instance));
    const me = { pid: process.pid, host: hostname(), token: PROCESS_TOKEN, since: new Date(this.clock.now()).toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await this.fs.open(path, 'wx');
        try {
          await fh.write(JSON.stringify(me));
        } finally {
          await closeQuietly(fh);
        }
        this.lockHeld = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw withPath(err, path);
      }
      let owner: { pid?: unknown; host?: unknown; token?: unknown } = {};
      try {
        owner = JSON.parse(String(await this.fs.readFile(path, 'utf8'))) as typeof owner;
      } catch {
        // unreadable lock (torn write at a crash): treat as stale
      }
      const sameHost = owner.host === me.host;
      const sameProcess = owner.token === PROCESS_TOKEN;
      const pid = typeof owner.pid === 'number' ? owner.pid : undefined;
      // Stale: no owner recorded, or an owner on this host that is gone. Our own pid with another
      // token is a previous incarnation (a restarted container gets the same small pid again).
      const stale = pid === undefined || (sameHost && !sameProcess && (pid === process.pid || !processAlive(pid)));
      if (stale) {
        await this.fs.unlink(path).catch(() => undefined);
        continue;
      }
      throw new AuditStartError(
        sameProcess
          ? `another audit writer in this process already writes instance "${this.instance}" to ${this.dir}; use one audit-out node per directory and instance`
          : `instance "${this.instance}" in ${this.dir} is locked by process ${pid} on ${String(owner.host)} (${path}); use another instance id or directory, and delete the lock only if that process is gone`,
        'AUDIT_LOCKED',
      );
    }
    throw new AuditStartError(`could not take the lock ${path}`, 'AUDIT_LOCKED');
  }

  private fail(err: AuditStartError): void {
    this.fatalError = err;
    this.lastError = err.message;
    this.clearBatchTimer();
    const rejected = new AuditClosedError(`audit trail unavailable: ${err.message}`, 'AUDIT_UNAVAILABLE');
    for (const p of this.queue.splice(0)) p.reject(rejected);
    for (const w of this.startWaiters.splice(0)) w.reject(err);
    this.emit('fatal', err);
  }

  private notifyIdle(): void {
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async doClose(timeoutMs: number): Promise<void> {
    this.closed = true;
    this.clearBatchTimer();
    if (this.queue.length > 0 && !this.fatalError) {
      await new Promise<void>((resolve) => {
        const timer = this.clock.setTimeout(() => resolve(), timeoutMs);
        this.idleWaiters.push(() => {
          this.clock.clearTimeout(timer);
          resolve();
        });
        if (!this.retryTimer) this.kick();
      });
    }
    if (this.retryTimer) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.pumping) await this.pumping;
    if (this.queue.length > 0) {
      const reason = this.lastError ? `: ${this.lastError}` : '';
      const err = new AuditClosedError(`audit writer closed before ${this.queue.length} record(s) could be written${reason}`);
      for (const p of this.queue.splice(0)) p.reject(err);
    }
    for (const w of this.startWaiters.splice(0)) w.reject(new AuditClosedError('audit writer closed before it started'));
    await this.releaseFiles();
  }

  private async releaseFiles(): Promise<void> {
    if (this.file?.fh) {
      await closeQuietly(this.file.fh);
      this.file.fh = null;
    }
    if (this.lockHeld) {
      await this.fs.unlink(join(this.dir, lockFileName(this.instance))).catch(() => undefined);
      this.lockHeld = false;
    }
  }
}

/**
 * The system clock's timers do not hold the process open, but a timer that stands between queued
 * records and the disk must: a script that appends and awaits would otherwise exit with the
 * records unwritten. (Manual test clocks return plain objects; nothing to do there.)
 */
function keepAlive(handle: TimerHandle): TimerHandle {
  (handle as { ref?: () => void }).ref?.();
  return handle;
}

function noop(): void {
  // placeholder until append() sets the promise's settle functions
}

function positiveInt(v: number, name: string, allowZero = false): number {
  if (!Number.isSafeInteger(v) || v < (allowZero ? 0 : 1)) {
    throw new InputError(`${name} must be ${allowZero ? 'a non-negative' : 'a positive'} integer (got ${String(v)})`, 'AUDIT_BAD_CONFIG', name);
  }
  return v;
}

function withPath(err: unknown, path: string): unknown {
  if (err && typeof err === 'object' && !(err as { path?: string }).path) (err as { path?: string }).path = path;
  return err;
}

async function closeQuietly(fh: FileHandle): Promise<void> {
  try {
    await fh.close();
  } catch {
    // already closed or the descriptor is dead; nothing more to release
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
