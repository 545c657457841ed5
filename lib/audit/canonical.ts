import * as crypto from 'node:crypto';
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
 *   `NaN` and infinities become `null`. BigInt, cyclic structures and data too deep for the
 *   stack are refused.
 *
 * Parsing the output with `JSON.parse` and serialising again gives the same bytes, which is
 * what lets the verifier recompute every hash from the stored lines.
 */
export function canonicalJson(value: unknown): string {
  try {
    return serialise(value, []) ?? 'null';
  } catch (err) {
    // Data nested thousands deep overflows the stack, a huge value the string length limit: an
    // appended entry or a tampered trail line must fail as bad input, not with a RangeError.
    if (err instanceof RangeError) {
      throw new InputError(`the data to audit is nested too deep or too large to serialise (${err.message})`, 'AUDIT_UNSERIALISABLE');
    }
    throw err;
  }
}

// Keys repeat from record to record (payload shapes are few): their quoted form is cached.
const quotedKeys = new Map<string, string>();
function quoteKey(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, q);
  }
  return q;
}

/**
 * Sorts keys by UTF-16 code units (what `<` on strings and the default sort compare). The few
 * keys of a typical payload object sort faster by insertion in place than by Array#sort.
 */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

function serialise(value: unknown, stack: object[]): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // String() equals JSON.stringify for finite numbers (shortest round trip, -0 as 0)
      return Number.isFinite(value) ? String(value) : 'null';
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
  if (stack.includes(obj)) {
    throw new InputError('the data to audit contains a circular reference', 'AUDIT_UNSERIALISABLE');
  }
  stack.push(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = '[';
    for (let i = 0; i < obj.length; i++) {
      if (i > 0) out += ',';
      out += serialise(obj[i], stack) ?? 'null';
    }
    out += ']';
  } else {
    const keys = sortKeys(Object.keys(obj));
    out = '{';
    let first = true;
    for (const key of keys) {
      const member = serialise(obj[key], stack);
      if (member === undefined) continue;
      out += `${first ? '' : ','}${quoteKey(key)}:${member}`;
      first = false;
    }
    out += '}';
  }
  stack.pop();
  return out;
}

// crypto.hash (Node >= 20.12) skips the Hash object: several times faster for short inputs.
const oneShotHash = (crypto as { hash?: (alg: string, data: string | Uint8Array, enc: 'hex') => string }).hash;

/** SHA-256 in hex of a string (as UTF-8) or of bytes (bytes skip the UTF-8 encoding: faster). */
export function sha256Hex(data: string | Uint8Array): string {
  if (oneShotHash) return oneShotHash('sha256', data, 'hex');
  return createHash('sha256').update(data).digest('hex');
}

export function hmacSha256Hex(key: Buffer, data: string | Uint8Array): string {
  return createHmac('sha256', key).update(data).digest('hex');
}
