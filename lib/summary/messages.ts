/**
 * Routing of what reaches the summary validator: end-of-conversation events, source segments
 * (Utterances from transcript-in, the aligner's segments, batches and end transcript, the redactor's
 * output of those), other lifecycle events (ignored), and summaries.
 */
import { conversationEnded } from '../redact';
import { InputError } from '../util/errors';
import { looksLikeUtterance, parseUtterance } from '../transcript/utterance';
import type { SourceSegment } from './context';

export interface IncomingMessage {
  payload?: unknown;
  topic?: unknown;
  redaction?: unknown;
}

export type Routed =
  | { kind: 'end'; conversationId: string }
  | { kind: 'segments'; conversationId: string; segments: SourceSegment[]; /** the aligner's end-of-conversation transcript */ ended: boolean }
  | { kind: 'ignore'; reason: string }
  | { kind: 'summary' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Types the redactor replaced (msg.redaction.entities[].type); never the values, which are gone. */
function redactedTypes(redaction: unknown): string[] {
  if (!isRecord(redaction) || !Array.isArray(redaction.entities)) return [];
  const out = new Set<string>();
  for (const e of redaction.entities) if (isRecord(e) && typeof e.type === 'string') out.add(e.type);
  return [...out];
}

function segmentsOf(items: readonly unknown[], topic: string | undefined, now: number, types: string[]): { conversationId: string; segments: SourceSegment[] } {
  let conversationId: string | undefined;
  const segments: SourceSegment[] = [];
  items.forEach((item, i) => {
    let u;
    try {
      u = parseUtterance(item, now, topic);
    } catch (err) {
      if (err instanceof InputError && items.length > 1) throw new InputError(`segment ${i}: ${err.message}`, err.code, err.path);
      throw err;
    }
    if (conversationId === undefined) conversationId = u.conversationId;
    else if (u.conversationId !== conversationId) {
      throw new InputError(`segments of one message must belong to one conversation (${conversationId} and ${u.conversationId})`, 'MIXED_CONVERSATIONS', `payload[${i}].conversationId`);
    }
    const seg: SourceSegment = { utteranceId: u.utteranceId, text: u.text, speaker: u.speaker };
    if (types.length) seg.redactedTypes = types;
    segments.push(seg);
  });
  return { conversationId: conversationId as string, segments };
}

/** Decides what a message is. Throws InputError for a malformed segment or end event. */
export function routeMessage(msg: IncomingMessage, now: number): Routed {
  const p = msg.payload;
  const topic = typeof msg.topic === 'string' && msg.topic ? msg.topic : undefined;
  const ended = conversationEnded(p, topic);
  if (ended !== undefined) return { kind: 'end', conversationId: ended };
  const types = redactedTypes(msg.redaction);
  if (isRecord(p) && p.type === 'transcript' && Array.isArray(p.segments)) {
    const id = typeof p.conversationId === 'string' && p.conversationId ? p.conversationId : topic;
    if (!id) throw new InputError('a transcript needs payload.conversationId or msg.topic', 'INVALID_TRANSCRIPT', 'payload.conversationId');
    if (p.segments.length === 0) return { kind: 'end', conversationId: id };
    return { kind: 'segments', ...segmentsOf(p.segments, id, now, types), ended: true };
  }
  if (looksLikeUtterance(p)) return { kind: 'segments', ...segmentsOf([p], topic, now, types), ended: false };
  if (Array.isArray(p) && p.length > 0 && p.every(looksLikeUtterance)) return { kind: 'segments', ...segmentsOf(p, topic, now, types), ended: false };
  // transcript-in's second output: lifecycle events and Copilot suggestions pass by; summaries
  // arrive with event "summary".
  if (isRecord(p) && typeof p.event === 'string' && p.event !== 'summary') return { kind: 'ignore', reason: `event ${p.event}` };
  return { kind: 'summary' };
}

/** Texts of a source given on the message: a string, strings, Utterances, or the aligner's transcript. */
export function transcriptTexts(value: unknown, path = 'transcript'): string[] {
  if (typeof value === 'string') {
    if (!value.trim()) throw new InputError(`msg.${path} is empty`, 'EMPTY_TRANSCRIPT', path);
    return [value];
  }
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.segments) ? value.segments : undefined;
  if (!list) throw new InputError(`msg.${path} must be a string, an array of strings or Utterances, or a transcript with segments`, 'INVALID_TRANSCRIPT', path);
  const texts = list.map((item, i) => {
    if (typeof item === 'string') return item;
    if (isRecord(item) && typeof item.text === 'string') return item.text;
    throw new InputError(`msg.${path}[${i}] must be a string or have a text`, 'INVALID_TRANSCRIPT', `${path}[${i}]`);
  });
  if (!texts.some((t) => t.trim())) throw new InputError(`msg.${path} has no text`, 'EMPTY_TRANSCRIPT', path);
  return texts;
}
