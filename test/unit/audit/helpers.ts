import { promises as fsp, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditFs } from '../../../lib/audit/writer';
import type { AuditRecord } from '../../../lib/audit/record';

export function tempDir(prefix = 'audit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Trail files of a directory in index order. */
export function trailFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort();
}

/**
 * The records of a trail, file by file. Only lines ended by a newline are records: a crash in the
 * middle of a write leaves the start of one without it (the verifier reports it as truncated, the
 * writer's next start repairs it).
 */
export function readRecords(dir: string): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const f of trailFiles(dir)) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n');
    lines.pop(); // after the last newline: nothing, or an incomplete line
    for (const line of lines) if (line) out.push(JSON.parse(line) as AuditRecord);
  }
  return out;
}

export function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

export interface Faults {
  /** Next write(s) on trail files fail with this code, after writing half of the bytes. */
  write?: string;
  /** open() of paths containing this text fails with `openCode`. */
  openMatch?: string;
  openCode?: string;
  /** datasync waits for this promise before syncing. */
  syncGate?: Promise<void>;
}

/**
 * The real fs/promises with injectable failures, and counters: write+fsync behaviour is real,
 * only the chosen calls fail (as a full disk or a permission problem would make them fail).
 */
export function faultyFs(): { fs: AuditFs; faults: Faults; counts: { datasync: number; writes: number }; onSync: Array<() => void> } {
  const faults: Faults = {};
  const counts = { datasync: 0, writes: 0 };
  const onSync: Array<() => void> = [];
  const wrap = (fh: FileHandle): FileHandle =>
    new Proxy(fh, {
      get(target, prop) {
        if (prop === 'write') {
          return async (buf: Buffer, offset: number, length: number, position: number) => {
            counts.writes++;
            if (faults.write) {
              const half = Math.floor(length / 2);
              if (half > 0) await target.write(buf, offset, half, position);
              throw errnoError(faults.write);
            }
            return target.write(buf, offset, length, position);
          };
        }
        if (prop === 'datasync') {
          return async () => {
            for (const f of onSync.splice(0)) f();
            if (faults.syncGate) await faults.syncGate;
            counts.datasync++;
            return target.datasync();
          };
        }
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  const fs: AuditFs = {
    ...fsp,
    open: (async (path: string, flags?: string) => {
      if (faults.openMatch && String(path).includes(faults.openMatch)) throw errnoError(faults.openCode ?? 'EACCES');
      return wrap(await fsp.open(path, flags));
    }) as AuditFs['open'],
  };
  return { fs, faults, counts, onSync };
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves on the next `event` of an emitter. */
export function nextEvent<T = unknown>(emitter: NodeJS.EventEmitter, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (v: T) => resolve(v)));
}
