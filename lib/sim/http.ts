/**
 * Small HTTP plumbing for the simulator: body reading with a size cap, platform-shaped JSON
 * errors, and a method+path router with `:param` segments (used for the platform API and for
 * the /sim/ admin routes that other parts of the simulator add).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** Platform ErrorBody (reference §8): what the simulator answers on every API error. */
export interface SimErrorBody {
  message: string;
  code: string;
  status: number;
  contextId?: string;
  [key: string]: unknown;
}

/** Throw from a route handler to answer with a platform error body. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = 'bad.request',
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface SimRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Values of `:name` segments of the route. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when empty). Malformed JSON is answered 400 before any handler. */
  body: unknown;
  rawBody: string;
  /** For platform API routes: the OAuth client the bearer token belongs to. */
  auth?: { clientId: string; permissions: ReadonlySet<string> | 'all'; token: string };
}

export interface SimResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type SimRouteHandler = (req: SimRequest) => SimResponse | undefined | void | Promise<SimResponse | undefined | void>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH';

interface Route {
  method: HttpMethod;
  pattern: string;
  segments: string[];
  handler: SimRouteHandler;
}

/** Method + path router; `:name` matches one path segment. Later routes do not shadow earlier ones. */
export class SimRouter {
  private readonly routes: Route[] = [];

  add(method: HttpMethod, pattern: string, handler: SimRouteHandler): () => void {
    if (!pattern.startsWith('/')) throw new Error(`route path must start with /: ${pattern}`);
    if (this.routes.some((r) => r.method === method && r.pattern === pattern)) {
      throw new Error(`route ${method} ${pattern} is already registered`);
    }
    const route: Route = { method, pattern, segments: pattern.split('/').slice(1), handler };
    this.routes.push(route);
    return () => {
      const i = this.routes.indexOf(route);
      if (i >= 0) this.routes.splice(i, 1);
    };
  }

  /** The handler for method+path, or 'method' when the path exists with other methods only. */
  match(method: string, path: string): { handler: SimRouteHandler; params: Record<string, string> } | 'method' | undefined {
    const parts = path.split('/').slice(1);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method) return { handler: route.handler, params };
    }
    return pathMatched ? 'method' : undefined;
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith(':')) {
      if (!parts[i]) return undefined;
      try {
        params[p.slice(1)] = decodeURIComponent(parts[i]);
      } catch {
        return undefined;
      }
    } else if (p !== parts[i]) return undefined;
  }
  return params;
}

/** Reads the whole body as UTF-8, refusing more than `limit` bytes with a 413. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new SimHttpError(413, `Request body larger than ${limit} bytes`, 'request.entity.too.large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new SimHttpError(400, 'The request body could not be parsed as JSON', 'bad.request');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (body === undefined || status === 204) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function errorBody(status: number, message: string, code: string, extra: Record<string, unknown> = {}): SimErrorBody {
  return { message, code, status, ...extra };
}

/** Decodes `Authorization: Basic base64(id:secret)`; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export function parseBearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
