/**
 * Transcription event body (TranscriptionTopicTranscriptionMessage, reference/genesys-api.md 3.1)
 * -> Utterance[] plus the session lifecycle the event signals.
 *
 * THE OFFSET ASSUMPTION (the one place it lives). Genesys does not document what `offsetMs` of a
 * transcript alternative or word is relative to (reference section 3.1, "UNCONFIRMED"). Absolute
 * times are computed as `base + offsetMs`, where `base` depends on the `offsetReference` setting:
 *   - 'transcriptionStart' (default): base = eventBody.transcriptionStartTimeMs
 *     (falls back to sessionStartTimeMs, then to the arrival time, when absent);
 *   - 'sessionStart': base = eventBody.sessionStartTimeMs (falls back the same way);
 *   - 'wordStartTime': base = word.startTimeMs - word.offsetMs from the first word that carries
 *     both (word-level startTimeMs looks absolute); events without such a word fall back to
 *     'transcriptionStart'.
 * The raw offsets are never lost: msg.genesys.eventBody carries the event unchanged.
 */
import type { SessionStatus, TranscriptAlternative, TranscriptResult, TranscriptionEvent, TranscriptWord } from '../genesys/schemas';
import { InputError } from '../util/errors';
import { speakerForChannel, type Utterance, type Word } from './utterance';

export type OffsetReference = 'transcriptionStart' | 'sessionStart' | 'wordStartTime';
export const OFFSET_REFERENCES: readonly OffsetReference[] = ['transcriptionStart', 'sessionStart', 'wordStartTime'];

export interface NormalizeOptions {
  offsetReference?: OffsetReference;
  /** Arrival time of the frame (epoch ms), stamped on every Utterance as receivedAt. */
  receivedAt: number;
}

export interface NormalizedEvent {
  conversationId: string;
  communicationId?: string;
  utterances: Utterance[];
  /** status.status of the event ('UNKNOWN' when absent). */
  status: SessionStatus;
  /** A transcript-less SESSION_ONGOING event: session start or the 5-minute liveness signal. */
  keepAlive: boolean;
  /** status.status === 'SESSION_ENDED'. */
  sessionEnded: boolean;
}

function baseTime(body: TranscriptionEvent, ref: OffsetReference, fallback: number): number {
  if (ref === 'sessionStart') return body.sessionStartTimeMs ?? body.transcriptionStartTimeMs ?? fallback;
  return body.transcriptionStartTimeMs ?? body.sessionStartTimeMs ?? fallback;
}

/** base derived from words: startTimeMs - offsetMs of the first word that has both. */
function wordBase(alt: TranscriptAlternative): number | undefined {
  for (const w of alt.words ?? []) {
    if (w.startTimeMs !== undefined && w.offsetMs !== undefined) return w.startTimeMs - w.offsetMs;
  }
  return undefined;
}

/**
 * The schema takes any integer, so 1e308 + 1e308 gives Infinity: refused like a schema error
 * (transcript-in reports it as a bad frame) rather than passed on as an Utterance no one accepts.
 */
function timesOutOfRange(start: number, end: number, path: string): InputError {
  return new InputError(`transcription event: ${path} times are out of range (start ${start}, end ${end})`, 'INVALID_EVENT', path);
}

/** Path of a result's first alternative in error messages (built only when a check fails). */
function altPath(resultIndex: number): string {
  return `eventBody.transcripts[${resultIndex}].alternatives[0]`;
}

function toWords(words: TranscriptWord[], base: number, uStart: number, uEnd: number, resultIndex: number): Word[] {
  const out: Word[] = [];
  const n = words.length;
  for (let i = 0; i < n; i++) {
    const w = words[i] as TranscriptWord;
    let start: number;
    if (w.offsetMs !== undefined) start = base + w.offsetMs;
    else if (w.startTimeMs !== undefined) start = w.startTimeMs;
    // No timing at all: spread the words evenly over the utterance (keeps words[] usable).
    else start = uStart + Math.floor(((uEnd - uStart) * i) / n);
    const dur = w.durationMs ?? (w.offsetMs === undefined && w.startTimeMs === undefined ? Math.floor((uEnd - uStart) / n) : 0);
    const word: Word = { text: w.word, startMs: start, endMs: start + dur };
    if (!Number.isFinite(word.startMs) || !Number.isFinite(word.endMs)) throw timesOutOfRange(word.startMs, word.endMs, `${altPath(resultIndex)}.words[${i}]`);
    if (w.confidence !== undefined) word.confidence = w.confidence;
    out.push(word);
  }
  return out;
}

function engineOf(r: TranscriptResult): string | undefined {
  const name = r.engineName ?? r.engineId;
  if (r.engineProvider && name) return `${r.engineProvider}/${name}`;
  return r.engineProvider ?? name;
}

/**
 * Normalizes a validated transcription event body. Results without an alternative carry no
 * text and are skipped. The first alternative is used (the platform orders them best first).
 * Throws InputError (INVALID_EVENT) when a computed time is not a finite number.
 */
export function normalizeTranscription(body: TranscriptionEvent, opts: NormalizeOptions): NormalizedEvent {
  const ref = opts.offsetReference ?? 'transcriptionStart';
  const eventBase = baseTime(body, ref, opts.receivedAt);
  const results = body.transcripts ?? [];
  const utterances: Utterance[] = [];
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    const alt = r.alternatives?.[0];
    if (!alt) continue;
    const base = ref === 'wordStartTime' ? (wordBase(alt) ?? baseTime(body, 'transcriptionStart', opts.receivedAt)) : eventBase;
    const startMs = base + alt.offsetMs;
    const endMs = startMs + alt.durationMs;
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) throw timesOutOfRange(startMs, endMs, altPath(i));
    const u: Utterance = {
      conversationId: body.conversationId,
      utteranceId: r.utteranceId,
      channel: r.channel,
      speaker: speakerForChannel(r.channel),
      isFinal: r.isFinal,
      text: alt.transcript,
      startMs,
      endMs,
      words: toWords(alt.words ?? [], base, startMs, endMs, i),
      receivedAt: opts.receivedAt,
    };
    if (body.communicationId) u.communicationId = body.communicationId;
    if (alt.confidence !== undefined) u.confidence = alt.confidence;
    if (r.dialect) u.language = r.dialect;
    const engine = engineOf(r);
    if (engine) u.engine = engine;
    utterances.push(u);
  }
  const status = body.status?.status ?? 'UNKNOWN';
  const out: NormalizedEvent = {
    conversationId: body.conversationId,
    utterances,
    status,
    keepAlive: results.length === 0 && status === 'SESSION_ONGOING',
    sessionEnded: status === 'SESSION_ENDED',
  };
  if (body.communicationId) out.communicationId = body.communicationId;
  return out;
}
