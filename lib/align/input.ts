import { parseUtterance, type Utterance } from '../transcript/utterance';
import { InputError, describeValue } from '../util/errors';

/**
 * What one input message means to the aligner. Utterances come from transcript-in or by hand;
 * end-of-conversation comes from transcript-in's lifecycle output or from a hand-made
 * `{action: "end"}`; other lifecycle events (session started, subscription state...) are ignored
 * so the whole lifecycle output can be wired in.
 */
export type AlignerInput =
  | { kind: 'utterance'; utterance: Utterance }
  | { kind: 'end'; conversationId: string; event: string }
  | { kind: 'ignored'; event: string };

/** Lifecycle events (transcript-in, output 2) that end a conversation on the aligner. */
export const END_EVENTS: readonly string[] = ['conversation-ended', 'session-ended'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function endFor(payload: Record<string, unknown>, topic: string | undefined, event: string): AlignerInput {
  const id = payload.conversationId ?? topic;
  if (typeof id !== 'string' || id.length === 0) {
    throw new InputError(`"${event}" needs a conversationId (in the payload or msg.topic)`, 'INVALID_INPUT', 'conversationId');
  }
  return { kind: 'end', conversationId: id, event };
}

/**
 * Classifies and validates one input. `topic` (msg.topic) stands in for a missing
 * conversationId. Throws InputError with a clear message for anything else.
 */
export function parseAlignerInput(payload: unknown, now: number, topic?: string): AlignerInput {
  const fallback = typeof topic === 'string' && topic.length > 0 ? topic : undefined;
  if (isRecord(payload) && payload.utteranceId === undefined) {
    if (payload.action !== undefined) {
      if (payload.action === 'end') return endFor(payload, fallback, 'end');
      throw new InputError(`unknown action ${describeValue(payload.action)} (the aligner knows "end")`, 'INVALID_INPUT', 'action');
    }
    if (typeof payload.event === 'string') {
      return END_EVENTS.includes(payload.event) ? endFor(payload, fallback, payload.event) : { kind: 'ignored', event: payload.event };
    }
  }
  return { kind: 'utterance', utterance: parseUtterance(payload, now, fallback) };
}
