/**
 * Redaction of message property values (what the node reads with getMessageProperty): a plain
 * string, an Utterance (also the aligner's Utterance + seq / latencyMs / revision), an array of those,
 * or an object holding them (e.g. a whole transcript). Anything else is an InputError.
 */
import { InputError } from '../util/errors';
import { setOwn } from '../util/objects';
import { looksLikeUtterance, parseUtterance, type Utterance } from '../transcript/utterance';
import { ID_KEY_RE, type RedactionEntity, type Redactor } from './redactor';

export interface ValueContext {
  /** Conversation for strings (msg.topic); Utterances carry their own. */
  conversationId?: string;
  speaker?: string;
  isFinal?: boolean;
  now?: number;
}

export interface ValueRedaction {
  value: unknown;
  entities: RedactionEntity[];
  /** Raw span texts (internal, for scrubbing msg.genesys): never output. */
  raw: string[];
  /** Conversation id of the (first) Utterance, if any. */
  conversationId?: string;
}

/** Utterance fields written by the contract or the aligner; other fields are scrubbed conservatively. */
const UTTERANCE_KEYS = new Set([
  'conversationId', 'communicationId', 'utteranceId', 'channel', 'speaker', 'isFinal', 'text', 'confidence', 'startMs', 'endMs',
  'words', 'language', 'engine', 'receivedAt', 'seq', 'latencyMs', 'revision',
]);

export function redactMessageValue(redactor: Redactor, value: unknown, path: string, ctx: ValueContext = {}): ValueRedaction {
  if (value === undefined) throw new InputError(`msg.${path} is missing`, 'MISSING_PROPERTY', path);
  if (typeof value !== 'string' && (value === null || typeof value !== 'object')) {
    throw new InputError(`msg.${path} must be a string, an Utterance, an array or an object (got ${value === null ? 'null' : typeof value})`, 'INVALID_INPUT', path);
  }
  const acc: ValueRedaction = { value: undefined, entities: [], raw: [] };
  acc.value = walk(redactor, value, path, ctx, acc, 0);
  return acc;
}

function walk(redactor: Redactor, value: unknown, path: string, ctx: ValueContext, acc: ValueRedaction, depth: number): unknown {
  if (depth > 8) throw new InputError(`msg.${path} is nested too deeply`, 'INVALID_INPUT', path);
  if (typeof value === 'string') {
    const r = redactor.redactText(value, { conversationId: ctx.conversationId, speaker: ctx.speaker, isFinal: ctx.isFinal });
    addEntities(acc, r.entities, path);
    acc.raw.push(...r.raw);
    return r.text;
  }
  if (value === null || typeof value !== 'object') return value;
  // Bytes are no text to redact, and copied as an object they would pass on as numbers.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) throw new InputError(`msg.${path} is binary data, not text`, 'INVALID_INPUT', path);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(walk(redactor, value[i], `${path}[${i}]`, ctx, acc, depth + 1));
    return out;
  }
  if (looksLikeUtterance(value)) return utterance(redactor, value as Record<string, unknown>, path, ctx, acc);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    // Ids (strings, numbers) are kept as they are; objects under any key are walked.
    const kept = v === null || typeof v !== 'object' ? typeof v !== 'string' || ID_KEY_RE.test(k) : false;
    setOwn(out, k, kept ? v : walk(redactor, v, `${path}.${k}`, ctx, acc, depth + 1));
  }
  return out;
}

function utterance(redactor: Redactor, input: Record<string, unknown>, path: string, ctx: ValueContext, acc: ValueRedaction): unknown {
  const u: Utterance = parseUtterance(input, ctx.now, ctx.conversationId);
  const r = redactor.redactUtterance(u);
  acc.conversationId ??= u.conversationId;
  addEntities(acc, r.entities, `${path}.text`);
  if (r.raw.length > 0) acc.raw.push(...r.raw);
  // The redacted Utterance is a new object of its own: the input's other fields are added to it.
  const out = r.utterance as unknown as Record<string, unknown>;
  // Aligner fields (numbers) pass through; anything else is kept but scrubbed (it may echo the text).
  // (Object.keys rather than Object.entries: no [key, value] array per field, 14% of this path's time.)
  for (const k of Object.keys(input)) {
    if (Object.hasOwn(out, k)) continue;
    const v = input[k];
    if (v === undefined) continue;
    setOwn(out, k, UTTERANCE_KEYS.has(k) && typeof v === 'number' ? v : redactor.scrubValue(v, r.raw));
  }
  return out;
}

/** Adds a redaction's entities with the field they belong to (they are new objects of that redaction: set, not copied). */
function addEntities(acc: ValueRedaction, entities: RedactionEntity[], path: string): void {
  for (const e of entities) {
    e.path = path;
    acc.entities.push(e);
  }
}
