/**
 * The Genesys Cloud simulator: one loopback HTTP server that behaves like the platform for
 * OAuth client credentials, /api/v2/tokens/me, the notification channel API and the channel
 * WebSocket (reference/genesys-api.md §1, §2, §8). Where the reference is UNCONFIRMED, the
 * simulator picks one assumption: bad clients get 400 invalid_client (option: 401); the 401 body
 * is {code:"bad.credentials"}; the topic limit error is 400 "notification.topic.limit.exceeded";
 * queue/user conversation topics need conversation:communication:view, summaries
 * conversation:summary:view, suggestions conversation:suggestion:view (topic-permissions.ts);
 * a combined topic `prefix?a&b` counts as one topic; tokens expiring naturally keep their channels,
 * revoked tokens lose them; an expired channel's socket is closed with 1000 "channel expired";
 * socket_closing is followed by a 1001 close after socketClosingGraceMs.
 *
 * Start: `const sim = await SimServer.start({ port: 0, clients: [...] })`; stop: `await sim.close()`.
 * Bases: `sim.apiBase` / `sim.loginBase` (custom URLs of a genesys-auth node), `sim.baseUrl`.
 *
 * ## Extension API (for the player, faults and AudioHook parts of lib/sim)
 * Publishing:
 * - `publish(topicName, eventBody, opts?)` wraps the body in the platform envelope
 *   `{topicName, version, eventBody, metadata:{CorrelationId}}` and delivers it to every channel
 *   subscribed to the topic (combined `prefix?a&b` subscriptions included) that has a socket.
 *   Returns the number of sockets it was handed to. Events for channels without a socket are lost,
 *   as on the platform (no replay).
 * - `sendRaw(data, channelId?)` sends any text (or binary) frame to one channel or to all.
 * - `setDeliveryInterceptor(fn)`: every outbound frame (events, heartbeats, pongs, system
 *   messages, raw) goes through `fn(frame, deliver)`; call `deliver()` (or `deliver(otherText)`)
 *   now, later, twice or never to delay, reorder, duplicate, corrupt or drop. `undefined` restores
 *   direct delivery.
 * Learning what clients subscribed:
 * - `subscribedTopics(filter?)` (union over live channels), `channelsFor(topic)`, `channels()`,
 *   events `'subscriptions'` ({channelId, clientId, topics, added, removed}), `'channelCreated'`,
 *   `'channelRemoved'`, `'socketOpened'`, `'socketClosed'`, `'tokenIssued'` ({clientId}),
 *   `'request'` ({method, path, status}) after every HTTP answer.
 * Faults (also under POST /sim/faults/...):
 * - `dropSockets(channelId?)` destroys sockets without a close frame.
 * - `socketClosing(channelId?, closeAfterMs?)` sends v2.system.socket_closing, closes later; the
 *   channel stays, so reconnecting to the same connectUri works.
 * - `expireChannel(id)` / `deleteChannel(id)` close the socket and remove the channel (HEAD -> 404).
 * - `revokeTokens(clientId?)` makes tokens invalid (API 401) and removes the channels they created.
 * - `failNextTokenRequests(n, {status, retryAfterSec})`, `failNextSubscriptionCalls(n, retryAfterSec)`
 *   (429 with Retry-After by default).
 * - `setHeartbeatInterval(ms)`, `setTokenTtl(sec)`.
 * Routes:
 * - `addAdminRoute(method, '/sim/...', handler)`: unauthenticated admin HTTP (JSON body parsed,
 *   malformed JSON answered 400 first). Returns a remove function.
 * - `addApiRoute(method, '/api/v2/...', handler)`: a platform route that requires a valid bearer
 *   token (`req.auth` holds the client) and answers with ININ-Correlation-ID.
 *   Handlers return `{status?, body?, headers?}` or throw `SimHttpError(status, message, code)`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { type Clock, type TimerHandle, systemClock } from '../util/clock';
import {
  type HttpMethod,
  SimHttpError,
  type SimRequest,
  type SimResponse,
  SimRouter,
  type SimRouteHandler,
  errorBody,
  parseBasicAuth,
  parseBearer,
  parseJsonBody,
  readBody,
  sendJson,
} from './http';
import { expandTopic, missingPermissions, topicSyntaxError } from './topic-permissions';

export { SimHttpError, type SimRequest, type SimResponse, type SimRouteHandler, type HttpMethod } from './http';

export interface SimClient {
  id: string;
  secret: string;
  /** Permissions of the client's role; omitted = every permission. `*` parts are wildcards. */
  permissions?: string[];
  /** OAuth client name shown by /api/v2/tokens/me. */
  name?: string;
}

export interface SimServerOptions {
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
  /** 0 (default) = any free port. */
  port?: number;
  /** OAuth clients; default one client "sim-client" / "sim-secret-not-real" with every permission. */
  clients?: SimClient[];
  /** expires_in of issued tokens in seconds. Default 86 400 (the platform default). */
  tokenTtlSec?: number;
  /** Interval of channel.metadata heartbeats. Default 30 000 ms (observed on the platform); 0 = none. */
  heartbeatIntervalMs?: number;
  /** Channel lifetime, extended by every subscription call. Default 24 h. */
  channelTtlMs?: number;
  /** Default 1 000 topics per channel. */
  maxTopicsPerChannel?: number;
  /** Default 20 channels per client; the 21st evicts the oldest-used (unconnected first). */
  maxChannelsPerClient?: number;
  /** Delay between v2.system.socket_closing and the close. Default 60 000 ms. */
  socketClosingGraceMs?: number;
  /** HTTP status for bad client credentials at /oauth/token (UNCONFIRMED: 400 or 401). Default 400. */
  badClientStatus?: 400 | 401;
  organization?: { id: string; name: string };
  clock?: Clock;
}

export type FrameKind = 'event' | 'heartbeat' | 'pong' | 'system' | 'raw';

export interface OutboundFrame {
  channelId: string;
  kind: FrameKind;
  topicName?: string;
  data: string | Buffer;
}

/** deliver() sends the frame (or replacement data) to the channel's current socket; false if none. */
export type DeliveryInterceptor = (frame: OutboundFrame, deliver: (data?: string | Buffer) => boolean) => void;

export interface SimChannelInfo {
  id: string;
  clientId: string;
  connectUri: string;
  expires: string;
  topics: string[];
  connected: boolean;
}

export interface SubscriptionChange {
  channelId: string;
  clientId: string;
  topics: string[];
  added: string[];
  removed: string[];
}

export interface SimServerEvents {
  subscriptions: [SubscriptionChange];
  channelCreated: [SimChannelInfo];
  channelRemoved: [{ channelId: string; reason: string }];
  socketOpened: [{ channelId: string }];
  socketClosed: [{ channelId: string; code: number }];
  tokenIssued: [{ clientId: string }];
  request: [{ method: string; path: string; status: number }];
}

interface TokenRecord {
  clientId: string;
  expiresAt: number;
  revoked: boolean;
}

interface Channel {
  id: string;
  clientId: string;
  token: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  topics: Set<string>;
  /** Individual topics after expanding combined subscriptions, for matching publishes. */
  matchTopics: Set<string>;
  socket?: WebSocket;
  heartbeatTimer?: TimerHandle;
  expiryTimer?: TimerHandle;
}

interface InjectedFailure {
  status: number;
  retryAfterSec?: number;
}

const DEFAULT_CLIENT: SimClient = { id: 'sim-client', secret: 'sim-secret-not-real', name: 'Simulator client' };
const API_BODY_LIMIT = 512_000; // request.bytes.max (reference §8)
const ADMIN_BODY_LIMIT = 5_000_000;

export class SimServer extends EventEmitter<SimServerEvents> {
  readonly host: string;
  private readonly clock: Clock;
  private readonly clients = new Map<string, SimClient>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly channelMap = new Map<string, Channel>();
  private readonly router = new SimRouter();
  private readonly httpServer: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<Socket>();
  private readonly closingTimers = new Set<TimerHandle>();
  private tokenFailures: InjectedFailure[] = [];
  private subscriptionFailures: InjectedFailure[] = [];
  private interceptor: DeliveryInterceptor | undefined;
  private tokenTtlSec: number;
  private heartbeatIntervalMs: number;
  private readonly channelTtlMs: number;
  private readonly maxTopics: number;
  private readonly maxChannels: number;
  private readonly socketClosingGraceMs: number;
  private readonly badClientStatus: 400 | 401;
  private readonly organization: { id: string; name: string };
  private listeningPort = 0;
  private closed = false;
  /** Counters for tests and the /sim/state route. */
  readonly stats = { tokenRequests: 0, tokensIssued: 0, apiRequests: 0, channelsCreated: 0, framesSent: 0 };

  constructor(opts: SimServerOptions = {}) {
    super();
    this.host = opts.host ?? '127.0.0.1';
    if (!['127.0.0.1', '::1', 'localhost'].includes(this.host)) {
      throw new Error(`The simulator listens on loopback only (127.0.0.1, ::1, localhost), not ${this.host}`);
    }
    this.clock = opts.clock ?? systemClock;
    for (const c of opts.clients ?? [DEFAULT_CLIENT]) this.addClient(c);
    this.tokenTtlSec = positive(opts.tokenTtlSec, 86_400, 'tokenTtlSec');
    this.heartbeatIntervalMs = Math.max(0, opts.heartbeatIntervalMs ?? 30_000);
    this.channelTtlMs = positive(opts.channelTtlMs, 24 * 3600_000, 'channelTtlMs');
    this.maxTopics = positive(opts.maxTopicsPerChannel, 1000, 'maxTopicsPerChannel');
    this.maxChannels = positive(opts.maxChannelsPerClient, 20, 'maxChannelsPerClient');
    this.socketClosingGraceMs = Math.max(0, opts.socketClosingGraceMs ?? 60_000);
    this.badClientStatus = opts.badClientStatus ?? 400;
    this.organization = opts.organization ?? { id: 'sim-org-0000-0000-0000-000000000001', name: 'Simulated Org' };
    this.listeningPort = opts.port ?? 0;

    this.httpServer = createServer((req, res) => void this.handleHttp(req, res));
    this.httpServer.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    this.httpServer.on('upgrade', (req, socket: Socket, head) => this.handleUpgrade(req, socket, head));
    this.installPlatformRoutes();
    this.installAdminRoutes();
  }

  /** Creates and starts a simulator. */
  static async start(opts: SimServerOptions = {}): Promise<SimServer> {
    const sim = new SimServer(opts);
    await sim.listen();
    return sim;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.httpServer.once('error', onError);
      this.httpServer.listen(this.listeningPort, this.host, () => {
        this.httpServer.off('error', onError);
        this.listeningPort = (this.httpServer.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  get port(): number {
    return this.listeningPort;
  }

  /** http://127.0.0.1:<port> */
  get baseUrl(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.listeningPort}`;
  }

  /** API base URL for a genesys-auth node with region "custom". */
  get apiBase(): string {
    return this.baseUrl;
  }

  /** Login base URL for a genesys-auth node with region "custom". */
  get loginBase(): string {
    return this.baseUrl;
  }

  get wsBase(): string {
    return this.baseUrl.replace(/^http/, 'ws');
  }

  /** Stops everything: sockets terminated, timers cleared, the port released. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const ch of this.channelMap.values()) this.stopChannelTimers(ch);
    for (const t of this.closingTimers) this.clock.clearTimeout(t);
    this.closingTimers.clear();
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.httpServer.close(() => resolve());
      this.httpServer.closeAllConnections();
      for (const s of this.sockets) s.destroy();
    });
    this.removeAllListeners();
  }

  // ---------------------------------------------------------------- configuration

  addClient(client: SimClient): void {
    if (!client.id || !client.secret) throw new Error('a simulator client needs an id and a secret');
    this.clients.set(client.id, { ...client });
  }

  setTokenTtl(sec: number): void {
    this.tokenTtlSec = positive(sec, this.tokenTtlSec, 'tokenTtlSec');
  }

  /** Changes the heartbeat interval, rescheduling connected channels. 0 stops heartbeats. */
  setHeartbeatInterval(ms: number): void {
    this.heartbeatIntervalMs = Math.max(0, ms);
    for (const ch of this.channelMap.values()) if (ch.socket) this.scheduleHeartbeat(ch);
  }

  setDeliveryInterceptor(fn: DeliveryInterceptor | undefined): void {
    this.interceptor = fn;
  }

  addAdminRoute(method: HttpMethod, path: string, handler: SimRouteHandler): () => void {
    if (!path.startsWith('/sim/')) throw new Error(`admin routes live under /sim/: ${path}`);
    return this.router.add(method, path, handler);
  }

  addApiRoute(method: HttpMethod, path: string, handler: SimRouteHandler): () => void {
    if (!path.startsWith('/api/v2/')) throw new Error(`API routes live under /api/v2/: ${path}`);
    return this.router.add(method, path, this.authenticated(handler));
  }

  // ---------------------------------------------------------------- inspection

  channels(): SimChannelInfo[] {
    return [...this.channelMap.values()].map((ch) => this.channelInfo(ch));
  }

  /** Topics subscribed on any live channel, optionally filtered by prefix or RegExp. */
  subscribedTopics(filter?: string | RegExp): string[] {
    const out = new Set<string>();
    for (const ch of this.channelMap.values()) {
      for (const t of ch.matchTopics) {
        if (filter === undefined || (typeof filter === 'string' ? t.startsWith(filter) : filter.test(t))) out.add(t);
      }
    }
    return [...out];
  }

  /** Ids of live channels subscribed to the topic. */
  channelsFor(topicName: string): string[] {
    return [...this.channelMap.values()].filter((ch) => ch.matchTopics.has(topicName)).map((ch) => ch.id);
  }

  /** Number of issued tokens that are still valid. */
  validTokenCount(clientId?: string): number {
    const now = this.clock.now();
    let n = 0;
    for (const t of this.tokens.values()) if (!t.revoked && t.expiresAt > now && (!clientId || t.clientId === clientId)) n++;
    return n;
  }

  // ---------------------------------------------------------------- publishing

  /** Delivers `eventBody` in the platform envelope to every subscribed, connected channel. */
  publish(topicName: string, eventBody: unknown, opts: { version?: string; correlationId?: string; channelId?: string } = {}): number {
    const envelope = {
      topicName,
      version: opts.version ?? '2',
      eventBody,
      metadata: { CorrelationId: opts.correlationId ?? randomUUID() },
    };
    const data = JSON.stringify(envelope);
    let n = 0;
    for (const ch of this.channelMap.values()) {
      if (opts.channelId && ch.id !== opts.channelId) continue;
      if (!ch.matchTopics.has(topicName) || !isOpen(ch.socket)) continue;
      this.emitFrame(ch, { channelId: ch.id, kind: 'event', topicName, data });
      n++;
    }
    return n;
  }

  /** Sends a raw frame (any text, or binary) to one channel's socket or to every connected channel. */
  sendRaw(data: string | Buffer, channelId?: string): number {
    let n = 0;
    for (const ch of this.channelMap.values()) {
      if (channelId && ch.id !== channelId) continue;
      if (!isOpen(ch.socket)) continue;
      this.emitFrame(ch, { channelId: ch.id, kind: 'raw', data });
      n++;
    }
    return n;
  }

  // ---------------------------------------------------------------- faults

  /** Destroys sockets without a close handshake (network loss). Returns how many. */
  dropSockets(channelId?: string): number {
    let n = 0;
    for (const ch of this.channelMap.values()) {
      if ((channelId && ch.id !== channelId) || !ch.socket) continue;
      ch.socket.terminate();
      n++;
    }
    return n;
  }

  /** Sends v2.system.socket_closing, then closes the socket after closeAfterMs (channel kept). */
  socketClosing(channelId?: string, closeAfterMs: number = this.socketClosingGraceMs): number {
    let n = 0;
    for (const ch of this.channelMap.values()) {
      if ((channelId && ch.id !== channelId) || !isOpen(ch.socket)) continue;
      const socket = ch.socket as WebSocket;
      const data = JSON.stringify({
        topicName: 'v2.system.socket_closing',
        version: '2',
        eventBody: {
          channelId: ch.id,
          organizationId: this.organization.id,
          oauthClientId: ch.clientId,
          correlationId: randomUUID(),
          message: 'This socket will close for maintenance; reconnect to the same connectUri',
        },
        metadata: { CorrelationId: randomUUID() },
      });
      this.emitFrame(ch, { channelId: ch.id, kind: 'system', topicName: 'v2.system.socket_closing', data });
      const timer = this.clock.setTimeout(() => {
        this.closingTimers.delete(timer);
        if (socket.readyState === WebSocket.OPEN) socket.close(1001, 'socket closing for maintenance');
      }, Math.max(0, closeAfterMs));
      this.closingTimers.add(timer);
      n++;
    }
    return n;
  }

  /** The channel reaches its expiry now: socket closed, channel gone (HEAD -> 404). */
  expireChannel(channelId: string): boolean {
    return this.removeChannel(channelId, 'channel expired');
  }

  deleteChannel(channelId: string): boolean {
    return this.removeChannel(channelId, 'channel deleted');
  }

  /** Revokes tokens (all, or one client's): API calls answer 401; their channels are removed. */
  revokeTokens(clientId?: string): number {
    const revoked = new Set<string>();
    const now = this.clock.now();
    for (const [value, rec] of this.tokens) {
      if (rec.revoked || rec.expiresAt <= now || (clientId && rec.clientId !== clientId)) continue;
      rec.revoked = true;
      revoked.add(value);
    }
    for (const ch of [...this.channelMap.values()]) if (revoked.has(ch.token)) this.removeChannel(ch.id, 'token revoked');
    return revoked.size;
  }

  /** The next n POST /oauth/token answer `status` (429 with Retry-After by default). */
  failNextTokenRequests(n: number, opts: { status?: number; retryAfterSec?: number } = {}): void {
    const status = opts.status ?? 429;
    for (let i = 0; i < n; i++) this.tokenFailures.push({ status, retryAfterSec: opts.retryAfterSec ?? (status === 429 ? 1 : undefined) });
  }

  /** The next n subscription calls (GET/POST/PUT/DELETE) answer 429 with Retry-After. */
  failNextSubscriptionCalls(n: number, retryAfterSec = 1, status = 429): void {
    for (let i = 0; i < n; i++) this.subscriptionFailures.push({ status, retryAfterSec: status === 429 ? retryAfterSec : undefined });
  }

  // ---------------------------------------------------------------- HTTP

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const path = url.pathname;
    const correlationId = randomUUID();
    const isPlatform = path.startsWith('/api/') || path.startsWith('/oauth/');
    const baseHeaders: Record<string, string> = isPlatform ? { 'ININ-Correlation-ID': correlationId } : {};
    let status = 500;
    try {
      if (path === '/oauth/token') {
        const out = await this.handleToken(req, method);
        status = out.status ?? 200;
        sendJson(res, status, out.body, { ...baseHeaders, ...out.headers, 'Cache-Control': 'no-store' });
        return;
      }
      const match = this.router.match(method, path);
      if (match === undefined) throw new SimHttpError(404, `No resource at ${path}`, 'not.found');
      if (match === 'method') throw new SimHttpError(405, `${method} is not allowed on ${path}`, 'method.not.allowed');
      if (isPlatform) this.stats.apiRequests++;
      const rawBody = await readBody(req, isPlatform ? API_BODY_LIMIT : ADMIN_BODY_LIMIT);
      const simReq: SimRequest = {
        method,
        path,
        params: match.params,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        // Platform routes parse after the bearer check (401 before 400); admin routes here.
        body: isPlatform ? undefined : parseJsonBody(rawBody),
      };
      const out = (await match.handler(simReq)) ?? undefined;
      status = out?.status ?? (out?.body === undefined ? 204 : 200);
      sendJson(res, status, method === 'HEAD' ? undefined : out?.body, { ...baseHeaders, ...out?.headers });
    } catch (err) {
      if (err instanceof SimHttpError) {
        status = err.status;
        const body = path === '/oauth/token' ? err.extra : errorBody(err.status, err.message, err.code, { contextId: correlationId, ...err.extra });
        sendJson(res, status, method === 'HEAD' ? undefined : body, { ...baseHeaders, ...err.headers });
      } else {
        status = 500;
        sendJson(res, 500, errorBody(500, `Simulator error: ${(err as Error)?.message ?? err}`, 'internal.server.error'), baseHeaders);
      }
    } finally {
      this.emit('request', { method, path, status });
    }
  }

  private async handleToken(req: IncomingMessage, method: string): Promise<SimResponse> {
    if (method !== 'POST') {
      throw new SimHttpError(405, 'Use POST', 'method.not.allowed', {}, { error: 'invalid_request', error_description: 'Use POST' });
    }
    this.stats.tokenRequests++;
    const raw = await readBody(req, 64 * 1024);
    const failure = this.tokenFailures.shift();
    if (failure) {
      const headers: Record<string, string> = failure.retryAfterSec !== undefined ? { 'Retry-After': String(failure.retryAfterSec) } : {};
      const body =
        failure.status === 429
          ? { message: 'Rate limit exceeded the maximum. Retry the request in [1] seconds', code: 'too.many.requests.retry.after', status: 429 }
          : { message: 'Injected failure', code: 'service.unavailable', status: failure.status };
      throw new SimHttpError(failure.status, body.message, body.code, headers, body);
    }
    const oauthError = (status: number, error: string, description: string): SimHttpError =>
      new SimHttpError(status, description, error, {}, { error, description, error_description: description });
    const creds = parseBasicAuth(req.headers.authorization);
    const client = creds && this.clients.get(creds.id);
    if (!creds || !client || client.secret !== creds.secret) {
      throw oauthError(this.badClientStatus, 'invalid_client', 'authentication failed');
    }
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (contentType !== 'application/x-www-form-urlencoded') {
      throw oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const grant = new URLSearchParams(raw).get('grant_type');
    if (grant !== 'client_credentials') {
      throw oauthError(400, 'unsupported_grant_type', `grant_type ${grant ?? '(missing)'} is not supported for this client`);
    }
    const token = randomBytes(32).toString('base64url');
    this.forgetDeadTokens();
    this.tokens.set(token, { clientId: client.id, expiresAt: this.clock.now() + this.tokenTtlSec * 1000, revoked: false });
    this.stats.tokensIssued++;
    this.emit('tokenIssued', { clientId: client.id });
    return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: this.tokenTtlSec } };
  }

  /** Keeps the token table bounded: expired or revoked tokens without channels are forgotten. */
  private forgetDeadTokens(): void {
    if (this.tokens.size < 1000) return;
    const now = this.clock.now();
    const inUse = new Set([...this.channelMap.values()].map((ch) => ch.token));
    for (const [value, rec] of this.tokens) if ((rec.revoked || rec.expiresAt <= now) && !inUse.has(value)) this.tokens.delete(value);
  }

  /** Wraps a platform handler: valid bearer token required (401 otherwise), JSON body parsed. */
  private authenticated(handler: SimRouteHandler): SimRouteHandler {
    return (req) => {
      const token = parseBearer(req.headers.authorization as string | undefined);
      const rec = token ? this.tokens.get(token) : undefined;
      if (!token || !rec || rec.revoked || rec.expiresAt <= this.clock.now()) {
        throw new SimHttpError(401, 'Invalid login credentials.', 'bad.credentials');
      }
      const client = this.clients.get(rec.clientId);
      const permissions = client?.permissions ? new Set(client.permissions) : ('all' as const);
      req.auth = { clientId: rec.clientId, permissions, token };
      req.body = parseJsonBody(req.rawBody);
      return handler(req);
    };
  }

  private installPlatformRoutes(): void {
    const api = (method: HttpMethod, path: string, h: SimRouteHandler) => this.router.add(method, path, this.authenticated(h));

    // Token check / revocation (reference §1.1): no permissions needed.
    const tokenInfo = (req: SimRequest): SimResponse => {
      const client = this.clients.get(req.auth!.clientId);
      return {
        body: {
          organization: { id: this.organization.id, name: this.organization.name, selfUri: `/api/v2/organizations/${this.organization.id}` },
          homeOrganization: { id: this.organization.id, name: this.organization.name },
          authorizedScope: [],
          OAuthClient: { id: req.auth!.clientId, name: client?.name ?? req.auth!.clientId, organization: { id: this.organization.id } },
        },
      };
    };
    api('GET', '/api/v2/tokens/me', tokenInfo);
    api('HEAD', '/api/v2/tokens/me', () => ({ status: 200 }));
    api('DELETE', '/api/v2/tokens/me', (req) => {
      const rec = this.tokens.get(req.auth!.token);
      if (rec) rec.revoked = true;
      return { status: 204 };
    });

    // Notification channels (reference §2.1).
    api('POST', '/api/v2/notifications/channels', (req) => ({ status: 200, body: this.channelBody(this.createChannel(req.auth!.clientId, req.auth!.token)) }));
    api('GET', '/api/v2/notifications/channels', (req) => {
      const scope = req.query.get('includechannels') ?? 'token';
      if (scope !== 'token' && scope !== 'oauthclient') {
        throw new SimHttpError(400, `includechannels must be token or oauthclient, not ${scope}`, 'bad.request');
      }
      const entities = [...this.channelMap.values()]
        .filter((ch) => ch.clientId === req.auth!.clientId && (scope === 'oauthclient' || ch.token === req.auth!.token))
        // Channels of other tokens are listed without their id (reference §2.1).
        .map((ch) => (ch.token === req.auth!.token ? this.channelBody(ch) : { expires: new Date(ch.expiresAt).toISOString() }));
      return { body: { entities } };
    });
    api('HEAD', '/api/v2/notifications/channels/:channelId', (req) => {
      this.ownedChannel(req);
      return { status: 200 };
    });

    const subs = '/api/v2/notifications/channels/:channelId/subscriptions';
    api('GET', subs, (req) => {
      this.injectedSubscriptionFailure();
      const ch = this.ownedChannel(req);
      return { body: { entities: [...ch.topics].map((id) => this.topicEntity(ch, id)) } };
    });
    api('POST', subs, (req) => this.subscribe(req, 'add'));
    api('PUT', subs, (req) => this.subscribe(req, 'replace'));
    api('DELETE', subs, (req) => {
      this.injectedSubscriptionFailure();
      const ch = this.ownedChannel(req);
      this.applyTopics(ch, new Set());
      return { status: 204 };
    });
  }

  private installAdminRoutes(): void {
    const admin = (method: HttpMethod, path: string, h: (body: Record<string, unknown>) => unknown) =>
      this.router.add(method, path, (req) => {
        const body = req.body ?? {};
        if (typeof body !== 'object' || Array.isArray(body) || body === null) throw new SimHttpError(400, 'Body must be a JSON object');
        return { status: 200, body: h(body as Record<string, unknown>) };
      });
    const optString = (b: Record<string, unknown>, k: string): string | undefined => {
      const v = b[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || !v) throw new SimHttpError(400, `${k} must be a non-empty string`);
      return v;
    };
    const optNumber = (b: Record<string, unknown>, k: string): number | undefined => {
      const v = b[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new SimHttpError(400, `${k} must be a number >= 0`);
      return v;
    };
    const needString = (b: Record<string, unknown>, k: string): string => {
      const v = optString(b, k);
      if (v === undefined) throw new SimHttpError(400, `${k} is required`);
      return v;
    };

    admin('GET', '/sim/state', () => ({
      port: this.port,
      organization: this.organization,
      clients: [...this.clients.values()].map((c) => ({ id: c.id, permissions: c.permissions ?? 'all' })),
      channels: this.channels(),
      stats: this.stats,
      heartbeatIntervalMs: this.heartbeatIntervalMs,
      tokenTtlSec: this.tokenTtlSec,
    }));
    admin('POST', '/sim/publish', (b) => ({ delivered: this.publish(needString(b, 'topicName'), b.eventBody, { version: optString(b, 'version') }) }));
    admin('POST', '/sim/raw', (b) => ({ delivered: this.sendRaw(needString(b, 'data'), optString(b, 'channelId')) }));
    admin('POST', '/sim/faults/drop-sockets', (b) => ({ dropped: this.dropSockets(optString(b, 'channelId')) }));
    admin('POST', '/sim/faults/socket-closing', (b) => ({ notified: this.socketClosing(optString(b, 'channelId'), optNumber(b, 'closeAfterMs')) }));
    admin('POST', '/sim/faults/expire-channel', (b) => ({ expired: this.expireChannel(needString(b, 'channelId')) }));
    admin('POST', '/sim/faults/delete-channel', (b) => ({ deleted: this.deleteChannel(needString(b, 'channelId')) }));
    admin('POST', '/sim/faults/revoke-tokens', (b) => ({ revoked: this.revokeTokens(optString(b, 'clientId')) }));
    admin('POST', '/sim/faults/token-errors', (b) => {
      this.failNextTokenRequests(optNumber(b, 'count') ?? 1, { status: optNumber(b, 'status'), retryAfterSec: optNumber(b, 'retryAfterSec') });
      return { queued: this.tokenFailures.length };
    });
    admin('POST', '/sim/faults/subscription-errors', (b) => {
      this.failNextSubscriptionCalls(optNumber(b, 'count') ?? 1, optNumber(b, 'retryAfterSec') ?? 1, optNumber(b, 'status') ?? 429);
      return { queued: this.subscriptionFailures.length };
    });
    admin('POST', '/sim/config', (b) => {
      const hb = optNumber(b, 'heartbeatIntervalMs');
      const ttl = optNumber(b, 'tokenTtlSec');
      if (hb !== undefined) this.setHeartbeatInterval(hb);
      if (ttl !== undefined) this.setTokenTtl(ttl);
      return { heartbeatIntervalMs: this.heartbeatIntervalMs, tokenTtlSec: this.tokenTtlSec };
    });
  }

  // ---------------------------------------------------------------- channels and subscriptions

  private createChannel(clientId: string, token: string): Channel {
    const own = [...this.channelMap.values()].filter((ch) => ch.clientId === clientId);
    if (own.length >= this.maxChannels) {
      // The 21st channel evicts the oldest-used one, unconnected channels first (reference §2.1).
      own.sort((a, b) => Number(isOpen(a.socket)) - Number(isOpen(b.socket)) || a.lastUsedAt - b.lastUsedAt);
      this.removeChannel(own[0].id, 'evicted by a newer channel');
    }
    const now = this.clock.now();
    const ch: Channel = {
      id: `streaming-0-${randomBytes(12).toString('hex')}`,
      clientId,
      token,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + this.channelTtlMs,
      topics: new Set(),
      matchTopics: new Set(),
    };
    this.channelMap.set(ch.id, ch);
    this.scheduleExpiry(ch);
    this.stats.channelsCreated++;
    this.emit('channelCreated', this.channelInfo(ch));
    return ch;
  }

  private ownedChannel(req: SimRequest): Channel {
    const ch = this.channelMap.get(req.params.channelId);
    if (!ch || ch.clientId !== req.auth!.clientId) {
      throw new SimHttpError(404, `Channel ${req.params.channelId} was not found`, 'not.found');
    }
    ch.lastUsedAt = this.clock.now();
    return ch;
  }

  private injectedSubscriptionFailure(): void {
    const failure = this.subscriptionFailures.shift();
    if (!failure) return;
    const headers: Record<string, string> = failure.retryAfterSec !== undefined ? { 'Retry-After': String(failure.retryAfterSec) } : {};
    if (failure.status === 429) {
      throw new SimHttpError(429, `Rate limit exceeded the maximum. Retry the request in [${failure.retryAfterSec}] seconds`, 'too.many.requests.retry.after', headers);
    }
    throw new SimHttpError(failure.status, 'Injected failure', 'service.unavailable', headers);
  }

  private subscribe(req: SimRequest, mode: 'add' | 'replace'): SimResponse {
    this.injectedSubscriptionFailure();
    const ch = this.ownedChannel(req);
    const ignoreErrors = (req.query.get('ignoreErrors') ?? 'false').toLowerCase() === 'true';
    const body = req.body;
    if (!Array.isArray(body) || body.some((t) => !t || typeof t !== 'object' || typeof (t as { id?: unknown }).id !== 'string')) {
      throw new SimHttpError(400, 'The request body must be an array of objects with a string "id" (the topic)', 'bad.request');
    }
    const requested = [...new Set((body as Array<{ id: string }>).map((t) => t.id))];
    const rejected: Array<Record<string, unknown>> = [];
    const permitted: string[] = [];
    const invalid: string[] = [];
    for (const id of requested) {
      const syntax = topicSyntaxError(id);
      if (syntax) {
        invalid.push(id);
        rejected.push({ id, state: 'Rejected', rejectionReason: `Invalid topic: ${syntax}`, missingPermissions: [] });
        continue;
      }
      const missing = missingPermissions(id, req.auth!.permissions);
      if (missing.length) {
        rejected.push({ id, state: 'Rejected', rejectionReason: 'Missing permissions', missingPermissions: missing });
        continue;
      }
      permitted.push(id);
    }
    if (!ignoreErrors && invalid.length) {
      throw new SimHttpError(400, `Invalid topic(s): ${invalid.slice(0, 5).join(', ')}`, 'invalid.topic', {}, { entities: rejected });
    }
    if (!ignoreErrors && rejected.length) {
      // Without ignoreErrors one permission failure fails the whole request (reference §2.1).
      throw new SimHttpError(403, `Missing permissions for topic(s): ${rejected.map((r) => r.id).slice(0, 5).join(', ')}`, 'missing.permissions', {}, { entities: rejected });
    }
    const next = mode === 'add' ? new Set([...ch.topics, ...permitted]) : new Set(permitted);
    if (next.size > this.maxTopics) {
      throw new SimHttpError(400, `A channel can subscribe to at most ${this.maxTopics} topics (requested ${next.size})`, 'notification.topic.limit.exceeded', {}, {
        limit: { key: 'topics.per.channel', namespace: 'notifications', value: this.maxTopics },
      });
    }
    this.applyTopics(ch, next);
    // Subscribing again extends the channel's life (reference §2.2).
    ch.expiresAt = this.clock.now() + this.channelTtlMs;
    this.scheduleExpiry(ch);
    return { status: 200, body: { entities: [...[...ch.topics].map((id) => this.topicEntity(ch, id)), ...rejected] } };
  }

  private applyTopics(ch: Channel, next: Set<string>): void {
    const added = [...next].filter((t) => !ch.topics.has(t));
    const removed = [...ch.topics].filter((t) => !next.has(t));
    ch.topics = next;
    ch.matchTopics = new Set([...next].flatMap(expandTopic));
    if (added.length || removed.length) {
      this.emit('subscriptions', { channelId: ch.id, clientId: ch.clientId, topics: [...next], added, removed });
    }
  }

  private topicEntity(ch: Channel, id: string): Record<string, unknown> {
    return { id, state: 'Permitted', selfUri: `/api/v2/notifications/channels/${ch.id}/subscriptions` };
  }

  private channelBody(ch: Channel): { id: string; connectUri: string; expires: string } {
    return { id: ch.id, connectUri: `${this.wsBase}/channels/${ch.id}`, expires: new Date(ch.expiresAt).toISOString() };
  }

  private channelInfo(ch: Channel): SimChannelInfo {
    return { ...this.channelBody(ch), clientId: ch.clientId, topics: [...ch.topics], connected: isOpen(ch.socket) };
  }

  private removeChannel(channelId: string, reason: string): boolean {
    const ch = this.channelMap.get(channelId);
    if (!ch) return false;
    this.channelMap.delete(channelId);
    this.stopChannelTimers(ch);
    if (ch.socket && ch.socket.readyState <= WebSocket.OPEN) ch.socket.close(1000, reason);
    ch.socket = undefined;
    this.emit('channelRemoved', { channelId, reason });
    return true;
  }

  private scheduleExpiry(ch: Channel): void {
    this.clock.clearTimeout(ch.expiryTimer);
    ch.expiryTimer = this.clock.setTimeout(() => this.removeChannel(ch.id, 'channel expired'), Math.max(0, ch.expiresAt - this.clock.now()));
  }

  private stopChannelTimers(ch: Channel): void {
    this.clock.clearTimeout(ch.expiryTimer);
    this.clock.clearTimeout(ch.heartbeatTimer);
    ch.expiryTimer = undefined;
    ch.heartbeatTimer = undefined;
  }

  // ---------------------------------------------------------------- WebSocket

  private handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://sim.invalid').pathname;
    const m = /^\/channels\/([^/]+)$/.exec(path);
    const ch = m ? this.channelMap.get(decodeURIComponent(m[1])) : undefined;
    if (!ch || this.closed) {
      socket.on('error', () => undefined);
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attachSocket(ch, ws));
  }

  private attachSocket(ch: Channel, ws: WebSocket): void {
    if (!this.channelMap.has(ch.id)) {
      ws.close(1000, 'channel expired');
      return;
    }
    const previous = ch.socket;
    ch.socket = ws;
    ch.lastUsedAt = this.clock.now();
    // One socket per channel: a second connection disconnects the first (reference §2.2).
    if (previous && previous.readyState <= WebSocket.OPEN) previous.close(1000, 'another connection to this channel was opened');
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (msg && typeof msg === 'object' && (msg as { message?: unknown }).message === 'ping' && ch.socket === ws) {
        this.emitFrame(ch, {
          channelId: ch.id,
          kind: 'pong',
          topicName: 'channel.metadata',
          data: JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'pong' } }),
        });
      }
    });
    ws.on('close', (code) => {
      if (ch.socket === ws) {
        ch.socket = undefined;
        this.clock.clearTimeout(ch.heartbeatTimer);
        ch.heartbeatTimer = undefined;
      }
      this.emit('socketClosed', { channelId: ch.id, code });
    });
    this.scheduleHeartbeat(ch);
    this.emit('socketOpened', { channelId: ch.id });
  }

  private scheduleHeartbeat(ch: Channel): void {
    this.clock.clearTimeout(ch.heartbeatTimer);
    ch.heartbeatTimer = undefined;
    if (this.heartbeatIntervalMs <= 0) return;
    ch.heartbeatTimer = this.clock.setTimeout(() => {
      ch.heartbeatTimer = undefined;
      if (!isOpen(ch.socket) || !this.channelMap.has(ch.id)) return;
      this.emitFrame(ch, {
        channelId: ch.id,
        kind: 'heartbeat',
        topicName: 'channel.metadata',
        data: JSON.stringify({ topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } }),
      });
      this.scheduleHeartbeat(ch);
    }, this.heartbeatIntervalMs);
  }

  private emitFrame(ch: Channel, frame: OutboundFrame): void {
    const deliver = (data: string | Buffer = frame.data): boolean => {
      const socket = this.channelMap.get(ch.id)?.socket;
      if (!isOpen(socket)) return false;
      socket!.send(data);
      this.stats.framesSent++;
      return true;
    };
    if (this.interceptor) this.interceptor(frame, deliver);
    else deliver();
  }
}

function isOpen(ws: WebSocket | undefined): boolean {
  return !!ws && ws.readyState === WebSocket.OPEN;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}
