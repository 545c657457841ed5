import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { GenesysApiError } from '../../../lib/genesys/errors';
import { GenesysRestClient, type RestClientOptions } from '../../../lib/genesys/rest-client';
import { GenesysTokenProvider } from '../../../lib/genesys/token-provider';
import type { TokenSource } from '../../../lib/genesys/types';
import { SimServer } from '../../../lib/sim/server';
import { ManualClock } from '../../support/manual-clock';
import { ScriptedServer } from './scripted-server';

/** The rejection of a promise that must fail, typed as the error class expected. */
async function rejection(p: Promise<unknown>): Promise<GenesysApiError> {
  return p.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => {
      assert.ok(e instanceof GenesysApiError, String(e));
      return e;
    },
  );
}

const TOKEN = 'tok-abcdef-not-real';

/** A token source that hands out tok-1, tok-2... and counts invalidations. */
class CountingTokens implements TokenSource {
  n = 1;
  invalidations = 0;
  async getToken(): Promise<string> {
    return this.n === 1 ? TOKEN : `${TOKEN}-${this.n}`;
  }
  invalidate(token?: string): void {
    if (token === undefined || token === (this.n === 1 ? TOKEN : `${TOKEN}-${this.n}`)) this.n++;
    this.invalidations++;
  }
}

describe('GenesysRestClient', () => {
  let server: ScriptedServer;
  let clock: ManualClock;
  let tokens: CountingTokens;
  const client = (opts: Partial<RestClientOptions> = {}) =>
    new GenesysRestClient({ apiBase: server.url, tokens, clock, backoff: { initialMs: 100, maxMs: 400, random: () => 0 }, ...opts });

  beforeEach(async () => {
    server = await new ScriptedServer().start();
    clock = new ManualClock();
    tokens = new CountingTokens();
  });
  afterEach(() => server.close());

  it('sends JSON with the bearer token and returns the parsed body and correlation id', async () => {
    server.answer({ status: 200, body: { id: 'ch-1' }, headers: { 'ININ-Correlation-ID': 'corr-9' } });
    const r = await client().request<{ id: string }>({
      method: 'POST',
      path: '/api/v2/notifications/channels/ch-1/subscriptions',
      query: { ignoreErrors: true, skip: undefined },
      body: [{ id: 'v2.x' }],
    });
    assert.deepEqual(r.body, { id: 'ch-1' });
    assert.equal(r.status, 200);
    assert.equal(r.correlationId, 'corr-9');
    const [req] = server.requests;
    assert.equal(req.url, '/api/v2/notifications/channels/ch-1/subscriptions?ignoreErrors=true');
    assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(req.body), [{ id: 'v2.x' }]);
  });

  it('handles 204 and HEAD without a body', async () => {
    server.answer({ status: 204 }, { status: 200 });
    assert.equal((await client().request({ method: 'DELETE', path: '/api/v2/x' })).body, undefined);
    assert.equal((await client().request({ method: 'HEAD', path: '/api/v2/x' })).status, 200);
  });

  it('waits Retry-After seconds on 429, then succeeds', async () => {
    server.answer({ status: 429, headers: { 'Retry-After': '2' }, body: { code: 'too.many.requests.retry.after' } }, { status: 200, body: { ok: 1 } });
    const delays: number[] = [];
    const c = client({ onRetry: (i) => (delays.push(i.delayMs), setImmediate(() => clock.advance(i.delayMs))) });
    const r = await c.request({ method: 'POST', path: '/api/v2/x', body: {} });
    assert.deepEqual(r.body, { ok: 1 });
    assert.deepEqual(delays, [2000]);
    assert.equal(server.requests.length, 2);
  });

  it('does not send the retry before Retry-After has passed', async () => {
    server.answer({ status: 429, headers: { 'Retry-After': '5' } }, { status: 200, body: {} });
    let retried!: () => void;
    const waiting = new Promise<void>((r) => (retried = r));
    const pending = client({ onRetry: () => retried() }).request({ method: 'GET', path: '/api/v2/x' });
    await waiting;
    clock.advance(4999);
    await new Promise((r) => setImmediate(r));
    assert.equal(server.requests.length, 1);
    clock.advance(1);
    await pending;
    assert.equal(server.requests.length, 2);
  });

  it('retries 502/503/504 with bounded backoff, then fails with the last status', async () => {
    server.answer({ status: 502 }, { status: 504 }, { status: 503 }, { status: 503, body: { message: 'down', code: 'service.unavailable' } });
    const delays: number[] = [];
    const c = client({ maxRetries: 3, onRetry: (i) => (delays.push(i.delayMs), setImmediate(() => clock.advance(i.delayMs))) });
    const err = await c.request({ method: 'GET', path: '/api/v2/x' }).catch((e: unknown) => e);
    assert.ok(err instanceof GenesysApiError);
    assert.equal(err.status, 503);
    assert.equal(err.code, 'service.unavailable');
    assert.deepEqual(delays, [100, 200, 400]);
    assert.equal(server.requests.length, 4);
  });

  it('on 401 invalidates the token and retries once with a fresh one', async () => {
    server.answer({ status: 401, body: { code: 'bad.credentials' } }, { status: 200, body: { ok: true } });
    const r = await client().request({ method: 'GET', path: '/api/v2/tokens/me' });
    assert.deepEqual(r.body, { ok: true });
    assert.equal(tokens.invalidations, 1);
    assert.deepEqual(
      server.requests.map((q) => q.headers.authorization),
      [`Bearer ${TOKEN}`, `Bearer ${TOKEN}-2`],
    );
  });

  it('gives up after the second 401', async () => {
    server.otherwise({ status: 401, body: { message: 'Invalid login credentials.', code: 'bad.credentials' } });
    const err = await client().request({ method: 'GET', path: '/api/v2/x' }).catch((e: unknown) => e);
    assert.ok(err instanceof GenesysApiError);
    assert.equal(err.status, 401);
    assert.equal(server.requests.length, 2);
    assert.match(err.message, /refused even after a refresh/);
  });

  it('errors carry status, platform code and message, correlation id; never the token', async () => {
    server.answer({
      status: 404,
      body: { message: `Channel not found for ${TOKEN}`, code: 'not.found', status: 404, contextId: 'ctx-1' },
      headers: { 'ININ-Correlation-ID': 'corr-404' },
    });
    const err = await rejection(client().request({ method: 'GET', path: '/api/v2/notifications/channels/x/subscriptions' }));
    assert.equal(err.status, 404);
    assert.equal(err.code, 'not.found');
    assert.equal(err.correlationId, 'corr-404');
    assert.equal(err.contextId, 'ctx-1');
    assert.equal(err.platformMessage, 'Channel not found for [redacted]');
    assert.match(err.message, /GET \/api\/v2\/notifications\/channels\/x\/subscriptions failed: HTTP 404 not\.found .*correlation id corr-404/);
    for (const text of [err.message, String(err.stack), inspect(err, { depth: 10 }), JSON.stringify(err)]) assert.ok(!text.includes(TOKEN), text);
  });

  it('times out with an AbortController; POST is not retried, GET is', async () => {
    server.otherwise({ status: 200, hang: true });
    const real = new GenesysRestClient({ apiBase: server.url, tokens, timeoutMs: 60, maxRetries: 1, backoff: { initialMs: 1, maxMs: 1 } });
    const post = await rejection(real.request({ method: 'POST', path: '/api/v2/x', body: {} }));
    assert.equal(post.status, 0);
    assert.match(post.message, /timeout after 60 ms/);
    assert.equal(server.requests.length, 1);
    const get = await rejection(real.request({ method: 'GET', path: '/api/v2/x', timeoutMs: 40 }));
    assert.match(get.message, /timeout after 40 ms/);
    assert.equal(server.requests.length, 3);
  });

  it('cancels through an AbortSignal: during a Retry-After wait and during a hanging request', async () => {
    server.answer({ status: 429, headers: { 'Retry-After': '30' } }, { status: 200, hang: true });
    const c1 = new AbortController();
    let waiting!: () => void;
    const retryWait = new Promise<void>((r) => (waiting = r));
    const first = client({ onRetry: () => waiting() }).request({ method: 'GET', path: '/api/v2/x', signal: c1.signal });
    await retryWait;
    c1.abort();
    const e1 = await rejection(first);
    assert.match(e1.message, /cancelled/);
    assert.equal(clock.pending, 0, 'the retry timer is cleared');

    const c2 = new AbortController();
    const second = client().request({ method: 'GET', path: '/api/v2/x', signal: c2.signal });
    await server.waitForRequests(2);
    c2.abort();
    assert.match((await rejection(second)).message, /cancelled/);
    assert.equal(server.requests.length, 2, 'not retried after cancel');
    await assert.rejects(client().request({ method: 'GET', path: '/api/v2/x', signal: c2.signal }), /cancelled/);
  });

  it('reports connection failures with the cause and refuses paths outside /api/v2/', async () => {
    const url = server.url;
    await server.close();
    const c = new GenesysRestClient({ apiBase: url, tokens, maxRetries: 0 });
    const err = await rejection(c.request({ method: 'POST', path: '/api/v2/x' }));
    assert.equal(err.status, 0);
    assert.match(err.message, /ECONNREFUSED/);
    await assert.rejects(c.request({ method: 'GET', path: '/oauth/token' }), /must start with \/api\/v2\//);
    server = await new ScriptedServer().start(); // for afterEach
  });
});

describe('GenesysRestClient with the token provider against the simulator', () => {
  it('recovers from revoked tokens with one refresh, and shares one token across clients', async () => {
    const sim = await SimServer.start();
    try {
      const tokens = new GenesysTokenProvider({ loginBase: sim.loginBase, clientId: 'sim-client', clientSecret: 'sim-secret-not-real' });
      const a = new GenesysRestClient({ apiBase: sim.apiBase, tokens });
      const b = new GenesysRestClient({ apiBase: sim.apiBase, tokens });
      await Promise.all([a.request({ method: 'GET', path: '/api/v2/tokens/me' }), b.request({ method: 'GET', path: '/api/v2/tokens/me' })]);
      assert.equal(sim.stats.tokenRequests, 1);
      sim.revokeTokens();
      const results = await Promise.all(Array.from({ length: 10 }, () => a.request<{ organization: { name: string } }>({ method: 'GET', path: '/api/v2/tokens/me' })));
      assert.ok(results.every((r) => r.body.organization.name === 'Simulated Org'));
      assert.equal(sim.stats.tokenRequests, 2, 'ten concurrent 401s cause one new token');
      tokens.close();
    } finally {
      await sim.close();
    }
  });
});
