import assert from 'node:assert/strict';
import { SimHttpError, SimServer } from '../../../lib/sim/server';
import { ManualClock } from '../../support/manual-clock';
import {
  type Frame,
  TestSocket,
  api,
  basic,
  createChannel,
  getToken,
  http,
  isHeartbeat,
  isPong,
  once,
  subscribe,
  tokenRequest,
} from './sim-client';

const TRANSCRIPT = (id: string) => `v2.conversations.${id}.transcription`;

describe('sim: OAuth /oauth/token', () => {
  let sim: SimServer;
  beforeEach(async () => {
    sim = await SimServer.start({
      clients: [
        { id: 'client-a', secret: 'secret-a-not-real' },
        { id: 'client-b', secret: 'secret-b-not-real', permissions: ['conversation:communication:view'] },
      ],
      tokenTtlSec: 120,
    });
  });
  afterEach(() => sim.close());

  it('issues a bearer token with the configured expires_in for a good client', async () => {
    const r = await tokenRequest(sim, 'client-a', 'secret-a-not-real');
    assert.equal(r.status, 200);
    const body = r.body as Record<string, unknown>;
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 120);
    assert.match(String(body.access_token), /^[A-Za-z0-9_-]{40,}$/);
    assert.equal(sim.validTokenCount('client-a'), 1);
  });

  it('answers the platform invalid_client body for a wrong secret, unknown client or missing auth', async () => {
    for (const r of [
      await tokenRequest(sim, 'client-a', 'wrong'),
      await tokenRequest(sim, 'nobody', 'secret-a-not-real'),
      await http(`${sim.loginBase}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      }),
    ]) {
      assert.equal(r.status, 400);
      assert.deepEqual(r.body, { error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' });
    }
    assert.equal(sim.validTokenCount(), 0);
  });

  it('can answer 401 for bad clients instead (the platform status is unconfirmed)', async () => {
    const s401 = await SimServer.start({ badClientStatus: 401 });
    try {
      const r = await tokenRequest(s401, 'sim-client', 'nope');
      assert.equal(r.status, 401);
    } finally {
      await s401.close();
    }
  });

  it('rejects other grant types, a JSON body and GET', async () => {
    const wrongGrant = await tokenRequest(sim, 'client-a', 'secret-a-not-real', 'grant_type=password');
    assert.equal(wrongGrant.status, 400);
    assert.equal((wrongGrant.body as { error: string }).error, 'unsupported_grant_type');
    const json = await http(`${sim.loginBase}/oauth/token`, {
      method: 'POST',
      headers: { Authorization: basic('client-a', 'secret-a-not-real'), 'Content-Type': 'application/json' },
      body: '{"grant_type":"client_credentials"}',
    });
    assert.equal(json.status, 400);
    assert.equal((json.body as { error: string }).error, 'invalid_request');
    const get = await http(`${sim.loginBase}/oauth/token`);
    assert.equal(get.status, 405);
  });

  it('answers 429 with Retry-After on demand, then recovers', async () => {
    sim.failNextTokenRequests(2, { retryAfterSec: 7 });
    for (let i = 0; i < 2; i++) {
      const r = await tokenRequest(sim, 'client-a', 'secret-a-not-real');
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '7');
      assert.equal((r.body as { code: string }).code, 'too.many.requests.retry.after');
    }
    assert.equal((await tokenRequest(sim, 'client-a', 'secret-a-not-real')).status, 200);
    assert.equal(sim.stats.tokenRequests, 3);
  });
});

describe('sim: /api/v2/tokens/me and bearer checks', () => {
  let sim: SimServer;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    sim = await SimServer.start({ clock, tokenTtlSec: 60, organization: { id: 'org-1', name: 'Test Org' } });
  });
  afterEach(() => sim.close());

  it('returns the organization and OAuth client with a correlation id', async () => {
    const token = await getToken(sim);
    const r = await api(sim, token, 'GET', '/api/v2/tokens/me');
    assert.equal(r.status, 200);
    const body = r.body as { organization: { id: string; name: string }; OAuthClient: { id: string } };
    assert.deepEqual([body.organization.id, body.organization.name, body.OAuthClient.id], ['org-1', 'Test Org', 'sim-client']);
    assert.match(r.headers.get('inin-correlation-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.equal((await api(sim, token, 'HEAD', '/api/v2/tokens/me')).status, 200);
  });

  it('answers 401 bad.credentials without, with a garbage, an expired or a revoked token', async () => {
    const none = await api(sim, undefined, 'GET', '/api/v2/tokens/me');
    assert.equal(none.status, 401);
    assert.equal((none.body as { code: string }).code, 'bad.credentials');
    assert.equal((await api(sim, 'garbage', 'GET', '/api/v2/tokens/me')).status, 401);

    const token = await getToken(sim);
    clock.advance(60_000);
    assert.equal((await api(sim, token, 'GET', '/api/v2/tokens/me')).status, 401, 'expired');

    const t2 = await getToken(sim);
    assert.equal((await api(sim, t2, 'DELETE', '/api/v2/tokens/me')).status, 204);
    assert.equal((await api(sim, t2, 'GET', '/api/v2/tokens/me')).status, 401, 'revoked by DELETE');

    const t3 = await getToken(sim);
    assert.equal(sim.revokeTokens('sim-client'), 1);
    assert.equal((await api(sim, t3, 'GET', '/api/v2/tokens/me')).status, 401, 'revoked by fault');
  });

  it('answers 404 with a platform body for unknown API paths and 405 for wrong methods', async () => {
    const token = await getToken(sim);
    const r = await api(sim, token, 'GET', '/api/v2/nothing/here');
    assert.equal(r.status, 404);
    assert.equal((r.body as { code: string }).code, 'not.found');
    assert.equal((await api(sim, token, 'PATCH', '/api/v2/tokens/me')).status, 405);
  });
});

describe('sim: notification channels and subscriptions', () => {
  let sim: SimServer;
  let token: string;
  beforeEach(async () => {
    sim = await SimServer.start({
      clients: [
        { id: 'sim-client', secret: 'sim-secret-not-real' },
        { id: 'limited', secret: 'limited-secret-not-real', permissions: ['conversation:communication:view'] },
      ],
      maxChannelsPerClient: 3,
    });
    token = await getToken(sim);
  });
  afterEach(() => sim.close());

  it('creates a channel whose connectUri points back at the simulator and that expires in 24 h', async () => {
    const before = Date.now();
    const ch = await createChannel(sim, token);
    assert.match(ch.id, /^streaming-0-[0-9a-f]+$/);
    assert.equal(ch.connectUri, `ws://127.0.0.1:${sim.port}/channels/${ch.id}`);
    const expires = Date.parse(ch.expires);
    assert.ok(Math.abs(expires - (before + 24 * 3600_000)) < 5000);
    assert.equal((await api(sim, token, 'HEAD', `/api/v2/notifications/channels/${ch.id}`)).status, 200);
    assert.equal((await api(sim, token, 'HEAD', '/api/v2/notifications/channels/streaming-0-unknown')).status, 404);
  });

  it('lists channels of this token, or of the whole OAuth client with other ids hidden', async () => {
    const other = await getToken(sim);
    const mine = await createChannel(sim, token);
    await createChannel(sim, other);
    const byToken = await api(sim, token, 'GET', '/api/v2/notifications/channels');
    assert.deepEqual((byToken.body as { entities: Array<{ id: string }> }).entities.map((e) => e.id), [mine.id]);
    const byClient = await api(sim, token, 'GET', '/api/v2/notifications/channels?includechannels=oauthclient');
    const entities = (byClient.body as { entities: Array<{ id?: string; expires: string }> }).entities;
    assert.equal(entities.length, 2);
    assert.equal(entities.filter((e) => e.id === undefined).length, 1);
    assert.equal((await api(sim, token, 'GET', '/api/v2/notifications/channels?includechannels=bogus')).status, 400);
  });

  it('evicts the oldest unconnected channel beyond the per-client limit', async () => {
    const a = await createChannel(sim, token);
    const b = await createChannel(sim, token);
    const c = await createChannel(sim, token);
    const socket = await TestSocket.connect(a.connectUri); // a is connected: evict b instead
    try {
      await createChannel(sim, token);
      const ids = sim.channels().map((x) => x.id);
      assert.ok(ids.includes(a.id) && !ids.includes(b.id) && ids.includes(c.id));
    } finally {
      socket.close();
    }
  });

  it('adds (POST), lists (GET), replaces (PUT) and removes (DELETE) subscriptions', async () => {
    const ch = await createChannel(sim, token);
    const changes: string[][] = [];
    sim.on('subscriptions', (c) => changes.push(c.added));
    let r = await subscribe(sim, token, ch.id, [TRANSCRIPT('c1'), TRANSCRIPT('c2')]);
    assert.equal(r.status, 200);
    assert.deepEqual(
      (r.body as { entities: Array<{ id: string; state: string }> }).entities.map((e) => [e.id, e.state]),
      [
        [TRANSCRIPT('c1'), 'Permitted'],
        [TRANSCRIPT('c2'), 'Permitted'],
      ],
    );
    r = await subscribe(sim, token, ch.id, [TRANSCRIPT('c3')]);
    const list = await api(sim, token, 'GET', `/api/v2/notifications/channels/${ch.id}/subscriptions`);
    assert.deepEqual((list.body as { entities: Array<{ id: string }> }).entities.map((e) => e.id), [TRANSCRIPT('c1'), TRANSCRIPT('c2'), TRANSCRIPT('c3')]);
    r = await subscribe(sim, token, ch.id, [TRANSCRIPT('c9')], 'PUT');
    assert.deepEqual(sim.channels()[0].topics, [TRANSCRIPT('c9')]);
    assert.deepEqual(sim.subscribedTopics('v2.conversations.'), [TRANSCRIPT('c9')]);
    assert.deepEqual(sim.channelsFor(TRANSCRIPT('c9')), [ch.id]);
    assert.equal((await api(sim, token, 'DELETE', `/api/v2/notifications/channels/${ch.id}/subscriptions`)).status, 204);
    assert.deepEqual(sim.channels()[0].topics, []);
    assert.deepEqual(changes, [[TRANSCRIPT('c1'), TRANSCRIPT('c2')], [TRANSCRIPT('c3')], [TRANSCRIPT('c9')], []]);
  });

  it('answers 400 for malformed JSON and for bodies that are not [{id}] arrays', async () => {
    const ch = await createChannel(sim, token);
    const path = `/api/v2/notifications/channels/${ch.id}/subscriptions`;
    for (const raw of ['{not json', '{"id":"v2.x"}', '["v2.x"]', '[{"id":42}]', '[null]']) {
      const r = await api(sim, token, 'POST', path, undefined, raw);
      assert.equal(r.status, 400, raw);
      assert.equal((r.body as { code: string }).code, 'bad.request');
    }
    assert.deepEqual(sim.channels()[0].topics, []);
  });

  it('answers 404 for unknown channel ids and for channels of another client', async () => {
    const ch = await createChannel(sim, token);
    const limited = await getToken(sim, 'limited', 'limited-secret-not-real');
    for (const [t, id] of [
      [token, 'streaming-0-nope'],
      [limited, ch.id],
    ]) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
        const r = await api(sim, t, method, `/api/v2/notifications/channels/${id}/subscriptions`, method === 'POST' || method === 'PUT' ? [] : undefined);
        assert.equal(r.status, 404, `${method} ${id}`);
      }
      assert.equal((await api(sim, t, 'HEAD', `/api/v2/notifications/channels/${id}`)).status, 404);
    }
  });

  it('answers 401 on every channel route without a valid bearer token', async () => {
    const ch = await createChannel(sim, token);
    for (const [method, path] of [
      ['POST', '/api/v2/notifications/channels'],
      ['GET', '/api/v2/notifications/channels'],
      ['HEAD', `/api/v2/notifications/channels/${ch.id}`],
      ['GET', `/api/v2/notifications/channels/${ch.id}/subscriptions`],
      ['POST', `/api/v2/notifications/channels/${ch.id}/subscriptions`],
      ['PUT', `/api/v2/notifications/channels/${ch.id}/subscriptions`],
      ['DELETE', `/api/v2/notifications/channels/${ch.id}/subscriptions`],
    ]) {
      assert.equal((await api(sim, 'not-a-token', method, path, method === 'POST' && path.endsWith('s') ? [] : undefined)).status, 401, `${method} ${path}`);
    }
  });

  it('enforces 1,000 topics per channel with a 400 and no change', async () => {
    const ch = await createChannel(sim, token);
    const topics = Array.from({ length: 1000 }, (_, i) => TRANSCRIPT(`conv-${i}`));
    assert.equal((await subscribe(sim, token, ch.id, topics, 'PUT')).status, 200);
    const over = await subscribe(sim, token, ch.id, [TRANSCRIPT('one-more')]);
    assert.equal(over.status, 400);
    assert.match((over.body as { message: string }).message, /at most 1000 topics/);
    assert.equal(sim.channels()[0].topics.length, 1000);
    const tooMany = await subscribe(sim, token, ch.id, [...topics, TRANSCRIPT('x')], 'PUT');
    assert.equal(tooMany.status, 400);
    assert.equal(sim.channels()[0].topics.length, 1000);
  });

  it('rejects topics the client lacks permissions for: 403 for the request, or Rejected with ignoreErrors', async () => {
    const limited = await getToken(sim, 'limited', 'limited-secret-not-real');
    const ch = await createChannel(sim, limited);
    const queue = 'v2.routing.queues.q-1.conversations.calls';
    const strict = await subscribe(sim, limited, ch.id, [queue, TRANSCRIPT('c1')]);
    assert.equal(strict.status, 403);
    assert.deepEqual(sim.channels()[0].topics, [], 'nothing subscribed');

    const lenient = await subscribe(sim, limited, ch.id, [queue, TRANSCRIPT('c1')], 'POST', true);
    assert.equal(lenient.status, 200);
    const entities = (lenient.body as { entities: Array<Record<string, unknown>> }).entities;
    assert.deepEqual(entities.find((e) => e.id === queue)?.state, 'Permitted');
    const rejected = entities.find((e) => e.id === TRANSCRIPT('c1'));
    assert.equal(rejected?.state, 'Rejected');
    assert.deepEqual(rejected?.missingPermissions, ['conversation:transcription:view']);
    assert.deepEqual(sim.channels()[0].topics, [queue]);
  });

  it('rejects invalid topic names (400, or Rejected with ignoreErrors)', async () => {
    const ch = await createChannel(sim, token);
    assert.equal((await subscribe(sim, token, ch.id, ['not a topic'])).status, 400);
    assert.equal((await subscribe(sim, token, ch.id, [`v2.${'x'.repeat(300)}`])).status, 400);
    const r = await subscribe(sim, token, ch.id, ['bad topic', TRANSCRIPT('ok')], 'POST', true);
    assert.equal(r.status, 200);
    assert.deepEqual(sim.channels()[0].topics, [TRANSCRIPT('ok')]);
  });

  it('answers 429 with Retry-After for injected subscription failures, then works', async () => {
    const ch = await createChannel(sim, token);
    sim.failNextSubscriptionCalls(1, 4);
    const r = await subscribe(sim, token, ch.id, [TRANSCRIPT('c1')]);
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '4');
    assert.deepEqual(sim.channels()[0].topics, []);
    assert.equal((await subscribe(sim, token, ch.id, [TRANSCRIPT('c1')])).status, 200);
  });

  it('removes the channels of revoked tokens', async () => {
    const ch = await createChannel(sim, token);
    sim.revokeTokens();
    assert.deepEqual(sim.channels(), []);
    const fresh = await getToken(sim);
    assert.equal((await api(sim, fresh, 'HEAD', `/api/v2/notifications/channels/${ch.id}`)).status, 404);
  });
});

describe('sim: channel WebSocket', () => {
  let sim: SimServer;
  let clock: ManualClock;
  let token: string;
  const sockets: TestSocket[] = [];
  const connect = async (uri: string) => {
    const s = await TestSocket.connect(uri);
    sockets.push(s);
    return s;
  };
  beforeEach(async () => {
    clock = new ManualClock();
    sim = await SimServer.start({ clock, heartbeatIntervalMs: 30_000, socketClosingGraceMs: 60_000, channelTtlMs: 3600_000, tokenTtlSec: 86_400 });
    token = await getToken(sim);
  });
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.close());
    await sim.close();
  });

  it('sends channel.metadata heartbeats at the configured interval', async () => {
    const ch = await createChannel(sim, token);
    const s = await connect(ch.connectUri);
    clock.advance(29_999);
    clock.advance(1);
    const hb = await s.next(isHeartbeat);
    assert.deepEqual(JSON.parse(hb.raw), { topicName: 'channel.metadata', eventBody: { message: 'WebSocket Heartbeat' } });
    clock.advance(60_000);
    await s.next(isHeartbeat, 2);
    assert.equal(s.count(isHeartbeat), 3);
  });

  it('changes the heartbeat interval at run time (also over POST /sim/config), 0 = off', async () => {
    const ch = await createChannel(sim, token);
    const s = await connect(ch.connectUri);
    const r = await http(`${sim.baseUrl}/sim/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"heartbeatIntervalMs":1000}' });
    assert.deepEqual(r.body, { heartbeatIntervalMs: 1000, tokenTtlSec: 86_400 });
    clock.advance(1000);
    await s.next(isHeartbeat);
    sim.setHeartbeatInterval(0);
    clock.advance(120_000);
    s.send('{"message":"ping"}');
    await s.next(isPong);
    assert.equal(s.count(isHeartbeat), 1);
  });

  it('answers {"message":"ping"} with a pong on channel.metadata and ignores other text', async () => {
    const ch = await createChannel(sim, token);
    const s = await connect(ch.connectUri);
    s.send('not json');
    s.send('{"message":"hello"}');
    s.send('{"message":"ping"}');
    const pong = await s.next(isPong);
    assert.deepEqual(JSON.parse(pong.raw), { topicName: 'channel.metadata', eventBody: { message: 'pong' } });
    assert.equal(s.frames.length, 1);
  });

  it('delivers published events in the platform envelope to subscribed channels only', async () => {
    const a = await createChannel(sim, token);
    const b = await createChannel(sim, token);
    await subscribe(sim, token, a.id, [TRANSCRIPT('c1')]);
    await subscribe(sim, token, b.id, [TRANSCRIPT('c2'), 'v2.users.u1?conversations&presence']);
    const sa = await connect(a.connectUri);
    const sb = await connect(b.connectUri);
    assert.equal(sim.publish(TRANSCRIPT('c1'), { conversationId: 'c1' }), 1);
    const frame = await sa.next((f) => f.topicName === TRANSCRIPT('c1'));
    assert.equal(frame.version, '2');
    assert.deepEqual(frame.eventBody, { conversationId: 'c1' });
    assert.match(frame.metadata?.CorrelationId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(sim.publish('v2.users.u1.conversations', { id: 'c2' }), 1, 'combined topic');
    await sb.next((f) => f.topicName === 'v2.users.u1.conversations');
    assert.equal(sim.publish(TRANSCRIPT('nobody'), {}), 0);
    assert.equal(sb.count((f) => f.topicName === TRANSCRIPT('c1')), 0);
  });

  it('sends raw frames to one channel or all', async () => {
    const a = await createChannel(sim, token);
    const b = await createChannel(sim, token);
    const sa = await connect(a.connectUri);
    const sb = await connect(b.connectUri);
    assert.equal(sim.sendRaw('{broken', a.id), 1);
    assert.equal((await sa.next()).raw, '{broken');
    assert.equal(sim.sendRaw('all'), 2);
    await sb.next((f) => f.raw === 'all');
    assert.equal(sb.count((f) => f.raw === '{broken'), 0);
  });

  it('keeps one socket per channel: a second connection closes the first', async () => {
    const ch = await createChannel(sim, token);
    await subscribe(sim, token, ch.id, [TRANSCRIPT('c1')]);
    const first = await connect(ch.connectUri);
    const second = await connect(ch.connectUri);
    const closed = await first.closed;
    assert.equal(closed.code, 1000);
    assert.match(closed.reason, /another connection/);
    sim.publish(TRANSCRIPT('c1'), { n: 1 });
    await second.next((f) => f.topicName === TRANSCRIPT('c1'));
    assert.equal(first.count((f) => f.topicName === TRANSCRIPT('c1')), 0);
  });

  it('sends v2.system.socket_closing, closes after the grace period, and accepts a reconnect to the same URI', async () => {
    const ch = await createChannel(sim, token);
    const s = await connect(ch.connectUri);
    assert.equal(sim.socketClosing(), 1);
    const warn = await s.next((f) => f.topicName === 'v2.system.socket_closing');
    assert.equal(warn.eventBody?.channelId, ch.id);
    clock.advance(60_000);
    assert.equal((await s.closed).code, 1001);
    const again = await connect(ch.connectUri);
    await subscribe(sim, token, ch.id, [TRANSCRIPT('c1')]);
    sim.publish(TRANSCRIPT('c1'), {});
    await again.next((f) => f.topicName === TRANSCRIPT('c1'));
  });

  it('expires channels: socket closed, HEAD 404, upgrade refused; subscribing extends the life', async () => {
    const ch = await createChannel(sim, token);
    const s = await connect(ch.connectUri);
    clock.advance(3000_000);
    await subscribe(sim, token, ch.id, [TRANSCRIPT('c1')]); // extends to now + 1 h
    clock.advance(3000_000);
    assert.equal(sim.channels().length, 1, 'extended by the subscription');
    const removed = once<{ channelId: string; reason: string }>(sim, 'channelRemoved');
    clock.advance(600_000);
    assert.equal((await removed).reason, 'channel expired');
    assert.equal((await s.closed).code, 1000);
    assert.equal((await api(sim, token, 'HEAD', `/api/v2/notifications/channels/${ch.id}`)).status, 404);
    await assert.rejects(TestSocket.connect(ch.connectUri), /404/);
  });

  it('expireChannel and dropSockets act on demand', async () => {
    const a = await createChannel(sim, token);
    const b = await createChannel(sim, token);
    const sa = await connect(a.connectUri);
    const sb = await connect(b.connectUri);
    assert.equal(sim.dropSockets(a.id), 1);
    assert.equal((await sa.closed).code, 1006, 'abrupt: no close frame');
    assert.ok(sim.expireChannel(b.id));
    assert.equal((await sb.closed).code, 1000);
    assert.equal(sim.expireChannel(b.id), false);
  });

  it('refuses upgrades for unknown channel paths', async () => {
    await assert.rejects(TestSocket.connect(`${sim.wsBase}/channels/streaming-0-unknown`), /404/);
    await assert.rejects(TestSocket.connect(`${sim.wsBase}/elsewhere`), /404/);
  });

  it('passes every frame through a delivery interceptor that can hold, duplicate or drop it', async () => {
    const ch = await createChannel(sim, token);
    await subscribe(sim, token, ch.id, [TRANSCRIPT('c1')]);
    const s = await connect(ch.connectUri);
    const held: Array<() => boolean> = [];
    sim.setDeliveryInterceptor((frame, deliver) => {
      if (frame.kind === 'event') held.push(() => deliver());
      else deliver();
    });
    sim.publish(TRANSCRIPT('c1'), { n: 1 });
    sim.publish(TRANSCRIPT('c1'), { n: 2 });
    s.send('{"message":"ping"}');
    await s.next(isPong);
    assert.equal(s.count((f) => f.topicName === TRANSCRIPT('c1')), 0);
    held[1]();
    held[0]();
    held[0]();
    await s.next((f) => f.topicName === TRANSCRIPT('c1'), 1);
    await s.next((f) => f.topicName === TRANSCRIPT('c1') && f.eventBody?.n === 1, 2);
    const events = s.frames.filter((f) => f.topicName === TRANSCRIPT('c1')).map((f) => f.eventBody?.n);
    assert.deepEqual(events, [2, 1, 1]);
    sim.setDeliveryInterceptor(undefined);
  });
});

describe('sim: admin routes and extension routes', () => {
  let sim: SimServer;
  beforeEach(async () => {
    sim = await SimServer.start();
  });
  afterEach(() => sim.close());

  const post = (path: string, body: unknown, raw?: string) =>
    http(`${sim.baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: raw ?? JSON.stringify(body) });

  it('publishes, injects faults and reports state over /sim/', async () => {
    const token = await getToken(sim);
    const ch = await createChannel(sim, token);
    await subscribe(sim, token, ch.id, [TRANSCRIPT('c1')]);
    const s = await TestSocket.connect(ch.connectUri);
    try {
      const pub = await post('/sim/publish', { topicName: TRANSCRIPT('c1'), eventBody: { hello: 1 } });
      assert.deepEqual(pub.body, { delivered: 1 });
      await s.next((f: Frame) => f.eventBody?.hello === 1);
      const state = await http(`${sim.baseUrl}/sim/state`);
      const channels = (state.body as { channels: Array<{ id: string; connected: boolean; topics: string[] }> }).channels;
      assert.deepEqual(channels.map((c) => [c.id, c.connected, c.topics]), [[ch.id, true, [TRANSCRIPT('c1')]]]);
      assert.deepEqual((await post('/sim/faults/token-errors', { count: 1, retryAfterSec: 2 })).body, { queued: 1 });
      assert.equal((await tokenRequest(sim, 'sim-client', 'sim-secret-not-real')).status, 429);
      assert.deepEqual((await post('/sim/faults/drop-sockets', {})).body, { dropped: 1 });
      assert.equal((await s.closed).code, 1006);
      assert.deepEqual((await post('/sim/faults/expire-channel', { channelId: ch.id })).body, { expired: true });
    } finally {
      s.close();
    }
  });

  it('answers 400 for malformed admin bodies and missing fields', async () => {
    assert.equal((await post('/sim/publish', undefined, '{oops')).status, 400);
    assert.equal((await post('/sim/publish', { eventBody: {} })).status, 400);
    assert.equal((await post('/sim/faults/token-errors', { count: -1 })).status, 400);
    assert.equal((await post('/sim/raw', [1, 2])).status, 400);
    assert.equal((await http(`${sim.baseUrl}/sim/nothing`)).status, 404);
  });

  it('lets other parts add admin routes and authenticated API routes', async () => {
    const remove = sim.addAdminRoute('POST', '/sim/echo/:name', (req) => ({ body: { name: req.params.name, body: req.body } }));
    sim.addApiRoute('GET', '/api/v2/conversations/:id', (req) => {
      if (req.params.id === 'missing') throw new SimHttpError(404, 'Conversation not found', 'not.found');
      return { body: { id: req.params.id, client: req.auth?.clientId } };
    });
    assert.throws(() => sim.addAdminRoute('GET', '/other', () => undefined), /under \/sim\//);
    assert.throws(() => sim.addAdminRoute('POST', '/sim/echo/:name', () => undefined), /already registered/);
    assert.deepEqual((await post('/sim/echo/x%20y', { a: 1 })).body, { name: 'x y', body: { a: 1 } });
    const token = await getToken(sim);
    assert.deepEqual((await api(sim, token, 'GET', '/api/v2/conversations/c1')).body, { id: 'c1', client: 'sim-client' });
    const missing = await api(sim, token, 'GET', '/api/v2/conversations/missing');
    assert.equal(missing.status, 404);
    assert.ok(missing.headers.get('inin-correlation-id'));
    assert.equal((await api(sim, undefined, 'GET', '/api/v2/conversations/c1')).status, 401);
    remove();
    assert.equal((await post('/sim/echo/x', {})).status, 404);
  });

  it('refuses non-loopback hosts and releases its port on close', async () => {
    assert.throws(() => new SimServer({ host: '0.0.0.0' }), /loopback/);
    const port = sim.port;
    await sim.close();
    const again = await SimServer.start({ port });
    assert.equal(again.port, port);
    await again.close();
  });
});
