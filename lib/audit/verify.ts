import { createReadStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../util/errors';
import {
  GENESIS_HASH,
  REPAIR_KIND,
  checkRecordHash,
  groupTrailFiles,
  parseRecordLine,
  type AuditRecord,
  type HashAlg,
  type TrailFile,
} from './record';

/**
 * The trail verifier: reads every file of a directory in order and checks every record's hash
 * and its link to the previous record (seq + prevHash), across files.
 *
 * Kinds of break, reported for the first broken record:
 * - edited:     a record's content no longer matches its hash (or a record was rewritten and
 *               re-hashed, so the next record's prevHash no longer matches it), or a line is not
 *               a record at all;
 * - deleted:    records (or whole files) are missing from the middle or the start of the chain;
 * - reordered:  a record appears before / after records it should follow / precede;
 * - truncated:  a file ends early (the next file starts after a gap), or ends with an incomplete
 *               line (a crash the writer has not repaired yet);
 * - inserted:   a foreign record sits in the chain (a copy, another instance's record, or a
 *               forged record that the following real record does not link to).
 * Records cut from the END of the newest file are indistinguishable from a trail that simply
 * stopped there, unless a hash kept elsewhere (e.g. the last msg.audit.hash) is given as
 * `expectHash`: a trail that no longer contains it is reported as truncated.
 */
export type BreakKind = 'edited' | 'deleted' | 'reordered' | 'truncated' | 'inserted';

export interface VerifyBreak {
  instance: string;
  /** File name inside the directory. */
  file: string;
  /** 1-based line number. */
  line: number;
  seq: number | null;
  kind: BreakKind;
  detail: string;
}

export interface InstanceSummary {
  instance: string;
  files: number;
  records: number;
  repairs: number;
  firstSeq: number | null;
  lastSeq: number | null;
  headHash: string | null;
  alg: HashAlg | null;
}

export interface VerifyReport {
  ok: boolean;
  dir: string;
  files: number;
  records: number;
  repairs: number;
  instances: InstanceSummary[];
  break?: VerifyBreak;
}

export interface VerifyOptions {
  /** HMAC key of a keyed chain. */
  key?: Buffer | string;
  /** Verify only this instance's chain (default: every instance found). */
  instance?: string;
  /** Accept a chain that starts after seq 1 (older files archived on purpose). */
  partial?: boolean;
  /**
   * Hash of a record known to be in the trail, kept elsewhere (e.g. the last msg.audit.hash sent
   * to another system). Records cut from the end are otherwise undetectable: with an anchor, a
   * trail that no longer contains it is reported as truncated.
   */
  expectHash?: string;
}

/** The trail is keyed and no key was given (a usage problem, not a broken trail). */
export class AuditKeyRequiredError extends Error {
  override readonly name = 'AuditKeyRequiredError';
  readonly code = 'AUDIT_KEY_REQUIRED';
  constructor(file: string, line: number) {
    super(`the trail is keyed (hmac-sha256, first seen in ${file} line ${line}); give its key (--key-file or --key-env)`);
  }
}

interface Entry {
  file: TrailFile;
  fileNo: number;
  line: number;
  text: string;
  torn: boolean;
  firstInFile: boolean;
}

interface Loc {
  file: string;
  line: number;
  fileIndex: number;
  seq: number;
  prevHash: string;
  hash: string;
}

/** Verifies every chain in `dir`. Throws on IO problems and on a keyed trail without key. */
export async function verifyTrail(dir: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const key = typeof opts.key === 'string' ? (opts.key ? Buffer.from(opts.key, 'utf8') : undefined) : opts.key;
  const names = await fsp.readdir(dir);
  const groups = groupTrailFiles(names);
  const instances = [...groups.keys()].filter((i) => opts.instance === undefined || i === opts.instance).sort();
  const report: VerifyReport = { ok: true, dir, files: 0, records: 0, repairs: 0, instances: [] };
  const anchor = { hash: opts.expectHash?.trim().toLowerCase(), found: false };
  let lastSeen: { instance: string; file: string; line: number; seq: number } | undefined;
  for (const instance of instances) {
    const files = groups.get(instance)!;
    const { summary, brk, last } = await verifyChain(dir, instance, files, key, opts.partial ?? false, anchor);
    if (last) lastSeen = { instance, file: last.file, line: last.line, seq: last.seq };
    report.instances.push(summary);
    report.files += summary.files;
    report.records += summary.records;
    report.repairs += summary.repairs;
    if (brk) {
      report.ok = false;
      report.break = brk;
      break;
    }
  }
  if (report.ok && anchor.hash && !anchor.found) {
    report.ok = false;
    report.break = {
      instance: lastSeen?.instance ?? opts.instance ?? '',
      file: lastSeen?.file ?? '',
      line: (lastSeen?.line ?? 0) + 1,
      seq: lastSeen ? lastSeen.seq + 1 : null,
      kind: 'truncated',
      detail: `no record has the expected hash ${anchor.hash}: records were cut from the end of the trail (after seq ${lastSeen?.seq ?? 0}), or the hash belongs to another trail`,
    };
  }
  return report;
}

async function verifyChain(
  dir: string,
  instance: string,
  files: TrailFile[],
  key: Buffer | undefined,
  partial: boolean,
  anchor: { hash?: string; found: boolean },
): Promise<{ summary: InstanceSummary; brk?: VerifyBreak; last?: Loc }> {
  const summary: InstanceSummary = { instance, files: files.length, records: 0, repairs: 0, firstSeq: null, lastSeq: null, headHash: null, alg: null };
  const it = new Peekable(entries(dir, files, 0, 0));
  try {
    return await walkChain(dir, instance, files, key, partial, summary, it, anchor);
  } finally {
    await it.close(); // releases the open read stream after an early return
  }
}

async function walkChain(
  dir: string,
  instance: string,
  files: TrailFile[],
  key: Buffer | undefined,
  partial: boolean,
  summary: InstanceSummary,
  it: Peekable<Entry>,
  anchor: { hash?: string; found: boolean },
): Promise<{ summary: InstanceSummary; brk?: VerifyBreak; last?: Loc }> {
  const recent = new Map<number, string>(); // seq -> hash of the last records, to spot copies
  let prev: Loc | null = null;

  const brk = (e: { file: string; line: number }, seq: number | null, kind: BreakKind, detail: string) => ({
    summary,
    brk: { instance, file: e.file, line: e.line, seq, kind, detail },
  });

  for (;;) {
    const e = await it.next();
    if (!e) break;
    const at = { file: e.file.name, line: e.line };
    if (e.torn) {
      return brk(at, null, 'truncated', `the file ends with an incomplete line (${Buffer.byteLength(e.text)} bytes): a write was cut short (crash) and no writer has restarted on it since, or the file was cut`);
    }
    let r: AuditRecord;
    try {
      r = parseRecordLine(e.text);
    } catch (err) {
      return brk(at, null, 'edited', `the line is not a valid audit record (${errorMessage(err)})`);
    }
    if (r.instance !== instance) {
      return brk(at, r.seq, 'inserted', `a record of instance "${r.instance}" sits in the trail of instance "${instance}"`);
    }
    if (r.alg === 'hmac-sha256' && !key) throw new AuditKeyRequiredError(e.file.name, e.line);
    const algOk = key ? r.alg === 'hmac-sha256' : r.alg === 'sha256';
    let check = { hashOk: false, canonical: false };
    try {
      if (algOk) check = checkRecordHash(r, e.text, key);
    } catch (err) {
      // parses but cannot be serialised again (e.g. data nested too deep): not a record the writer wrote
      return brk(at, r.seq, 'edited', `the line is not a valid audit record (${errorMessage(err)})`);
    }
    const selfOk = check.hashOk && check.canonical;
    const expSeq = prev ? prev.seq + 1 : partial ? r.seq : 1;
    const expPrev = prev ? prev.hash : partial ? r.prevHash : GENESIS_HASH;
    const linked = r.seq === expSeq && r.prevHash === expPrev;

    if (selfOk && linked) {
      prev = { file: e.file.name, line: e.line, fileIndex: e.file.index, seq: r.seq, prevHash: r.prevHash, hash: r.hash };
      summary.records++;
      if (r.kind === REPAIR_KIND) summary.repairs++;
      summary.firstSeq ??= r.seq;
      summary.lastSeq = r.seq;
      summary.headHash = r.hash;
      if (r.hash === anchor.hash) anchor.found = true;
      summary.alg = r.alg;
      recent.set(r.seq, r.hash);
      if (recent.size > 10_000) recent.delete(recent.keys().next().value as number);
      continue;
    }

    const nextLinks = async (): Promise<boolean> => {
      const n = await it.peek();
      if (!n || n.torn) return false;
      try {
        const nr = parseRecordLine(n.text);
        return nr.seq === expSeq && nr.prevHash === expPrev;
      } catch {
        return false;
      }
    };

    if (!selfOk) {
      const why = !algOk
        ? key
          ? 'it is not keyed (alg sha256) though the chain is checked with a key'
          : 'its alg is unknown'
        : !check.hashOk
          ? (key ? 'its content does not match its HMAC' : 'its content does not match its hash')
          : 'the line is not in canonical form (it was rewritten by hand)';
      if (linked) return brk(at, r.seq, 'edited', `record seq ${r.seq} was modified: ${why}`);
      if (await nextLinks()) return brk(at, r.seq, 'inserted', `a record that is not part of the chain was inserted before seq ${expSeq}: ${why}`);
      return brk(at, r.seq, 'edited', `expected seq ${expSeq} here; this record was modified (${why}) and does not link to the previous record`);
    }

    // The record is intact but does not follow the previous one.
    if (!prev) {
      if (r.seq > 1) {
        return brk(at, r.seq, 'deleted', `the chain starts at seq ${r.seq}: the records or files before it are missing (use --partial if older files were archived on purpose)`);
      }
      return brk(at, r.seq, 'edited', 'the first record does not start the chain (its prevHash is not the genesis value)');
    }
    if (r.seq === expSeq) {
      if (await nextLinks()) {
        return brk(at, r.seq, 'inserted', `a foreign record claiming seq ${r.seq} was inserted: it does not link to seq ${prev.seq}, and the record after it does`);
      }
      return brk(prev, prev.seq, 'edited', `record seq ${prev.seq} was rewritten: the next record (seq ${r.seq}, ${at.file} line ${at.line}) links to a different hash`);
    }
    if (r.seq > expSeq) {
      if (await seqAppearsLater(dir, files, e, expSeq)) {
        return brk(at, r.seq, 'reordered', `seq ${r.seq} appears where seq ${expSeq} was expected; seq ${expSeq} comes later in the trail`);
      }
      const missing = r.seq - 1 === expSeq ? `seq ${expSeq} is` : `seq ${expSeq}..${r.seq - 1} are`;
      if (e.firstInFile && e.file.index !== prev.fileIndex) {
        const gap = e.file.index - prev.fileIndex - 1;
        if (gap > 0) return brk(at, r.seq, 'deleted', `${gap} file(s) before this one are missing (records ${missing} missing)`);
        return brk(at, r.seq, 'truncated', `the previous file ${prev.file} ends early: records ${missing} missing`);
      }
      return brk(at, r.seq, 'deleted', `records ${missing} missing before this one`);
    }
    // r.seq < expSeq
    if (recent.get(r.seq) === r.hash) return brk(at, r.seq, 'inserted', `a copy of record seq ${r.seq} was inserted after seq ${prev.seq}`);
    if (r.prevHash === prev.prevHash) {
      return brk(prev, prev.seq, 'inserted', `the record claiming seq ${prev.seq} is foreign: the real seq ${r.seq} follows it (${at.file} line ${at.line}) and links to the same predecessor`);
    }
    return brk(at, r.seq, 'reordered', `seq ${r.seq} appears after seq ${prev.seq}`);
  }
  return { summary, last: prev ?? undefined };
}

/** Lines of the files from (fileNo, after line skipLines). */
async function* entries(dir: string, files: TrailFile[], fromFile: number, skipLines: number): AsyncGenerator<Entry> {
  for (let fileNo = fromFile; fileNo < files.length; fileNo++) {
    const file = files[fileNo]!;
    let line = 0;
    for await (const l of readLines(join(dir, file.name))) {
      line++;
      if (fileNo === fromFile && line <= skipLines) continue;
      yield { file, fileNo, line, text: l.text, torn: l.torn, firstInFile: line === 1 };
    }
  }
}

async function seqAppearsLater(dir: string, files: TrailFile[], after: Entry, seq: number): Promise<boolean> {
  for await (const e of entries(dir, files, after.fileNo, after.line)) {
    if (e.torn) continue;
    try {
      if (parseRecordLine(e.text).seq === seq) return true;
    } catch {
      // not a record; keep looking
    }
  }
  return false;
}

/** Splits a file into lines; a last line without `\n` is reported as torn. */
async function* readLines(path: string): AsyncGenerator<{ text: string; torn: boolean }> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf: Buffer = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0) break;
      yield { text: buf.toString('utf8', start, nl), torn: false };
      start = nl + 1;
    }
    rest = buf.subarray(start);
  }
  if (rest.length > 0) yield { text: rest.toString('utf8'), torn: true };
}

class Peekable<T> {
  private buffered: { v: T | undefined } | undefined;
  constructor(private readonly gen: AsyncGenerator<T>) {}
  async next(): Promise<T | undefined> {
    if (this.buffered) {
      const v = this.buffered.v;
      this.buffered = undefined;
      return v;
    }
    const r = await this.gen.next();
    return r.done ? undefined : r.value;
  }
  async close(): Promise<void> {
    await this.gen.return(undefined);
  }
  async peek(): Promise<T | undefined> {
    if (!this.buffered) {
      const r = await this.gen.next();
      this.buffered = { v: r.done ? undefined : r.value };
    }
    return this.buffered.v;
  }
}
