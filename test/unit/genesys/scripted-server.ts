/**
 * A real HTTP server on 127.0.0.1 that answers from a script, for client tests that need answers
 * the simulator does not give (odd bodies, hangs, 5xx sequences). Records every request.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export class ScriptedServer {
  readonly requests: RecordedRequest[] = [];
  private script: Array<ScriptedAnswer | ((req: RecordedRequest) => ScriptedAnswer)> = [];
  private fallback: ScriptedAnswer = { status: 500, body: { message: 'script exhausted', code: 'test.script.exhausted' } };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answer(...answers: Array<ScriptedAnswer | ((req: RecordedRequest) => ScriptedAnswer)>): this {
    this.script.push(...answers);
    return this;
  }

  otherwise(answer: ScriptedAnswer): this {
    this.fallback = answer;
    return this;
  }

  /** Resolves once n requests in total have arrived. */
  waitForRequests(n: number): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      this.requests.push(rec);
      const next = this.script.shift() ?? this.fallback;
      const answer = typeof next === 'function' ? next(rec) : next;
      this.waiters = this.waiters.filter((w) => (this.requests.length >= w.n ? (w.resolve(), false) : true));
      if (answer.hang) return;
      const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { ...(text ? { 'Content-Type': 'application/json' } : {}), ...answer.headers });
      res.end(text);
    });
  }
}
