import { InputError, describeValue } from '../util/errors';

/**
 * The Utterance contract (DESIGN.md, "Message contracts"): what transcript-in emits and what the
 * aligner, redactor and summary validator accept, including hand-made messages of the same shape.
 */
export type Channel = 'INTERNAL' | 'EXTERNAL' | 'UNKNOWN' | 'BOTH';
export type Speaker = 'agent' | 'customer' | 'unknown';

export const CHANNELS: readonly Channel[] = ['INTERNAL', 'EXTERNAL', 'UNKNOWN', 'BOTH'];

export interface Word {
  text: string;
  /** Absolute epoch ms. */
  startMs: number;
  endMs: number;
  confidence?: number;
}

export interface Utterance {
  conversationId: string;
  communicationId?: string;
  utteranceId: string;
  channel: Channel;
  speaker: Speaker;
  isFinal: boolean;
  text: string;
  confidence?: number;
  /** Absolute epoch ms of speech start / end (see lib/transcript for the offset assumption). */
  startMs: number;
  endMs: number;
  words: Word[];
  language?: string;
  engine?: string;
  /** Epoch ms when the result reached this runtime. */
  receivedAt: number;
}

/** INTERNAL is the agent side of the call, EXTERNAL the customer (Genesys blueprint mapping). */
export function speakerForChannel(channel: Channel): Speaker {
  if (channel === 'INTERNAL') return 'agent';
  if (channel === 'EXTERNAL') return 'customer';
  return 'unknown';
}

/** Slack allowed between word timings and the utterance bounds (engines round to 10-100 ms). */
const WORD_RANGE_SLACK_MS = 100;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finite(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InputError(`${path} must be a finite number (got ${v === null ? 'null' : typeof v})`, 'INVALID_UTTERANCE', path);
  }
  return v;
}

function str(v: unknown, path: string, allowEmpty = false): string {
  if (typeof v !== 'string' || (!allowEmpty && v.length === 0)) {
    throw new InputError(`${path} must be a ${allowEmpty ? '' : 'non-empty '}string`, 'INVALID_UTTERANCE', path);
  }
  return v;
}

function optional<T>(v: unknown, check: (v: unknown) => T): T | undefined {
  return v === undefined || v === null ? undefined : check(v);
}

/**
 * Validates an Utterance from outside (a flow message). Fills `speaker` from `channel` when
 * missing and `receivedAt` from `now` when missing. Throws InputError naming the bad field.
 */
export function parseUtterance(value: unknown, now?: number, fallbackConversationId?: string): Utterance {
  if (!isRecord(value)) throw new InputError('utterance must be an object', 'INVALID_UTTERANCE');
  const conversationId =
    value.conversationId === undefined && fallbackConversationId ? fallbackConversationId : str(value.conversationId, 'conversationId');
  const utteranceId = str(value.utteranceId, 'utteranceId');
  const channel = value.channel === undefined ? 'UNKNOWN' : value.channel;
  if (typeof channel !== 'string' || !(CHANNELS as readonly string[]).includes(channel)) {
    throw new InputError(`channel must be one of ${CHANNELS.join(', ')} (got ${describeValue(channel)})`, 'INVALID_UTTERANCE', 'channel');
  }
  const speaker = value.speaker === undefined ? speakerForChannel(channel as Channel) : value.speaker;
  if (speaker !== 'agent' && speaker !== 'customer' && speaker !== 'unknown') {
    throw new InputError(`speaker must be agent, customer or unknown (got ${describeValue(speaker)})`, 'INVALID_UTTERANCE', 'speaker');
  }
  if (typeof value.isFinal !== 'boolean') throw new InputError('isFinal must be a boolean', 'INVALID_UTTERANCE', 'isFinal');
  const text = str(value.text, 'text', true);
  const startMs = finite(value.startMs, 'startMs');
  const endMs = finite(value.endMs, 'endMs');
  if (endMs < startMs) throw new InputError(`endMs (${endMs}) is before startMs (${startMs})`, 'INVALID_UTTERANCE', 'endMs');
  const wordsIn = value.words === undefined ? [] : value.words;
  if (!Array.isArray(wordsIn)) throw new InputError('words must be an array', 'INVALID_UTTERANCE', 'words');
  // Every word of every message passes here (twice in a pipeline): error paths such as
  // "words[3].startMs" are built only when a check fails. A plain loop, not map: map skips the
  // holes of a sparse array and looks up the array's own `constructor` (species), which outside
  // input can set to anything.
  const words: Word[] = [];
  for (let i = 0; i < wordsIn.length; i++) {
    const w: unknown = wordsIn[i];
    if (!isRecord(w)) {
      const why = i in wordsIn ? 'must be an object' : 'is missing (a hole in the array)';
      throw new InputError(`words[${i}] ${why}`, 'INVALID_UTTERANCE', `words[${i}]`);
    }
    const ws = typeof w.startMs === 'number' && Number.isFinite(w.startMs) ? w.startMs : finite(w.startMs, `words[${i}].startMs`);
    const we = typeof w.endMs === 'number' && Number.isFinite(w.endMs) ? w.endMs : finite(w.endMs, `words[${i}].endMs`);
    if (we < ws) throw new InputError(`words[${i}].endMs is before its startMs`, 'INVALID_UTTERANCE', `words[${i}]`);
    if (ws < startMs - WORD_RANGE_SLACK_MS || we > endMs + WORD_RANGE_SLACK_MS) {
      throw new InputError(`words[${i}] (${ws}-${we}) lies outside the utterance (${startMs}-${endMs})`, 'INVALID_UTTERANCE', `words[${i}]`);
    }
    const word: Word = { text: typeof w.text === 'string' ? w.text : str(w.text, `words[${i}].text`, true), startMs: ws, endMs: we };
    const c = w.confidence;
    if (c !== undefined && c !== null) word.confidence = typeof c === 'number' && Number.isFinite(c) ? c : finite(c, `words[${i}].confidence`);
    words.push(word);
  }
  const u: Utterance = {
    conversationId,
    utteranceId,
    channel: channel as Channel,
    speaker,
    isFinal: value.isFinal,
    text,
    startMs,
    endMs,
    words,
    // The clock is read only when needed (Date.now() costs about 0.1 us, as much as checking a word).
    receivedAt: value.receivedAt === undefined ? (now ?? Date.now()) : finite(value.receivedAt, 'receivedAt'),
  };
  const communicationId = optional(value.communicationId, (v) => str(v, 'communicationId'));
  if (communicationId !== undefined) u.communicationId = communicationId;
  const confidence = optional(value.confidence, (v) => finite(v, 'confidence'));
  if (confidence !== undefined) u.confidence = confidence;
  const language = optional(value.language, (v) => str(v, 'language'));
  if (language !== undefined) u.language = language;
  const engine = optional(value.engine, (v) => str(v, 'engine'));
  if (engine !== undefined) u.engine = engine;
  return u;
}

/** True for anything that looks like an Utterance (cheap check for routing, not validation). */
export function looksLikeUtterance(v: unknown): boolean {
  return isRecord(v) && typeof v.utteranceId === 'string' && typeof v.text === 'string';
}
