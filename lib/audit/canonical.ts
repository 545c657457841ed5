import { createHash, createHmac } from 'node:crypto';
import { InputError } from '../util/errors';

/**
 * Canonical serialisation of audit records, the bytes every hash is computed over.
 *
 * It is the JSON Canonicalization Scheme (RFC 8785) restricted to what JSON can carry:
 * - no whitespace anywhere;
 * - object members sorted by key in UTF-16 code-unit order (JavaScript's default sort);
 * - strings and numbers written exactly as ECMAScript `JSON.stringify` writes them
 *   (shortest round-trip numbers, `-0` as `0`, the standard escapes);
 * - JSON semantics for values JSON cannot hold: `toJSON()` is honoured (Date, Buffer),
 *   `undefined` / functions / symbols are dropped from objects and become `null` in arrays,
 *   `NaN` and infinities become `null`. BigInt and cyclic structures are refused.
 *
 * Parsing the output with `JSON.parse` and serialising again gives the same bytes, which is
 * what lets the verifier recompute every hash from the stored lines.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, new Set<object>()) ?? 'null';
}

function serialise(value: unknown, stack: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new InputError('a BigInt cannot be stored in the audit trail (convert it to a string first)', 'AUDIT_UNSERIALISABLE');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value === null) return 'null';
  const obj = value as Record<string, unknown> & { toJSON?: () => unknown };
  if (typeof obj.toJSON === 'function') return serialise(obj.toJSON(), stack);
  if (stack.has(obj)) {
    throw new InputError('the data to audit contains a circular reference', 'AUDIT_UNSERIALISABLE');
  }
  stack.add(obj);
  try {
    if (Array.isArray(obj)) {
      let out = '[';
      for (let i = 0; i < obj.length; i++) {
        if (i > 0) out += ',';
        out += serialise(obj[i], stack) ?? 'null';
      }
      return `${out}]`;
    }
    const keys = Object.keys(obj).sort();
    let out = '{';
    let first = true;
    for (const key of keys) {
      const member = serialise(obj[key], stack);
      if (member === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(key)}:${member}`;
      first = false;
    }
    return `${out}}`;
  } finally {
    stack.delete(obj);
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function hmacSha256Hex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}
