/** Tamper-evident, crash-safe audit trail: writer, verifier and the record format. */
export { canonicalJson, sha256Hex, hmacSha256Hex } from './canonical';
export {
  GENESIS_HASH,
  RECORD_VERSION,
  REPAIR_KIND,
  INSTANCE_PATTERN,
  parseRecordLine,
  checkRecordHash,
  sealRecord,
  trailFileName,
  parseTrailFileName,
  validateInstance,
  type AuditRecord,
  type AuditNodeRef,
  type HashAlg,
  type TrailFile,
} from './record';
export { AuditDiskError, AuditQueueFullError, AuditClosedError } from './errors';
export { AuditWriter, AuditStartError, type AuditWriterOptions, type AuditEntry, type AuditAck, type AuditFs, type RepairInfo, type AuditWriterStats } from './writer';
export { verifyTrail, AuditKeyRequiredError, type VerifyReport, type VerifyBreak, type BreakKind, type VerifyOptions, type InstanceSummary } from './verify';
