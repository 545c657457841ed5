/**
 * Attaches an AudioHook endpoint to an existing http.Server (Node-RED's own) on one path, with
 * `ws` in noServer mode. Upgrades for other paths are left alone (never destroyed: other
 * listeners such as Node-RED's editor comms own them). Enforces the session limit with a clear
 * 503, authenticates before or after the upgrade, and detaches cleanly: disconnect every
 * session, wait briefly for the close exchange, then drop what is left.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { authenticateRequest, type AuthConfig } from './auth';
import { ServerSession, type SessionOptions } from './session';

export type AuthFailureStrategy = 'session' | 'request';

export interface RouterOptions {
  /** Full request path, e.g. "/audiohook" (already joined with httpNodeRoot). */
  path: string;
  auth: AuthConfig;
  /** 'session' (default): accept, then disconnect unauthorized; 'request': HTTP 401 at the upgrade. */
  authFailure?: AuthFailureStrategy;
  maxSessions?: number;
  /** Hard cap on one WebSocket message (bytes); beyond it ws fails the connection (1009). */
  maxPayloadBytes?: number;
  clock?: Clock;
  session?: Omit<SessionOptions, 'clock' | 'headers' | 'auth'>;
}

export class PathTakenError extends Error {
  override readonly name = 'PathTakenError';
}

// Paths in use per server, so two endpoints never claim the same path.
const pathsByServer = new WeakMap<Server, Set<string>>();


const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 503: 'Service Unavailable' };

export class AudioHookRouter extends EventEmitter<{
  session: [ServerSession];
  rejected: [{ status: number; reason: string }];
}> {
  readonly sessions = new Set<ServerSession>();
  private readonly sockets = new Set<WebSocket>();
  private server?: Server;
  private readonly wss: WebSocketServer;
  private readonly clock: Clock;
  private pending = 0;
  private detaching = false;
  private readonly upgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head);

  constructor(private readonly opts: RouterOptions) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: opts.maxPayloadBytes ?? 1024 * 1024,
    });
  }

  get path(): string {
    return this.opts.path;
  }

  attach(server: Server): void {
    if (this.server) throw new Error('router already attached');
    let paths = pathsByServer.get(server);
    if (!paths) pathsByServer.set(server, (paths = new Set()));
    if (paths.has(this.opts.path)) throw new PathTakenError(`path ${this.opts.path} is already used by another AudioHook endpoint`);
    paths.add(this.opts.path);
    this.server = server;
    server.on('upgrade', this.upgradeListener);
  }

  /** Removes the upgrade listener now; disconnects sessions and resolves when all are gone. */
  detach(graceMs = 2000): Promise<void> {
    const server = this.server;
    if (server) {
      server.removeListener('upgrade', this.upgradeListener);
      pathsByServer.get(server)?.delete(this.opts.path);
      this.server = undefined;
    }
    this.detaching = true;
    for (const s of this.sessions) s.disconnect('completed', 'Server shutting down');
    return new Promise((resolve) => {
      const timers: TimerHandle[] = [];
      const finish = () => {
        timers.forEach((t) => this.clock.clearTimeout(t));
        for (const ws of this.sockets) ws.terminate();
        this.sockets.clear();
        // End the sessions now (summaries out) rather than on the sockets' later close events.
        for (const session of this.sessions) session.socketClosed();
        this.sessions.clear();
        this.wss.close();
        resolve();
      };
      if (this.sockets.size === 0) return finish();
      timers.push(this.clock.setTimeout(finish, graceMs));
      this.onSocketsDrained = () => {
        this.onSocketsDrained = undefined;
        finish();
      };
    });
  }

  private onSocketsDrained?: () => void;

  private reject(socket: Duplex, status: number, reason: string): void {
    this.emit('rejected', { status, reason });
    const body = `${reason}\n`;
    socket.on('error', () => undefined);
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
          (status === 503 ? 'Retry-After: 5\r\n' : '') +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.once('finish', () => socket.destroy());
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    if (pathname !== this.opts.path) return; // not ours: leave it for other listeners
    if (this.detaching) return this.reject(socket, 503, 'AudioHook endpoint is shutting down');
    const one = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h)?.trim();
    const sessionId = one(req.headers['audiohook-session-id']);
    if (!sessionId || !/^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(sessionId)) {
      return this.reject(socket, 400, 'Audiohook-Session-Id header missing or not a UUID');
    }
    const max = this.opts.maxSessions ?? 0;
    if (max > 0 && this.sockets.size + this.pending >= max) {
      return this.reject(socket, 503, `AudioHook endpoint at capacity: ${max} concurrent sessions`);
    }
    const auth = authenticateRequest({ url, headers: req.headers }, this.opts.auth, this.clock.now());
    if (!auth.ok && this.opts.authFailure === 'request') {
      // Uniform failure timing (reference: 500 ms), well inside Node-RED's inboundWebSocketTimeout.
      this.pending++;
      socket.on('error', () => undefined);
      this.clock.setTimeout(() => {
        this.pending--;
        this.reject(socket, 401, 'Unauthorized');
      }, 500);
      return;
    }
    // ws completes the upgrade synchronously (no verifyClient), or answers 400 itself.
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (this.detaching) {
        ws.terminate();
        return;
      }
      this.startSession(ws, {
        sessionId,
        organizationId: one(req.headers['audiohook-organization-id']),
        correlationId: one(req.headers['audiohook-correlation-id']),
      }, auth);
    });
  }

  private startSession(ws: WebSocket, headers: SessionOptions['headers'], auth: SessionOptions['auth']): void {
    this.sockets.add(ws);
    const session = new ServerSession(
      {
        send: (text) => ws.send(text),
        close: (code, reason) => ws.close(code, reason),
        terminate: () => ws.terminate(),
      },
      { ...this.opts.session, clock: this.clock, headers, auth },
    );
    this.sessions.add(session);
    ws.on('message', (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (isBinary) session.handleBinary(buf);
      else session.handleText(buf.toString('utf8'));
    });
    // Socket errors (oversize message, reset) end this session only.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.sessions.delete(session);
      session.socketClosed();
      if (this.detaching && this.sockets.size === 0) this.onSocketsDrained?.();
    });
    this.emit('session', session);
  }
}
