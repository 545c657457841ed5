/**
 * The core of genesys-transcript-in, without Node-RED: which topics to hold (fixed ids, ids asked
 * for at run time, conversations discovered on queues and users, Copilot topics), what every
 * inbound frame means (validated with ajv, normalized to Utterances, de-duplicated), and the
 * lifecycle of each conversation. The node maps its events to send/status/error.
 *
 * Exactly-once: the platform (and the simulator's faults) may deliver an event twice or out of
 * order. Per conversation the feed remembers which results it emitted; an identical result, or
 * a partial arriving after its utterance's final, is dropped.
 */
import { EventEmitter } from 'node:events';
import { ChannelManager, type ChannelManagerOptions, type RejectedTopic, type StateEvent } from '../genesys/channel-manager';
import { ConversationDiscovery, type DiscoveredConversation, type DiscoveryChange } from '../genesys/discovery';
import {
  validateSchema,
  type ConversationEvent,
  type Envelope,
  type SuggestionEvent,
  type SummaryEvent,
  type TranscriptionEvent,
} from '../genesys/schemas';
import {
  classifyTopic,
  isTopicSafeId,
  queueConversationsTopic,
  suggestionTopics,
  transcriptionTopic,
  userConversationsTopic,
  userSummariesTopic,
} from '../genesys/topics';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { InputError, describeValue } from '../util/errors';
import { normalizeTranscription, type OffsetReference } from './normalizer';
import { inShard, type Shard } from './shard';
import type { Utterance } from './utterance';

export interface TranscriptFeedOptions {
  /** Built by the feed from these unless `manager` is given. */
  channel?: ChannelManagerOptions;
  manager?: ChannelManager;
  clock?: Clock;
  conversationIds?: string[];
  queueIds?: string[];
  userIds?: string[];
  includePartials?: boolean;
  forwardSummaries?: boolean;
  forwardSuggestions?: boolean;
  offsetReference?: OffsetReference;
  shard?: Shard;
  /** How long an agent's summary topic stays after their last conversation ends. Default 120 s. */
  summaryGraceMs?: number;
  /** Per-conversation memory of emitted results (dedup). Default 20,000. */
  maxResultsPerConversation?: number;
}

export type ConversationSource = 'configured' | 'request' | 'discovered';

export type LifecycleEvent =
  | { event: 'conversation-discovered'; conversationId: string; source: string; participants: DiscoveredConversation['participants']; communicationIds: string[] }
  | { event: 'conversation-ended'; conversationId: string; reason: 'participants-ended' | 'unsubscribed' | 'rejected' }
  | { event: 'session-started'; conversationId: string; communicationId?: string; sessionStartTimeMs?: number; transcriptionStartTimeMs?: number }
  | { event: 'session-ended'; conversationId: string; communicationId?: string }
  | { event: 'subscription-rejected'; conversationId?: string; topic: string; reason?: string; missingPermissions: string[] };

export interface UtteranceBatch {
  conversationId: string;
  utterances: Utterance[];
  envelope: Envelope;
}

export interface CopilotEvent {
  kind: 'summary' | 'suggestion';
  conversationId: string;
  body: SummaryEvent | SuggestionEvent;
  envelope: Envelope;
}

export interface FeedState extends StateEvent {
  live: number;
}

export interface TranscriptFeedEvents {
  utterances: [UtteranceBatch];
  lifecycle: [LifecycleEvent, Envelope | undefined];
  copilot: [CopilotEvent];
  'bad-frame': [{ error: InputError; raw: string }];
  state: [FeedState];
}

interface Tracked {
  source: ConversationSource;
  topics: string[];
  agentUserIds: string[];
  /** dedup keys of emitted results, in insertion order */
  emitted: Set<string>;
  finals: Set<string>;
  sessionStarted: boolean;
}

function checkId(id: unknown, what: string): string {
  if (typeof id !== 'string' || !isTopicSafeId(id.trim())) {
    throw new InputError(`${what} must be a non-empty id without dots, spaces, ? or & (got ${describeValue(id)})`, 'INVALID_ID', what);
  }
  return id.trim();
}

export class TranscriptFeed extends EventEmitter<TranscriptFeedEvents> {
  readonly manager: ChannelManager;
  private readonly clock: Clock;
  private readonly discovery = new ConversationDiscovery();
  private readonly tracked = new Map<string, Tracked>();
  /** user id -> number of live conversations needing its summary topic */
  private readonly summaryRefs = new Map<string, number>();
  private readonly summaryTimers = new Map<string, TimerHandle>();
  private readonly fixedUsers: Set<string>;
  private readonly opts: Required<Pick<TranscriptFeedOptions, 'includePartials' | 'forwardSummaries' | 'forwardSuggestions' | 'summaryGraceMs' | 'maxResultsPerConversation'>> &
    TranscriptFeedOptions;
  private lastState: StateEvent = { state: 'idle' };
  private stopped = false;

  constructor(opts: TranscriptFeedOptions) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.opts = {
      includePartials: true,
      forwardSummaries: false,
      forwardSuggestions: false,
      summaryGraceMs: 120_000,
      maxResultsPerConversation: 20_000,
      ...opts,
    };
    const queueIds = (opts.queueIds ?? []).map((q) => checkId(q, 'queue id'));
    const userIds = (opts.userIds ?? []).map((u) => checkId(u, 'user id'));
    const conversationIds = (opts.conversationIds ?? []).map((c) => checkId(c, 'conversation id'));
    this.fixedUsers = new Set(userIds);
    if (opts.manager) this.manager = opts.manager;
    else if (opts.channel) this.manager = new ChannelManager({ clock: this.clock, ...opts.channel });
    else throw new Error('TranscriptFeed needs a channel manager or its options');
    this.manager.on('event', (env, meta) => this.onEnvelope(env, meta.raw, meta.receivedAt));
    this.manager.on('bad-frame', (b) => this.emit('bad-frame', { error: b.error, raw: b.raw }));
    this.manager.on('rejected', (r) => this.onRejected(r));
    this.manager.on('state', (s) => {
      this.lastState = s;
      this.emitState();
    });
    const initial: string[] = [];
    for (const q of queueIds) initial.push(queueConversationsTopic(q));
    for (const u of userIds) {
      initial.push(userConversationsTopic(u));
      if (this.opts.forwardSummaries) initial.push(userSummariesTopic(u));
    }
    if (initial.length) this.manager.subscribe(initial);
    for (const c of conversationIds) this.track(c, 'configured');
  }

  /** Conversations whose transcripts are subscribed now. */
  get liveCount(): number {
    return this.tracked.size;
  }

  get liveConversationIds(): string[] {
    return [...this.tracked.keys()];
  }

  start(): void {
    this.manager.start();
  }

  /**
   * Subscribes one conversation's transcripts (input message). Returns false when the id belongs
   * to another shard and is left to that instance. Throws InputError for a bad id.
   */
  subscribe(conversationId: unknown): boolean {
    const id = checkId(conversationId, 'conversationId');
    if (!inShard(id, this.opts.shard)) return false;
    this.track(id, 'request');
    return true;
  }

  /** Unsubscribes; returns false when the conversation was not subscribed. */
  unsubscribe(conversationId: unknown): boolean {
    const id = checkId(conversationId, 'conversationId');
    if (!this.tracked.has(id)) return false;
    this.discovery.end(id);
    this.untrack(id);
    this.emit('lifecycle', { event: 'conversation-ended', conversationId: id, reason: 'unsubscribed' }, undefined);
    return true;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.summaryTimers.values()) this.clock.clearTimeout(t);
    this.summaryTimers.clear();
    this.tracked.clear();
    this.discovery.clear();
    await this.manager.stop();
    this.removeAllListeners();
  }

  // ------------------------------------------------------------------ topics

  private track(id: string, source: ConversationSource, agentUserIds: string[] = []): void {
    if (this.tracked.has(id) || this.stopped) return;
    const topics = [transcriptionTopic(id)];
    if (this.opts.forwardSuggestions) topics.push(...suggestionTopics(id));
    this.tracked.set(id, { source, topics, agentUserIds: [], emitted: new Set(), finals: new Set(), sessionStarted: false });
    this.manager.subscribe(topics);
    this.addAgents(id, agentUserIds);
    this.emitState();
  }

  private untrack(id: string): void {
    const t = this.tracked.get(id);
    if (!t) return;
    this.tracked.delete(id);
    this.manager.unsubscribe(t.topics);
    for (const u of t.agentUserIds) this.releaseSummaryTopic(u);
    this.emitState();
  }

  private addAgents(id: string, userIds: string[]): void {
    const t = this.tracked.get(id);
    if (!t || !this.opts.forwardSummaries) return;
    for (const u of userIds) {
      if (t.agentUserIds.includes(u) || !isTopicSafeId(u)) continue;
      t.agentUserIds.push(u);
      this.summaryRefs.set(u, (this.summaryRefs.get(u) ?? 0) + 1);
      const timer = this.summaryTimers.get(u);
      if (timer) {
        this.clock.clearTimeout(timer);
        this.summaryTimers.delete(u);
      }
      this.manager.subscribe([userSummariesTopic(u)]);
    }
  }

  /** Summaries arrive after the call (AFTER_DISCONNECT): keep the topic for a grace period. */
  private releaseSummaryTopic(userId: string): void {
    const n = (this.summaryRefs.get(userId) ?? 1) - 1;
    if (n > 0) {
      this.summaryRefs.set(userId, n);
      return;
    }
    this.summaryRefs.delete(userId);
    if (this.fixedUsers.has(userId) || this.summaryTimers.has(userId)) return;
    const timer = this.clock.setTimeout(() => {
      this.summaryTimers.delete(userId);
      if (!this.summaryRefs.has(userId) && !this.stopped) this.manager.unsubscribe([userSummariesTopic(userId)]);
    }, this.opts.summaryGraceMs);
    this.summaryTimers.set(userId, timer);
  }

  // ------------------------------------------------------------------ inbound events

  private onEnvelope(env: Envelope, raw: string, receivedAt: number): void {
    const topic = classifyTopic(env.topicName);
    try {
      switch (topic.kind) {
        case 'transcription':
          return this.onTranscription(validateSchema<TranscriptionEvent>('transcription', env.eventBody), env, receivedAt);
        case 'queue-conversations':
          return this.onConversation(validateSchema<ConversationEvent>('conversation', env.eventBody), `queue:${topic.queueId}`, env);
        case 'user-conversations':
          return this.onConversation(validateSchema<ConversationEvent>('conversation', env.eventBody), `user:${topic.userId}`, env);
        case 'summary': {
          if (!this.opts.forwardSummaries) return;
          const body = validateSchema<SummaryEvent>('summary', env.eventBody);
          if (!inShard(body.conversationId, this.opts.shard)) return;
          return void this.emit('copilot', { kind: 'summary', conversationId: body.conversationId, body, envelope: env });
        }
        case 'suggestion': {
          if (!this.opts.forwardSuggestions) return;
          const body = validateSchema<SuggestionEvent>('suggestion', env.eventBody);
          return void this.emit('copilot', { kind: 'suggestion', conversationId: body.conversationId, body, envelope: env });
        }
        default:
          return; // system and unknown topics: nothing to emit
      }
    } catch (err) {
      if (err instanceof InputError) this.emit('bad-frame', { error: err, raw });
      else throw err;
    }
  }

  private onTranscription(body: TranscriptionEvent, env: Envelope, receivedAt: number): void {
    const t = this.tracked.get(body.conversationId);
    if (!t) return; // late event of a conversation we let go
    const n = normalizeTranscription(body, { offsetReference: this.opts.offsetReference, receivedAt });
    if (!t.sessionStarted && (n.keepAlive || n.utterances.length > 0)) {
      t.sessionStarted = true;
      const ev: LifecycleEvent = { event: 'session-started', conversationId: body.conversationId };
      if (body.communicationId) ev.communicationId = body.communicationId;
      if (body.sessionStartTimeMs !== undefined) ev.sessionStartTimeMs = body.sessionStartTimeMs;
      if (body.transcriptionStartTimeMs !== undefined) ev.transcriptionStartTimeMs = body.transcriptionStartTimeMs;
      this.emit('lifecycle', ev, env);
    }
    const fresh: Utterance[] = [];
    const raws = body.transcripts ?? [];
    for (const u of n.utterances) {
      if (!u.isFinal && !this.opts.includePartials) continue;
      if (!u.isFinal && t.finals.has(u.utteranceId)) continue; // partial overtaken by its final
      const alt = raws.find((r) => r.utteranceId === u.utteranceId && r.isFinal === u.isFinal)?.alternatives?.[0];
      const key = `${u.utteranceId}\u0000${u.isFinal ? 1 : 0}\u0000${alt?.offsetMs ?? ''}\u0000${alt?.durationMs ?? ''}\u0000${u.text}`;
      if (t.emitted.has(key)) continue;
      t.emitted.add(key);
      if (t.emitted.size > this.opts.maxResultsPerConversation) {
        const oldest = t.emitted.values().next().value;
        if (oldest !== undefined) t.emitted.delete(oldest);
      }
      if (u.isFinal) t.finals.add(u.utteranceId);
      fresh.push(u);
    }
    if (fresh.length > 0) this.emit('utterances', { conversationId: body.conversationId, utterances: fresh, envelope: env });
    if (n.sessionEnded) {
      const ev: LifecycleEvent = { event: 'session-ended', conversationId: body.conversationId };
      if (body.communicationId) ev.communicationId = body.communicationId;
      this.untrack(body.conversationId);
      this.emit('lifecycle', ev, env);
    }
  }

  private onConversation(body: ConversationEvent, source: string, env: Envelope): void {
    if (!inShard(body.id, this.opts.shard)) return;
    for (const change of this.discovery.update(body, source)) this.onDiscovery(change, env);
  }

  private onDiscovery(change: DiscoveryChange, env: Envelope): void {
    const c = change.conversation;
    if (change.type === 'discovered') {
      this.emit(
        'lifecycle',
        { event: 'conversation-discovered', conversationId: c.conversationId, source: c.source, participants: c.participants, communicationIds: c.communicationIds },
        env,
      );
      this.track(c.conversationId, 'discovered', c.agentUserIds);
    } else if (change.type === 'updated') {
      this.addAgents(c.conversationId, c.agentUserIds);
    } else {
      this.untrack(c.conversationId);
      this.emit('lifecycle', { event: 'conversation-ended', conversationId: c.conversationId, reason: 'participants-ended' }, env);
    }
  }

  private onRejected(rejected: RejectedTopic[]): void {
    for (const r of rejected) {
      const topic = classifyTopic(r.topic);
      const conversationId = topic.kind === 'transcription' || topic.kind === 'suggestion' ? topic.conversationId : undefined;
      const ev: LifecycleEvent = { event: 'subscription-rejected', topic: r.topic, missingPermissions: r.missingPermissions };
      if (conversationId) ev.conversationId = conversationId;
      if (r.reason) ev.reason = r.reason;
      this.emit('lifecycle', ev, undefined);
      if (topic.kind === 'transcription' && this.tracked.has(topic.conversationId)) {
        this.discovery.end(topic.conversationId);
        this.untrack(topic.conversationId);
        this.emit('lifecycle', { event: 'conversation-ended', conversationId: topic.conversationId, reason: 'rejected' }, undefined);
      }
    }
  }

  private emitState(): void {
    this.emit('state', { ...this.lastState, live: this.tracked.size });
  }
}
