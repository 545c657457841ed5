import type { Channel, Speaker, Utterance } from '../transcript/utterance';

/**
 * What the aligner emits, per segment: the final Utterance as received plus its place on the
 * conversation's timeline. The redactor, summary validator, audit trail and demo page consume it.
 */
export interface AlignedSegment extends Utterance {
  /** Per-conversation emission order: 1 for the first message of a conversation, +1 per emission. */
  seq: number;
  /** Arrival minus speech end: `receivedAt - endMs`. */
  latencyMs: number;
  /** latencyMs minus the conversation's running latency baseline (0 for the first segment). */
  driftMs: number;
  /** 0 the first time an utterance is emitted, n+1 each time a corrected final is emitted again. */
  revision: number;
  /** True when the segment arrived after its hold-back window and was emitted out of speech order. */
  late: boolean;
}

/** One message with several segments (batch mode); never split, in emission order. */
export interface SegmentBatch {
  conversationId: string;
  segments: AlignedSegment[];
  /** Why the batch was sent: it was full, its timer ran out, the conversation ended, or the node closed. */
  reason: 'size' | 'interval' | 'end' | 'close';
}

export interface SpeakerSummary {
  speaker: Speaker;
  channel: Channel;
  segments: number;
  words: number;
  /** Sum of (endMs - startMs) of this speaker's segments. */
  speechMs: number;
}

export interface TranscriptCounts {
  /** Segments in `segments` (latest revision of each utterance). */
  segments: number;
  /** Finals accepted (first arrival of each utteranceId). */
  finals: number;
  partials: number;
  /** Exact duplicates dropped (finals and partials) and partials that came after their final. */
  duplicates: number;
  /** Corrected finals emitted again (revision > 0). */
  revisions: number;
  late: number;
  /** Segments forgotten because the conversation passed maxSegmentsPerConversation. */
  droppedByCap: number;
}

export type TranscriptEndReason = 'ended' | 'idle' | 'evicted';

/**
 * The whole ordered transcript, sent once when a conversation ends. `type: 'transcript'` tells it
 * apart from a segment (an Utterance) or a batch (an array) on the same output.
 */
export interface ConversationTranscript {
  type: 'transcript';
  conversationId: string;
  reason: TranscriptEndReason;
  /** Speech span: earliest startMs and latest endMs of the segments (null without segments). */
  startMs: number | null;
  endMs: number | null;
  /** Clock times when the aligner saw the conversation first and when it ended it. */
  openedAt: number;
  endedAt: number;
  speakers: SpeakerSummary[];
  /** Latest revision of every utterance, in speech order (startMs, endMs, utteranceId). */
  segments: AlignedSegment[];
  counts: TranscriptCounts;
}

interface AlertBase {
  conversationId: string;
  /** Clock time of the alert (epoch ms). */
  at: number;
  /** One readable sentence with the numbers, for Debug and dashboards. */
  message: string;
}

/** Alerts (output 2). Every alert carries the conversation id and the numbers that triggered it. */
export type AlignerAlert =
  | (AlertBase & { type: 'latency'; utteranceId: string; latencyMs: number; thresholdMs: number })
  | (AlertBase & { type: 'drift'; utteranceId: string; driftMs: number; latencyMs: number; baselineMs: number; thresholdMs: number })
  | (AlertBase & { type: 'out-of-order'; utteranceId: string; startMs: number; behindMs: number; holdBackMs: number })
  | (AlertBase & { type: 'gap'; utteranceId: string; gapMs: number; fromMs: number; toMs: number; thresholdMs: number })
  | (AlertBase & { type: 'evicted'; openConversations: number; maxConversations: number })
  | (AlertBase & { type: 'segment-cap'; maxSegmentsPerConversation: number });

export type AlignerAlertType = AlignerAlert['type'];

/**
 * Everything the aligner emits goes through one callback. `ctx` is the caller's context of the
 * input that produced it (the node passes the Node-RED msg so it can be reused); absent when the
 * output was produced by a timer or combines several inputs.
 */
export type AlignerOutput<Ctx> =
  | { kind: 'segment'; conversationId: string; segment: AlignedSegment; ctx?: Ctx }
  | { kind: 'batch'; conversationId: string; batch: SegmentBatch }
  | { kind: 'partial'; conversationId: string; utterance: Utterance; ctx?: Ctx }
  | { kind: 'alert'; conversationId: string; alert: AlignerAlert }
  | { kind: 'transcript'; conversationId: string; transcript: ConversationTranscript; ctx?: Ctx };

/** True for the end-of-conversation message payload (cheap check for consumers). */
export function isConversationTranscript(v: unknown): v is ConversationTranscript {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'transcript' && Array.isArray((v as { segments?: unknown }).segments);
}
