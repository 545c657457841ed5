import { InputError, describeValue } from '../util/errors';
import { canonicalJson, hmacSha256Hex, sha256Hex } from './canonical';

/**
 * The audit record and its file format.
 *
 * One record per line (JSON Lines, UTF-8, `\n` terminated). A line is the canonical form
 * (canonical.ts) of the record without `hash`, with `"hash":"<hex>"` appended as its last member:
 *
 *   hash = SHA-256(canonical(record without hash))              alg "sha256"
 *   hash = HMAC-SHA256(key, canonical(record without hash))     alg "hmac-sha256" (keyed chain)
 *
 * `prevHash` is the hash of the previous record of the same instance (GENESIS_HASH for the first),
 * across rotated files and restarts, so deleting, editing, reordering or inserting a record breaks
 * a link the verifier can point at.
 */
export const RECORD_VERSION = 1;
export const GENESIS_HASH = '0'.repeat(64);
export type HashAlg = 'sha256' | 'hmac-sha256';

/** Kind of the record a writer appends after repairing a torn last line on start. */
export const REPAIR_KIND = 'audit.repair';

export interface AuditNodeRef {
  id: string;
  type: string;
  name: string;
}

export interface AuditRecord {
  v: number;
  seq: number;
  /** ISO 8601 UTC time the entry was appended. */
  ts: string;
  instance: string;
  node: AuditNodeRef;
  conversationId: string | null;
  kind: string;
  /** The stored content, or absent when only its digest is kept. */
  data?: unknown;
  /** SHA-256 (hex) of canonical(data), present instead of `data` in digest mode. */
  dataSha256?: string;
  alg: HashAlg;
  prevHash: string;
  hash: string;
}

export type UnsignedRecord = Omit<AuditRecord, 'hash'>;

/** Computes the hash of a record (without its hash member) for the given alg/key. */
export function recordHash(canonicalWithoutHash: string | Uint8Array, key: Buffer | undefined): string {
  return key ? hmacSha256Hex(key, canonicalWithoutHash) : sha256Hex(canonicalWithoutHash);
}

/** Serialises and hashes a record: returns the line (with its `\n`) and the hash. */
export function sealRecord(record: UnsignedRecord, key: Buffer | undefined): { line: string; hash: string } {
  const canonical = canonicalJson(record);
  const hash = recordHash(canonical, key);
  return { line: canonical.slice(0, -1) + hashMemberEnd(hash), hash };
}

/** What the writer knows about a record when it is queued, before its place in the chain. */
export interface RecordHeadParts {
  alg: HashAlg;
  instance: string;
  node: AuditNodeRef;
  conversationId: string | null;
  kind: string;
  /** `"data":<canonical>` or `"dataSha256":"<hex>"`, or '' for neither. */
  dataMember: string;
}

/**
 * The canonical form of a record split where the chain comes in. Members sort as alg,
 * conversationId, data|dataSha256, instance, kind, node, prevHash, seq, ts, v: everything up to
 * the opening quote of prevHash's value is known when an entry is queued (canonicalHead), the
 * rest once its seq and predecessor are (canonicalTail). canonical = head + tail; unit tests check
 * it against canonicalJson of the whole record.
 */
export function canonicalHead(p: RecordHeadParts): string {
  const j = JSON.stringify;
  return (
    `{"alg":"${p.alg}","conversationId":${p.conversationId === null ? 'null' : j(p.conversationId)},` +
    (p.dataMember ? `${p.dataMember},` : '') +
    `"instance":${j(p.instance)},"kind":${j(p.kind)},` +
    `"node":{"id":${j(p.node.id)},"name":${j(p.node.name)},"type":${j(p.node.type)}},"prevHash":"`
  );
}

/**
 * canonicalHead for one writer, with what repeats from record to record (alg, instance, the
 * node reference, kinds) quoted once: JSON.stringify of six short strings per record cost more
 * than canonicalising a typical payload's data. Same output as canonicalHead (unit-tested).
 */
export class CanonicalHeadBuilder {
  private readonly start: string;
  private readonly instanceMember: string;
  private readonly kindsQuoted = new Map<string, string>();
  private node: AuditNodeRef | undefined;
  private nodeId = '';
  private nodeName = '';
  private nodeType = '';
  private nodeMember = '';

  constructor(alg: HashAlg, instance: string) {
    this.start = `{"alg":"${alg}","conversationId":`;
    this.instanceMember = `"instance":${JSON.stringify(instance)},"kind":`;
  }

  build(node: AuditNodeRef, conversationId: string | null, kind: string, dataMember: string): string {
    // The node reference is usually the same object every time; its fields are compared too,
    // since the caller may change them in place.
    if (node !== this.node || node.id !== this.nodeId || node.name !== this.nodeName || node.type !== this.nodeType) {
      this.nodeMember = `,"node":{"id":${JSON.stringify(node.id)},"name":${JSON.stringify(node.name)},"type":${JSON.stringify(node.type)}},"prevHash":"`;
      this.node = node;
      this.nodeId = node.id;
      this.nodeName = node.name;
      this.nodeType = node.type;
    }
    let kindQuoted = this.kindsQuoted.get(kind);
    if (kindQuoted === undefined) {
      kindQuoted = JSON.stringify(kind);
      if (this.kindsQuoted.size < 1000) this.kindsQuoted.set(kind, kindQuoted);
    }
    return (
      this.start +
      (conversationId === null ? 'null,' : `${JSON.stringify(conversationId)},`) +
      (dataMember ? `${dataMember},` : '') +
      this.instanceMember +
      kindQuoted +
      this.nodeMember
    );
  }
}

/** The chain-dependent end of the canonical form; `tsJson` is JSON.stringify(ts). */
export function canonicalTail(prevHash: string, seq: number, tsJson: string): string {
  return `${prevHash}","seq":${seq},"ts":${tsJson},"v":${RECORD_VERSION}}`;
}

/** The line for a canonical form and its hash: `"hash"` goes last, then the newline. */
export function hashMemberEnd(hash: string): string {
  return `,"hash":"${hash}"}\n`;
}

/**
 * sealRecord from parts, by concatenation (canonicalHead + canonicalTail), with the data member
 * already canonicalised.
 */
export function sealParts(p: RecordHeadParts & { seq: number; ts: string; prevHash: string }, key: Buffer | undefined): { line: string; hash: string } {
  const canonical = canonicalHead(p) + canonicalTail(p.prevHash, p.seq, JSON.stringify(p.ts));
  const hash = recordHash(canonical, key);
  return { line: canonical.slice(0, -1) + hashMemberEnd(hash), hash };
}

const HEX64 = /^[0-9a-f]{64}$/;

/** An instant as the writer writes it (Date#toISOString: "2026-11-22T09:15:00.123Z"), and a real one (no 30 February). */
function isIsoInstant(s: string): boolean {
  if (!ISO_INSTANT.test(s)) return false;
  const t = Date.parse(s);
  return Number.isFinite(t) && new Date(t).toISOString() === s;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses one line (without its `\n`) into a record, checking the shape only (not the hash).
 * Throws InputError with a reason the verifier can print.
 */
export function parseRecordLine(line: string): AuditRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new InputError('the line is not valid JSON', 'AUDIT_BAD_RECORD');
  }
  if (!isObject(value)) throw new InputError('the line is not a JSON object', 'AUDIT_BAD_RECORD');
  const r = value;
  const bad = (what: string): never => {
    throw new InputError(`the record has an invalid ${what}`, 'AUDIT_BAD_RECORD', what);
  };
  if (r.v !== RECORD_VERSION) bad('v');
  if (typeof r.seq !== 'number' || !Number.isSafeInteger(r.seq) || r.seq < 1) bad('seq');
  if (typeof r.ts !== 'string' || !isIsoInstant(r.ts)) bad('ts');
  if (typeof r.instance !== 'string' || r.instance === '') bad('instance');
  if (!isObject(r.node) || typeof r.node.id !== 'string' || typeof r.node.type !== 'string' || typeof r.node.name !== 'string') bad('node');
  if (r.conversationId !== null && typeof r.conversationId !== 'string') bad('conversationId');
  if (typeof r.kind !== 'string' || r.kind === '') bad('kind');
  if (r.dataSha256 !== undefined && (typeof r.dataSha256 !== 'string' || !HEX64.test(r.dataSha256))) bad('dataSha256');
  if (r.alg !== 'sha256' && r.alg !== 'hmac-sha256') bad('alg');
  if (typeof r.prevHash !== 'string' || !HEX64.test(r.prevHash)) bad('prevHash');
  if (typeof r.hash !== 'string' || !HEX64.test(r.hash)) bad('hash');
  return r as unknown as AuditRecord;
}

/**
 * Recomputes a parsed record's hash. `canonical` is false when the stored line is not exactly the
 * canonical serialisation (e.g. whitespace or key order changed by hand).
 */
export function checkRecordHash(record: AuditRecord, line: string, key: Buffer | undefined): { hashOk: boolean; canonical: boolean } {
  const { hash, ...rest } = record;
  const sealed = sealRecord(rest, key);
  return { hashOk: sealed.hash === hash, canonical: sealed.line === `${line}\n` };
}

// ---- file naming ----

/** Instance ids go into file names, so they are restricted to a portable set of characters. */
export const INSTANCE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function validateInstance(instance: string): string {
  // (typeof first: options from code may hold anything, and the pattern's test would read null as "null")
  if (typeof instance !== 'string' || !INSTANCE_PATTERN.test(instance)) {
    throw new InputError(
      `audit instance id ${describeValue(instance)} must be 1-64 characters of A-Z a-z 0-9 . _ -`,
      'AUDIT_BAD_INSTANCE',
      'instance',
    );
  }
  return instance;
}

/** audit-<instance>-<index, 6+ digits>-<UTC day YYYYMMDD>.jsonl; the index orders the files. */
const FILE_PATTERN = /^audit-(.+)-(\d{6,})-(\d{8})\.jsonl$/;

export interface TrailFile {
  name: string;
  instance: string;
  index: number;
  /** UTC day of the file's first record, YYYY-MM-DD. */
  day: string;
}

export function trailFileName(instance: string, index: number, day: string): string {
  return `audit-${instance}-${String(index).padStart(6, '0')}-${day.replace(/-/g, '')}.jsonl`;
}

export function parseTrailFileName(name: string): TrailFile | undefined {
  const m = FILE_PATTERN.exec(name);
  if (!m) return undefined;
  const d = m[3]!;
  return { name, instance: m[1]!, index: Number(m[2]), day: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` };
}

/** Trail files of a directory listing grouped by instance, each group sorted by index. */
export function groupTrailFiles(names: readonly string[]): Map<string, TrailFile[]> {
  const groups = new Map<string, TrailFile[]>();
  for (const name of names) {
    const f = parseTrailFileName(name);
    if (!f) continue;
    let list = groups.get(f.instance);
    if (!list) groups.set(f.instance, (list = []));
    list.push(f);
  }
  for (const list of groups.values()) list.sort((a, b) => a.index - b.index);
  return groups;
}

export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

export function lockFileName(instance: string): string {
  return `audit-${instance}.lock`;
}
