import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { GenesysAuthError } from '../../../lib/genesys/errors';
import { GenesysTokenProvider, type TokenProviderOptions, type TokenStatus } from '../../../lib/genesys/token-provider';
import { SimServer } from '../../../lib/sim/server';
import { ManualClock } from '../../support/manual-clock';
import { ScriptedServer } from './scripted-server';

/** The rejection of a promise that must fail, typed as the error class expected. */
async function rejection(p: Promise<unknown>): Promise<GenesysAuthError> {
  return p.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => {
      assert.ok(e instanceof GenesysAuthError, String(e));
      return e;
    },
  );
}

const SECRET = 'super-secret-value-not-real';
const CLIENT = 'client-1234567890';

/** Resolves on the first status matching pred (statuses already seen do not count). */
function nextStatus(p: GenesysTokenProvider, pred: (s: TokenStatus) => boolean): Promise<TokenStatus> {
  return new Promise((resolve) => {
    const off = p.onStatus((s) => {
      if (pred(s)) {
        off();
        resolve(s);
      }
    });
  });
}

function assertNoSecret(text: string, token?: string): void {
  assert.ok(!text.includes(SECRET), `secret leaked in: ${text}`);
  if (token) assert.ok(!text.includes(token), `token leaked in: ${text}`);
}

describe('GenesysTokenProvider against the simulator', () => {
  let sim: SimServer;
  let clock: ManualClock;
  const providers: GenesysTokenProvider[] = [];
  const make = (opts: Partial<TokenProviderOptions> = {}) => {
    const p = new GenesysTokenProvider({ loginBase: sim.loginBase, clientId: CLIENT, clientSecret: SECRET, clock, ...opts });
    providers.push(p);
    return p;
  };

  beforeEach(async () => {
    clock = new ManualClock();
    sim = await SimServer.start({ clients: [{ id: CLIENT, secret: SECRET }], tokenTtlSec: 100, clock });
  });
  afterEach(async () => {
    providers.splice(0).forEach((p) => p.close());
    await sim.close();
  });

  it('fetches a token the simulator accepts and caches it', async () => {
    const p = make();
    const t1 = await p.getToken();
    const t2 = await p.getToken();
    assert.equal(t1, t2);
    assert.equal(sim.stats.tokenRequests, 1);
    assert.equal(p.status.state, 'ready');
    assert.equal(p.status.expiresAt, clock.now() + 100_000);
  });

  it('single-flight: 100 concurrent callers cause exactly one token request', async () => {
    const p = make();
    const tokens = await Promise.all(Array.from({ length: 100 }, () => p.getToken()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(sim.stats.tokenRequests, 1);
    assert.equal(p.requestCount, 1);
  });

  it('refreshes ahead of expiry (80% of expires_in) in the background, then hands out the new token', async () => {
    const p = make();
    const first = await p.getToken();
    clock.advance(79_000);
    assert.equal(await p.getToken(), first);
    assert.equal(sim.stats.tokenRequests, 1);
    clock.advance(2_000); // 81 s: inside the refresh window, still valid
    const ready = nextStatus(p, (s) => s.state === 'ready' && s.generation === 2);
    assert.equal(await p.getToken(), first, 'the still-valid token is returned at once');
    await ready;
    const second = await p.getToken();
    assert.notEqual(second, first);
    assert.equal(sim.stats.tokenRequests, 2);
  });

  it('waits for a new token when the cached one is (nearly) expired', async () => {
    const p = make({ refreshAheadRatio: 0.95 });
    const first = await p.getToken();
    clock.advance(96_000); // < 5 s left: never handed out
    const second = await p.getToken();
    assert.notEqual(second, first);
    assert.equal(sim.stats.tokenRequests, 2);
  });

  it('invalidate(token) refetches only while the cache still holds that token', async () => {
    const p = make();
    const first = await p.getToken();
    p.invalidate('some-other-token');
    assert.equal(await p.getToken(), first);
    p.invalidate(first);
    const second = await p.getToken();
    assert.notEqual(second, first);
    p.invalidate(first); // stale: ignored
    assert.equal(await p.getToken(), second);
    p.invalidate();
    await p.getToken();
    assert.equal(sim.stats.tokenRequests, 3);
  });

  it('honours 429 Retry-After (seconds) before the next attempt', async () => {
    sim.failNextTokenRequests(1, { retryAfterSec: 7 });
    const p = make();
    const retrying = nextStatus(p, (s) => s.state === 'retrying');
    const pending = p.getToken();
    const s = await retrying;
    assert.equal(s.retryInMs, 7000);
    assert.equal(s.error?.code, 'LOGIN_RATE_LIMITED');
    clock.advance(6999);
    await Promise.resolve();
    assert.equal(sim.stats.tokenRequests, 1);
    clock.advance(1);
    assert.ok(await pending);
    assert.equal(sim.stats.tokenRequests, 2);
  });

  it('backs off with jitter and a cap on 5xx, then gives up after maxAttempts', async () => {
    sim.failNextTokenRequests(4, { status: 503 });
    const p = make({ maxAttempts: 4, backoff: { initialMs: 1000, maxMs: 1500, random: () => 0 } });
    const delays: number[] = [];
    p.onStatus((s) => {
      if (s.state === 'retrying') {
        delays.push(s.retryInMs!);
        setImmediate(() => clock.advance(s.retryInMs!));
      }
    });
    const err = await p.getToken().then(
      () => assert.fail('should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof GenesysAuthError);
    assert.equal(err.code, 'LOGIN_UNAVAILABLE');
    assert.equal(err.status, 503);
    assert.deepEqual(delays, [1000, 1500, 1500]);
    assert.equal(sim.stats.tokenRequests, 4);
    assert.equal(p.status.state, 'error');
  });

  it('applies jitter from the injected randomness', async () => {
    sim.failNextTokenRequests(1, { status: 502 });
    const p = make({ backoff: { initialMs: 1000, maxMs: 30_000, jitter: 0.5, random: () => 1 } });
    const retrying = nextStatus(p, (s) => s.state === 'retrying');
    const pending = p.getToken();
    assert.equal((await retrying).retryInMs, 500);
    clock.advance(500);
    await pending;
  });

  it('400/401 at login: a clear error naming the login host, never retried, never the secret', async () => {
    const p = make({ clientSecret: 'wrong-secret-not-real' });
    const err = await p.getToken().catch((e: unknown) => e);
    assert.ok(err instanceof GenesysAuthError);
    assert.equal(err.code, 'AUTH_FAILED');
    assert.equal(err.status, 400);
    assert.match(err.message, /check client id, secret and region/);
    assert.ok(err.message.includes(`127.0.0.1:${sim.port}`));
    assert.match(err.message, /invalid_client/);
    assert.ok(!err.message.includes('wrong-secret-not-real'));
    assert.equal(sim.stats.tokenRequests, 1);

    const s401 = await SimServer.start({ badClientStatus: 401, clients: [{ id: CLIENT, secret: 'other' }] });
    try {
      const p2 = make({ loginBase: s401.loginBase });
      const e2 = await p2.getToken().catch((e: unknown) => e);
      assert.ok(e2 instanceof GenesysAuthError && e2.code === 'AUTH_FAILED' && e2.status === 401);
      assertNoSecret(`${e2.message} ${e2.stack} ${inspect(e2, { depth: 5 })} ${JSON.stringify(e2)}`);
    } finally {
      await s401.close();
    }
  });

  it('after refused credentials, answers from a cool-down instead of asking the login again', async () => {
    const p = make({ clientSecret: 'wrong-secret-not-real', authFailureCooldownMs: 30_000 });
    const first = await p.getToken().catch((e: unknown) => e);
    clock.advance(29_999);
    const second = await p.getToken().catch((e: unknown) => e);
    assert.equal(second, first);
    assert.equal(sim.stats.tokenRequests, 1);
    clock.advance(1);
    await p.getToken().catch(() => undefined);
    assert.equal(sim.stats.tokenRequests, 2);
  });

  it('never shows the secret or the token in toString, JSON, inspect or statuses', async () => {
    const p = make();
    const statuses: TokenStatus[] = [];
    p.onStatus((s) => statuses.push(s));
    const token = await p.getToken();
    const views = [String(p), `${p}`, JSON.stringify(p), inspect(p), inspect(p, { showHidden: true, depth: 10 }), JSON.stringify(statuses), inspect(statuses, { depth: 10 })];
    for (const v of views) assertNoSecret(v, token);
    assert.match(String(p), /GenesysTokenProvider\(127\.0\.0\.1:\d+, client client-1…\)/);
  });

  it('reports an unreachable login host clearly and retries it', async () => {
    const port = sim.port;
    await sim.close();
    const p = make({ loginBase: `http://127.0.0.1:${port}`, maxAttempts: 2, backoff: { initialMs: 10, maxMs: 10, random: () => 0 } });
    p.onStatus((s) => {
      if (s.state === 'retrying') setImmediate(() => clock.advance(s.retryInMs!));
    });
    const err = await p.getToken().catch((e: unknown) => e);
    assert.ok(err instanceof GenesysAuthError);
    assert.equal(err.code, 'LOGIN_UNREACHABLE');
    assert.match(err.message, /Could not reach the Genesys login host 127\.0\.0\.1:\d+: ECONNREFUSED/);
    assert.equal(p.requestCount, 2);
    sim = await SimServer.start(); // for afterEach
  });

  it('refuses to start without credentials (NOT_CONFIGURED) and stops retries on close()', async () => {
    const empty = make({ clientSecret: '' });
    await assert.rejects(empty.getToken(), (e: unknown) => e instanceof GenesysAuthError && e.code === 'NOT_CONFIGURED');
    assert.equal(sim.stats.tokenRequests, 0);

    sim.failNextTokenRequests(1, { retryAfterSec: 60 });
    const p = make();
    const retrying = nextStatus(p, (s) => s.state === 'retrying');
    const pending = p.getToken();
    await retrying;
    p.close();
    await assert.rejects(pending, (e: unknown) => e instanceof GenesysAuthError && e.code === 'CLOSED');
    await assert.rejects(p.getToken(), /closed/);
    assert.equal(clock.pending, 0, 'no timer left behind');
  });
});

describe('GenesysTokenProvider request shape and odd answers', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await new ScriptedServer().start();
  });
  afterEach(() => server.close());

  it('posts exactly like the platform SDK: Basic header, form body grant_type=client_credentials', async () => {
    server.answer({ status: 200, body: { access_token: 'tok-not-real', token_type: 'bearer', expires_in: 3600 } });
    const p = new GenesysTokenProvider({ loginBase: `${server.url}/`, clientId: CLIENT, clientSecret: SECRET });
    assert.equal(await p.getToken(), 'tok-not-real');
    const [req] = server.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/oauth/token');
    assert.equal(req.headers.authorization, `Basic ${Buffer.from(`${CLIENT}:${SECRET}`).toString('base64')}`);
    assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(req.body, 'grant_type=client_credentials');
    p.close();
  });

  it('rejects a 200 without a usable token, and scrubs the secret from any platform text', async () => {
    server.answer(
      { status: 200, body: { token_type: 'bearer', expires_in: 10 } },
      { status: 200, body: { access_token: 'x', expires_in: -1 } },
      { status: 401, body: { error: 'invalid_client', description: `bad secret ${SECRET}` }, headers: { 'ININ-Correlation-ID': 'corr-1' } },
    );
    const p = new GenesysTokenProvider({ loginBase: server.url, clientId: CLIENT, clientSecret: SECRET, maxAttempts: 1 });
    await assert.rejects(p.getToken(), (e: unknown) => e instanceof GenesysAuthError && e.code === 'BAD_TOKEN_RESPONSE');
    await assert.rejects(p.getToken(), (e: unknown) => e instanceof GenesysAuthError && e.code === 'BAD_TOKEN_RESPONSE');
    const err = await rejection(p.getToken());
    assert.equal(err.code, 'AUTH_FAILED');
    assert.equal(err.details.correlationId, 'corr-1');
    assert.match(err.message, /bad secret \[redacted\].*correlation id corr-1/);
    assertNoSecret(err.message);
    p.close();
  });

  it('times out a login host that never answers', async () => {
    server.otherwise({ status: 200, hang: true });
    const p = new GenesysTokenProvider({ loginBase: server.url, clientId: CLIENT, clientSecret: SECRET, timeoutMs: 100, maxAttempts: 1 });
    await assert.rejects(p.getToken(), /no answer within 100 ms/);
    p.close();
  });
});
