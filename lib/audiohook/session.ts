/**
 * Server side of one AudioHook session, independent of the socket (a SessionTransport sends
 * text and closes). States: preparing → opening → active ⇄ paused → closing → closed, plus
 * error (we sent disconnect error) and unauthorized (we sent or will send disconnect
 * unauthorized). Every client byte goes through here: anything off-protocol ends the session
 * with `disconnect {reason:"error"}`, never with an exception (reference/audiohook.md §2, §5).
 */
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../util/clock';
import { errorMessage } from '../util/errors';
import { formatDuration, parseDuration } from './duration';
import { channelRms, samplesInFrame } from './media';
import {
  NULL_UUID,
  PROTOCOL_VERSION,
  copyMedia,
  type ClientMessage,
  type CloseReason,
  type DisconnectReason,
  type MediaFormat,
  type MediaParameter,
  type OpenParameters,
  type Participant,
  type ServerMessageType,
  type ServerParameters,
} from './messages';
import { SessionMetrics, type MetricsSummary, type QualityAlert, type QualityThresholds, DEFAULT_THRESHOLDS } from './metrics';
import { validateClientMessage } from './schemas';
import type { VerifyResult } from './signature';

export type SessionState = 'preparing' | 'opening' | 'active' | 'paused' | 'closing' | 'closed' | 'error' | 'unauthorized';

export interface SessionTransport {
  send(text: string): void;
  /** Graceful WebSocket close. */
  close(code: number, reason: string): void;
  /** Drop the TCP connection now. */
  terminate(): void;
}

export interface SessionHeaders {
  sessionId: string;
  organizationId?: string;
  correlationId?: string;
}

export interface SessionOptions {
  clock: Clock;
  headers: SessionHeaders;
  /** Result of the upgrade authentication; a failure is reported in-session as unauthorized. */
  auth: VerifyResult;
  /** Formats we accept, in no particular order; the first offered entry that matches wins. */
  acceptedFormats?: MediaFormat[];
  /** Prefer a stereo offer over an earlier mono one. Default true. */
  preferStereo?: boolean;
  thresholds?: Partial<QualityThresholds>;
  /** Minimum delay before an unauthorized disconnect (reference: 500 ms, uniform timing). */
  unauthorizedDelayMs?: number;
  /** No `open` within this time after connect: drop the socket. Default 10 s. */
  openTimeoutMs?: number;
  /** Nothing received for this long: disconnect error. Default 30 s (clients ping every 5 s). */
  idleTimeoutMs?: number;
  /** After our disconnect, wait this long for the client's close before dropping. Default 10 s. */
  closeTimeoutMs?: number;
  /** After `closed`, wait this long for the client to close the socket. Default 5 s. */
  lingerMs?: number;
  /** Text messages longer than this (chars) are protocol errors. Default 65535. */
  maxTextChars?: number;
  /** Binary frames larger than this (bytes) are protocol errors. Default 65536. */
  maxFrameBytes?: number;
}

export interface SessionInfo {
  sessionId: string;
  organizationId?: string;
  correlationId?: string;
  conversationId?: string;
  participant?: Participant;
  media: MediaParameter | null;
  offered?: MediaParameter[];
  position: string;
  language?: string;
  customConfig?: Record<string, unknown>;
  probe: boolean;
  state: SessionState;
}

export type SessionEventName = 'opened' | 'updated' | 'paused' | 'resumed' | 'discarded' | 'closed' | 'error';

export interface SessionEvent {
  event: SessionEventName;
  info: SessionInfo;
  /** Event details: error code and message, discarded span, close reason, … */
  details: Record<string, unknown>;
}

export interface AudioFrame {
  data: Buffer;
  media: MediaParameter;
  /** Timeline position (s) of the first sample. */
  positionSec: number;
  samples: number;
}

export interface SessionEnd {
  info: SessionInfo;
  summary: MetricsSummary;
  /** How the session ended: the client close reason, or why it was cut. */
  closeReason: CloseReason | 'dropped' | 'timeout';
  /** Disconnect we sent, if any. */
  disconnect?: { reason: DisconnectReason; info?: string };
  clean: boolean;
}


const SEND_ALLOWED: Record<SessionState, boolean> = {
  preparing: true, opening: true, active: true, paused: true, closing: true, closed: false, error: false, unauthorized: false,
};

export class ServerSession extends EventEmitter<{
  event: [SessionEvent];
  audio: [AudioFrame];
  alert: [QualityAlert, SessionInfo];
  state: [SessionState];
  end: [SessionEnd];
}> {
  state: SessionState = 'preparing';
  readonly startedAt: number;
  private serverSeq = 0;
  private clientSeq = 0;
  private open?: OpenParameters;
  private media: MediaParameter | null = null;
  private pausePending = false;
  private closeReason: SessionEnd['closeReason'] | undefined;
  private sentDisconnect?: { reason: DisconnectReason; info?: string };
  private ended = false;
  private openTimer?: TimerHandle;
  private idleTimer?: TimerHandle;
  private closeTimer?: TimerHandle;
  private unauthorizedTimer?: TimerHandle;
  private language?: string;
  private lastActivity = 0;
  readonly metrics: SessionMetrics;
  private readonly opts: Required<Omit<SessionOptions, 'thresholds' | 'headers' | 'auth' | 'clock'>>;

  constructor(
    private readonly transport: SessionTransport,
    private readonly options: SessionOptions,
  ) {
    super();
    this.opts = {
      acceptedFormats: options.acceptedFormats ?? ['PCMU', 'L16'],
      preferStereo: options.preferStereo ?? true,
      unauthorizedDelayMs: options.unauthorizedDelayMs ?? 500,
      openTimeoutMs: options.openTimeoutMs ?? 10_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
      closeTimeoutMs: options.closeTimeoutMs ?? 10_000,
      lingerMs: options.lingerMs ?? 5_000,
      maxTextChars: options.maxTextChars ?? 65_535,
      maxFrameBytes: options.maxFrameBytes ?? 65_536,
    };
    this.startedAt = options.clock.now();
    this.metrics = new SessionMetrics(null, { ...DEFAULT_THRESHOLDS, ...options.thresholds }, (a) => this.emit('alert', a, this.info()));
    this.openTimer = options.clock.setTimeout(() => this.dropSocket('timeout'), this.opts.openTimeoutMs);
    this.touch();
  }

  get sessionId(): string {
    return this.options.headers.sessionId;
  }

  get conversationId(): string | undefined {
    return this.open?.conversationId;
  }

  info(): SessionInfo {
    return {
      sessionId: this.sessionId,
      organizationId: this.options.headers.organizationId,
      correlationId: this.options.headers.correlationId,
      conversationId: this.open?.conversationId,
      participant: this.open?.participant,
      media: this.media,
      offered: this.open?.media,
      position: formatDuration(this.metrics.timelineSeconds),
      language: this.language,
      customConfig: this.open?.customConfig,
      probe: this.open?.conversationId === NULL_UUID,
      state: this.state,
    };
  }

  // ---------------------------------------------------------------- inbound

  /** A text frame from the client. */
  handleText(text: string): void {
    if (this.ended) return;
    this.touch();
    if (text.length > this.opts.maxTextChars) return this.protocolError(`Message too large (${text.length} characters)`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.protocolError('Message not well-formed JSON');
    }
    const v = validateClientMessage(parsed);
    if (!v.ok) return this.protocolError(v.unknownType ? `Unknown message type: ${v.error}` : `Invalid message: ${v.error}`);
    const msg = v.message;
    if (msg.id !== this.sessionId) return this.protocolError('Message id does not match the session id');
    const expectedSeq = this.clientSeq + 1;
    this.clientSeq = msg.seq;
    if (this.state === 'error' || this.state === 'unauthorized' || this.state === 'closed') {
      // Only the client's close matters now; anything else after our disconnect is ignored.
      if (msg.type === 'close') this.onClose(msg);
      return;
    }
    if (msg.seq !== expectedSeq) return this.protocolError(`Invalid seq value ${msg.seq}, expected ${expectedSeq}`);
    if (msg.serverseq > this.serverSeq) return this.protocolError(`Invalid serverseq value ${msg.serverseq}`);
    try {
      this.dispatch(msg);
    } catch (err) {
      this.protocolError(errorMessage(err));
    }
  }

  /** A binary frame from the client. */
  handleBinary(data: Buffer): void {
    if (this.ended) return;
    this.touch();
    if (this.state === 'closing' || this.state === 'error' || this.state === 'unauthorized' || this.state === 'closed') return;
    if (this.state === 'paused') return this.protocolError('Audio received while paused');
    if (this.state !== 'active') return this.protocolError('Audio received before the session was opened');
    if (!this.media) return this.protocolError('Audio received but no media was selected');
    if (data.length > this.opts.maxFrameBytes) return this.protocolError(`Audio frame too large (${data.length} bytes)`);
    let samples: number;
    let rms: number[];
    try {
      samples = samplesInFrame(data, this.media);
      rms = channelRms(data, this.media);
    } catch (err) {
      return this.protocolError(errorMessage(err));
    }
    const positionSec = this.metrics.timelineSeconds;
    this.metrics.frame(data.length, samples, rms, this.options.clock.now());
    if (this.listenerCount('audio') > 0) this.emit('audio', { data, media: this.media, positionSec, samples });
  }

  /** The WebSocket is gone (any cause). Ends the session exactly once. */
  socketClosed(): void {
    if (this.ended) return;
    this.ended = true;
    this.clearTimers();
    const clean = this.state === 'closed';
    if (!this.closeReason) this.closeReason = 'dropped';
    if (this.state !== 'closed') this.setState('closed');
    const info = this.info();
    const summary = this.metrics.summary();
    this.emit('event', { event: 'closed', info, details: { reason: this.closeReason, clean, disconnect: this.sentDisconnect, summary } });
    this.emit('end', { info, summary, closeReason: this.closeReason, disconnect: this.sentDisconnect, clean });
    this.removeAllListeners();
  }

  // ---------------------------------------------------------------- server-initiated

  /** Ask the client to pause (idempotent; legal while active or paused). */
  pause(): boolean {
    if (this.state !== 'active' && this.state !== 'paused') return false;
    this.pausePending = true;
    this.send('pause', {});
    return true;
  }

  /** Ask the client to resume (idempotent). */
  resume(): boolean {
    if (this.state !== 'active' && this.state !== 'paused') return false;
    this.pausePending = false;
    this.send('resume', {});
    return true;
  }

  /** Ask the client to end the session; it answers with close, we with closed. */
  disconnect(reason: DisconnectReason, info?: string): boolean {
    if (this.ended || !SEND_ALLOWED[this.state] || this.state === 'closing') return false;
    if (this.state === 'preparing') {
      // No open yet: there is no session to close on the protocol level.
      this.dropSocket('timeout');
      return true;
    }
    this.sendDisconnect(reason, info);
    this.setState(reason === 'unauthorized' ? 'unauthorized' : reason === 'error' ? 'error' : 'closing');
    return true;
  }

  // ---------------------------------------------------------------- internals

  private dispatch(msg: ClientMessage): void {
    const state = this.state;
    if (state === 'preparing') {
      if (msg.type !== 'open') return this.protocolError(`Unexpected ${msg.type} before open`);
      return this.onOpen(msg as ClientMessage<'open'>);
    }
    switch (msg.type) {
      case 'open':
        return this.protocolError('Unexpected open: the session is already open');
      case 'ping': {
        this.send('pong', {});
        const rtt = msg.parameters.rtt;
        if (rtt !== undefined) this.metrics.rtt(parseDuration(rtt) * 1000);
        return this.checkPosition(msg.position);
      }
      case 'close':
        return this.onClose(msg);
      case 'paused':
        if (state === 'closing') return;
        this.checkPosition(msg.position);
        this.pausePending = false;
        this.metrics.resetArrivalAnchor();
        if (state !== 'paused') this.setState('paused');
        return this.emitEvent('paused', {});
      case 'resumed': {
        if (state === 'closing') return;
        const start = parseDuration(msg.parameters.start);
        const discarded = parseDuration(msg.parameters.discarded);
        this.checkPosition(msg.parameters.start);
        this.metrics.discarded(discarded);
        this.metrics.resetArrivalAnchor();
        this.checkPosition(msg.position);
        if (state !== 'active') this.setState('active');
        return this.emitEvent('resumed', { start, discarded });
      }
      case 'discarded': {
        const start = parseDuration(msg.parameters.start);
        const discarded = parseDuration(msg.parameters.discarded);
        this.checkPosition(msg.parameters.start);
        this.metrics.discarded(discarded);
        this.checkPosition(msg.position);
        return this.emitEvent('discarded', { start, discarded });
      }
      case 'update':
        this.language = msg.parameters.language;
        this.send('updated', {});
        return this.emitEvent('updated', { language: msg.parameters.language });
      case 'error':
        // The client usually follows with close {reason:"error"}; we report and wait for it.
        return this.emitEvent('error', {
          source: 'client',
          code: msg.parameters.code,
          message: msg.parameters.message,
          retryAfter: msg.parameters.retryAfter,
        });
    }
  }

  private onOpen(msg: ClientMessage<'open'>): void {
    this.options.clock.clearTimeout(this.openTimer);
    this.openTimer = undefined;
    this.setState('opening');
    const p = msg.parameters;
    this.open = p;
    this.language = p.language;
    const headerOrg = this.options.headers.organizationId;
    let auth = this.options.auth;
    if (auth.ok && headerOrg !== undefined && headerOrg !== p.organizationId) auth = { ok: false, reason: 'Organization id does not match the header' };
    if (!auth.ok) return this.unauthorized(auth.reason);
    this.media = this.selectMedia(p.media);
    this.metrics.setMedia(this.media);
    // Reply first, slow work afterwards: the client gives us 5 s.
    this.send('opened', { media: this.media ? [copyMedia(this.media)] : [] });
    this.setState('active');
    this.emitEvent('opened', {});
  }

  private selectMedia(offered: MediaParameter[]): MediaParameter | null {
    const ok = offered.filter((m) => m.type === 'audio' && this.opts.acceptedFormats.includes(m.format));
    const pick = (this.opts.preferStereo ? ok.find((m) => m.channels.length === 2) : undefined) ?? ok[0];
    return pick ? copyMedia(pick) : null;
  }

  private onClose(msg: ClientMessage): void {
    this.closeReason = (msg as ClientMessage<'close'>).parameters.reason;
    this.checkPositionQuietly(msg.position);
    this.send('closed', {}, true);
    this.setState('closed');
    this.options.clock.clearTimeout(this.closeTimer);
    this.options.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    // The client closes the socket after closed; drop it ourselves only if it does not.
    this.closeTimer = this.options.clock.setTimeout(() => this.dropSocket('timeout'), this.opts.lingerMs);
  }

  private unauthorized(reason: string): void {
    this.setState('unauthorized');
    const elapsed = this.options.clock.now() - this.startedAt;
    const wait = Math.max(0, this.opts.unauthorizedDelayMs - elapsed);
    // A fixed minimum delay keeps failure timing uniform (reference server: 500 ms).
    this.unauthorizedTimer = this.options.clock.setTimeout(() => {
      this.unauthorizedTimer = undefined;
      if (this.ended) return;
      this.sendDisconnect('unauthorized', `FAILED: ${reason}`);
    }, wait);
    this.emitEvent('error', { source: 'auth', code: 401, message: reason });
  }

  /** Client broke the protocol: disconnect with reason error and wait for its close. */
  private protocolError(message: string): void {
    if (this.ended || this.state === 'error' || this.state === 'closed' || this.state === 'unauthorized') return;
    const info = `Client Error: ${message}`;
    this.sendDisconnect('error', info);
    this.setState('error');
    this.emitEvent('error', { source: 'protocol', message });
  }

  private sendDisconnect(reason: DisconnectReason, info?: string): void {
    this.sentDisconnect = { reason, info };
    this.send('disconnect', info === undefined ? { reason } : { reason, info }, true);
    this.options.clock.clearTimeout(this.closeTimer);
    this.closeTimer = this.options.clock.setTimeout(() => this.dropSocket('timeout'), this.opts.closeTimeoutMs);
  }

  private checkPosition(position: string): void {
    if (!this.media) return;
    const ahead = parseDuration(position) - this.metrics.timelineSeconds;
    // Half a millisecond of tolerance for decimal rounding of positions.
    if (ahead > 0.0005) this.metrics.gap(ahead);
  }

  private checkPositionQuietly(position: string): void {
    try {
      this.checkPosition(position);
    } catch {
      /* a close with a bad position still gets closed */
    }
  }

  private send<T extends ServerMessageType>(type: T, parameters: ServerParameters[T], force = false): void {
    if (this.ended || (!force && !SEND_ALLOWED[this.state])) return;
    const msg = { version: PROTOCOL_VERSION, id: this.sessionId, type, seq: ++this.serverSeq, clientseq: this.clientSeq, parameters };
    try {
      this.transport.send(JSON.stringify(msg));
    } catch {
      this.dropSocket('dropped');
    }
  }

  private emitEvent(event: SessionEventName, details: Record<string, unknown>): void {
    this.emit('event', { event, info: this.info(), details });
  }

  private setState(s: SessionState): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }

  /** Notes activity; the idle timer re-arms itself from the last activity (no timer churn per frame). */
  private touch(): void {
    this.lastActivity = this.options.clock.now();
    if (this.idleTimer === undefined && this.state !== 'closed') this.armIdle(this.opts.idleTimeoutMs);
  }

  private armIdle(ms: number): void {
    this.idleTimer = this.options.clock.setTimeout(() => {
      this.idleTimer = undefined;
      if (this.ended || this.state === 'closed') return;
      const idle = this.options.clock.now() - this.lastActivity;
      if (idle < this.opts.idleTimeoutMs) return this.armIdle(this.opts.idleTimeoutMs - idle);
      if (this.state === 'preparing') return this.dropSocket('timeout');
      if (this.state === 'error' || this.state === 'unauthorized' || this.state === 'closing') return;
      this.protocolError(`No message for ${this.opts.idleTimeoutMs} ms`);
    }, ms);
  }

  private dropSocket(reason: SessionEnd['closeReason']): void {
    if (this.ended) return;
    if (!this.closeReason) this.closeReason = reason;
    this.clearTimers();
    try {
      this.transport.terminate();
    } finally {
      this.socketClosed();
    }
  }

  private clearTimers(): void {
    const c = this.options.clock;
    c.clearTimeout(this.openTimer);
    c.clearTimeout(this.idleTimer);
    c.clearTimeout(this.closeTimer);
    c.clearTimeout(this.unauthorizedTimer);
    this.openTimer = this.idleTimer = this.closeTimer = this.unauthorizedTimer = undefined;
  }

  /** Pause requested by us and not yet acknowledged by the client. */
  get pauseRequested(): boolean {
    return this.pausePending;
  }
}
