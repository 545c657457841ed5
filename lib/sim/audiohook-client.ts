/**
 * An AudioHook Monitor client that behaves like Genesys Cloud (reference/audiohook.md): signed
 * upgrade with the Audiohook-* headers, `open` with media offers, 200 ms frames in real time or
 * accelerated, pings (1 s after opened, then every 5 s, pong deadline = next tick), reactions to
 * pause / resume / disconnect, client-side pauses and discards, close. Fault switches make it
 * misbehave on purpose so servers can be tested against every kind of bad client.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { formatDuration, parseDuration } from '../audiohook/duration';
import {
  PROTOCOL_VERSION,
  bytesPerSample,
  sameMedia,
  type ClientMessageType,
  type ClientParameters,
  type CloseReason,
  type DisconnectReason,
  type MediaParameter,
  type Participant,
  type ServerMessage,
} from '../audiohook/messages';
import { validateServerMessage } from '../audiohook/schemas';
import { signRequest } from '../audiohook/signature';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { SynthAudioSource, defaultSpeechPattern, type AudioSource, type SpeechInterval } from './audio-synth';

export const DEFAULT_OFFERS: MediaParameter[] = [
  { type: 'audio', format: 'PCMU', channels: ['external', 'internal'], rate: 8000 },
  { type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 },
  { type: 'audio', format: 'PCMU', channels: ['internal'], rate: 8000 },
];

export interface ClientFaults {
  /** Sign with a different secret. */
  badSignature?: boolean;
  /** Send a different X-API-KEY (and keyid). */
  wrongKey?: boolean;
  /** The n-th JSON message (1 = open) goes out with a wrong seq. */
  wrongSeqAtMessage?: number;
  /** Send a text frame that is not JSON at this stream time (ms). */
  malformedJsonAtMs?: number;
  /** Send a message with an unknown type at this stream time. */
  unknownTypeAtMs?: number;
  /** Send one binary frame of `oversizeBytes` (default 200 000) at this stream time. */
  oversizeFrameAtMs?: number;
  oversizeBytes?: number;
  /** Send an audio frame before open. */
  binaryBeforeOpen?: boolean;
  /** Keep sending audio after answering a server pause. */
  audioWhilePaused?: boolean;
  /** Skip these frame indexes without declaring them (packet loss; positions move on). */
  dropFrames?: number[];
  /** A network stall: from stream time `atMs`, hold everything (frames and messages, in order) for `delayMs` wall ms, then send it in a burst. */
  lateFrames?: { atMs: number; delayMs: number };
  /** Destroy the TCP socket at this stream time (no close). */
  dropAtMs?: number;
  /** Never answer anything after open (no pings, no close): a stalled client. */
  stallAfterOpen?: boolean;
}

export interface AudioHookClientOptions {
  /** ws:// or wss:// URL of the AudioHook endpoint. */
  url: string;
  apiKey: string;
  /** Base64 client secret; when set, the upgrade is signed. */
  clientSecret?: string;
  organizationId?: string;
  sessionId?: string;
  correlationId?: string;
  conversationId?: string;
  participant?: Participant;
  media?: MediaParameter[];
  language?: string;
  customConfig?: Record<string, unknown>;
  /** Stream length in ms of stream time (default 10 000). */
  durationMs?: number;
  frameMs?: number;
  /** 1 = real time; 10 = ten times faster. Timers (pings, deadlines) scale too. */
  speed?: number;
  speech?: SpeechInterval[];
  source?: AudioSource;
  firstPingMs?: number;
  pingIntervalMs?: number;
  openTimeoutMs?: number;
  closeTimeoutMs?: number;
  /** Client-initiated pauses (e.g. hold): `paused`, no audio, then `resumed` with the gap. */
  pauses?: Array<{ atMs: number; durationMs: number }>;
  /** Client-side drops reported with `discarded`. */
  discards?: Array<{ atMs: number; durationMs: number }>;
  /** Send `update {language}` at a stream time. */
  updates?: Array<{ atMs: number; language: string }>;
  faults?: ClientFaults;
  clock?: Clock;
  /** Extra upgrade headers (e.g. X-Forwarded-*). */
  headers?: Record<string, string>;
}

export interface ClientResult {
  sessionId: string;
  /** How it ended: closed after closed, rejected at HTTP, dropped, or failed on our side. */
  outcome: 'closed' | 'rejected' | 'dropped' | 'failed';
  httpStatus?: number;
  selected?: MediaParameter | null;
  disconnect?: { reason: DisconnectReason; info?: string };
  closeReason?: CloseReason;
  framesSent: number;
  bytesSent: number;
  /** Ping-to-pong round trips in ms (wall). */
  rttsMs: number[];
  /** When each answered ping was sent (clock ms), same order as rttsMs. */
  pingSentAt: number[];
  /** Errors this client detected in the server's behaviour (it reported them with `error`). */
  errors: string[];
  serverMessages: ServerMessage[];
  closeCode?: number;
}


type Phase = 'connecting' | 'opening' | 'open' | 'closing' | 'done';

export class AudioHookClient extends EventEmitter<{
  opened: [MediaParameter | null];
  message: [ServerMessage];
  frame: [number];
  done: [ClientResult];
}> {
  readonly sessionId: string;
  private readonly opts: AudioHookClientOptions;
  private readonly clock: Clock;
  private readonly speed: number;
  private readonly frameMs: number;
  private readonly durationMs: number;
  private ws?: WebSocket;
  private phase: Phase = 'connecting';
  private seq = 0;
  private serverSeq = 0;
  private jsonSent = 0;
  private selected: MediaParameter | null = null;
  private frameIndex = 0;
  private t0 = 0;
  private timers = new Set<TimerHandle>();
  private pendingPing?: { seq: number; sentAt: number };
  private lastRtt?: number;
  private serverPaused = false;
  private serverPauseStartMs = 0;
  private clientPause?: { startMs: number; endMs: number };
  private held: Array<Buffer | string> = [];
  private holdUntil = 0;
  private result: ClientResult;
  private finished?: Promise<ClientResult>;
  private actions: Array<{ key: string; atMs: number; run: () => void }> = [];

  constructor(options: AudioHookClientOptions) {
    super();
    this.opts = options;
    this.clock = options.clock ?? systemClock;
    this.speed = options.speed ?? 1;
    this.frameMs = options.frameMs ?? 200;
    this.durationMs = options.durationMs ?? 10_000;
    this.sessionId = options.sessionId ?? randomUUID();
    this.result = { sessionId: this.sessionId, outcome: 'failed', framesSent: 0, bytesSent: 0, rttsMs: [], pingSentAt: [], errors: [], serverMessages: [] };
  }

  /** Connects and runs the session; resolves when the socket is closed, whatever the cause. */
  run(): Promise<ClientResult> {
    if (this.finished) return this.finished;
    this.finished = new Promise((resolve) => {
      this.once('done', resolve);
      this.connect();
    });
    return this.finished;
  }

  /** Ends the stream now with close {reason:"end"}. */
  end(): void {
    if (this.phase === 'open') this.startClose('end');
  }

  /** Stream time in ms (what `position` says). */
  get streamMs(): number {
    return this.frameIndex * this.frameMs;
  }

  private wall(streamMs: number): number {
    return streamMs / this.speed;
  }

  private later(fn: () => void, streamMs: number): void {
    const h = this.clock.setTimeout(() => {
      this.timers.delete(h);
      fn();
    }, this.wall(streamMs));
    this.timers.add(h);
  }

  private connect(): void {
    const url = new URL(this.opts.url);
    const faults = this.opts.faults ?? {};
    const apiKey = faults.wrongKey ? `${this.opts.apiKey}x` : this.opts.apiKey;
    const headers: Record<string, string> = {
      'Audiohook-Organization-Id': this.opts.organizationId ?? '7f7b3fa0-4a1c-4bbd-9c55-2f4ec1b1d0a1',
      'Audiohook-Correlation-Id': this.opts.correlationId ?? randomUUID(),
      'Audiohook-Session-Id': this.sessionId,
      'X-API-KEY': apiKey,
      'User-Agent': 'GenesysCloud-AudioHook-Client',
      ...this.opts.headers,
    };
    if (this.opts.clientSecret) {
      const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      lower.host = url.host;
      const secret = faults.badSignature ? Buffer.from('not-the-configured-secret-x').toString('base64') : this.opts.clientSecret;
      Object.assign(headers, signRequest({ url: url.pathname + url.search, headers: lower }, { apiKey, clientSecret: secret, nowSec: Math.floor(Date.now() / 1000) }));
    }
    const ws = new WebSocket(this.opts.url, { headers, perMessageDeflate: false, handshakeTimeout: 10_000 });
    this.ws = ws;
    ws.on('unexpected-response', (_req, res) => {
      this.result.outcome = 'rejected';
      this.result.httpStatus = res.statusCode;
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      this.phase = 'opening';
      if (faults.binaryBeforeOpen) ws.send(Buffer.alloc(320, 0xff));
      this.sendJson('open', {
        organizationId: headers['Audiohook-Organization-Id'],
        conversationId: this.opts.conversationId ?? randomUUID(),
        participant: this.opts.participant ?? { id: randomUUID(), ani: '+1-555-0100', aniName: 'Test Caller', dnis: '+1-555-0199' },
        media: this.opts.media ?? DEFAULT_OFFERS,
        ...(this.opts.language ? { language: this.opts.language } : {}),
        ...(this.opts.customConfig ? { customConfig: this.opts.customConfig } : {}),
      });
      this.later(() => {
        if (this.phase === 'opening') this.fail(408, 'Open transaction timeout');
      }, (this.opts.openTimeoutMs ?? 5000) * this.speed);
    });
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('error', () => undefined);
    ws.on('close', (code) => this.finish(code));
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.phase === 'done') return;
    if (this.opts.faults?.stallAfterOpen && this.phase === 'open') return;
    if (isBinary) return this.fail(415, 'Binary message from server');
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      return this.fail(400, 'Message not well-formed JSON');
    }
    const v = validateServerMessage(parsed);
    if (!v.ok) return this.fail(v.unknownType ? 500 : 400, `Message not an AudioHook server message: ${v.error}`);
    const msg = v.message;
    this.result.serverMessages.push(msg);
    if (msg.id !== this.sessionId) return this.fail(400, 'Message id does not match the session');
    if (msg.seq !== this.serverSeq + 1) return this.fail(500, `Invalid server seq ${msg.seq}, expected ${this.serverSeq + 1}`);
    this.serverSeq = msg.seq;
    this.emit('message', msg);
    switch (msg.type) {
      case 'opened':
        return this.onOpened(msg.parameters.media);
      case 'pong': {
        const ping = this.pendingPing;
        if (!ping) return this.fail(409, 'pong without ping');
        if (msg.clientseq !== ping.seq) return this.fail(400, `pong clientseq ${msg.clientseq} does not match ping seq ${ping.seq}`);
        this.pendingPing = undefined;
        this.lastRtt = this.clock.now() - ping.sentAt;
        this.result.rttsMs.push(this.lastRtt);
        this.result.pingSentAt.push(ping.sentAt);
        return;
      }
      case 'closed':
        if (this.phase !== 'closing') return this.fail(409, 'closed without close');
        this.phase = 'done';
        this.result.outcome = 'closed';
        this.clearTimers();
        this.ws?.close(1000);
        return;
      case 'disconnect':
        this.result.disconnect = { reason: msg.parameters.reason, info: msg.parameters.info };
        if (this.phase === 'open' || this.phase === 'opening') this.startClose('disconnect');
        return;
      case 'pause':
        if (this.phase !== 'open') return;
        if (!this.serverPaused) {
          this.serverPaused = true;
          this.serverPauseStartMs = this.streamMs;
        }
        this.sendJson('paused', {});
        return;
      case 'resume':
        if (this.phase !== 'open') return;
        if (this.clientPause) return this.sendJson('paused', {});
        if (this.serverPaused) {
          this.serverPaused = false;
          const start = this.serverPauseStartMs;
          this.sendJson('resumed', { start: formatDuration(start / 1000), discarded: formatDuration((this.streamMs - start) / 1000) });
        }
        return;
      default:
        return; // updated, event, reconnect: nothing to do for a monitor client
    }
  }

  private onOpened(media: MediaParameter[]): void {
    if (this.phase !== 'opening') return this.fail(409, 'Unexpected opened');
    if (media.length > 1) return this.fail(400, 'More than one media selected');
    const offers = this.opts.media ?? DEFAULT_OFFERS;
    if (media.length === 1 && !offers.some((o) => sameMedia(o, media[0]))) return this.fail(400, 'Selected media not one of the offered');
    this.selected = media[0] ?? null;
    this.result.selected = this.selected;
    this.phase = 'open';
    this.emit('opened', this.selected);
    if (this.opts.faults?.stallAfterOpen) return;
    this.t0 = this.clock.now();
    this.schedulePing(this.opts.firstPingMs ?? 1000);
    this.actions = this.streamActions();
    if (this.selected) this.tick();
    else this.later(() => this.startClose('end'), this.durationMs);
  }

  private schedulePing(inMs: number): void {
    this.later(() => {
      if (this.phase !== 'open') return;
      if (this.pendingPing) return this.fail(408, 'Timeout waiting for pong');
      const params = this.lastRtt !== undefined ? { rtt: formatDuration(this.lastRtt / 1000) } : {};
      this.pendingPing = { seq: this.seq + 1, sentAt: this.clock.now() };
      this.sendJson('ping', params);
      this.schedulePing(this.opts.pingIntervalMs ?? 5000);
    }, inMs);
  }

  /** One-shot client actions keyed by stream time; run from the frame loop so they never get skipped. */
  private streamActions(): Array<{ key: string; atMs: number; run: () => void }> {
    const f = this.opts.faults ?? {};
    const out: Array<{ key: string; atMs: number | undefined; run: () => void }> = [
      { key: 'malformed', atMs: f.malformedJsonAtMs, run: () => this.ws?.send('{"version":"2","type":"ping", this is not json') },
      { key: 'unknown', atMs: f.unknownTypeAtMs, run: () => this.sendJson('bogus' as ClientMessageType, {} as never) },
      { key: 'oversize', atMs: f.oversizeFrameAtMs, run: () => this.ws?.send(Buffer.alloc(f.oversizeBytes ?? 200_000, 0xff)) },
      {
        key: 'drop',
        atMs: f.dropAtMs,
        run: () => {
          this.phase = 'done';
          this.result.outcome = 'dropped';
          this.ws?.terminate();
        },
      },
      ...(this.opts.updates ?? []).map((u, i) => ({ key: `update${i}`, atMs: u.atMs, run: () => this.sendJson('update', { language: u.language }) })),
    ];
    return out.filter((a): a is { key: string; atMs: number; run: () => void } => a.atMs !== undefined);
  }

  /** Sends every frame that is due; paces itself against the wall clock (no drift). */
  private tick(): void {
    if (this.phase !== 'open' || !this.selected) return;
    const media = this.selected;
    const samples = (media.rate * this.frameMs) / 1000;
    const due = (this.clock.now() - this.t0) * this.speed;
    const f = this.opts.faults ?? {};
    while (this.phase === 'open' && this.streamMs <= due && this.streamMs < this.durationMs) {
      const ms = this.streamMs;
      this.clientEventsAt(ms);
      if (this.phase !== 'open') return;
      const paused = (this.serverPaused && !f.audioWhilePaused) || this.clientPause !== undefined;
      const discarding = (this.opts.discards ?? []).some((d) => ms >= d.atMs && ms < d.atMs + d.durationMs);
      const dropped = f.dropFrames?.includes(this.frameIndex) ?? false;
      if (!paused && !discarding && !dropped) {
        const frame = (this.opts.source ?? this.defaultSource()).frame(this.frameIndex, samples, media.channels, media.format);
        if (f.lateFrames && ms >= f.lateFrames.atMs && this.holdUntil === 0) this.startHold(f.lateFrames.delayMs);
        this.sendFrame(frame);
      }
      this.frameIndex++;
      this.emit('frame', this.frameIndex);
    }
    if (this.phase !== 'open') return;
    if (this.streamMs >= this.durationMs) {
      this.closeClientPause();
      return this.startClose('end');
    }
    const next = this.t0 + this.wall(this.streamMs) - this.clock.now();
    const h = this.clock.setTimeout(() => {
      this.timers.delete(h);
      this.tick();
    }, Math.max(0, next));
    this.timers.add(h);
  }

  private sourceCache?: AudioSource;
  private defaultSource(): AudioSource {
    return (this.sourceCache ??= new SynthAudioSource({ speech: this.opts.speech ?? defaultSpeechPattern(this.durationMs), rate: this.selected?.rate ?? 8000 }, false));
  }

  /** Client-side pause and discard boundaries at stream time ms. */
  private clientEventsAt(ms: number): void {
    for (const a of this.actions.filter((x) => ms >= x.atMs)) {
      this.actions.splice(this.actions.indexOf(a), 1);
      a.run();
      if (this.phase !== 'open') return;
    }
    for (const p of this.opts.pauses ?? []) {
      if (ms === p.atMs && !this.clientPause) {
        this.clientPause = { startMs: ms, endMs: ms + p.durationMs };
        this.sendJson('paused', {});
      }
    }
    if (this.clientPause && ms >= this.clientPause.endMs) this.closeClientPause();
    for (const d of this.opts.discards ?? []) {
      if (ms === d.atMs + d.durationMs) {
        this.sendJson('discarded', { start: formatDuration(d.atMs / 1000), discarded: formatDuration(d.durationMs / 1000) });
      }
    }
  }

  private closeClientPause(): void {
    const p = this.clientPause;
    if (!p) return;
    this.clientPause = undefined;
    if (this.serverPaused) return; // still paused by the server
    this.sendJson('resumed', { start: formatDuration(p.startMs / 1000), discarded: formatDuration((this.streamMs - p.startMs) / 1000) });
  }

  private startHold(delayMs: number): void {
    this.holdUntil = this.clock.now() + delayMs;
    const h = this.clock.setTimeout(() => {
      this.timers.delete(h);
      this.flushHeld();
    }, delayMs);
    this.timers.add(h);
  }

  private flushHeld(): void {
    this.holdUntil = -1; // a stall happens once
    for (const data of this.held.splice(0)) this.sendRaw(data);
  }

  /** Every outgoing byte goes through here, so a simulated stall delays frames and messages alike. */
  private sendRaw(data: Buffer | string): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.holdUntil > 0 && this.clock.now() < this.holdUntil) {
      this.held.push(data);
      return;
    }
    if (this.held.length) this.flushHeld();
    this.ws.send(data);
    if (typeof data !== 'string') {
      this.result.framesSent++;
      this.result.bytesSent += data.length;
    }
  }

  private sendFrame(frame: Buffer): void {
    this.sendRaw(frame);
  }

  private sendJson<T extends ClientMessageType>(type: T, parameters: ClientParameters[T]): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    this.jsonSent++;
    let seq = ++this.seq;
    if (this.opts.faults?.wrongSeqAtMessage === this.jsonSent) seq += 5;
    const msg = {
      version: PROTOCOL_VERSION,
      id: this.sessionId,
      type,
      seq,
      serverseq: this.serverSeq,
      position: formatDuration(this.streamMs / 1000),
      parameters,
    };
    this.sendRaw(JSON.stringify(msg));
  }

  private startClose(reason: CloseReason): void {
    if (this.phase === 'closing' || this.phase === 'done') return;
    if (this.held.length) {
      // Still stalled: the close goes out behind the held bytes, when the stall ends.
      const wait = Math.max(0, this.holdUntil - this.clock.now());
      this.clock.setTimeout(() => this.startClose(reason), wait);
      return;
    }
    this.phase = 'closing';
    this.result.closeReason = reason;
    this.clearTimers();
    this.sendJson('close', { reason });
    this.later(() => {
      if (this.phase !== 'closing') return;
      this.result.errors.push('Close transaction timeout');
      this.phase = 'done';
      this.ws?.terminate();
    }, (this.opts.closeTimeoutMs ?? 10_000) * this.speed);
  }

  /** A server fault we detected: report it with error, then close with reason error. */
  private fail(code: number, message: string): void {
    this.result.errors.push(`${code} ${message}`);
    if (this.phase === 'open' || this.phase === 'opening') {
      this.sendJson('error', { code, message });
      this.startClose('error');
    } else if (this.phase === 'closing') {
      this.phase = 'done';
      this.ws?.terminate();
    }
  }

  private clearTimers(): void {
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
  }

  private finish(code: number): void {
    this.clearTimers();
    if (this.result.outcome === 'failed' && this.phase !== 'done') this.result.outcome = 'dropped';
    this.phase = 'done';
    this.result.closeCode = code;
    this.emit('done', this.result);
  }
}

/** Bytes of one frame for a media at a frame length. */
export function frameBytes(media: MediaParameter, frameMs = 200): number {
  return (media.rate * frameMs) / 1000 * bytesPerSample(media.format) * media.channels.length;
}

/** Parses a PT…S string in ms (for callers that read server messages). */
export function durationMs(text: string): number {
  return parseDuration(text) * 1000;
}
