/**
 * One test per fault the simulator can inject: the node does not crash, recovers (reconnects
 * within 2 s once the simulator answers again), sends no duplicate utterance, and every utterance
 * the simulator delivered while the node was connected arrives exactly once.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DeliveryFault } from '../../lib/sim/faults';
import type { AttachedPlayer } from '../../lib/sim/player';
import type { SimServer } from '../../lib/sim/server';
import { helper } from '../support/node-red';
import { load, startSim, subscribed, transcription, transcriptionTopic, type Loaded } from './transcript-in-kit';

const CONV = 'conv-fault';
const TOPIC = transcriptionTopic(CONV);
const RECOVERY_LIMIT_MS = 2000;

describe('genesys-transcript-in under injected faults', function () {
  this.timeout(20_000);
  let sim: SimServer;
  let attached: AttachedPlayer;
  let t: Loaded;
  let next = 1;
  /** utteranceIds the simulator handed to a connected socket */
  let delivered: string[];

  beforeEach(async () => {
    ({ sim, attached } = await startSim({ heartbeatIntervalMs: 100 }));
    next = 1;
    delivered = [];
    t = await load(sim, { conversationIds: CONV, heartbeatTimeout: 0.5 });
    await subscribed(sim, [TOPIC]);
  });
  afterEach(async () => {
    await helper.unload();
    attached.detach();
    await sim.close();
  });

  /** Publishes n finals straight from the simulator; remembers those a socket received. */
  function publish(n: number): void {
    for (let i = 0; i < n; i++) {
      const k = next++;
      if (sim.publish(TOPIC, transcription(CONV, [k])) > 0) delivered.push(`u-${k}`);
    }
  }

  async function assertExactlyOnce(): Promise<void> {
    await t.utterances.wait((m) => delivered.every((id) => m.some((x) => x.payload.utteranceId === id)));
    const ids = t.utterances.messages.map((m) => m.payload.utteranceId as string);
    assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids.join(',')}`);
    for (const id of ids) assert.ok(delivered.includes(id), `${id} arrived but was never delivered`);
  }

  /** Applies a connection fault and resolves with the ms until the node is subscribed again on a new socket. */
  async function recoverFrom(fault: () => void): Promise<number> {
    const reopened = new Promise<void>((resolve) => sim.once('socketOpened', () => resolve()));
    const t0 = Date.now();
    fault();
    await reopened;
    await subscribed(sim, [TOPIC]);
    return Date.now() - t0;
  }

  const connectionFaults: Array<[string, (sim: SimServer) => void]> = [
    ['the socket is dropped without a close frame', (s) => s.dropSockets()],
    ['v2.system.socket_closing, then the close', (s) => s.socketClosing(undefined, 100)],
    ['the channel expires', (s) => s.expireChannel(s.channels()[0]!.id)],
    ['the channel is deleted', (s) => s.deleteChannel(s.channels()[0]!.id)],
    ['the token is revoked', (s) => s.revokeTokens()],
    ['the token is revoked and the login answers 429 twice', (s) => {
      s.failNextTokenRequests(2, { status: 429, retryAfterSec: 0 });
      s.revokeTokens();
    }],
  ];

  for (const [name, fault] of connectionFaults) {
    it(`recovers when ${name}`, async () => {
      publish(5);
      await assertExactlyOnce();
      const ms = await recoverFrom(() => fault(sim));
      assert.ok(ms < RECOVERY_LIMIT_MS, `recovered after ${ms} ms`);
      publish(5);
      await assertExactlyOnce();
      assert.equal(delivered.length, 10);
      await t.statuses.wait((m) => (m.at(-1)?.status as { text: string }).text === 'connected 1 live');
      assert.equal(t.caught.messages.length, 0);
    });
  }

  it('recovers when heartbeats and pongs stop (watchdog, ping probe, reconnect)', async () => {
    publish(3);
    await assertExactlyOnce();
    let silent = true;
    sim.setDeliveryInterceptor((frame, deliver) => {
      if (silent && (frame.kind === 'heartbeat' || frame.kind === 'pong')) return;
      deliver();
    });
    const states = t.statuses.messages.length;
    const ms = await recoverFrom(() => undefined);
    silent = false;
    assert.ok(ms < 0.5 * 1000 + 300 + RECOVERY_LIMIT_MS, `recovered after ${ms} ms`);
    assert.ok(t.statuses.messages.slice(states).some((m) => /reconnecting/.test((m.status as { text: string }).text)));
    publish(3);
    await assertExactlyOnce();
  });

  it('recovers when subscription calls are answered 429 with Retry-After', async () => {
    let last429 = 0;
    sim.on('request', (r) => {
      if (r.status === 429) last429 = Date.now();
    });
    sim.failNextSubscriptionCalls(3, 0);
    t.node.receive({ payload: { action: 'subscribe', conversationId: 'conv-late' } });
    await subscribed(sim, [transcriptionTopic('conv-late')]);
    assert.ok(last429 > 0 && Date.now() - last429 < RECOVERY_LIMIT_MS);
    assert.equal(sim.publish(transcriptionTopic('conv-late'), transcription('conv-late', [7])), 1);
    publish(2);
    await t.utterances.wait((m) => m.length >= 3);
    assert.deepEqual(t.utterances.messages.map((m) => `${m.topic}/${m.payload.utteranceId}`).sort(), ['conv-fault/u-1', 'conv-fault/u-2', 'conv-late/u-7']);
  });

  // Delivery faults go through the player's FaultyPublisher (the same path as POST /sim/faults/delivery).
  function publishThroughFaults(n: number): void {
    for (let i = 0; i < n; i++) {
      const k = next++;
      attached.faults.publish(TOPIC, transcription(CONV, [k]));
      delivered.push(`u-${k}`);
    }
  }

  const badFrameFaults: Array<[DeliveryFault['kind'], RegExp]> = [
    ['malformed-json', /frame is not valid JSON/],
    ['schema-invalid', /transcripts\[0\]\.channel must be one of/],
    ['oversized', /exceeds the 1048576-byte limit/],
  ];
  for (const [kind, message] of badFrameFaults) {
    it(`reports a ${kind} frame (Catch-able, raw frame truncated), counts it and keeps going`, async () => {
      publishThroughFaults(2);
      attached.faults.arm({ kind, count: 2 });
      publishThroughFaults(4);
      await assertExactlyOnce();
      const caught = await t.caught.count(2);
      assert.match((caught[0]!.error as { message: string }).message, message);
      assert.equal(typeof caught[0]!.payload, 'string');
      assert.ok((caught[0]!.payload as string).length <= 2100, 'raw frame truncated');
      assert.equal(caught[1]!.badFrameCount, 2);
      await t.statuses.wait((m) => (m.at(-1)?.status as { text: string }).text === 'connected 1 live (2 bad frames)');
      assert.equal(sim.stats.channelsCreated, 1, 'the connection was kept');
    });
  }

  it('sends an event delivered twice only once', async () => {
    attached.faults.arm({ kind: 'duplicate', count: 3 });
    publishThroughFaults(5);
    await assertExactlyOnce();
    assert.equal(attached.faults.stats.duplicated, 3);
    assert.equal(t.utterances.messages.length, 5);
  });

  it('sends events delivered out of order once each (and drops a partial that comes after its final)', async () => {
    attached.faults.arm({ kind: 'out-of-order', count: 4 });
    publishThroughFaults(4);
    await assertExactlyOnce();
    assert.deepEqual(t.utterances.messages.map((m) => m.payload.utteranceId), ['u-4', 'u-3', 'u-2', 'u-1']);
    // A late partial of u-2 (after its final) is not sent.
    sim.publish(TOPIC, transcription(CONV, [2], { isFinal: false, text: () => 'utterance' }));
    publishThroughFaults(1);
    await assertExactlyOnce();
    assert.equal(t.utterances.messages.length, 5);
  });

  it('sends delayed events when they arrive', async () => {
    attached.faults.arm({ kind: 'delay', count: 2, delayMs: 150 });
    publishThroughFaults(4);
    await t.utterances.count(2);
    assert.deepEqual(t.utterances.messages.map((m) => m.payload.utteranceId), ['u-3', 'u-4']);
    await assertExactlyOnce();
    assert.equal(t.utterances.messages.length, 4);
  });
});

describe('genesys-transcript-in redeploys', function () {
  this.timeout(60_000);
  let sim: SimServer;
  let attached: AttachedPlayer;
  before(async () => {
    ({ sim, attached } = await startSim({ heartbeatIntervalMs: 0, maxChannelsPerClient: 1000 }));
  });
  after(async () => {
    attached.detach();
    await sim.close();
  });

  // Timers of lib/ are unref'd (they never keep a process alive), so getActiveResourcesInfo()
  // does not list them: track every timer created from this repository's lib/ (client side) instead.
  const libTimers = new Set<unknown>();
  const realSet = global.setTimeout;
  const realClear = global.clearTimeout;
  const libDir = join(__dirname, '..', '..', 'lib');
  before(() => {
    global.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      // The simulator (lib/sim) plays the platform: its channels rightly outlive a redeploy.
      const stack = new Error().stack ?? '';
      const fromLib = stack.includes(libDir) && !stack.includes(`${libDir}/sim/`);
      const h = realSet(() => {
        libTimers.delete(h);
        fn(...args);
      }, ms);
      if (fromLib) {
        libTimers.add(h);
        if (process.env.DEBUG_TIMERS) (h as unknown as { stack: string }).stack = new Error().stack ?? '';
      }
      return h;
    }) as typeof setTimeout;
    global.clearTimeout = ((h: NodeJS.Timeout | undefined) => {
      libTimers.delete(h);
      realClear(h);
    }) as typeof clearTimeout;
  });
  after(() => {
    global.setTimeout = realSet;
    global.clearTimeout = realClear;
  });

  function handles(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
    return counts;
  }

  async function cycle(i: number): Promise<void> {
    const t = await load(sim, { conversationIds: `conv-${i}`, queueIds: 'q-redeploy', summaries: true, suggestions: true });
    await subscribed(sim, [transcriptionTopic(`conv-${i}`)]);
    await t.statuses.wait((m) => m.some((s) => /^connected/.test((s.status as { text: string }).text)));
    await helper.unload();
  }

  it('leaves no socket, timer or listener behind after 100 load/unload cycles', async () => {
    // Warm up: the REST client's HTTP keep-alive pool and Node-RED's own timers settle.
    for (let i = 0; i < 3; i++) await cycle(i);
    const before = handles();
    const timersBefore = libTimers.size;
    const processListeners = () => process.eventNames().reduce((a, e) => a + process.listenerCount(e), 0);
    const processBefore = processListeners();
    const simListeners = sim.eventNames().map((e) => sim.listenerCount(e)).reduce((a, b) => a + b, 0);
    for (let i = 3; i < 103; i++) await cycle(i);
    // The simulator notices the last close a moment later: wait on its event, not a timer.
    await new Promise<void>((resolve) => {
      const check = () => {
        if (sim.channels().some((c) => c.connected)) return;
        sim.off('socketClosed', check);
        resolve();
      };
      sim.on('socketClosed', check);
      check();
    });
    const after = handles();
    assert.equal(sim.channels().filter((c) => c.connected).length, 0, 'every channel socket closed');
    assert.equal(sim.eventNames().map((e) => sim.listenerCount(e)).reduce((a, b) => a + b, 0), simListeners);
    if (process.env.DEBUG_TIMERS) console.log([...libTimers].map((h) => (h as { stack: string }).stack).slice(-2).join('\n----\n'));
    assert.ok(libTimers.size <= timersBefore, `lib timers: ${timersBefore} before, ${libTimers.size} after`);
    assert.equal(processListeners(), processBefore, 'process listeners');
    for (const kind of ['TCPSocketWrap', 'Timeout', 'TCPServerWrap']) {
      assert.ok((after[kind] ?? 0) <= (before[kind] ?? 0), `${kind}: ${before[kind] ?? 0} before, ${after[kind] ?? 0} after (${JSON.stringify(after)})`);
    }
  });
});
