/**
 * Errors raised for bad input from outside (a flow message, a frame, a file, a dialog value).
 * Nodes pass them to done(err) so Catch nodes see a clear message; `code` lets flows branch.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly code: string = 'INVALID_INPUT',
    readonly path?: string,
  ) {
    super(message);
  }
}

/** Best-effort message of an unknown thrown value, for status text and logs. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/** Cuts long strings (raw frames on error messages) to a sane size. */
export function truncate(text: string, max = 2048): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more chars)`;
}

/**
 * A short rendering of a bad value for an error message: its JSON, cut to 64 characters. Never
 * throws: JSON.stringify does on a BigInt, a cyclic object or an array nested thousands deep, and
 * those are named by their type instead.
 */
export function describeValue(v: unknown): string {
  try {
    const json = JSON.stringify(v);
    if (json !== undefined) return truncate(json, 64);
  } catch {
    // fall through to the type
  }
  return Array.isArray(v) ? 'array' : typeof v;
}

/** An Error for done(err) / node.error from any thrown value. */
export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(errorMessage(err));
}
