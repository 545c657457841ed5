/**
 * Per-conversation source for validation: the segments seen so far (Utterances from transcript-in,
 * the aligner or the redactor), analysed on arrival. A revision (same utteranceId) replaces the
 * earlier text. Freed after conversation end (with a grace period, because Copilot sends
 * AFTER_DISCONNECT summaries after the call ends), after an idle timeout, and capped in size.
 */
import type { Clock, TimerHandle } from '../util/clock';
import { analyzeSegment, SourceIndex, type SegmentAnalysis } from './analysis';
import { LearnedValues, type PersonalDataDetector } from './personal-data';
import { splitSentences } from './text';
import type { TokenCounter } from './tokens';

export interface SourceSegment {
  utteranceId: string;
  text: string;
  speaker?: string;
  /** Types the redactor already replaced in this text (msg.redaction.entities[].type). */
  redactedTypes?: readonly string[];
}

export interface SourceContextOptions {
  clock: Clock;
  countTokens: TokenCounter;
  /** Idle conversations are freed after this long without a segment. 0 = never. */
  idleTimeoutMs: number;
  /** Kept this long after the conversation ended, for late summaries. 0 = freed at once. */
  endGraceMs: number;
  /** Most conversations held; the least recently active one is dropped beyond it. */
  maxConversations: number;
  /** Most source characters per conversation; the oldest segments are dropped beyond it. */
  maxCharsPerConversation: number;
  /** Learns personal data values from unredacted source text. */
  detector?: PersonalDataDetector;
  detectorMinScore?: number;
  /** Called when a conversation is dropped for a reason other than its end (for a warning). */
  onEvict?: (conversationId: string, reason: 'idle' | 'capacity') => void;
}

interface StoredSegment {
  text: string;
  speaker: string;
  analyses: SegmentAnalysis[];
  tokens: number;
}

/** What a validation needs from the source. */
export interface ValidationSource {
  index: SourceIndex;
  tokens: number;
  learned?: LearnedValues;
  redactedTypes?: ReadonlySet<string>;
  truncated?: boolean;
}

export class ConversationSource implements ValidationSource {
  private readonly segments = new Map<string, StoredSegment>();
  private indexCache: SourceIndex | undefined = new SourceIndex();
  private chars = 0;
  private tokenTotal = 0;
  private readonly lastBySpeaker = new Map<string, string>();
  readonly learned = new LearnedValues();
  readonly redactedTypes = new Set<string>();
  truncated = false;
  lastActivity: number;
  endedAt: number | undefined;

  constructor(
    readonly conversationId: string,
    private readonly opts: SourceContextOptions,
  ) {
    this.lastActivity = opts.clock.now();
  }

  get segmentCount(): number {
    return this.segments.size;
  }

  get tokens(): number {
    return this.tokenTotal;
  }

  get index(): SourceIndex {
    if (!this.indexCache) {
      const idx = new SourceIndex();
      for (const seg of this.segments.values()) for (const a of seg.analyses) idx.add(a);
      this.indexCache = idx;
    }
    return this.indexCache;
  }

  upsert(seg: SourceSegment): void {
    this.lastActivity = this.opts.clock.now();
    const speaker = seg.speaker ?? 'unknown';
    const previous = this.segments.get(seg.utteranceId);
    if (previous) {
      if (previous.text === seg.text) return;
      this.remove(seg.utteranceId, previous);
      this.indexCache = undefined; // rebuilt lazily on the next validation
    }
    const analyses = splitSentences(seg.text).map((s) => analyzeSegment(s.text));
    const stored: StoredSegment = { text: seg.text, speaker, analyses, tokens: this.opts.countTokens(seg.text) };
    this.segments.set(seg.utteranceId, stored);
    this.chars += seg.text.length;
    this.tokenTotal += stored.tokens;
    if (this.indexCache) for (const a of analyses) this.indexCache.add(a);
    for (const t of seg.redactedTypes ?? []) this.redactedTypes.add(t);
    this.learn(seg.text, speaker);
    while (this.chars > this.opts.maxCharsPerConversation && this.segments.size > 1) {
      const [oldestId, oldest] = this.segments.entries().next().value as [string, StoredSegment];
      this.remove(oldestId, oldest);
      this.indexCache = undefined;
      this.truncated = true;
    }
  }

  private remove(id: string, seg: StoredSegment): void {
    this.segments.delete(id);
    this.chars -= seg.text.length;
    this.tokenTotal -= seg.tokens;
  }

  /** Runs the detectors on the text, and on it joined to the same speaker's previous segment
   *  (a card number read over two utterances). Learned values stay for the conversation. */
  private learn(text: string, speaker: string): void {
    const detector = this.opts.detector;
    if (!detector) return;
    const minScore = this.opts.detectorMinScore ?? 0;
    const prev = this.lastBySpeaker.get(speaker);
    this.lastBySpeaker.set(speaker, text);
    const texts = prev ? [text, `${prev} ${text}`] : [text];
    for (const t of texts) {
      for (const e of detector(t)) {
        if ((e.score ?? 1) < minScore) continue;
        this.learned.learn(e.type, t.slice(e.start, e.end), e.normalized);
      }
    }
  }
}

export class SourceContexts {
  private readonly conversations = new Map<string, ConversationSource>();
  private sweepTimer: TimerHandle | undefined;
  private closed = false;

  constructor(private readonly opts: SourceContextOptions) {}

  get size(): number {
    return this.conversations.size;
  }

  get(conversationId: string): ConversationSource | undefined {
    return this.conversations.get(conversationId);
  }

  upsert(conversationId: string, seg: SourceSegment): ConversationSource {
    let conv = this.conversations.get(conversationId);
    if (conv) {
      // Map order doubles as least-recently-active order.
      this.conversations.delete(conversationId);
    } else {
      conv = new ConversationSource(conversationId, this.opts);
      while (this.conversations.size >= this.opts.maxConversations) {
        const oldest = this.conversations.keys().next().value as string;
        this.conversations.delete(oldest);
        this.opts.onEvict?.(oldest, 'capacity');
      }
    }
    this.conversations.set(conversationId, conv);
    conv.upsert(seg);
    this.armSweep();
    return conv;
  }

  /** The conversation ended: freed now, or after the grace period. */
  end(conversationId: string): void {
    const conv = this.conversations.get(conversationId);
    if (!conv) return;
    if (this.opts.endGraceMs <= 0) {
      this.conversations.delete(conversationId);
      return;
    }
    conv.endedAt = this.opts.clock.now();
    this.armSweep();
  }

  delete(conversationId: string): boolean {
    return this.conversations.delete(conversationId);
  }

  /** Frees idle and ended conversations whose time is up. */
  sweep(): void {
    const now = this.opts.clock.now();
    for (const [id, conv] of this.conversations) {
      if (conv.endedAt !== undefined && now - conv.endedAt >= this.opts.endGraceMs) {
        this.conversations.delete(id);
      } else if (this.opts.idleTimeoutMs > 0 && now - conv.lastActivity >= this.opts.idleTimeoutMs) {
        this.conversations.delete(id);
        this.opts.onEvict?.(id, 'idle');
      }
    }
  }

  private sweepInterval(): number {
    const limits = [this.opts.idleTimeoutMs, this.opts.endGraceMs].filter((v) => v > 0);
    if (!limits.length) return 0;
    // Frees within a quarter of the shortest limit (at most 30 s late).
    return Math.max(10, Math.min(30_000, Math.ceil(Math.min(...limits) / 4)));
  }

  private armSweep(): void {
    if (this.closed || this.sweepTimer !== undefined || this.conversations.size === 0) return;
    const every = this.sweepInterval();
    if (every === 0) return;
    this.sweepTimer = this.opts.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweep();
      this.armSweep();
    }, every);
  }

  close(): void {
    this.closed = true;
    this.opts.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    this.conversations.clear();
  }
}
