/** Values typed in a node's dialog (Node-RED stores them as text, or as whatever a hand-edited flow holds). */
import { InputError, describeValue } from './errors';

/**
 * A number setting: blank (unset, null, '') is `fallback`; anything else must read as a finite number
 * from `min` to `max`, or an InputError with `code` names the field (the node refuses to start and
 * says why, rather than run on a value nobody chose).
 */
export function dialogNumber(v: unknown, field: string, fallback: number, min: number, max: number, code = 'INVALID_CONFIG'): number {
  if (v === undefined || v === null || v === '') return fallback;
  const n = readDialogNumber(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new InputError(`${field} must be a number from ${min} to ${max} (got ${describeValue(v)})`, code, field);
  return n;
}

/** A dialog value read as a number: a number as it is, text trimmed and read as one (blank text: NaN), anything else NaN. */
export function readDialogNumber(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : NaN;
}
