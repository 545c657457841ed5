import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import WebSocket, { WebSocketServer } from 'ws';
import { helper } from '../support/node-red';
import interceptorNode from '../../nodes/genesys-interceptor/genesys-interceptor';
import { AudioHookClient, type AudioHookClientOptions, type ClientResult } from '../../lib/sim/audiohook-client';
import type { NodeAPI, NodeMessage } from '../../nodes/shared/red';

const API_KEY = 'test-api-key-not-real';
const SECRET = Buffer.from('test-secret-not-real').toString('base64');

let RED: NodeAPI;
const interceptor = (red: NodeAPI) => {
  RED = red;
  interceptorNode(red);
};

interface Sink {
  msgs: NodeMessage[];
  next(pred: (m: NodeMessage) => boolean): Promise<NodeMessage>;
}

function sink(id: string): Sink {
  const node = helper.getNode(id);
  const msgs: NodeMessage[] = [];
  const waiters: Array<{ pred: (m: NodeMessage) => boolean; resolve: (m: NodeMessage) => void }> = [];
  node.on('input', (m: NodeMessage) => {
    msgs.push(m);
    for (const w of [...waiters]) if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
  });
  return {
    msgs,
    next: (pred) => {
      const hit = msgs.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
  };
}

function flow(extra: Record<string, unknown> = {}) {
  return [
    { id: 'f1', type: 'tab' },
    {
      id: 'n1', type: 'genesys-interceptor', z: 'f1', path: '/audiohook', maxSessions: 50,
      maxJitterMs: 0, lateFrameMs: 0, silenceSeconds: 0, maxLossRatio: 0.05, audioOutput: 'raw', frameGroup: 5,
      wires: [['ev'], ['au'], ['qa']], ...extra,
    },
    { id: 'ev', type: 'helper', z: 'f1' },
    { id: 'au', type: 'helper', z: 'f1' },
    { id: 'qa', type: 'helper', z: 'f1' },
    { id: 'c1', type: 'catch', z: 'f1', scope: ['n1'], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'f1' },
  ];
}
const creds = { n1: { apiKey: API_KEY, clientSecret: SECRET } };

function wsUrl(path = '/audiohook'): string {
  return helper.url().replace(/^http/, 'ws') + path;
}

function client(opts: Partial<AudioHookClientOptions> = {}): AudioHookClient {
  return new AudioHookClient({ url: wsUrl(), apiKey: API_KEY, clientSecret: SECRET, durationMs: 2000, speed: 20, ...opts });
}

/** Polls a condition on the event loop (status updates are throttled timers in the node). */
async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ev = (name: string, sessionId: string) => (m: NodeMessage) => m.payload === name && (m.audiohook as { sessionId: string }).sessionId === sessionId;
const summaryOf = (sessionId: string) => (m: NodeMessage) => m.event === 'summary' && (m.audiohook as { sessionId: string }).sessionId === sessionId;

describe('genesys-interceptor node', function () {
  this.timeout(20000);
  before(async () => {
    await helper.startServer();
  });
  after(async () => {
    await helper.stopServer();
  });
  afterEach(async () => {
    await helper.unload();
    helper.settings({ httpNodeRoot: '/' });
  });

  async function load(extra: Record<string, unknown> = {}, c: Record<string, unknown> = creds) {
    await helper.load(interceptor, flow(extra), c);
    return { ev: sink('ev'), au: sink('au'), qa: sink('qa'), caught: sink('caught') };
  }

  it('runs a full session: opened event, raw frames, closed event and a summary', async () => {
    const s = await load();
    const conversationId = randomUUID();
    const c = client({ conversationId, language: 'en-US', customConfig: { queue: 'billing' } });
    const result = await c.run();
    assert.equal(result.outcome, 'closed');
    assert.deepEqual(result.selected?.channels, ['external', 'internal']);
    const opened = await s.ev.next(ev('opened', c.sessionId));
    assert.equal(opened.topic, conversationId);
    const ah = opened.audiohook as Record<string, unknown>;
    assert.equal(ah.conversationId, conversationId);
    assert.deepEqual(ah.customConfig, { queue: 'billing' });
    assert.equal(ah.language, 'en-US');
    assert.equal((ah.participant as { ani: string }).ani, '+1-555-0100');
    await s.ev.next(ev('closed', c.sessionId));
    const summary = await s.qa.next(summaryOf(c.sessionId));
    const p = summary.payload as { frames: number; bytes: number; lostSeconds: number; closeReason: string; clean: boolean };
    assert.equal(p.frames, result.framesSent);
    assert.equal(p.bytes, result.bytesSent);
    assert.equal(p.lostSeconds, 0);
    assert.equal(p.closeReason, 'end');
    assert.equal(p.clean, true);
    const audio = s.au.msgs.filter((m) => (m.audiohook as { sessionId: string }).sessionId === c.sessionId);
    const bytes = audio.reduce((n, m) => n + (m.payload as Buffer).length, 0);
    assert.equal(bytes, result.bytesSent);
    assert.ok(Buffer.isBuffer(audio[0].payload));
    assert.equal((audio[0].audio as { frames: number }).frames, 5);
  });

  it('decodes audio to 16-bit PCM per channel', async () => {
    const s = await load({ audioOutput: 'decoded', frameGroup: 1 });
    const c = client({ durationMs: 600 });
    const result = await c.run();
    assert.equal(result.outcome, 'closed');
    await s.qa.next(summaryOf(c.sessionId));
    const ext = s.au.msgs.filter((m) => (m.audio as { channel: string }).channel === 'external');
    const int = s.au.msgs.filter((m) => (m.audio as { channel: string }).channel === 'internal');
    assert.equal(ext.length, 3);
    assert.equal(int.length, 3);
    assert.equal((ext[0].payload as Buffer).length, 1600 * 2);
  });

  it('serves several concurrent sessions independently', async () => {
    const s = await load();
    const clients = Array.from({ length: 8 }, () => client({ durationMs: 3000 }));
    const results = await Promise.all(clients.map((c) => c.run()));
    for (const [i, r] of results.entries()) {
      assert.equal(r.outcome, 'closed');
      const sum = await s.qa.next(summaryOf(clients[i].sessionId));
      assert.equal((sum.payload as { frames: number }).frames, r.framesSent);
    }
  });

  it('pauses and resumes a session from a flow message', async () => {
    const s = await load();
    const conversationId = randomUUID();
    const c = client({ conversationId, durationMs: 60_000, speed: 1 });
    const run = c.run();
    await s.ev.next(ev('opened', c.sessionId));
    const n1 = helper.getNode('n1');
    await until(() => n1.status.calledWithMatch({ fill: 'green', text: '1 live' }), 'status 1 live');
    n1.receive({ action: 'pause', conversationId });
    await s.ev.next(ev('paused', c.sessionId));
    n1.receive({ payload: { action: 'resume', sessionId: c.sessionId } });
    const resumed = await s.ev.next(ev('resumed', c.sessionId));
    assert.ok((resumed.details as { discarded: number }).discarded >= 0);
    n1.receive({ action: 'disconnect', sessionId: c.sessionId, reason: 'completed' });
    const result = await run;
    assert.equal(result.outcome, 'closed');
    assert.deepEqual(result.disconnect, { reason: 'completed', info: undefined });
    const types = result.serverMessages.map((m) => m.type);
    assert.deepEqual(types.slice(0, 3), ['opened', 'pause', 'resume']);
    assert.equal(types.at(-1), 'closed');
    assert.equal(s.caught.msgs.length, 0);
  });

  it('rejects bad control messages with done(err)', async () => {
    const s = await load();
    const n1 = helper.getNode('n1');
    n1.receive({ action: 'explode', sessionId: randomUUID() });
    n1.receive({ action: 'pause' });
    n1.receive({ action: 'pause', sessionId: randomUUID() });
    n1.receive({ action: 'disconnect', sessionId: randomUUID(), reason: 'bored' });
    await s.caught.next(() => s.caught.msgs.length >= 4);
    const texts = s.caught.msgs.map((m) => (m.error as { message: string }).message);
    assert.match(texts[0], /action must be one of/);
    assert.match(texts[1], /sessionId or msg.conversationId/);
    assert.match(texts[2], /no live AudioHook session/);
    assert.match(texts[3], /reason must be one of/);
  });

  describe('faults: the session ends properly, the endpoint keeps serving', () => {
    const cases: Array<[string, Partial<AudioHookClientOptions>, (r: ClientResult) => void]> = [
      ['bad signature', { faults: { badSignature: true } }, (r) => assert.deepEqual(r.disconnect, { reason: 'unauthorized', info: 'FAILED: Signatures do not match' })],
      ['wrong API key', { faults: { wrongKey: true } }, (r) => assert.equal(r.disconnect?.reason, 'unauthorized')],
      ['wrong seq', { faults: { wrongSeqAtMessage: 2 }, firstPingMs: 100 }, (r) => assert.match(r.disconnect?.info ?? '', /Invalid seq/)],
      ['malformed JSON', { faults: { malformedJsonAtMs: 400 } }, (r) => assert.match(r.disconnect?.info ?? '', /not well-formed JSON/)],
      ['unknown message type', { faults: { unknownTypeAtMs: 400 } }, (r) => assert.match(r.disconnect?.info ?? '', /Unknown message type/)],
      ['oversize frame', { faults: { oversizeFrameAtMs: 400, oversizeBytes: 100_000 } }, (r) => assert.match(r.disconnect?.info ?? '', /frame too large/)],
      ['binary before open', { faults: { binaryBeforeOpen: true } }, (r) => assert.match(r.disconnect?.info ?? '', /before the session was opened/)],
    ];
    for (const [name, opts, check] of cases) {
      it(name, async () => {
        const s = await load();
        // A long stream, so the client is still streaming when the server's disconnect arrives.
        const bad = client({ durationMs: 20_000, ...opts });
        const good = client({ durationMs: 1000 });
        const [r, ok] = await Promise.all([bad.run(), good.run()]);
        assert.equal(r.outcome, 'closed', `client outcome ${r.outcome}`);
        assert.equal(r.closeReason, 'disconnect');
        check(r);
        assert.equal(ok.outcome, 'closed');
        const sum = await s.qa.next(summaryOf(bad.sessionId));
        assert.ok((sum.payload as { disconnect: { reason: string } }).disconnect);
        const after = await client({ durationMs: 400 }).run();
        assert.equal(after.outcome, 'closed');
      });
    }

    it('message over the hard cap: the socket fails (1009), the session ends as dropped', async () => {
      const s = await load();
      const bad = client({ faults: { oversizeFrameAtMs: 200, oversizeBytes: 2 * 1024 * 1024 } });
      const r = await bad.run();
      assert.equal(r.closeCode, 1009);
      const sum = await s.qa.next(summaryOf(bad.sessionId));
      assert.equal((sum.payload as { closeReason: string }).closeReason, 'dropped');
      assert.equal((await client({ durationMs: 400 }).run()).outcome, 'closed');
    });

    it('HTTP 401 at the upgrade when configured', async () => {
      await load({ authFailure: 'request' });
      const r = await client({ faults: { badSignature: true } }).run();
      assert.equal(r.outcome, 'rejected');
      assert.equal(r.httpStatus, 401);
      assert.equal((await client({ durationMs: 400 }).run()).outcome, 'closed');
    });

    it('audio while paused', async () => {
      const s = await load();
      const c = client({ durationMs: 60_000, speed: 1, faults: { audioWhilePaused: true } });
      const run = c.run();
      await s.ev.next(ev('opened', c.sessionId));
      helper.getNode('n1').receive({ action: 'pause', sessionId: c.sessionId });
      const r = await run;
      assert.match(r.disconnect?.info ?? '', /Audio received while paused/);
    });

    it('packet loss (undeclared gaps) is measured and alerted', async () => {
      const s = await load();
      const c = client({ durationMs: 4000, faults: { dropFrames: [3, 4, 5] } });
      const r = await c.run();
      assert.equal(r.outcome, 'closed');
      const sum = await s.qa.next(summaryOf(c.sessionId));
      assert.equal((sum.payload as { gapSeconds: number }).gapSeconds, 0.6);
      const alert = await s.qa.next((m) => m.event === 'alert' && (m.payload as { metric: string }).metric === 'loss');
      assert.equal((alert.payload as { sessionId: string }).sessionId, c.sessionId);
      const n1 = helper.getNode('n1');
      await until(() => n1.status.calledWithMatch({ fill: 'yellow', text: '0 live, 1 alert/1m' }), 'status with the alert');
    });

    it('late frames are counted and alerted', async () => {
      const s = await load({ lateFrameMs: 250 });
      // Real time: a held burst of 500 ms stands out from scheduling noise on a busy machine.
      const c = client({ durationMs: 1400, speed: 1, faults: { lateFrames: { atMs: 400, delayMs: 500 } } });
      const r = await c.run();
      assert.equal(r.outcome, 'closed');
      const sum = await s.qa.next(summaryOf(c.sessionId));
      assert.ok((sum.payload as { lateFrames: number }).lateFrames >= 1, JSON.stringify(sum.payload));
      await s.qa.next((m) => m.event === 'alert' && (m.payload as { metric: string }).metric === 'late');
    });

    it('abrupt socket drop', async () => {
      const s = await load();
      const c = client({ durationMs: 4000, faults: { dropAtMs: 1000 } });
      const r = await c.run();
      assert.equal(r.outcome, 'dropped');
      const sum = await s.qa.next(summaryOf(c.sessionId));
      assert.equal((sum.payload as { closeReason: string; clean: boolean }).closeReason, 'dropped');
      assert.equal((await client({ durationMs: 400 }).run()).outcome, 'closed');
    });
  });

  it('rejects sessions over the limit with 503', async () => {
    const s = await load({ maxSessions: 2 });
    const long = [client({ durationMs: 60_000, speed: 1 }), client({ durationMs: 60_000, speed: 1 })];
    const runs = long.map((c) => c.run());
    await Promise.all(long.map((c) => s.ev.next(ev('opened', c.sessionId))));
    const r = await client().run();
    assert.equal(r.outcome, 'rejected');
    assert.equal(r.httpStatus, 503);
    for (const c of long) helper.getNode('n1').receive({ action: 'disconnect', sessionId: c.sessionId });
    await Promise.all(runs);
  });

  it('reports httpNodeRoot false and a taken path clearly', async () => {
    helper.settings({ httpNodeRoot: false });
    await helper.load(interceptor, flow(), creds);
    const n1 = helper.getNode('n1');
    assert.equal(n1.router, undefined);
    assert.ok(n1.error.calledWithMatch(/httpNodeRoot is false/));
    assert.ok(n1.status.calledWithMatch({ fill: 'red', text: 'http nodes disabled' }));
    const caught = sink('caught');
    n1.receive({ action: 'pause', sessionId: randomUUID() });
    const err = await caught.next(() => true);
    assert.match((err.error as { message: string }).message, /httpNodeRoot is false/);
    await helper.unload();
    helper.settings({ httpNodeRoot: '/' });
    const f = flow();
    f.push({ ...(f[1] as object), id: 'n2', wires: [[], [], []] } as never);
    await helper.load(interceptor, f, { ...creds, n2: creds.n1 });
    const n2 = helper.getNode('n2');
    const taken = [helper.getNode('n1'), n2].find((n) => n.router === undefined);
    assert.ok(taken, 'one of the two must fail');
    assert.ok(taken.error.calledWithMatch(/already used/));
  });

  it('leaves upgrades on paths it does not own to other listeners', async () => {
    await load();
    const server = helper._server as import('node:http').Server;
    const other = new WebSocketServer({ noServer: true });
    const otherListener = (req: import('node:http').IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
      if (req.url === '/other') other.handleUpgrade(req, socket, head, (ws) => ws.send('hello from another endpoint'));
    };
    server.on('upgrade', otherListener);
    try {
      const ws = new WebSocket(wsUrl('/other'));
      const text = await new Promise<string>((resolve, reject) => {
        ws.once('message', (d) => resolve(String(d)));
        ws.once('error', reject);
      });
      assert.equal(text, 'hello from another endpoint');
      ws.close();
      assert.equal((await client({ durationMs: 400 }).run()).outcome, 'closed');
    } finally {
      server.removeListener('upgrade', otherListener);
      other.close();
    }
  });

  it('disconnects live sessions properly on close', async () => {
    const s = await load();
    const clients = [client({ durationMs: 60_000, speed: 1 }), client({ durationMs: 60_000, speed: 1 })];
    const runs = clients.map((c) => c.run());
    await Promise.all(clients.map((c) => s.ev.next(ev('opened', c.sessionId))));
    await helper.unload();
    const results = await Promise.all(runs);
    for (const r of results) {
      assert.equal(r.outcome, 'closed');
      assert.equal(r.disconnect?.reason, 'completed');
      assert.equal(r.serverMessages.at(-1)?.type, 'closed');
    }
    assert.equal(RED.server?.listeners('upgrade').length, baselineUpgradeListeners);
  });

  let baselineUpgradeListeners = 0;
  before(() => {
    baselineUpgradeListeners = (helper._server as import('node:http').Server).listeners('upgrade').length;
  });

  it('survives 100 redeploys without leaking upgrade listeners or sockets', async function () {
    this.timeout(60000);
    const server = helper._server as import('node:http').Server;
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    await load();
    const before = sockets();
    for (let i = 0; i < 100; i++) {
      const f = flow({ name: `deploy ${i}` });
      if (i % 25 === 0) {
        const c = client({ durationMs: 60_000, speed: 1 });
        const run = c.run();
        await new Promise<void>((resolve) => c.once('opened', () => resolve()));
        await helper.setFlows(f, 'full', creds);
        const r = await run;
        assert.equal(r.disconnect?.reason, 'completed');
      } else {
        await helper.setFlows(f, 'full', creds);
      }
      assert.equal(server.listeners('upgrade').length, baselineUpgradeListeners + 1);
    }
    assert.equal((await client({ durationMs: 400 }).run()).outcome, 'closed');
    await helper.unload();
    assert.equal(server.listeners('upgrade').length, baselineUpgradeListeners);
    // Sockets the test's own clients opened are closed by now; none of ours linger.
    await new Promise((r) => setImmediate(r));
    assert.ok(sockets() <= before, `sockets ${sockets()} > ${before}`);
  });
});
