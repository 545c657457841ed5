/**
 * Operators: what a detected span becomes. Type tag "[CARD]", numbered pseudonym per conversation
 * "[PHONE_1]" (the same normalised value keeps its number), mask (keep the last N digits), keyed hash
 * (HMAC-SHA256 with a key from the node's credentials, so equal values give equal tags without the
 * value being recoverable; written in letters a-p, so a tag holds no digits).
 */
import { createHmac } from 'node:crypto';
import { InputError } from '../util/errors';
import type { DetectedEntity, EntityType } from './types';

export type OperatorKind = 'tag' | 'pseudonym' | 'mask' | 'hash';
export const OPERATOR_KINDS: readonly OperatorKind[] = ['tag', 'pseudonym', 'mask', 'hash'];
export type LabelStyle = 'type' | 'genesys';

export interface OperatorOptions {
  kind: OperatorKind;
  /** 'type': "[CARD]"; 'genesys': the labels Genesys Cloud uses ("[card number]", "[phone]"...). */
  labels: LabelStyle;
  /** mask: digits kept at the end of cards, phones, accounts, SSNs and IBANs. */
  maskKeepLast: number;
  maskChar: string;
  /** hash: the HMAC key (node credential). */
  hashKey?: string;
}

export const DEFAULT_OPERATOR_OPTIONS: OperatorOptions = { kind: 'tag', labels: 'type', maskKeepLast: 4, maskChar: '*' };

/** Genesys Cloud redaction labels (reference A4). */
const GENESYS_LABELS: Record<EntityType, string> = {
  CARD: 'card number', CVV: 'card number', EXPIRY: 'card expiry date', SSN: 'national id', PHONE: 'phone', EMAIL: 'email',
  IBAN: 'personal info', IP: 'personal info', DOB: 'personal info', ACCOUNT: 'personal info', ADDRESS: 'location',
  ZIP: 'postal code', NAME: 'name', NUMBER: 'personal info', CUSTOM: 'personal info',
};

/** The 16 letters a hash tag is written in, one per 4 bits. */
const HASH_LETTERS = 'abcdefghijklmnop';

const MASK_KEEPS: ReadonlySet<EntityType> = new Set(['CARD', 'PHONE', 'ACCOUNT', 'SSN', 'IBAN']);

/**
 * Per conversation, what each value goes by: its number for pseudonyms (type label -> normalised
 * value -> n), and the key a value read over several utterances took from its first part, so that
 * pseudonyms and hashes stay the same whether the value is said whole or in parts, in either order.
 */
export class PseudonymTable {
  /** label -> value -> its number, in the order values are met (hashes show none, but are met too). */
  private readonly byLabel = new Map<string, Map<string, number>>();
  /** label -> value -> the key it goes by (a first part's digits). */
  private readonly aliases = new Map<string, Map<string, string>>();

  number(label: string, value: string): number {
    let m = this.byLabel.get(label);
    if (!m) {
      m = new Map();
      this.byLabel.set(label, m);
    }
    let n = m.get(value);
    if (n === undefined) {
      n = m.size + 1;
      m.set(value, n);
    }
    return n;
  }

  /** Notes that `value` (a key, as keyOf gives it) was redacted under `label`, for an operator that shows no number. */
  remember(label: string, value: string): void {
    this.number(label, value);
  }

  /** The key `value` goes by: the key of the first part it was completed from, or itself. */
  keyOf(label: string, value: string): string {
    return this.aliases.size === 0 ? value : (this.aliases.get(label)?.get(value) ?? value);
  }

  /** `value` was met on its own (as its own key). */
  has(label: string, value: string): boolean {
    return this.byLabel.get(label)?.has(value) ?? false;
  }

  /** `value` (completed over several utterances) goes by `existing`, its first part's key, unless it was met on its own first. */
  alias(label: string, value: string, existing: string): void {
    if (value === existing || this.has(label, value)) return;
    let m = this.aliases.get(label);
    if (!m) {
      m = new Map();
      this.aliases.set(label, m);
    }
    m.set(value, existing);
  }

  /**
   * A value met before that starts with `digits` (6 or more): a number said whole and now read again
   * in parts, whose first part takes the whole value's key.
   */
  startOf(label: string, digits: string): string | undefined {
    if (digits.length < 6) return undefined;
    const m = this.byLabel.get(label);
    if (m) for (const v of m.keys()) if (v.length > digits.length && v.startsWith(digits)) return v;
    return undefined;
  }

  get size(): number {
    let n = 0;
    for (const m of this.byLabel.values()) n += m.size;
    return n;
  }
}

export class Operator {
  readonly options: OperatorOptions;
  /** Tag operator: "[LABEL]" by label, built once. */
  private readonly tags = new Map<string, string>();
  constructor(options: Partial<OperatorOptions> = {}) {
    this.options = { ...DEFAULT_OPERATOR_OPTIONS, ...options };
    const o = this.options;
    if (!OPERATOR_KINDS.includes(o.kind)) throw new InputError(`operator must be one of ${OPERATOR_KINDS.join(', ')}`, 'INVALID_OPTIONS');
    if (o.labels !== 'type' && o.labels !== 'genesys') throw new InputError('labels must be "type" or "genesys"', 'INVALID_OPTIONS');
    if (!Number.isInteger(o.maskKeepLast) || o.maskKeepLast < 0 || o.maskKeepLast > 8) throw new InputError('maskKeepLast must be an integer 0..8', 'INVALID_OPTIONS');
    if ([...o.maskChar].length !== 1 || /[\p{L}\p{N}]/u.test(o.maskChar)) throw new InputError('maskChar must be one non-alphanumeric character', 'INVALID_OPTIONS');
    if (o.kind === 'hash' && (o.hashKey === undefined || o.hashKey.length < 16)) {
      throw new InputError('the hash operator needs a key of at least 16 characters (node credentials)', 'INVALID_OPTIONS');
    }
  }

  label(e: Pick<DetectedEntity, 'type' | 'label'>): string {
    if (this.options.labels === 'genesys') return GENESYS_LABELS[e.type];
    return e.label ?? e.type;
  }

  /**
   * The replacement text of one entity; `raw` is the span's original text (used by mask only). `open`:
   * the entity is a partial result's or a number that may go on in the next utterance, whose last
   * digits are not the value's: mask keeps none of them.
   */
  replacement(e: DetectedEntity, raw: string, pseudonyms: PseudonymTable, pseudonymValue: string = e.normalized, open = false): string {
    const label = this.label(e);
    const o = this.options;
    switch (o.kind) {
      case 'tag': {
        let tag = this.tags.get(label);
        if (tag === undefined) {
          tag = `[${label}]`;
          this.tags.set(label, tag);
        }
        return tag;
      }
      case 'pseudonym':
        return `[${label}_${pseudonyms.number(label, pseudonymValue)}]`;
      case 'hash': {
        pseudonyms.remember(label, pseudonymValue);
        const mac = createHmac('sha256', o.hashKey as string).update(`${e.type}:${pseudonymValue}`).digest();
        // The first 8 bytes, a letter a-p per 4 bits: hex digits would put numbers in the tag, and 4
        // of them in a row can match 4 digits of the value by chance.
        let tag = '';
        for (let i = 0; i < 8; i++) tag += HASH_LETTERS[mac[i] >> 4] + HASH_LETTERS[mac[i] & 15];
        return `[${label}:${tag}]`;
      }
      case 'mask': {
        const digits = /^\d+$/.test(e.normalized) ? e.normalized : '';
        if (digits) {
          const keep = !open && MASK_KEEPS.has(e.type) && digits.length > o.maskKeepLast * 2 ? o.maskKeepLast : 0;
          return o.maskChar.repeat(digits.length - keep) + digits.slice(digits.length - keep);
        }
        return raw.replace(/[\p{L}\p{N}]/gu, o.maskChar);
      }
    }
  }
}
