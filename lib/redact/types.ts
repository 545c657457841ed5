/** Entity types, options and results of the redaction detectors (lib/redact). */
import type { CountryCode } from 'libphonenumber-js';
import type { Token } from './tokens';

export type EntityType =
  | 'CARD'
  | 'CVV'
  | 'EXPIRY'
  | 'SSN'
  | 'PHONE'
  | 'EMAIL'
  | 'IBAN'
  | 'IP'
  | 'DOB'
  | 'ACCOUNT'
  | 'ADDRESS'
  | 'ZIP'
  | 'NAME'
  /** A digit run that is not identified yet but could be part of a card, SSN or phone number. */
  | 'NUMBER'
  | 'CUSTOM';

export const ENTITY_TYPES: readonly EntityType[] = [
  'CARD', 'CVV', 'EXPIRY', 'SSN', 'PHONE', 'EMAIL', 'IBAN', 'IP', 'DOB', 'ACCOUNT', 'ADDRESS', 'ZIP', 'NAME', 'NUMBER', 'CUSTOM',
];

/**
 * Presets matching Genesys Cloud's two org-level switches (reference A4): "Payment Cards" and
 * "Personal Information". NUMBER (unidentified digit runs, e.g. the first part of a card read over
 * several utterances) belongs to both, since it protects cards as much as SSNs and phones.
 */
export const PRESETS: Readonly<Record<'pci' | 'pii', readonly EntityType[]>> = {
  pci: ['CARD', 'CVV', 'EXPIRY', 'NUMBER'],
  pii: ['SSN', 'PHONE', 'EMAIL', 'IBAN', 'IP', 'DOB', 'ACCOUNT', 'ADDRESS', 'ZIP', 'NAME', 'NUMBER', 'CUSTOM'],
};

export interface DetectedEntity {
  type: EntityType;
  /** UTF-16 offsets into the analysed text, end exclusive. */
  start: number;
  end: number;
  /** 0..1. */
  score: number;
  form: 'written' | 'spoken';
  /**
   * Canonical value: digits only for numbers, lower case for emails and names; used to match the same
   * value in other text (pseudonyms, summary checks). Never put it in output messages.
   */
  normalized: string;
  /** For CUSTOM: the pattern's name (used as the tag). */
  label?: string;
  /** Why it was reported (e.g. "luhn", "context:card", "continuation"); for debugging and tests. */
  reason: string;
}

export interface CustomPattern {
  /** Tag name, letters / digits / underscore, e.g. EMPLOYEE_ID. */
  name: string;
  /** JavaScript regular expression source; checked by compileSafePattern(). */
  pattern: string;
  /** Only i, m, s, u allowed. */
  flags?: string;
  score?: number;
}

export interface DetectorOptions {
  /** Entity types to report. Default: every type. */
  entities: readonly EntityType[];
  /** Region for national phone numbers (libphonenumber-js CountryCode). Default US. */
  defaultRegion: CountryCode;
  /** Entities scoring below are dropped. Default 0.5. */
  threshold: number;
  /** Keep a last-four reference such as "ending in four two four two". Default true. */
  keepLastFour: boolean;
  /** Run the spoken-number layer (number words). Default true. */
  spoken: boolean;
  customPatterns: readonly CustomPattern[];
  /** Values never redacted (exact text, case-insensitive; numbers compared as digits). */
  allowList: readonly string[];
  /** Values always redacted (literal, case-insensitive, whole words), reported as CUSTOM. */
  denyList: readonly string[];
  /** Word tokens before an entity searched for context words. Default 8. */
  contextWindow: number;
  /**
   * Every number of at least this many digits (written, spoken or both; groups the spoken-number layer
   * reads as one number count together) is redacted as NUMBER, whatever it reads as: a strict mode in
   * the spirit of Deepgram's `numbers` redaction. 0 (the default) turns it off.
   */
  numbersMinDigits: number;
}

/** Lower-case name words to redact where they recur: a Set, or the keys of a Map (only has and size are read). */
export type KnownNames = Pick<ReadonlySet<string>, 'has' | 'size'>;

/** What a previous utterance leaves for the next one (see Redactor). */
export interface DetectionCarry {
  /** Context types still active from earlier utterances of the conversation (either speaker). */
  contexts?: ReadonlySet<EntityType>;
  /** A sensitive digit run that ended the same speaker's previous final utterance and may continue. */
  pending?: { type: EntityType; digits: string; complete?: boolean };
  /** Name words (lower case) already found as names in this conversation: redacted wherever they recur. */
  knownNames?: KnownNames;
}

export interface DetectionResult {
  entities: DetectedEntity[];
  /** Context types mentioned in this text (to carry to the next utterances). Shared between results: read only (changes throw). */
  contexts: Set<EntityType>;
  /** The digit run ending this text, when it may continue in the next utterance. */
  trailing?: { type: EntityType; digits: string; complete: boolean };
  /** The text holds digits or number words (keeps carried contexts alive while a number is read). */
  digitish: boolean;
  /** False for fillers and acknowledgements only ("uh", "okay", "mhm", "go on"): they keep the state as it is. */
  substantive: boolean;
  /** Word classes (LEX_* bits of tokens.ts) of the text's words (Detector.detect always sets them). */
  wordClasses?: number;
  /** @internal The text's tokens (read only; Detector.detect always sets them): the redactor's name-answer check reuses them. */
  tokens?: readonly Token[];
}
