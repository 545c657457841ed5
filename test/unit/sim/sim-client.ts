/**
 * Test-side helpers to talk to the simulator over real HTTP and WebSocket: token fetch, JSON API
 * calls, and a WebSocket client that queues frames so tests wait on events (never sleep).
 */
import { WebSocket } from 'ws';
import type { SimServer } from '../../../lib/sim/server';

export interface HttpResult {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

export async function http(url: string, init: RequestInit = {}): Promise<HttpResult> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body, text, headers: res.headers };
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export async function tokenRequest(sim: SimServer, id: string, secret: string, body = 'grant_type=client_credentials'): Promise<HttpResult> {
  return http(`${sim.loginBase}/oauth/token`, {
    method: 'POST',
    headers: { Authorization: basic(id, secret), 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });
}

export async function getToken(sim: SimServer, id = 'sim-client', secret = 'sim-secret-not-real'): Promise<string> {
  const r = await tokenRequest(sim, id, secret);
  if (r.status !== 200) throw new Error(`token request failed: ${r.status} ${r.text}`);
  return (r.body as { access_token: string }).access_token;
}

export async function api(sim: SimServer, token: string | undefined, method: string, path: string, body?: unknown, rawBody?: string): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined || rawBody !== undefined) headers['Content-Type'] = 'application/json';
  return http(`${sim.apiBase}${path}`, { method, headers, body: rawBody ?? (body !== undefined ? JSON.stringify(body) : undefined) });
}

export interface Channel {
  id: string;
  connectUri: string;
  expires: string;
}

export async function createChannel(sim: SimServer, token: string): Promise<Channel> {
  const r = await api(sim, token, 'POST', '/api/v2/notifications/channels');
  if (r.status !== 200) throw new Error(`channel create failed: ${r.status} ${r.text}`);
  return r.body as Channel;
}

export async function subscribe(sim: SimServer, token: string, channelId: string, topics: string[], method = 'POST', ignoreErrors = false): Promise<HttpResult> {
  return api(
    sim,
    token,
    method,
    `/api/v2/notifications/channels/${channelId}/subscriptions?ignoreErrors=${ignoreErrors}`,
    topics.map((id) => ({ id })),
  );
}

export interface Frame {
  topicName?: string;
  version?: string;
  eventBody?: Record<string, unknown> & { message?: string };
  metadata?: { CorrelationId?: string };
  raw: string;
}

/** A WebSocket client that records every frame and lets tests await the next matching one. */
export class TestSocket {
  readonly frames: Frame[] = [];
  private waiters: Array<{ pred: (f: Frame) => boolean; resolve: (f: Frame) => void; from: number }> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly ws: WebSocket;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data) => {
      const raw = data.toString();
      let parsed: Omit<Frame, 'raw'> = {};
      try {
        parsed = JSON.parse(raw);
      } catch {
        // raw frames stay available as .raw
      }
      const frame = { ...parsed, raw };
      this.frames.push(frame);
      const idx = this.frames.length - 1;
      this.waiters = this.waiters.filter((w) => {
        if (idx >= w.from && w.pred(frame)) {
          w.resolve(frame);
          return false;
        }
        return true;
      });
    });
  }

  static connect(url: string): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new TestSocket(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  /** The first frame (from index `from`, default: any not yet seen by count) matching pred. */
  next(pred: (f: Frame) => boolean = () => true, from = 0): Promise<Frame> {
    const found = this.frames.slice(from).find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ pred, resolve, from }));
  }

  count(pred: (f: Frame) => boolean): number {
    return this.frames.filter(pred).length;
  }

  send(text: string): void {
    this.ws.send(text);
  }

  close(): void {
    this.ws.terminate();
  }
}

export const isHeartbeat = (f: Frame): boolean => f.topicName === 'channel.metadata' && f.eventBody?.message === 'WebSocket Heartbeat';
export const isPong = (f: Frame): boolean => f.topicName === 'channel.metadata' && f.eventBody?.message === 'pong';

/** Resolves on the first emission of `event` from the simulator matching pred. */
export function once<T>(sim: SimServer, event: string, pred: (arg: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const handler = (arg: T) => {
      if (!pred(arg)) return;
      (sim as unknown as NodeJS.EventEmitter).off(event, handler);
      resolve(arg);
    };
    (sim as unknown as NodeJS.EventEmitter).on(event, handler);
  });
}
