import { errorMessage } from '../util/errors';

/** A file-system failure while writing the trail; the writer keeps the records and retries. */
export class AuditDiskError extends Error {
  override readonly name = 'AuditDiskError';
  constructor(
    message: string,
    /** errno code (ENOSPC, EACCES, ENOENT, EROFS, EIO, ...) or AUDIT_FILE_REMOVED. */
    readonly code: string,
    readonly path: string,
    readonly retryInMs?: number,
  ) {
    super(message);
  }
}

/** The queue is at its cap: the disk is slower than the input. The entry was not queued. */
export class AuditQueueFullError extends Error {
  override readonly name = 'AuditQueueFullError';
  readonly code = 'AUDIT_QUEUE_FULL';
  constructor(readonly cap: number) {
    super(`audit queue full (${cap} records waiting for the disk); the record was not written`);
  }
}

/** The writer was closed (or could not start); the entry was not written. */
export class AuditClosedError extends Error {
  override readonly name = 'AuditClosedError';
  constructor(
    message: string,
    readonly code = 'AUDIT_CLOSED',
  ) {
    super(message);
  }
}

/** Turns an fs error into a sentence that says what is wrong with the disk or directory. */
export function describeDiskError(err: unknown, path: string, retryInMs?: number): AuditDiskError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  const what: Record<string, string> = {
    ENOSPC: 'disk full',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOENT: 'directory or file is gone',
    ENOTDIR: 'not a directory',
    EIO: 'I/O error',
  };
  const retry = retryInMs !== undefined ? `; retrying in ${retryInMs} ms` : '';
  return new AuditDiskError(`audit write failed (${what[code] ?? code}) at ${path}: ${errorMessage(err)}${retry}`, code, path, retryInMs);
}
