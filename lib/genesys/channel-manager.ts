/**
 * Notification channel manager (reference/genesys-api.md section 2): keeps a set of topics
 * subscribed on as few channels as possible and the channel WebSockets alive through every fault.
 *
 * - Channels: POST /api/v2/notifications/channels; at most `maxTopicsPerChannel` (1,000) topics
 *   each, another channel past that (one socket per channel, as the platform requires).
 * - Subscriptions: POST ...subscriptions?ignoreErrors=true to add; removing is a PUT of the
 *   remaining set (the platform has no per-topic delete). Rejected topics are dropped from the
 *   set and reported with their missingPermissions.
 * - Liveness: no frame (heartbeat, pong or event) for `heartbeatTimeoutMs` sends the
 *   {"message":"ping"} probe; no answer within `probeTimeoutMs` closes and reconnects.
 * - v2.system.socket_closing: reconnect to the SAME connectUri at once (make before break).
 * - 404 on connect or on a subscription call, channel removed, token revoked, or a new token
 *   from the token source: a new channel and a full re-subscribe.
 * - Expiry (24 h): re-PUT the topic set `extendBeforeMs` before `expires` to extend it.
 * - Retries: lib/util/backoff.ts (exponential, jitter, cap); attempt count in 'state' events.
 * Missed events are not replayed by the platform: consumers see 'state' events and decide.
 * Knows nothing about Node-RED. Every timer runs on the injected Clock.
 */
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { Backoff, type BackoffOptions } from '../util/backoff';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { errorMessage, InputError, describeValue } from '../util/errors';
import { parseEnvelope, type Envelope } from './schemas';
import { HEARTBEAT_TOPIC, MAX_TOPIC_LENGTH, MAX_TOPICS_PER_CHANNEL, SOCKET_CLOSING_TOPIC } from './topics';
import type { RestClient, TokenSource } from './types';


/** Longest wait for the server's close frame when stopping before the socket is cut. */
const CLOSE_HANDSHAKE_MS = 1000;
export interface ChannelManagerOptions {
  rest: RestClient;
  /** When given, a change of token (refresh, revocation) moves to a new channel. */
  tokens?: TokenSource;
  clock?: Clock;
  /** Silence (no frame at all) before the ping probe. Default 60 s (heartbeats come about every 30 s). */
  heartbeatTimeoutMs?: number;
  /** Wait for any frame after the probe before reconnecting. Default 10 s. */
  probeTimeoutMs?: number;
  /** Reconnect delays. Default 500 ms doubling to 15 s, half jitter. */
  backoff?: BackoffOptions;
  /** Re-PUT subscriptions this long before the channel expires. Default 1 h. */
  extendBeforeMs?: number;
  /** How often expiry and token changes are checked. Default 60 s. */
  maintenanceIntervalMs?: number;
  maxTopicsPerChannel?: number;
  /** Frames larger than this are reported as bad and skipped. Default 1 MiB. */
  maxFrameBytes?: number;
  /** WebSocket handshake timeout. Default 10 s. */
  connectTimeoutMs?: number;
}

export type ChannelManagerState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'stopped';

export interface StateEvent {
  state: ChannelManagerState;
  /** Reconnect attempt (1-based) while reconnecting. */
  attempt?: number;
  /** Why (last error, close reason). */
  reason?: string;
}

export interface RejectedTopic {
  topic: string;
  reason?: string;
  missingPermissions: string[];
}

export interface ChannelInfo {
  channelId: string;
  connectUri: string;
  expires: number;
  reason: 'created' | 'replaced';
}

export interface BadFrame {
  error: InputError;
  /** The frame text (may be large: truncate before logging). */
  raw: string;
  channelId: string;
}

export interface ChannelManagerEvents {
  state: [StateEvent];
  /** A validated envelope of any topic but heartbeats, pongs and socket_closing. */
  event: [Envelope, { channelId: string; raw: string; receivedAt: number }];
  'bad-frame': [BadFrame];
  subscribed: [string[]];
  rejected: [RejectedTopic[]];
  channel: [ChannelInfo];
  /** A non-fatal problem that the manager retries by itself. */
  problem: [Error];
}

interface ChannelResponse {
  id: string;
  connectUri: string;
  expires?: string;
}

interface ChannelTopicResponse {
  id: string;
  state?: string;
  rejectionReason?: string;
  missingPermissions?: string[];
}

const DEFAULT_CHANNEL_LIFETIME_MS = 24 * 3600 * 1000;
const HARD_MAX_PAYLOAD = 64 * 1024 * 1024;

function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
}

/** One channel and its socket. */
class Slot {
  channel?: { id: string; connectUri: string; expires: number; token?: string };
  ws?: WebSocket;
  open = false;
  /** Topics this slot must carry. */
  readonly desired = new Set<string>();
  /** Topics the platform has on the current channel (as far as we know). */
  applied = new Set<string>();
  needExtend = false;
  channelsCreated = 0;
  /** Open a new socket to the same URI even though one is open (socket_closing). */
  replaceSocket = false;
  /** The old socket while a make-before-break replacement is in flight. */
  replacing?: WebSocket;
  busy = false;
  dirty = false;
  retryTimer?: TimerHandle;
  watchdog?: TimerHandle;
  probing = false;
  lastFrameAt = 0;
  readonly backoff: Backoff;
  constructor(
    public index: number,
    backoff: BackoffOptions,
  ) {
    this.backoff = new Backoff(backoff);
  }
}

export class ChannelManager extends EventEmitter<ChannelManagerEvents> {
  private readonly rest: RestClient;
  private readonly tokens?: TokenSource;
  private readonly clock: Clock;
  private readonly heartbeatTimeoutMs: number;
  private readonly probeTimeoutMs: number;
  private readonly backoffOpts: BackoffOptions;
  private readonly extendBeforeMs: number;
  private readonly maintenanceIntervalMs: number;
  private readonly maxTopics: number;
  private readonly maxFrameBytes: number;
  private readonly connectTimeoutMs: number;
  private slots: Slot[] = [];
  private started = false;
  private stopped = false;
  private maintenanceTimer?: TimerHandle;
  private lastState?: string;
  /** Sockets being replaced or closed on purpose: their close events are not faults. */
  private readonly retired = new Set<WebSocket>();

  constructor(opts: ChannelManagerOptions) {
    super();
    this.rest = opts.rest;
    this.tokens = opts.tokens;
    this.clock = opts.clock ?? systemClock;
    this.heartbeatTimeoutMs = opts.heartbeatTimeoutMs ?? 60_000;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 10_000;
    this.backoffOpts = opts.backoff ?? { initialMs: 500, maxMs: 15_000, jitter: 0.5 };
    this.extendBeforeMs = opts.extendBeforeMs ?? 3600_000;
    this.maintenanceIntervalMs = opts.maintenanceIntervalMs ?? 60_000;
    this.maxTopics = Math.max(1, Math.min(MAX_TOPICS_PER_CHANNEL, opts.maxTopicsPerChannel ?? MAX_TOPICS_PER_CHANNEL));
    this.maxFrameBytes = opts.maxFrameBytes ?? 1024 * 1024;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  }

  /** Every topic wanted, over all channels. */
  get topics(): string[] {
    return this.slots.flatMap((s) => [...s.desired]);
  }

  /** Topics the platform accepted on a current channel. */
  get subscribedTopics(): string[] {
    return this.slots.flatMap((s) => [...s.applied].filter((t) => s.desired.has(t)));
  }

  get channelCount(): number {
    return this.slots.filter((s) => s.channel).length;
  }

  get channelIds(): string[] {
    return this.slots.flatMap((s) => (s.channel ? [s.channel.id] : []));
  }

  get connected(): boolean {
    return this.slots.length > 0 && this.slots.every((s) => s.open);
  }

  /** Creates the first channel and connects (idempotent). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    if (this.slots.length === 0) this.slots.push(new Slot(0, this.backoffOpts));
    this.setState({ state: 'connecting' });
    for (const s of this.slots) this.kick(s);
    this.scheduleMaintenance();
  }

  /**
   * Adds topics (deduplicated; already wanted ones are ignored). Applied as soon as the channel
   * allows; rejected topics come back through the 'rejected' event. Throws InputError for a
   * topic name that cannot be valid.
   */
  subscribe(topics: Iterable<string>): void {
    if (this.stopped) return;
    for (const t of topics) {
      if (typeof t !== 'string' || t.length === 0 || t.length > MAX_TOPIC_LENGTH || /\s/.test(t)) {
        throw new InputError(`invalid topic name ${describeValue(t)} (1-${MAX_TOPIC_LENGTH} characters, no spaces)`, 'INVALID_TOPIC');
      }
      // Looked up per slot, not copied: subscribing conversations one by one stays linear.
      if (this.slots.some((s) => s.desired.has(t))) continue;
      let slot = this.slots.find((s) => s.desired.size < this.maxTopics);
      if (!slot) {
        slot = new Slot(this.slots.length, this.backoffOpts);
        this.slots.push(slot);
      }
      slot.desired.add(t);
    }
    if (this.started) for (const s of this.slots) this.kick(s);
  }

  /** Removes topics (the slot re-PUTs what remains). */
  unsubscribe(topics: Iterable<string>): void {
    if (this.stopped) return;
    const remove = new Set(topics);
    for (const s of this.slots) {
      let changed = false;
      for (const t of remove) if (s.desired.delete(t)) changed = true;
      if (changed && this.started) this.kick(s);
    }
  }

  /** Closes every socket and cancels every timer. No REST call (channels expire by themselves). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.clock.clearTimeout(this.maintenanceTimer);
    const closing: Array<Promise<void>> = [];
    for (const s of this.slots) {
      this.clock.clearTimeout(s.retryTimer);
      this.stopWatchdog(s);
      if (s.ws) closing.push(this.closeSocket(s.ws, true));
      s.ws = undefined;
      s.open = false;
    }
    await Promise.all(closing);
    this.setState({ state: 'stopped' });
    this.removeAllListeners();
  }

  // ------------------------------------------------------------------ reconcile loop

  /** Runs the reconcile loop of a slot (serialised: one REST/socket step at a time). */
  private kick(slot: Slot): void {
    if (this.stopped) return;
    if (slot.busy) {
      slot.dirty = true;
      return;
    }
    if (slot.retryTimer) return; // a backoff wait is pending; it will run the loop
    slot.busy = true;
    void this.reconcile(slot).finally(() => {
      slot.busy = false;
      if (slot.dirty && !this.stopped) {
        slot.dirty = false;
        this.kick(slot);
      }
    });
  }

  private async reconcile(slot: Slot): Promise<void> {
    try {
      for (let guard = 0; guard < 8 && !this.stopped; guard++) {
        slot.dirty = false;
        // A slot past the first with nothing to carry is closed.
        if (slot.index > 0 && slot.desired.size === 0) {
          this.retireSlot(slot);
          return;
        }
        if (this.tokens && slot.channel?.token !== undefined) {
          const token = await this.tokens.getToken();
          if (token !== slot.channel.token) this.dropChannel(slot, 'the access token changed');
        }
        if (!slot.channel) await this.createChannel(slot);
        if (this.stopped) return;
        if (!slot.open || slot.replaceSocket) await this.connect(slot);
        if (this.stopped) return;
        await this.applySubscriptions(slot);
        if (!slot.dirty) break;
      }
      slot.backoff.reset();
      this.updateState();
    } catch (err) {
      if (this.stopped) return;
      const status = statusOf(err);
      if (status === 404 || status === 410) this.dropChannel(slot, `channel not found (${status})`);
      this.emit('problem', err instanceof Error ? err : new Error(errorMessage(err)));
      this.scheduleRetry(slot, errorMessage(err));
    }
  }

  private scheduleRetry(slot: Slot, reason: string): void {
    if (this.stopped || slot.retryTimer) return;
    const delay = slot.backoff.next();
    this.setState({ state: 'reconnecting', attempt: slot.backoff.attempts, reason });
    slot.retryTimer = this.clock.setTimeout(() => {
      slot.retryTimer = undefined;
      this.kick(slot);
    }, delay);
  }

  private async createChannel(slot: Slot): Promise<void> {
    const res = await this.rest.request<ChannelResponse>({ method: 'POST', path: '/api/v2/notifications/channels', body: {} });
    // Read after the call: a 401 inside it makes the REST client fetch a new token first.
    const token = this.tokens ? await this.tokens.getToken() : undefined;
    const body = res.body;
    if (!body || typeof body.id !== 'string' || typeof body.connectUri !== 'string') {
      throw new Error('create channel: the response has no id or connectUri');
    }
    const parsed = body.expires ? Date.parse(body.expires) : NaN;
    const expires = Number.isFinite(parsed) ? parsed : this.clock.now() + DEFAULT_CHANNEL_LIFETIME_MS;
    const replaced = slot.channelsCreated++ > 0;
    slot.channel = { id: body.id, connectUri: body.connectUri, expires, token };
    slot.applied = new Set();
    slot.needExtend = false;
    if (slot.ws) {
      // The old socket belongs to a channel that is gone: close it, connect the new one.
      void this.closeSocket(slot.ws);
      slot.ws = undefined;
      slot.open = false;
    }
    this.emit('channel', { channelId: body.id, connectUri: body.connectUri, expires, reason: replaced ? 'replaced' : 'created' });
  }

  private dropChannel(slot: Slot, reason: string): void {
    if (!slot.channel) return;
    slot.channel = undefined;
    slot.applied = new Set();
    if (slot.ws) {
      void this.closeSocket(slot.ws);
      slot.ws = undefined;
    }
    slot.open = false;
    this.stopWatchdog(slot);
    this.setState({ state: 'reconnecting', attempt: slot.backoff.attempts + 1, reason });
  }

  private retireSlot(slot: Slot): void {
    if (slot.ws) void this.closeSocket(slot.ws);
    this.stopWatchdog(slot);
    this.clock.clearTimeout(slot.retryTimer);
    this.slots = this.slots.filter((s) => s !== slot);
    this.slots.forEach((s, i) => (s.index = i));
    this.updateState();
  }

  /** Opens a socket to the slot's connectUri; resolves once open, rejects on failure. */
  private connect(slot: Slot): Promise<void> {
    const channel = slot.channel;
    if (!channel) return Promise.reject(new Error('no channel'));
    const previous = slot.replaceSocket && slot.open ? slot.ws : undefined;
    slot.replaceSocket = false;
    slot.replacing = previous;
    if (!previous && slot.ws) {
      void this.closeSocket(slot.ws);
      slot.ws = undefined;
    }
    const dropPrevious = () => {
      // The replacement failed: the old socket (about to be closed by the platform) goes too.
      if (previous && slot.replacing === previous) {
        slot.replacing = undefined;
        void this.closeSocket(previous);
        if (slot.ws === previous) {
          slot.ws = undefined;
          slot.open = false;
        }
      }
    };
    return new Promise<void>((resolve, rejectPromise) => {
      const reject = (err: Error) => {
        dropPrevious();
        rejectPromise(err);
      };
      const ws = new WebSocket(channel.connectUri, {
        handshakeTimeout: this.connectTimeoutMs,
        maxPayload: HARD_MAX_PAYLOAD,
        perMessageDeflate: false,
      });
      let settled = false;
      ws.on('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        ws.terminate();
        if (!settled) {
          settled = true;
          reject(Object.assign(new Error(`channel socket refused: HTTP ${status}`), { status }));
        }
      });
      ws.on('open', () => {
        if (this.stopped || slot.channel !== channel) {
          void this.closeSocket(ws);
          if (!settled) {
            settled = true;
            reject(new Error('channel replaced while connecting'));
          }
          return;
        }
        settled = true;
        slot.ws = ws;
        slot.open = true;
        if (previous) {
          slot.replacing = undefined;
          void this.closeSocket(previous);
        }
        this.armWatchdog(slot);
        resolve();
      });
      ws.on('message', (data, isBinary) => this.onFrame(slot, ws, data, isBinary));
      ws.on('error', (err) => {
        if (!settled) {
          settled = true;
          ws.terminate();
          reject(err);
        }
      });
      ws.on('close', (code, reasonBuf) => {
        if (!settled) {
          settled = true;
          reject(new Error(`channel socket closed while connecting (${code})`));
          return;
        }
        if (this.retired.delete(ws)) return;
        if (slot.replacing === ws) {
          // The platform closed the old socket of a replacement in flight: expected.
          slot.replacing = undefined;
          if (slot.ws === ws) {
            slot.ws = undefined;
            slot.open = false;
          }
          return;
        }
        if (slot.ws !== ws) return;
        slot.ws = undefined;
        slot.open = false;
        this.stopWatchdog(slot);
        if (this.stopped) return;
        const reason = reasonBuf.toString() || `socket closed (${code})`;
        this.scheduleRetry(slot, reason);
      });
    });
  }

  /**
   * Retires a socket. A socket being replaced or found dead is terminated at once; on stop() the
   * close handshake is tried first (the platform sees a clean 1000 instead of 1006) for at most
   * CLOSE_HANDSHAKE_MS of real time, then terminated.
   */
  private closeSocket(ws: WebSocket, handshake = false): Promise<void> {
    this.retired.add(ws);
    ws.removeAllListeners('message');
    if (ws.readyState === WebSocket.CLOSED) {
      this.retired.delete(ws);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      let forced: NodeJS.Timeout | undefined;
      ws.once('close', () => {
        if (forced) clearTimeout(forced);
        this.retired.delete(ws);
        resolve();
      });
      ws.on('error', () => undefined);
      if (handshake && ws.readyState === WebSocket.OPEN) {
        ws.close(1000, 'client stopping');
        forced = setTimeout(() => ws.terminate(), CLOSE_HANDSHAKE_MS);
        forced.unref();
      } else {
        ws.terminate();
      }
    });
  }

  private async applySubscriptions(slot: Slot): Promise<void> {
    const channel = slot.channel;
    if (!channel) return;
    const desired = [...slot.desired];
    const added = desired.filter((t) => !slot.applied.has(t));
    const removed = [...slot.applied].filter((t) => !slot.desired.has(t));
    if (added.length === 0 && removed.length === 0 && !slot.needExtend) return;
    const path = `/api/v2/notifications/channels/${encodeURIComponent(channel.id)}/subscriptions`;
    // POST appends; anything else (a removal, an extension, a new channel) PUTs the whole set.
    const method = removed.length === 0 && !slot.needExtend && slot.applied.size > 0 ? 'POST' : 'PUT';
    const body = (method === 'POST' ? added : desired).map((id) => ({ id }));
    if (method === 'POST' && body.length === 0) return;
    const res = await this.rest.request<{ entities?: ChannelTopicResponse[] }>({ method, path, query: { ignoreErrors: true }, body });
    if (slot.channel !== channel) return;
    const rejected: RejectedTopic[] = [];
    const rejectedIds = new Set<string>();
    for (const e of res.body?.entities ?? []) {
      if (e && typeof e.id === 'string' && e.state === 'Rejected') {
        rejectedIds.add(e.id);
        const r: RejectedTopic = { topic: e.id, missingPermissions: Array.isArray(e.missingPermissions) ? e.missingPermissions.map(String) : [] };
        if (typeof e.rejectionReason === 'string') r.reason = e.rejectionReason;
        rejected.push(r);
      }
    }
    const sent = body.map((b) => b.id);
    if (method === 'PUT') slot.applied = new Set(sent.filter((t) => !rejectedIds.has(t)));
    else for (const t of sent) if (!rejectedIds.has(t)) slot.applied.add(t);
    for (const t of rejectedIds) slot.desired.delete(t);
    if (slot.needExtend) {
      slot.needExtend = false;
      channel.expires = this.clock.now() + DEFAULT_CHANNEL_LIFETIME_MS;
    }
    const accepted = (method === 'POST' ? added : added.filter((t) => slot.applied.has(t))).filter((t) => !rejectedIds.has(t));
    if (accepted.length > 0) this.emit('subscribed', accepted);
    if (rejected.length > 0) this.emit('rejected', rejected);
  }

  // ------------------------------------------------------------------ frames and liveness

  private onFrame(slot: Slot, ws: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    if (slot.ws !== ws && slot.replacing !== ws) return;
    const receivedAt = this.clock.now();
    slot.lastFrameAt = receivedAt;
    slot.probing = false;
    const channelId = slot.channel?.id ?? '';
    const size = Array.isArray(data) ? data.reduce((a, b) => a + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
    if (size > this.maxFrameBytes) {
      const raw = Buffer.isBuffer(data) ? data.subarray(0, 4096).toString('utf8') : '';
      this.emit('bad-frame', { error: new InputError(`frame of ${size} bytes exceeds the ${this.maxFrameBytes}-byte limit`, 'FRAME_TOO_LARGE'), raw, channelId });
      return;
    }
    const raw = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
    if (isBinary) {
      this.emit('bad-frame', { error: new InputError('binary frame on a notification channel', 'INVALID_FRAME'), raw, channelId });
      return;
    }
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(raw);
    } catch (err) {
      this.emit('bad-frame', { error: err as InputError, raw, channelId });
      return;
    }
    if (envelope.topicName === HEARTBEAT_TOPIC) return; // heartbeat or pong: liveness only
    if (envelope.topicName === SOCKET_CLOSING_TOPIC) {
      slot.replaceSocket = true;
      this.kick(slot);
      return;
    }
    if (envelope.topicName.startsWith('v2.system.token_revoked') || envelope.topicName.startsWith('v2.system.no_longer_subscribed')) {
      this.dropChannel(slot, envelope.topicName);
      this.kick(slot);
      return;
    }
    this.emit('event', envelope, { channelId, raw, receivedAt });
  }

  /**
   * Liveness: every frame only stamps `lastFrameAt`; one timer per socket checks the stamp when
   * it fires and re-arms for the remaining time (no timer churn per frame at high rates).
   */
  private armWatchdog(slot: Slot): void {
    slot.lastFrameAt = this.clock.now();
    slot.probing = false;
    if (slot.watchdog === undefined) slot.watchdog = this.clock.setTimeout(() => this.onWatchdog(slot), this.heartbeatTimeoutMs);
  }

  private stopWatchdog(slot: Slot): void {
    this.clock.clearTimeout(slot.watchdog);
    slot.watchdog = undefined;
    slot.probing = false;
  }

  private onWatchdog(slot: Slot): void {
    slot.watchdog = undefined;
    const ws = slot.ws;
    if (this.stopped || !ws || ws.readyState !== WebSocket.OPEN) return;
    const silentFor = this.clock.now() - slot.lastFrameAt;
    const limit = slot.probing ? this.probeTimeoutMs : this.heartbeatTimeoutMs;
    if (silentFor < limit) {
      slot.watchdog = this.clock.setTimeout(() => this.onWatchdog(slot), limit - silentFor);
      return;
    }
    if (!slot.probing) {
      // Silence: ask the platform for a pong before giving the socket up.
      slot.probing = true;
      slot.lastFrameAt = this.clock.now();
      ws.send('{"message":"ping"}');
      slot.watchdog = this.clock.setTimeout(() => this.onWatchdog(slot), this.probeTimeoutMs);
      return;
    }
    // No heartbeat and no pong: the socket is dead even if TCP has not noticed.
    slot.probing = false;
    ws.terminate(); // the close handler schedules the reconnect
  }

  private scheduleMaintenance(): void {
    this.maintenanceTimer = this.clock.setTimeout(() => {
      if (this.stopped) return;
      const now = this.clock.now();
      for (const s of this.slots) {
        if (s.channel && s.channel.expires - now <= this.extendBeforeMs) {
          s.needExtend = true;
          this.kick(s);
        } else if (this.tokens && s.channel?.token !== undefined) {
          this.kick(s); // the loop compares tokens
        }
      }
      this.scheduleMaintenance();
    }, this.maintenanceIntervalMs);
  }

  private updateState(): void {
    if (this.stopped) return;
    const waiting = this.slots.find((s) => s.retryTimer !== undefined || !s.open);
    if (!waiting) this.setState({ state: 'connected' });
  }

  private setState(e: StateEvent): void {
    const key = `${e.state}:${e.attempt ?? ''}`;
    if (key === this.lastState) return;
    this.lastState = key;
    this.emit('state', e);
  }
}
