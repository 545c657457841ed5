/**
 * Plays scripted conversations (lib/sim/conversations/*.json) as the platform would publish them:
 * queue conversation events on v2.routing.queues.{queueId}.conversations and its .calls variant
 * (so discovery works), transcription events (keep-alive at session start, partials before each
 * final with the same utteranceId, SESSION_ENDED at the end), a Copilot-style knowledge
 * suggestion, and Copilot summaries on v2.users.{agentUserId}.conversations.summaries after the
 * call. Many conversations at once, in real time, accelerated, or as fast as possible.
 *
 * Times inside events are "call time": transcriptionStartTimeMs is the wall time the call started
 * and offsets are the script's, whatever the speed; sessionStartTimeMs is 1.2 s earlier (as in
 * the reference example), so the offset-reference setting of transcript-in makes a difference.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  queueConversationsTopic,
  suggestionTopic,
  transcriptionTopic,
  userSummariesTopic,
} from '../genesys/topics';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { DELIVERY_FAULT_KINDS, FaultyPublisher, type DeliveryFault, type DeliveryFaultKind, type EventSink } from './faults';
import { loadScripts, type ConversationScript, type ScriptUtterance } from './conversations/script';

export interface PlayOptions {
  /** Script ids to play (default: all). Each is played `copies` times. */
  scripts?: string[];
  copies?: number;
  /** 1 = real time, 10 = ten times faster; 0 or Infinity = as fast as possible. */
  speed?: number;
  /** Queue the calls arrive on (default 'sim-queue-1'). */
  queueId?: string;
  /** Publish partial results (isFinal:false) before finals (default true). */
  partials?: boolean;
  /** Delay in call time between speech end and its result being published (default 300 ms). */
  latencyMs?: number;
  /** Results due within this many call-time ms share one event (default 0: one per event). */
  batchMs?: number;
  /** Call-time ms between the queue event and the first transcription event (default 1000). */
  leadMs?: number;
  /** Ms between the starts of consecutive conversations, call time (default 0). */
  staggerMs?: number;
  /** Which Copilot summaries to publish after each call (default 'all'). */
  summaries?: 'all' | 'faithful' | 'flawed' | 'none';
  /** Publish one knowledge suggestion mid-call (default true). */
  suggestions?: boolean;
  /**
   * Resolves when some channel subscribes the topic; the player waits on it before the first
   * transcription event of a conversation (no replay on the platform: events before a
   * subscription are lost). Without it the player relies on leadMs alone.
   */
  waitForSubscriber?: (topicName: string) => Promise<void>;
  /** How long to wait for a subscriber before playing anyway (wall ms, default 5000). */
  subscriberTimeoutMs?: number;
  organizationId?: string;
  /** Conversation id factory (default random UUIDs). */
  newId?: () => string;
}

export interface PlayedConversation {
  conversationId: string;
  scriptId: string;
  queueId: string;
  agentUserId: string;
  customerCommunicationId: string;
  agentCommunicationId: string;
  /** Epoch ms the call started (transcriptionStartTimeMs). */
  startedAt: number;
  /** Final results published so far (utteranceIds). */
  finalsPublished: string[];
  /** Every result published (partials and finals), in order. */
  resultsPublished: number;
  done: boolean;
}

export interface PlayHandle {
  conversations: PlayedConversation[];
  /** Resolves when every conversation of this play has finished (or was stopped). */
  finished: Promise<void>;
  stop(): void;
}

interface TimedEvent {
  atMs: number;
  order: number;
  topic: string;
  body: () => unknown;
  onPublish?: () => void;
  /** Transcription events wait until a subscriber exists. */
  needsSubscriber?: boolean;
}

export class ConversationPlayer extends EventEmitter {
  private readonly scripts: Map<string, ConversationScript>;
  /** Pending waits: stop() clears the timer and wakes the play loop so it can finish. */
  private readonly timers = new Map<TimerHandle, () => void>();
  private stopped = false;
  private readonly active = new Set<PlayedConversation>();

  constructor(
    private readonly sink: EventSink,
    private readonly clock: Clock = systemClock,
    scripts: ConversationScript[] = loadScripts(),
  ) {
    super();
    this.scripts = new Map(scripts.map((s) => [s.id, s]));
  }

  get scriptIds(): string[] {
    return [...this.scripts.keys()];
  }

  script(id: string): ConversationScript | undefined {
    return this.scripts.get(id);
  }

  /** Conversations being played now. */
  get playing(): PlayedConversation[] {
    return [...this.active];
  }

  play(opts: PlayOptions = {}): PlayHandle {
    this.stopped = false;
    const ids = opts.scripts ?? this.scriptIds;
    for (const id of ids) if (!this.scripts.has(id)) throw new Error(`unknown conversation script "${id}" (have: ${this.scriptIds.join(', ')})`);
    const copies = Math.max(1, Math.floor(opts.copies ?? 1));
    const conversations: PlayedConversation[] = [];
    const runs: Array<Promise<void>> = [];
    let handleStopped = false;
    const isStopped = () => handleStopped || this.stopped;
    let index = 0;
    for (let c = 0; c < copies; c++) {
      for (const id of ids) {
        const script = this.scripts.get(id) as ConversationScript;
        const played = this.newConversation(script, opts);
        conversations.push(played);
        runs.push(this.run(script, played, opts, (opts.staggerMs ?? 0) * index++, isStopped));
      }
    }
    return {
      conversations,
      finished: Promise.all(runs).then(() => undefined),
      stop: () => {
        handleStopped = true;
      },
    };
  }

  /** Stops every play: nothing more is published; pending timers are cleared. */
  stop(): void {
    this.stopped = true;
    const wake = [...this.timers];
    this.timers.clear();
    for (const [t, resolve] of wake) {
      this.clock.clearTimeout(t);
      resolve();
    }
    for (const c of this.active) c.done = true;
    this.active.clear();
  }

  private newConversation(script: ConversationScript, opts: PlayOptions): PlayedConversation {
    const newId = opts.newId ?? randomUUID;
    return {
      conversationId: newId(),
      scriptId: script.id,
      queueId: opts.queueId ?? 'sim-queue-1',
      agentUserId: agentUserId(script),
      customerCommunicationId: newId(),
      agentCommunicationId: newId(),
      startedAt: 0,
      finalsPublished: [],
      resultsPublished: 0,
      done: false,
    };
  }

  private async run(script: ConversationScript, played: PlayedConversation, opts: PlayOptions, startOffsetMs: number, isStopped: () => boolean): Promise<void> {
    const speed = opts.speed === undefined ? 1 : opts.speed;
    const fast = !(speed > 0) || speed === Infinity;
    this.active.add(played);
    played.startedAt = this.clock.now() + startOffsetMs + (opts.leadMs ?? 1000);
    const events = this.timeline(script, played, opts);
    const wallStart = this.clock.now();
    let waited = false;
    try {
      for (const e of events) {
        if (isStopped()) break;
        if (e.needsSubscriber && !waited && opts.waitForSubscriber) {
          waited = true;
          await this.waitSubscriber(opts.waitForSubscriber(e.topic), opts.subscriberTimeoutMs ?? 5000);
          if (isStopped()) break;
        }
        if (!fast) {
          const due = wallStart + (startOffsetMs + e.atMs) / speed;
          const wait = due - this.clock.now();
          if (wait > 0) await this.sleep(wait);
        } else if (e.order % 64 === 0) {
          // As fast as possible, but let sockets drain and timers run now and then.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        if (isStopped()) break;
        this.sink.publish(e.topic, e.body());
        e.onPublish?.();
      }
    } finally {
      played.done = true;
      this.active.delete(played);
      this.emit('conversation-finished', played);
    }
  }

  private waitSubscriber(p: Promise<void>, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = this.clock.setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, timeoutMs);
      this.timers.set(t, resolve);
      p.then(
        () => {
          this.clock.clearTimeout(t);
          this.timers.delete(t);
          resolve();
        },
        () => resolve(),
      );
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = this.clock.setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }

  /** Every event of one call, in publish order, with call-time offsets (from queue event = 0). */
  timeline(script: ConversationScript, played: PlayedConversation, opts: PlayOptions = {}): TimedEvent[] {
    const lead = opts.leadMs ?? 1000;
    const latency = opts.latencyMs ?? 300;
    const batchMs = opts.batchMs ?? 0;
    const partials = opts.partials !== false;
    const org = opts.organizationId ?? 'sim-org-0001';
    const convId = played.conversationId;
    const topic = transcriptionTopic(convId);
    const t0 = () => played.startedAt;
    const events: Array<Omit<TimedEvent, 'order'>> = [];
    const queueEvent = (atMs: number, state: 'connected' | 'disconnected', agentState: 'alerting' | 'connected' | 'disconnected') => {
      for (const calls of [false, true]) {
        events.push({
          atMs,
          topic: queueConversationsTopic(played.queueId, calls),
          body: () => conversationEventBody(script, played, state, agentState, calls, t0()),
        });
      }
    };
    queueEvent(0, 'connected', 'alerting');
    queueEvent(Math.min(200, lead / 2), 'connected', 'connected');
    const transcription = (atMs: number, results: Array<Record<string, unknown>>, status: 'SESSION_ONGOING' | 'SESSION_ENDED', statusOffsetMs: number, onPublish?: () => void) => {
      events.push({
        atMs: lead + atMs,
        topic,
        needsSubscriber: true,
        onPublish,
        body: () => ({
          eventTime: new Date(t0() + Math.max(0, atMs)).toISOString(),
          organizationId: org,
          conversationId: convId,
          communicationId: played.customerCommunicationId,
          sessionStartTimeMs: t0() - 1200,
          transcriptionStartTimeMs: t0(),
          transcripts: results,
          status: { offsetMs: statusOffsetMs, status },
        }),
      });
    };
    // Session start: the transcript-less SESSION_ONGOING event.
    transcription(0, [], 'SESSION_ONGOING', 0);
    // Results, then grouped by batch window.
    const due: Array<{ at: number; result: Record<string, unknown>; utteranceId: string; isFinal: boolean }> = [];
    for (const u of script.utterances) {
      if (partials) {
        for (const p of u.partials) {
          const last = u.words[p.wordCount - 1];
          if (!last) continue;
          due.push({ at: last.offsetMs + last.durationMs + latency, result: resultOf(u, p.wordCount, false, script.language), utteranceId: u.utteranceId, isFinal: false });
        }
      }
      due.push({ at: u.offsetMs + u.durationMs + latency, result: resultOf(u, u.words.length, true, script.language), utteranceId: u.utteranceId, isFinal: true });
    }
    due.sort((a, b) => a.at - b.at);
    // 5-minute liveness signal while the session lives.
    for (let t = 300_000; t < script.durationMs; t += 300_000) transcription(t, [], 'SESSION_ONGOING', t);
    let i = 0;
    while (i < due.length) {
      const first = due[i] as (typeof due)[number];
      const group = [first];
      i++;
      while (batchMs > 0 && i < due.length && (due[i] as (typeof due)[number]).at - first.at <= batchMs) group.push(due[i++] as (typeof due)[number]);
      const at = (group[group.length - 1] as (typeof due)[number]).at;
      transcription(
        at,
        group.map((g) => g.result),
        'SESSION_ONGOING',
        at,
        () => {
          for (const g of group) {
            played.resultsPublished++;
            if (g.isFinal) played.finalsPublished.push(g.utteranceId);
          }
        },
      );
    }
    // A knowledge suggestion after the first third of the call.
    if (opts.suggestions !== false) {
      const anchor = script.utterances[Math.floor(script.utterances.length / 3)] as ScriptUtterance;
      events.push({
        atMs: lead + anchor.offsetMs + anchor.durationMs + latency + 50,
        topic: suggestionTopic(convId, 'knowledge.search'),
        body: () => ({
          eventTime: new Date(t0() + anchor.offsetMs + anchor.durationMs).toISOString(),
          conversationId: convId,
          suggestionId: `${convId}-s1`,
          state: 'Suggested',
          triggerType: 'Intent',
          context: { queueId: played.queueId, mediaType: 'Call', utteranceId: anchor.utteranceId, language: script.language, participantType: 'Customer' },
          knowledgeSearch: { title: `How to handle: ${script.title}`, uri: `https://kb.example.com/articles/${script.id}`, snippets: [], confidence: 0.82 },
        }),
      });
    }
    const end = script.durationMs + latency + 1000;
    transcription(end, [], 'SESSION_ENDED', end);
    queueEvent(lead + end + 200, 'disconnected', 'disconnected');
    const summaries = script.summaries.filter((s) =>
      opts.summaries === 'none' ? false : opts.summaries === 'faithful' ? s.variant === 'faithful' : opts.summaries === 'flawed' ? s.variant !== 'faithful' : true,
    );
    summaries.forEach((s, n) => {
      events.push({
        atMs: lead + end + 700 + n * 100,
        topic: userSummariesTopic(played.agentUserId),
        body: () => ({
          conversationId: convId,
          queueId: played.queueId,
          participants: [
            { userId: played.agentUserId, purpose: 'agent' },
          ],
          communicationIds: [played.customerCommunicationId, played.agentCommunicationId],
          latestCommunicationId: played.agentCommunicationId,
          createdDate: new Date(t0() + end + 500).toISOString(),
          mediaType: 'CALL',
          summaryId: `${convId}-sum-${n + 1}`,
          language: script.language,
          summarySourceType: 'GENESYS_NATIVE_SERVICE',
          triggerType: 'AFTER_DISCONNECT',
          durationMs: script.durationMs,
          ...s.body,
          // Not a platform field: lets demos and tests tell the variants apart.
          simVariant: s.variant,
        }),
      });
    });
    return events
      .map((e, order) => ({ ...e, order }))
      .sort((a, b) => a.atMs - b.atMs || a.order - b.order)
      .map((e, order) => ({ ...e, order }));
  }
}

function resultOf(u: ScriptUtterance, wordCount: number, isFinal: boolean, language: string): Record<string, unknown> {
  const words = u.words.slice(0, wordCount);
  const last = words[words.length - 1] as (typeof words)[number];
  const durationMs = isFinal ? u.durationMs : last.offsetMs + last.durationMs - u.offsetMs;
  const transcript = words.map((w) => w.word).join(' ');
  return {
    utteranceId: u.utteranceId,
    isFinal,
    channel: u.channel,
    alternatives: [
      {
        confidence: isFinal ? u.confidence : Math.round(u.confidence * 900) / 1000,
        offsetMs: u.offsetMs,
        durationMs,
        transcript,
        decoratedTranscript: transcript,
        words: words.map((w) => ({ word: w.word, confidence: w.confidence, offsetMs: w.offsetMs, durationMs: w.durationMs })),
      },
    ],
    engineProvider: 'GENESYS',
    engineId: 'sim-engine',
    engineName: 'Genesys Simulator',
    dialect: language,
    agentAssistEnabled: true,
    voiceTranscriptionEnabled: true,
  };
}

/** A stable fake user id per agent name (the summary topic is per agent). */
export function agentUserId(script: ConversationScript): string {
  return `sim-agent-${script.agent.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

function conversationEventBody(
  script: ConversationScript,
  played: PlayedConversation,
  state: 'connected' | 'disconnected',
  agentState: 'alerting' | 'connected' | 'disconnected',
  callsVariant: boolean,
  t0: number,
): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const ended = state === 'disconnected';
  const endTime = ended ? iso(t0 + script.durationMs + 1500) : undefined;
  const party = (id: string, purpose: string, name: string, commId: string, callState: string, extra: Record<string, unknown>) => {
    const base: Record<string, unknown> = { id, purpose, name, connectedTime: iso(t0), ...(endTime ? { endTime } : {}) };
    if (callsVariant) return { ...base, state: callState, direction: 'inbound', ...(ended ? { disconnectType: 'client' } : {}), ...extra.callsExtra as object };
    return {
      ...base,
      ...extra.genericExtra as object,
      calls: [{ id: commId, state: callState, direction: 'inbound', ...(ended ? { disconnectType: 'client', disconnectedTime: endTime } : {}) }],
    };
  };
  return {
    id: played.conversationId,
    ...(callsVariant ? { name: script.title } : { maxParticipants: 3 }),
    participants: [
      party(`${played.conversationId}-p1`, 'customer', script.customer.name, played.customerCommunicationId, state, {}),
      party(`${played.conversationId}-p2`, 'acd', script.queueName, `${played.conversationId}-acd`, ended || agentState === 'connected' ? 'disconnected' : 'connected', {
        genericExtra: { queueId: played.queueId },
        callsExtra: { queue: { id: played.queueId } },
      }),
      party(`${played.conversationId}-p3`, 'agent', script.agent.name, played.agentCommunicationId, agentState, {
        genericExtra: { userId: played.agentUserId, queueId: played.queueId },
        callsExtra: { user: { id: played.agentUserId }, queue: { id: played.queueId } },
      }),
    ],
  };
}

// ---------------------------------------------------------------------------- simulator glue

/** The part of SimServer the player needs (kept structural so tests can pass a fake). */
export interface PlayerHost {
  publish(topicName: string, eventBody: unknown): number;
  sendRaw(data: string, channelId?: string): number;
  channelsFor(topicName: string): string[];
  channels(): Array<{ id: string; connected: boolean }>;
  on(event: 'subscriptions' | 'socketOpened', listener: (...args: unknown[]) => void): unknown;
  off(event: 'subscriptions' | 'socketOpened', listener: (...args: unknown[]) => void): unknown;
  addAdminRoute(
    method: 'GET' | 'POST',
    path: string,
    handler: (req: { body: unknown }) => { status?: number; body?: unknown },
  ): () => void;
}

/** Adapts the simulator server to the EventSink the faults and the player publish through. */
export function hostSink(host: PlayerHost): EventSink {
  return {
    publish: (topic, body) => host.publish(topic, body),
    sendRaw: (topic, text) => {
      let n = 0;
      for (const id of host.channelsFor(topic)) n += host.sendRaw(text, id);
      return n;
    },
  };
}

/** Resolves once a channel with an open socket is subscribed to the topic. */
export function subscriberWaiter(host: PlayerHost): (topic: string) => Promise<void> {
  const ready = (topic: string) => {
    const connected = new Set(host.channels().filter((c) => c.connected).map((c) => c.id));
    return host.channelsFor(topic).some((id) => connected.has(id));
  };
  return (topic) =>
    new Promise<void>((resolve) => {
      if (ready(topic)) return resolve();
      const check = () => {
        if (!ready(topic)) return;
        host.off('subscriptions', check);
        host.off('socketOpened', check);
        resolve();
      };
      host.on('subscriptions', check);
      host.on('socketOpened', check);
    });
}

export interface AttachedPlayer {
  player: ConversationPlayer;
  faults: FaultyPublisher;
  /** play() with the simulator's subscriber wait filled in. */
  play(opts?: PlayOptions): PlayHandle;
  detach(): void;
}

/**
 * Adds the conversation player and delivery faults to a simulator, with admin routes:
 *   GET  /sim/scripts                 the scripts (id, title, duration, speech intervals)
 *   POST /sim/play                    {scripts?, copies?, speed?, queueId?, partials?, latencyMs?,
 *                                      batchMs?, staggerMs?, summaries?, suggestions?} -> conversations
 *   GET  /sim/play                    conversations being played
 *   POST /sim/play/stop               stops every play
 *   POST /sim/faults/delivery         {kind, count?, delayMs?, bytes?} (kinds: DELIVERY_FAULT_KINDS)
 */
export function attachPlayer(host: PlayerHost, clock: Clock = systemClock, scripts?: ConversationScript[]): AttachedPlayer {
  const faults = new FaultyPublisher(hostSink(host), clock);
  const player = new ConversationPlayer(faults, clock, scripts);
  const waitForSubscriber = subscriberWaiter(host);
  const play = (opts: PlayOptions = {}) => player.play({ waitForSubscriber, ...opts });
  const summary = (c: PlayedConversation) => ({
    conversationId: c.conversationId,
    scriptId: c.scriptId,
    queueId: c.queueId,
    agentUserId: c.agentUserId,
    communicationId: c.customerCommunicationId,
    finalsPublished: c.finalsPublished.length,
    done: c.done,
  });
  const removers = [
    host.addAdminRoute('GET', '/sim/scripts', () => ({
      body: player.scriptIds.map((id) => {
        const s = player.script(id) as ConversationScript;
        return { id, title: s.title, durationMs: s.durationMs, utterances: s.utterances.length, speechIntervals: s.speechIntervals };
      }),
    })),
    host.addAdminRoute('POST', '/sim/play', (req) => {
      const opts = parsePlayOptions(req.body);
      if (typeof opts === 'string') return { status: 400, body: { message: opts, code: 'bad.request', status: 400 } };
      try {
        const handle = play(opts);
        return { body: { conversations: handle.conversations.map(summary) } };
      } catch (err) {
        return { status: 400, body: { message: (err as Error).message, code: 'bad.request', status: 400 } };
      }
    }),
    host.addAdminRoute('GET', '/sim/play', () => ({ body: { playing: player.playing.map(summary), delivery: faults.stats } })),
    host.addAdminRoute('POST', '/sim/play/stop', () => {
      player.stop();
      return { body: { stopped: true } };
    }),
    host.addAdminRoute('POST', '/sim/faults/delivery', (req) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      if (!DELIVERY_FAULT_KINDS.includes(b.kind as DeliveryFaultKind)) {
        return { status: 400, body: { message: `kind must be one of ${DELIVERY_FAULT_KINDS.join(', ')}`, code: 'bad.request', status: 400 } };
      }
      for (const k of ['count', 'delayMs', 'bytes'] as const) {
        if (b[k] !== undefined && (typeof b[k] !== 'number' || !Number.isFinite(b[k]) || (b[k] as number) < 0)) {
          return { status: 400, body: { message: `${k} must be a number >= 0`, code: 'bad.request', status: 400 } };
        }
      }
      try {
        faults.arm(b as unknown as DeliveryFault);
      } catch (err) {
        return { status: 400, body: { message: (err as Error).message, code: 'bad.request', status: 400 } };
      }
      return { body: { pending: faults.pending } };
    }),
  ];
  return {
    player,
    faults,
    play,
    detach: () => {
      player.stop();
      faults.reset();
      for (const r of removers) r();
    },
  };
}

/** Validates the JSON body of POST /sim/play; a string is the error message. */
export function parsePlayOptions(body: unknown): PlayOptions | string {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
  const b = body as Record<string, unknown>;
  const out: PlayOptions = {};
  if (b.scripts !== undefined) {
    if (!Array.isArray(b.scripts) || !b.scripts.every((s) => typeof s === 'string')) return 'scripts must be an array of script ids';
    out.scripts = b.scripts as string[];
  }
  for (const k of ['copies', 'speed', 'latencyMs', 'batchMs', 'staggerMs', 'leadMs'] as const) {
    const v = b[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `${k} must be a number >= 0`;
    out[k] = v;
  }
  if (out.copies !== undefined && out.copies > 10_000) return 'copies must be at most 10000';
  if (b.queueId !== undefined) {
    if (typeof b.queueId !== 'string' || !/^[A-Za-z0-9-]+$/.test(b.queueId)) return 'queueId must be letters, digits and dashes';
    out.queueId = b.queueId;
  }
  for (const k of ['partials', 'suggestions'] as const) {
    if (b[k] === undefined) continue;
    if (typeof b[k] !== 'boolean') return `${k} must be true or false`;
    out[k] = b[k] as boolean;
  }
  if (b.summaries !== undefined) {
    if (!['all', 'faithful', 'flawed', 'none'].includes(b.summaries as string)) return 'summaries must be all, faithful, flawed or none';
    out.summaries = b.summaries as PlayOptions['summaries'];
  }
  return out;
}
