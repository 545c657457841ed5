import type { Utterance } from '../transcript/utterance';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { parseAlignerInput, type AlignerInput } from './input';
import { resolveAlignerOptions, type AlignerOptions } from './options';
import type {
  AlignedSegment,
  AlignerAlert,
  AlignerOutput,
  ConversationTranscript,
  SegmentBatch,
  SpeakerSummary,
  TranscriptCounts,
  TranscriptEndReason,
} from './types';

/** Where and how an entry's latest content was emitted. */
interface Emission {
  seq: number;
  revision: number;
  late: boolean;
}

/**
 * One utterance on a conversation's timeline. The aligner's own copy: what it emits is a fresh
 * object each time, so downstream nodes that edit their message in place (a redactor) cannot
 * change the timeline, its duplicate checks or the transcript.
 */
interface Entry<Ctx> {
  /** Latest content received for this utteranceId (once emitted: the latest emitted content). */
  current: Utterance;
  /** Set once emitted (undefined while held back). */
  emitted?: Emission;
  /** Clock time of first arrival: the hold-back window runs from here. */
  arrivedAt: number;
  latencyMs: number;
  driftMs: number;
  /** The input context of the held-back content, released with it (then dropped). */
  ctx?: Ctx;
  /** Fingerprints of earlier emitted revisions, so a stale copy of one is not emitted again. */
  previous?: string[];
}

interface Conversation<Ctx> {
  id: string;
  openedAt: number;
  lastActivity: number;
  entries: Map<string, Entry<Ctx>>;
  /** Held-back entries, sorted by speech order. */
  pending: Entry<Ctx>[];
  /** Last partial per utteranceId (dedupe of partials; freed when the final arrives). */
  partials: Map<string, Utterance>;
  /** Speech-order key of the last segment emitted in order; anything before it is late. */
  watermark?: Utterance;
  /** Latest speech end among emitted segments (both channels), for gap alerts. */
  speechEndMs: number;
  nextSeq: number;
  baselineMs?: number;
  latencyHigh: boolean;
  driftHigh: boolean;
  capAlerted: boolean;
  batch: AlignedSegment[];
  batchTimer?: TimerHandle;
  counts: TranscriptCounts;
}

/** A held-back entry in the aligner-wide release queue (arrival order = release order). */
interface Held<Ctx> {
  conv: Conversation<Ctx>;
  entry: Entry<Ctx>;
}

/** Speech order: start, then end, then utteranceId so equal times still have one order. */
export function compareSpeechOrder(a: Pick<Utterance, 'startMs' | 'endMs' | 'utteranceId'>, b: Pick<Utterance, 'startMs' | 'endMs' | 'utteranceId'>): number {
  return a.startMs - b.startMs || a.endMs - b.endMs || (a.utteranceId < b.utteranceId ? -1 : a.utteranceId > b.utteranceId ? 1 : 0);
}

/** Same result content (receivedAt and isFinal excluded: a redelivery differs only there). */
export function sameContent(a: Utterance, b: Utterance): boolean {
  if (
    a.text !== b.text ||
    a.startMs !== b.startMs ||
    a.endMs !== b.endMs ||
    a.channel !== b.channel ||
    a.speaker !== b.speaker ||
    a.confidence !== b.confidence ||
    a.language !== b.language ||
    a.engine !== b.engine ||
    a.communicationId !== b.communicationId ||
    a.words.length !== b.words.length
  ) {
    return false;
  }
  for (let i = 0; i < a.words.length; i++) {
    const x = a.words[i]!;
    const y = b.words[i]!;
    if (x.text !== y.text || x.startMs !== y.startMs || x.endMs !== y.endMs || x.confidence !== y.confidence) return false;
  }
  return true;
}

function copyWords(words: Utterance['words']): Utterance['words'] {
  const out: Utterance['words'] = new Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    out[i] = w.confidence === undefined ? { text: w.text, startMs: w.startMs, endMs: w.endMs } : { text: w.text, startMs: w.startMs, endMs: w.endMs, confidence: w.confidence };
  }
  return out;
}

/** Optional Utterance fields, copied only when present (as parseUtterance leaves them). */
function copyOptional(from: Utterance, to: Utterance): void {
  if (from.communicationId !== undefined) to.communicationId = from.communicationId;
  if (from.confidence !== undefined) to.confidence = from.confidence;
  if (from.language !== undefined) to.language = from.language;
  if (from.engine !== undefined) to.engine = from.engine;
}

/**
 * A fresh copy for output, words included (consumers may edit them in place). Built as a literal
 * rather than a spread: it is the hottest allocation of the aligner.
 */
function segmentOf(u: Utterance, e: { latencyMs: number; driftMs: number }, m: Emission, shareWords = false): AlignedSegment {
  const s: AlignedSegment = {
    conversationId: u.conversationId,
    utteranceId: u.utteranceId,
    channel: u.channel,
    speaker: u.speaker,
    isFinal: u.isFinal,
    text: u.text,
    startMs: u.startMs,
    endMs: u.endMs,
    words: shareWords ? u.words : copyWords(u.words),
    receivedAt: u.receivedAt,
    seq: m.seq,
    latencyMs: e.latencyMs,
    driftMs: Math.round(e.driftMs),
    revision: m.revision,
    late: m.late,
  };
  copyOptional(u, s);
  return s;
}

function copyUtterance(u: Utterance): Utterance {
  const c: Utterance = {
    conversationId: u.conversationId,
    utteranceId: u.utteranceId,
    channel: u.channel,
    speaker: u.speaker,
    isFinal: u.isFinal,
    text: u.text,
    startMs: u.startMs,
    endMs: u.endMs,
    words: copyWords(u.words),
    receivedAt: u.receivedAt,
  };
  copyOptional(u, c);
  return c;
}

/** Earlier revisions remembered per utterance to recognise stale copies (bounds memory). */
const MAX_REMEMBERED_REVISIONS = 16;

function fingerprint(u: Utterance): string {
  return JSON.stringify([u.text, u.startMs, u.endMs, u.channel, u.speaker, u.confidence, u.language, u.engine, u.communicationId, u.words]);
}

export interface AlignerStats {
  openConversations: number;
  /** Segments currently kept across all open conversations (timeline entries). */
  segments: number;
  /** Segments emitted since start (revisions included). */
  emitted: number;
}

/**
 * Per-conversation timelines: upsert by utteranceId, order by speech start behind a hold-back
 * window, latency/drift/gap alerts, optional batching, and the whole transcript at the end.
 * Everything it produces goes to `emit`, synchronously from `ingest`/`end`/`close` or from a
 * timer of the injected clock.
 */
export class Aligner<Ctx = undefined> {
  readonly options: AlignerOptions;
  private readonly clock: Clock;
  private readonly conversations = new Map<string, Conversation<Ctx>>();
  private segmentsKept = 0;
  private emittedTotal = 0;
  private closed = false;
  // One release timer and one idle timer for all conversations (not one per conversation):
  // arrivals are in clock order, so the release queue is FIFO; the conversations Map is in
  // least-recently-active order, so its head is the next to go idle.
  private held: Held<Ctx>[] = [];
  private heldHead = 0;
  private holdTimer?: TimerHandle;
  private idleTimer?: TimerHandle;

  constructor(
    options: Partial<Record<keyof AlignerOptions, unknown>>,
    private readonly emit: (out: AlignerOutput<Ctx>) => void,
    clock: Clock = systemClock,
  ) {
    this.options = resolveAlignerOptions(options);
    this.clock = clock;
  }

  get stats(): AlignerStats {
    return { openConversations: this.conversations.size, segments: this.segmentsKept, emitted: this.emittedTotal };
  }

  /** Ids of open conversations, least recently active first. */
  openConversationIds(): string[] {
    return [...this.conversations.keys()];
  }

  /**
   * Validates and applies one input (an Utterance, a lifecycle event or `{action:"end"}`).
   * Throws InputError before touching any state when the input is bad. Returns what it was.
   */
  ingest(payload: unknown, ctx?: Ctx, topic?: string): AlignerInput {
    if (this.closed) throw new Error('aligner is closed');
    const input = parseAlignerInput(payload, this.clock.now(), topic);
    if (input.kind === 'end') this.end(input.conversationId, 'ended', ctx);
    else if (input.kind === 'utterance') this.add(input.utterance, ctx);
    return input;
  }

  /**
   * Ends a conversation: releases held-back segments in order, sends the pending batch, then the
   * transcript, and frees the state. Returns the transcript, or undefined for an unknown id
   * (already ended: a second end event sends nothing).
   */
  end(conversationId: string, reason: TranscriptEndReason = 'ended', ctx?: Ctx): ConversationTranscript | undefined {
    const conv = this.conversations.get(conversationId);
    if (!conv) return undefined;
    this.releasePending(conv, Infinity);
    this.flushBatch(conv, 'end');
    this.clearTimers(conv);
    this.conversations.delete(conversationId);
    this.segmentsKept -= conv.entries.size;
    if (this.conversations.size === 0) this.stopGlobalTimers();
    const transcript = this.transcriptOf(conv, reason);
    this.emit({ kind: 'transcript', conversationId, transcript, ctx });
    return transcript;
  }

  /**
   * Stops the aligner: every held-back segment goes out (in order), every pending batch is sent,
   * every timer is cleared. No transcripts: the conversations did not end.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const conv of this.conversations.values()) {
      this.releasePending(conv, Infinity);
      this.flushBatch(conv, 'close');
      this.clearTimers(conv);
    }
    this.conversations.clear();
    this.segmentsKept = 0;
    this.stopGlobalTimers();
  }

  private stopGlobalTimers(): void {
    this.clock.clearTimeout(this.holdTimer);
    this.clock.clearTimeout(this.idleTimer);
    this.holdTimer = this.idleTimer = undefined;
    this.held = [];
    this.heldHead = 0;
  }

  private add(u: Utterance, ctx: Ctx | undefined): void {
    const conv = this.touch(u.conversationId);
    if (!u.isFinal) {
      this.addPartial(conv, u, ctx);
      return;
    }
    conv.partials.delete(u.utteranceId);
    const entry = conv.entries.get(u.utteranceId);
    if (!entry) {
      this.addFinal(conv, u, ctx);
      return;
    }
    if (!entry.emitted) {
      // Still held back: a redelivery is dropped, a correction simply replaces the content.
      if (sameContent(entry.current, u)) {
        conv.counts.duplicates++;
        return;
      }
      entry.current = u;
      entry.latencyMs = u.receivedAt - u.endMs;
      entry.ctx = ctx;
      conv.pending.sort((a, b) => compareSpeechOrder(a.current, b.current));
      return;
    }
    if (sameContent(entry.current, u) || (entry.previous && entry.previous.includes(fingerprint(u)))) {
      conv.counts.duplicates++;
      return;
    }
    // A final changed after it was emitted: emit it again at once as the next revision.
    const previous = (entry.previous ??= []);
    previous.push(fingerprint(entry.current));
    if (previous.length > MAX_REMEMBERED_REVISIONS) previous.shift();
    const revision = entry.emitted.revision + 1;
    entry.current = u;
    entry.latencyMs = u.receivedAt - u.endMs;
    entry.driftMs = conv.baselineMs === undefined ? 0 : entry.latencyMs - conv.baselineMs;
    conv.counts.revisions++;
    this.emitSegment(conv, entry, revision, false, ctx);
  }

  private addPartial(conv: Conversation<Ctx>, u: Utterance, ctx: Ctx | undefined): void {
    const last = conv.partials.get(u.utteranceId);
    if (conv.entries.has(u.utteranceId) || (last && sameContent(last, u))) {
      // The final is already here (a stale partial) or the same partial again.
      conv.counts.duplicates++;
      return;
    }
    conv.counts.partials++;
    conv.partials.delete(u.utteranceId);
    conv.partials.set(u.utteranceId, u);
    if (conv.partials.size > this.options.maxSegmentsPerConversation) {
      // Partials whose final never came: forget the oldest.
      conv.partials.delete(conv.partials.keys().next().value as string);
    }
    if (this.options.emitPartials) this.emit({ kind: 'partial', conversationId: conv.id, utterance: copyUtterance(u), ctx });
  }

  private addFinal(conv: Conversation<Ctx>, u: Utterance, ctx: Ctx | undefined): void {
    const now = this.clock.now();
    const latencyMs = u.receivedAt - u.endMs;
    const driftMs = conv.baselineMs === undefined ? 0 : latencyMs - conv.baselineMs;
    const entry: Entry<Ctx> = { current: u, arrivedAt: now, latencyMs, driftMs, ctx };
    conv.entries.set(u.utteranceId, entry);
    conv.counts.finals++;
    this.segmentsKept++;
    this.measure(conv, u, latencyMs, driftMs);
    conv.baselineMs = conv.baselineMs === undefined ? latencyMs : conv.baselineMs + this.options.baselineAlpha * (latencyMs - conv.baselineMs);

    if (conv.watermark && compareSpeechOrder(u, conv.watermark) < 0) {
      // Its window has passed: something later in speech is already out. Emit at once, flagged.
      this.alertOutOfOrder(conv, u, conv.watermark);
      this.emitSegment(conv, entry, 0, true, ctx);
    } else if (this.options.holdBackMs === 0) {
      this.emitInOrder(conv, entry);
    } else {
      insertSorted(conv.pending, entry);
      this.held.push({ conv, entry });
      if (this.holdTimer === undefined) this.scheduleRelease();
    }
    this.enforceSegmentCap(conv);
  }

  private alertOutOfOrder(conv: Conversation<Ctx>, u: Utterance, watermark: Utterance): void {
    const behindMs = watermark.startMs - u.startMs;
    this.alert({
      type: 'out-of-order',
      conversationId: conv.id,
      at: this.clock.now(),
      utteranceId: u.utteranceId,
      startMs: u.startMs,
      behindMs,
      holdBackMs: this.options.holdBackMs,
      message: `utterance ${u.utteranceId} came ${behindMs} ms of speech behind the timeline, after its ${this.options.holdBackMs} ms hold-back window`,
    });
  }

  /** Latency and drift alerts, edge-triggered: once when a value goes over, again after it came back. */
  private measure(conv: Conversation<Ctx>, u: Utterance, latencyMs: number, driftMs: number): void {
    const { latencyThresholdMs, driftThresholdMs } = this.options;
    const at = this.clock.now();
    if (latencyThresholdMs > 0) {
      const high = latencyMs > latencyThresholdMs;
      if (high && !conv.latencyHigh) {
        this.alert({
          type: 'latency',
          conversationId: conv.id,
          at,
          utteranceId: u.utteranceId,
          latencyMs,
          thresholdMs: latencyThresholdMs,
          message: `transcript latency ${latencyMs} ms is over ${latencyThresholdMs} ms`,
        });
      }
      conv.latencyHigh = high;
    }
    if (driftThresholdMs > 0 && conv.baselineMs !== undefined) {
      const high = Math.abs(driftMs) > driftThresholdMs;
      if (high && !conv.driftHigh) {
        const baselineMs = Math.round(conv.baselineMs);
        this.alert({
          type: 'drift',
          conversationId: conv.id,
          at,
          utteranceId: u.utteranceId,
          driftMs: Math.round(driftMs),
          latencyMs,
          baselineMs,
          thresholdMs: driftThresholdMs,
          message: `transcript latency ${latencyMs} ms drifted ${Math.round(driftMs)} ms from the baseline ${baselineMs} ms (threshold ${driftThresholdMs} ms)`,
        });
      }
      conv.driftHigh = high;
    }
  }

  /** Arms the release timer for the oldest held entry still waiting (stale ones are skipped). */
  private scheduleRelease(): void {
    while (this.heldHead < this.held.length) {
      const { conv, entry } = this.held[this.heldHead]!;
      if (!entry.emitted && this.conversations.get(conv.id) === conv && conv.entries.get(entry.current.utteranceId) === entry) break;
      this.heldHead++;
    }
    if (this.heldHead >= this.held.length) {
      this.held = [];
      this.heldHead = 0;
      return;
    }
    const first = this.held[this.heldHead]!.entry.arrivedAt;
    const wait = Math.max(0, first + this.options.holdBackMs - this.clock.now());
    this.holdTimer = this.clock.setTimeout(() => {
      this.holdTimer = undefined;
      const now = this.clock.now();
      const due = new Set<Conversation<Ctx>>();
      while (this.heldHead < this.held.length && this.held[this.heldHead]!.entry.arrivedAt + this.options.holdBackMs <= now) {
        due.add(this.held[this.heldHead++]!.conv);
      }
      if (this.heldHead > 1024 && this.heldHead * 2 > this.held.length) {
        this.held = this.held.slice(this.heldHead);
        this.heldHead = 0;
      }
      for (const conv of due) if (this.conversations.get(conv.id) === conv) this.releasePending(conv, now);
      this.scheduleRelease();
    }, wait);
  }

  /**
   * Emits, in speech order, every held-back entry whose window ended by `now`, and everything
   * that sorts before one of them (it arrived later but was spoken earlier, so it goes first).
   */
  private releasePending(conv: Conversation<Ctx>, now: number): void {
    const pending = conv.pending;
    let cut = -1;
    for (let i = pending.length - 1; i >= 0; i--) {
      if (now === Infinity || pending[i]!.arrivedAt + this.options.holdBackMs <= now) {
        cut = i;
        break;
      }
    }
    if (cut < 0) return;
    const released = pending.splice(0, cut + 1);
    for (const entry of released) this.emitInOrder(conv, entry);
  }

  private emitInOrder(conv: Conversation<Ctx>, entry: Entry<Ctx>): void {
    const u = entry.current;
    // A held-back correction can move before the watermark: then it is late like any other.
    const late = conv.watermark !== undefined && compareSpeechOrder(u, conv.watermark) < 0;
    // Only a correction made while held back can move an entry behind the watermark.
    if (late) this.alertOutOfOrder(conv, u, conv.watermark!);
    else {
      const gapMs = u.startMs - conv.speechEndMs;
      if (this.options.gapThresholdMs > 0 && Number.isFinite(gapMs) && gapMs > this.options.gapThresholdMs) {
        this.alert({
          type: 'gap',
          conversationId: conv.id,
          at: this.clock.now(),
          utteranceId: u.utteranceId,
          gapMs,
          fromMs: conv.speechEndMs,
          toMs: u.startMs,
          thresholdMs: this.options.gapThresholdMs,
          message: `no speech on either channel for ${gapMs} ms (threshold ${this.options.gapThresholdMs} ms)`,
        });
      }
      conv.watermark = u;
    }
    const ctx = entry.ctx;
    entry.ctx = undefined;
    this.emitSegment(conv, entry, 0, late, ctx);
  }

  private emitSegment(conv: Conversation<Ctx>, entry: Entry<Ctx>, revision: number, late: boolean, ctx: Ctx | undefined): void {
    const u = entry.current;
    entry.emitted = { seq: conv.nextSeq++, revision, late };
    const segment = segmentOf(u, entry, entry.emitted);
    if (u.endMs > conv.speechEndMs) conv.speechEndMs = u.endMs;
    if (late) conv.counts.late++;
    this.emittedTotal++;
    if (this.options.emit === 'segment') {
      this.emit({ kind: 'segment', conversationId: conv.id, segment, ctx });
      return;
    }
    conv.batch.push(segment);
    if (this.options.batchSize > 0 && conv.batch.length >= this.options.batchSize) this.flushBatch(conv, 'size');
    else if (this.options.batchIntervalMs > 0 && conv.batchTimer === undefined) {
      conv.batchTimer = this.clock.setTimeout(() => {
        conv.batchTimer = undefined;
        this.flushBatch(conv, 'interval');
      }, this.options.batchIntervalMs);
    }
  }

  private flushBatch(conv: Conversation<Ctx>, reason: SegmentBatch['reason']): void {
    if (conv.batchTimer !== undefined) {
      this.clock.clearTimeout(conv.batchTimer);
      conv.batchTimer = undefined;
    }
    if (conv.batch.length === 0) return;
    const segments = conv.batch;
    conv.batch = [];
    this.emit({ kind: 'batch', conversationId: conv.id, batch: { conversationId: conv.id, segments, reason } });
  }

  /** Beyond the cap, forget the oldest emitted segment (in arrival order); alert once per conversation. */
  private enforceSegmentCap(conv: Conversation<Ctx>): void {
    const cap = this.options.maxSegmentsPerConversation;
    if (conv.entries.size <= cap) return;
    for (const [id, e] of conv.entries) {
      if (!e.emitted) continue;
      conv.entries.delete(id);
      conv.counts.droppedByCap++;
      this.segmentsKept--;
      break;
    }
    if (!conv.capAlerted) {
      conv.capAlerted = true;
      this.alert({
        type: 'segment-cap',
        conversationId: conv.id,
        at: this.clock.now(),
        maxSegmentsPerConversation: cap,
        message: `conversation passed ${cap} segments: the oldest are no longer kept for its transcript`,
      });
    }
  }

  /** Gets or opens a conversation and marks it as the most recently active. */
  private touch(id: string): Conversation<Ctx> {
    const now = this.clock.now();
    let conv = this.conversations.get(id);
    if (conv) {
      conv.lastActivity = now;
      // Re-insert so the Map's order is least recently active first (eviction picks the head).
      this.conversations.delete(id);
      this.conversations.set(id, conv);
      return conv;
    }
    if (this.conversations.size >= this.options.maxConversations) {
      const oldest = this.conversations.keys().next().value as string;
      this.alert({
        type: 'evicted',
        conversationId: oldest,
        at: now,
        openConversations: this.conversations.size,
        maxConversations: this.options.maxConversations,
        message: `${this.options.maxConversations} conversations open: ended the least recently active one to make room`,
      });
      this.end(oldest, 'evicted');
    }
    conv = {
      id,
      openedAt: now,
      lastActivity: now,
      entries: new Map(),
      pending: [],
      partials: new Map(),
      speechEndMs: -Infinity,
      nextSeq: 1,
      latencyHigh: false,
      driftHigh: false,
      capAlerted: false,
      batch: [],
      counts: { segments: 0, finals: 0, partials: 0, duplicates: 0, revisions: 0, late: 0, droppedByCap: 0 },
    };
    this.conversations.set(id, conv);
    if (this.options.idleTimeoutMs > 0 && this.idleTimer === undefined) this.scheduleIdle();
    return conv;
  }

  /**
   * One idle timer for all: the Map's head is the least recently active conversation. Activity
   * does not touch the timer; when it fires early it is re-armed for the remaining time.
   */
  private scheduleIdle(): void {
    const head = this.conversations.values().next().value as Conversation<Ctx> | undefined;
    if (!head) return;
    const wait = Math.max(0, head.lastActivity + this.options.idleTimeoutMs - this.clock.now());
    this.idleTimer = this.clock.setTimeout(() => {
      this.idleTimer = undefined;
      for (;;) {
        const oldest = this.conversations.values().next().value as Conversation<Ctx> | undefined;
        if (!oldest || oldest.lastActivity + this.options.idleTimeoutMs > this.clock.now()) break;
        this.end(oldest.id, 'idle');
      }
      if (this.idleTimer === undefined) this.scheduleIdle();
    }, wait);
  }

  private clearTimers(conv: Conversation<Ctx>): void {
    if (conv.batchTimer !== undefined) this.clock.clearTimeout(conv.batchTimer);
    conv.batchTimer = undefined;
  }

  private alert(alert: AlignerAlert): void {
    this.emit({ kind: 'alert', conversationId: alert.conversationId, alert });
  }

  private transcriptOf(conv: Conversation<Ctx>, reason: TranscriptEndReason): ConversationTranscript {
    const segments: AlignedSegment[] = [];
    // The conversation's state is freed with this transcript, so its words arrays can go along.
    for (const e of conv.entries.values()) if (e.emitted) segments.push(segmentOf(e.current, e, e.emitted, true));
    segments.sort(compareSpeechOrder);
    const speakers = new Map<string, SpeakerSummary>();
    let startMs: number | null = null;
    let endMs: number | null = null;
    for (const s of segments) {
      const key = `${s.speaker}/${s.channel}`;
      let sp = speakers.get(key);
      if (!sp) speakers.set(key, (sp = { speaker: s.speaker, channel: s.channel, segments: 0, words: 0, speechMs: 0 }));
      sp.segments++;
      sp.words += s.words.length;
      sp.speechMs += s.endMs - s.startMs;
      if (startMs === null || s.startMs < startMs) startMs = s.startMs;
      if (endMs === null || s.endMs > endMs) endMs = s.endMs;
    }
    return {
      type: 'transcript',
      conversationId: conv.id,
      reason,
      startMs,
      endMs,
      openedAt: conv.openedAt,
      endedAt: this.clock.now(),
      speakers: [...speakers.values()],
      segments,
      counts: { ...conv.counts, segments: segments.length },
    };
  }
}

function insertSorted<Ctx>(list: Entry<Ctx>[], entry: Entry<Ctx>): void {
  // Arrivals are mostly in order: search from the end.
  let i = list.length;
  while (i > 0 && compareSpeechOrder(list[i - 1]!.current, entry.current) > 0) i--;
  list.splice(i, 0, entry);
}
