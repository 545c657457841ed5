import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { AudioHookRouter, PathTakenError } from '../../../lib/audiohook/router';
import type { ServerSession } from '../../../lib/audiohook/session';
import { AudioHookClient, type AudioHookClientOptions } from '../../../lib/sim/audiohook-client';

const API_KEY = 'test-api-key-not-real';
const SECRET = Buffer.from('test-secret-not-real').toString('base64');

describe('audiohook upgrade router', () => {
  let server: http.Server;
  let base: string;
  beforeEach(async () => {
    server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const client = (o: Partial<AudioHookClientOptions> = {}) =>
    new AudioHookClient({ url: `${base}/ah`, apiKey: API_KEY, clientSecret: SECRET, durationMs: 1000, speed: 20, ...o });

  it('attaches one upgrade listener, refuses a taken path, detaches cleanly', async () => {
    const a = new AudioHookRouter({ path: '/ah', auth: { apiKey: API_KEY } });
    a.attach(server);
    assert.equal(server.listeners('upgrade').length, 1);
    const b = new AudioHookRouter({ path: '/ah', auth: { apiKey: API_KEY } });
    assert.throws(() => b.attach(server), PathTakenError);
    await a.detach();
    assert.equal(server.listeners('upgrade').length, 0);
    b.attach(server); // free again
    await b.detach();
  });

  it('runs signed sessions end to end', async () => {
    const r = new AudioHookRouter({ path: '/ah', auth: { apiKey: API_KEY, clientSecret: SECRET } });
    r.attach(server);
    const res = await client().run();
    assert.equal(res.outcome, 'closed');
    assert.ok(res.framesSent > 0);
    await r.detach();
  });

  it('rejects at capacity with 503, a missing session id with 400', async () => {
    const r = new AudioHookRouter({ path: '/ah', auth: { apiKey: API_KEY, clientSecret: SECRET }, maxSessions: 1 });
    r.attach(server);
    const rejected: number[] = [];
    r.on('rejected', (x) => rejected.push(x.status));
    const live = client({ durationMs: 60_000, speed: 1 });
    const run = live.run();
    await new Promise<void>((res) => live.once('opened', () => res()));
    const over = await client().run();
    assert.equal(over.httpStatus, 503);
    const noId = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${base}/ah`, { headers: { 'X-API-KEY': API_KEY } });
      ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
    assert.equal(noId, 400);
    assert.deepEqual(rejected, [503, 400]);
    await r.detach();
    const res = await run;
    assert.equal(res.disconnect?.reason, 'completed');
    assert.equal(res.outcome, 'closed');
  });

  it('detach drops clients that do not answer the disconnect within the grace period', async () => {
    const r = new AudioHookRouter({ path: '/ah', auth: { apiKey: API_KEY, clientSecret: SECRET } });
    r.attach(server);
    const sessions: ServerSession[] = [];
    r.on('session', (s) => sessions.push(s));
    const stalled = client({ durationMs: 60_000, speed: 1, faults: { stallAfterOpen: true } });
    const run = stalled.run();
    await new Promise<void>((res) => stalled.once('opened', () => res()));
    await r.detach(100);
    const res = await run;
    assert.equal(res.outcome, 'dropped');
    assert.equal(r.sessions.size, 0);
  });

  it('the simulator client reports a server that forgets parameters or pongs', async () => {
    const wss = new WebSocketServer({ server, path: '/bad' });
    wss.on('connection', (ws) => {
      let seq = 0;
      ws.on('message', (d, bin) => {
        if (bin) return;
        const m = JSON.parse(String(d));
        const reply = (type: string, parameters?: unknown) => ws.send(JSON.stringify({ version: '2', id: m.id, type, seq: ++seq, clientseq: m.seq, ...(parameters ? { parameters } : {}) }));
        if (m.type === 'open') reply('opened', { media: [m.parameters.media[0]] });
        if (m.type === 'ping') reply('pong'); // no parameters: the pipecat bug
        if (m.type === 'close') reply('closed', {});
      });
    });
    const res = await client({ url: `${base}/bad`, firstPingMs: 100 }).run();
    assert.match(res.errors[0], /^400 Message not an AudioHook server message/);
    assert.equal(res.closeReason, 'error');
    wss.close();
  });

  it('the simulator client times out a missing pong (408)', async () => {
    const wss = new WebSocketServer({ server, path: '/nopong' });
    wss.on('connection', (ws) => {
      let seq = 0;
      ws.on('message', (d, bin) => {
        if (bin) return;
        const m = JSON.parse(String(d));
        const reply = (type: string, parameters: unknown) => ws.send(JSON.stringify({ version: '2', id: m.id, type, seq: ++seq, clientseq: m.seq, parameters }));
        if (m.type === 'open') reply('opened', { media: [m.parameters.media[0]] });
        if (m.type === 'close') reply('closed', {});
      });
    });
    const res = await client({ url: `${base}/nopong`, durationMs: 10_000, speed: 50, firstPingMs: 100, pingIntervalMs: 1000 }).run();
    assert.deepEqual(res.errors, ['408 Timeout waiting for pong']);
    assert.equal(res.outcome, 'closed');
    wss.close();
  });
});
