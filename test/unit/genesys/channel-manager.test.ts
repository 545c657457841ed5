import assert from 'node:assert/strict';
import type { ChannelManager, StateEvent } from '../../../lib/genesys/channel-manager';
import type { Envelope } from '../../../lib/genesys/schemas';
import { newManager, startKit, until, waitFor, type Kit } from './channel-test-kit';

const T = (n: number) => `v2.conversations.conv-${n}.transcription`;

describe('lib/genesys/channel-manager (real simulator on 127.0.0.1)', () => {
  let kit: Kit;
  let manager: ChannelManager | undefined;
  const requests: Array<{ method: string; path: string; status: number }> = [];

  async function connected(m: ChannelManager, topics: string[]): Promise<void> {
    await until(() => m.connected && topics.every((t) => kit.sim.channelsFor(t).length > 0), [
      [m, 'state'],
      [m, 'subscribed'],
      [kit.sim, 'subscriptions'],
      [kit.sim, 'socketOpened'],
    ]);
  }

  async function setup(simOpts: Parameters<typeof startKit>[0] = {}, managerOpts: Parameters<typeof newManager>[1] = {}): Promise<ChannelManager> {
    kit = await startKit(simOpts);
    kit.sim.on('request', (r) => requests.push(r));
    manager = newManager(kit, managerOpts);
    return manager;
  }

  beforeEach(() => {
    requests.length = 0;
  });

  afterEach(async () => {
    await manager?.stop();
    manager = undefined;
    await kit?.close();
  });

  it('creates a channel, subscribes topics and delivers validated events', async () => {
    const m = await setup();
    m.subscribe([T(1), T(2)]);
    m.start();
    await connected(m, [T(1), T(2)]);
    assert.deepEqual(kit.sim.subscribedTopics('v2.conversations').sort(), [T(1), T(2)]);
    const got = waitFor<[Envelope]>(m, 'event');
    assert.equal(kit.sim.publish(T(2), { conversationId: 'conv-2' }), 1);
    const [env] = await got;
    assert.equal(env.topicName, T(2));
    assert.deepEqual(env.eventBody, { conversationId: 'conv-2' });
    assert.ok(requests.some((r) => r.method === 'POST' && r.path === '/api/v2/notifications/channels'));
  });

  it('removes a topic with a PUT of the remaining set', async () => {
    const m = await setup();
    m.subscribe([T(1), T(2), T(3)]);
    m.start();
    await connected(m, [T(1), T(2), T(3)]);
    requests.length = 0;
    const answered = waitFor(kit.sim, 'request', (r: { path: string }) => r.path.endsWith('/subscriptions'));
    m.unsubscribe([T(2)]);
    await answered;
    assert.deepEqual(kit.sim.subscribedTopics('v2.conversations').sort(), [T(1), T(3)]);
    const subCalls = requests.filter((r) => r.path.endsWith('/subscriptions'));
    assert.deepEqual(subCalls.map((r) => r.method), ['PUT']);
  });

  it('keeps at most maxTopicsPerChannel per channel and opens another past that', async () => {
    const m = await setup({ maxTopicsPerChannel: 5 }, { maxTopicsPerChannel: 5 });
    const topics = Array.from({ length: 12 }, (_, i) => T(i));
    m.start();
    m.subscribe(topics);
    await connected(m, topics);
    const channels = kit.sim.channels();
    assert.equal(channels.length, 3);
    assert.ok(channels.every((c) => c.topics.length <= 5 && c.connected));
    assert.equal(m.channelCount, 3);
    // Every topic is delivered once, whatever channel it lives on.
    const seen: string[] = [];
    m.on('event', (e) => seen.push(e.topicName));
    for (const t of topics) kit.sim.publish(t, { conversationId: 'x' });
    await until(() => seen.length === topics.length, [[m, 'event']]);
    assert.deepEqual(seen.sort(), [...topics].sort());
  });

  it('surfaces Rejected topics with their missing permissions and keeps the permitted ones', async () => {
    const m = await setup({ clients: [{ id: 'sim-client', secret: 'sim-secret-not-real', permissions: ['conversation:transcription:view'] }] });
    const rejected = waitFor<[Array<{ topic: string; missingPermissions: string[] }>]>(m, 'rejected');
    m.subscribe([T(1), 'v2.routing.queues.q-1.conversations']);
    m.start();
    const [list] = await rejected;
    assert.equal(list.length, 1);
    assert.equal(list[0]?.topic, 'v2.routing.queues.q-1.conversations');
    assert.deepEqual(list[0]?.missingPermissions, ['conversation:communication:view']);
    await connected(m, [T(1)]);
    assert.deepEqual(m.topics, [T(1)]);
  });

  it('probes a silent socket with {"message":"ping"} and stays on it when the pong comes', async () => {
    const m = await setup({}, { heartbeatTimeoutMs: 60, probeTimeoutMs: 2000 });
    m.subscribe([T(1)]);
    m.start();
    await connected(m, [T(1)]);
    let pongs = 0;
    await new Promise<void>((resolve) => {
      kit.sim.setDeliveryInterceptor((frame, deliver) => {
        deliver();
        if (frame.kind === 'pong' && ++pongs === 3) resolve();
      });
    });
    assert.equal(kit.sim.stats.channelsCreated, 1);
    assert.ok(m.connected);
  });

  it('reconnects when neither heartbeat nor pong arrives', async () => {
    const m = await setup({}, { heartbeatTimeoutMs: 50, probeTimeoutMs: 50 });
    m.subscribe([T(1)]);
    m.start();
    await connected(m, [T(1)]);
    const channelId = kit.sim.channels()[0]?.id;
    let dropPongs = true;
    kit.sim.setDeliveryInterceptor((frame, deliver) => {
      if (frame.kind === 'pong' && dropPongs) return;
      deliver();
    });
    const states: StateEvent[] = [];
    m.on('state', (s) => states.push(s));
    const reopened = waitFor(kit.sim, 'socketOpened');
    await reopened;
    dropPongs = false;
    await connected(m, [T(1)]);
    assert.equal(kit.sim.channels()[0]?.id, channelId, 'same channel, new socket');
    assert.ok(states.some((s) => s.state === 'reconnecting'));
  });

  it('reconnects to the same connectUri on v2.system.socket_closing without losing events', async () => {
    const m = await setup();
    m.subscribe([T(1)]);
    m.start();
    await connected(m, [T(1)]);
    const channelId = kit.sim.channels()[0]?.id;
    const states: StateEvent[] = [];
    m.on('state', (s) => states.push(s));
    const reopened = waitFor(kit.sim, 'socketOpened');
    kit.sim.socketClosing(undefined, 5000);
    await reopened;
    await connected(m, [T(1)]);
    assert.equal(kit.sim.stats.channelsCreated, 1);
    assert.equal(kit.sim.channels()[0]?.id, channelId);
    assert.ok(!states.some((s) => s.state === 'reconnecting'), 'make before break: never shown as reconnecting');
    const got = waitFor<[Envelope]>(m, 'event');
    kit.sim.publish(T(1), { conversationId: 'conv-1', n: 1 });
    assert.equal((await got)[0].eventBody.n, 1);
  });

  it('reconnects after the socket is dropped', async () => {
    const m = await setup();
    m.subscribe([T(1)]);
    m.start();
    await connected(m, [T(1)]);
    const reconnecting = waitFor<[StateEvent]>(m, 'state', (s) => s.state === 'reconnecting');
    kit.sim.dropSockets();
    const [s] = await reconnecting;
    assert.equal(s.attempt, 1);
    await connected(m, [T(1)]);
    assert.equal(kit.sim.stats.channelsCreated, 1);
  });

  for (const fault of ['expireChannel', 'deleteChannel'] as const) {
    it(`creates a new channel and re-subscribes everything after ${fault}`, async () => {
      const m = await setup();
      const topics = [T(1), T(2), T(3)];
      m.subscribe(topics);
      m.start();
      await connected(m, topics);
      const old = kit.sim.channels()[0]?.id as string;
      const replaced = waitFor<[{ reason: string; channelId: string }]>(m, 'channel');
      kit.sim[fault](old);
      const [info] = await replaced;
      assert.equal(info.reason, 'replaced');
      assert.notEqual(info.channelId, old);
      await connected(m, topics);
      assert.deepEqual(kit.sim.subscribedTopics('v2.conversations').sort(), topics);
    });
  }

  it('recovers from revoked tokens with a new token and a new channel', async () => {
    const m = await setup();
    m.subscribe([T(1)]);
    m.start();
    await connected(m, [T(1)]);
    const replaced = waitFor(m, 'channel');
    kit.sim.revokeTokens();
    await replaced;
    await connected(m, [T(1)]);
    assert.equal(kit.sim.stats.channelsCreated, 2);
    assert.ok(kit.sim.stats.tokensIssued >= 2);
  });

  it('moves to a new channel when the token source hands out a new token', async () => {
    const m = await setup({}, { maintenanceIntervalMs: 20 });
    m.subscribe([T(1)]);
    m.start();
    await connected(m, [T(1)]);
    const replaced = waitFor(m, 'channel');
    kit.tokens.invalidate();
    await replaced;
    await connected(m, [T(1)]);
    assert.equal(kit.sim.stats.channelsCreated, 2);
  });

  it('retries subscription calls answered 429 with Retry-After', async () => {
    const m = await setup();
    m.start();
    await until(() => m.connected, [[m, 'state']]);
    kit.sim.failNextSubscriptionCalls(6, 0);
    m.subscribe([T(7)]);
    await connected(m, [T(7)]);
    assert.ok(requests.filter((r) => r.status === 429).length >= 6);
  });

  it('extends the channel by re-PUTting the subscriptions before it expires', async () => {
    const m = await setup({}, { extendBeforeMs: 48 * 3600_000, maintenanceIntervalMs: 20 });
    m.subscribe([T(1)]);
    m.start();
    await connected(m, [T(1)]);
    const put = waitFor<[{ method: string; path: string }]>(kit.sim, 'request', (r) => r.method === 'PUT' && r.path.endsWith('/subscriptions'));
    await put;
    assert.equal(kit.sim.stats.channelsCreated, 1);
  });

  it('reports bad frames (not JSON, not an envelope, oversized) and keeps the socket', async () => {
    const m = await setup({}, { maxFrameBytes: 1000 });
    m.subscribe([T(1)]);
    m.start();
    await connected(m, [T(1)]);
    const bad: string[] = [];
    m.on('bad-frame', (b) => bad.push(b.error.code));
    kit.sim.sendRaw('{"topicName": "x", "eventBody": ');
    kit.sim.sendRaw('{"eventBody": {}}');
    kit.sim.sendRaw(JSON.stringify({ topicName: T(1), eventBody: { pad: 'x'.repeat(5000) } }));
    const got = waitFor<[Envelope]>(m, 'event');
    kit.sim.publish(T(1), { conversationId: 'conv-1' });
    await got;
    assert.deepEqual(bad, ['INVALID_JSON', 'INVALID_EVENT', 'FRAME_TOO_LARGE']);
    assert.equal(kit.sim.stats.channelsCreated, 1);
    assert.ok(m.connected);
  });

  it('stops cleanly: sockets closed, no listeners, later calls are no-ops', async () => {
    const m = await setup();
    m.subscribe([T(1)]);
    m.start();
    await connected(m, [T(1)]);
    const closed = waitFor<[{ code: number }]>(kit.sim, 'socketClosed');
    await m.stop();
    const [{ code }] = await closed;
    assert.equal(code, 1000, 'a clean close handshake, not a cut connection (1006)');
    await until(() => kit.sim.channels().every((c) => !c.connected), [[kit.sim, 'socketClosed']]);
    assert.equal(m.listenerCount('event'), 0);
    m.subscribe([T(2)]);
    m.start();
    assert.equal(kit.sim.channels().filter((c) => c.connected).length, 0);
  });

  it('rejects topic names that cannot be valid with an InputError', async () => {
    const m = await setup();
    assert.throws(() => m.subscribe(['has space']), /invalid topic name/);
    assert.throws(() => m.subscribe(['x'.repeat(201)]), /invalid topic name/);
  });
});
