/**
 * bench/transcript-in: utterances per second from the Genesys simulator through
 * genesys-transcript-in to a counting node, in an embedded Node-RED runtime, and the p99 arrival
 * delay (publish on the simulator -> counting node), beside a baseline of the same kind of frames
 * through a core `websocket in` node (+ `json`) on its own notification channel. Same run, same
 * process, same simulator.
 *
 *   npx tsx bench/transcript-in.ts            # 3 rounds of 20,000 events per path, then 3 s paced at 1,000/s
 *   npx tsx bench/transcript-in.ts --quick    # 1 round of 3,000 events per path, then 1 s paced
 *
 * Each path gets its own conversation ids (so each flood is measured alone) with one final
 * result per event, built from the scripted calls. "Flood": every event published as fast as the
 * simulator can, throughput = events / (first publish -> last arrival). "Paced": a fixed rate
 * below saturation; its p99 is the per-event delay a live call would see.
 */
import { GenesysRestClient } from '../lib/genesys/rest-client';
import { GenesysTokenProvider } from '../lib/genesys/token-provider';
import { transcriptionTopic } from '../lib/genesys/topics';
import { loadScripts } from '../lib/sim/conversations/script';
import { SimServer } from '../lib/sim/server';
import { startNodeRed } from './support/node-red';

const quick = process.argv.includes('--quick');
const FLOOD_EVENTS = quick ? 3000 : 20_000;
const ROUNDS = quick ? 1 : 3;
const PACED_RATE = 1000;
const PACED_SECONDS = quick ? 1 : 3;
const CONVERSATIONS = 50;
const CHUNK = 200;
const CLIENT = { id: 'bench-client', secret: 'bench-secret-not-real' };

type PathName = 'transcript-in' | 'websocket-in';

interface Counter {
  expected: Set<string>;
  publishedAt: Map<string, number>;
  arrivals: number[];
  lastArrival: number;
  resolve: () => void;
}

const counters: Record<PathName, Counter> = {
  'transcript-in': newCounter(),
  'websocket-in': newCounter(),
};
function newCounter(): Counter {
  return { expected: new Set(), publishedAt: new Map(), arrivals: [], lastArrival: 0, resolve: () => undefined };
}

/** Called by the counting nodes (the only code of the bench inside the flows). */
(globalThis as Record<string, unknown>).__transcriptInBench = (path: PathName, key: string) => {
  const c = counters[path];
  if (!c.expected.delete(key)) return;
  const now = performance.now();
  c.arrivals.push(now - (c.publishedAt.get(key) ?? now));
  c.lastArrival = now;
  if (c.expected.size === 0) c.resolve();
};

const COUNT_NODE = `module.exports = function (RED) {
  const count = globalThis.__transcriptInBench;
  RED.nodes.registerType('bench-count', function (config) {
    RED.nodes.createNode(this, config);
    const path = config.path;
    this.on('input', function (msg, send, done) {
      if (path === 'transcript-in') count(path, msg.topic + '/' + msg.payload.utteranceId);
      else {
        const body = msg.payload && msg.payload.eventBody;
        if (body && Array.isArray(body.transcripts)) for (const r of body.transcripts) count(path, body.conversationId + '/' + r.utteranceId);
      }
      done();
    });
  });
};\n`;

const utterances = loadScripts().flatMap((s) => s.utterances);

function event(conversationId: string, n: number): Record<string, unknown> {
  const u = utterances[n % utterances.length]!;
  const t0 = Date.UTC(2026, 0, 1, 12);
  return {
    eventTime: new Date(t0).toISOString(),
    organizationId: 'bench-org',
    conversationId,
    communicationId: `${conversationId}-comm`,
    sessionStartTimeMs: t0 - 1200,
    transcriptionStartTimeMs: t0,
    transcripts: [
      {
        utteranceId: `u-${n}`,
        isFinal: true,
        channel: u.channel,
        alternatives: [{ confidence: u.confidence, offsetMs: u.offsetMs, durationMs: u.durationMs, transcript: u.transcript, words: u.words.map((w) => ({ word: w.word, confidence: w.confidence, offsetMs: w.offsetMs, durationMs: w.durationMs })) }],
        engineProvider: 'GENESYS',
        engineId: 'sim-engine',
        dialect: 'en-US',
      },
    ],
    status: { offsetMs: u.offsetMs + u.durationMs, status: 'SESSION_ONGOING' },
  };
}

function ids(prefix: string): string[] {
  return Array.from({ length: CONVERSATIONS }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
}

/** Publishes `count` events round-robin over the path's conversations; resolves at the last arrival. */
async function run(sim: SimServer, path: PathName, conversations: string[], count: number, start: number, ratePerSec?: number): Promise<{ perSec: number; p50: number; p99: number; lost: number }> {
  const c = counters[path];
  Object.assign(c, newCounter());
  const events: Array<[string, string, Record<string, unknown>]> = [];
  for (let i = 0; i < count; i++) {
    const conv = conversations[i % conversations.length]!;
    const n = start + i;
    events.push([transcriptionTopic(conv), `${conv}/u-${n}`, event(conv, n)]);
    c.expected.add(`${conv}/u-${n}`);
  }
  const all = new Promise<void>((r) => (c.resolve = r));
  const t0 = performance.now();
  for (let i = 0; i < events.length; i++) {
    const [topic, key, body] = events[i]!;
    c.publishedAt.set(key, performance.now());
    sim.publish(topic, body);
    if (ratePerSec) {
      const due = t0 + ((i + 1) * 1000) / ratePerSec;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      else if (i % 20 === 19) await new Promise((r) => setImmediate(r));
    } else if (i % CHUNK === CHUNK - 1) await new Promise((r) => setImmediate(r));
  }
  const timeout = new Promise<void>((r) => setTimeout(r, 60_000).unref());
  await Promise.race([all, timeout]);
  const arrivals = [...c.arrivals].sort((a, b) => a - b);
  const pct = (p: number) => arrivals[Math.min(arrivals.length - 1, Math.floor(arrivals.length * p))] ?? NaN;
  return { perSec: arrivals.length / ((c.lastArrival - t0) / 1000), p50: pct(0.5), p99: pct(0.99), lost: c.expected.size };
}

function until(check: () => boolean, sim: SimServer): Promise<void> {
  return new Promise((resolvePromise) => {
    if (check()) return resolvePromise();
    const on = () => {
      if (!check()) return;
      sim.off('subscriptions', on);
      sim.off('socketOpened', on);
      resolvePromise();
    };
    sim.on('subscriptions', on);
    sim.on('socketOpened', on);
  });
}

async function main(): Promise<void> {
  const sim = await SimServer.start({ port: 0, clients: [{ ...CLIENT, name: 'bench' }] });
  const ours = ids('tin');
  const theirs = ids('wsi');
  // The baseline gets its own channel (one socket per channel), subscribed through the REST API.
  const tokens = new GenesysTokenProvider({ loginBase: sim.loginBase, clientId: CLIENT.id, clientSecret: CLIENT.secret });
  const rest = new GenesysRestClient({ apiBase: sim.apiBase, tokens });
  const channel = (await rest.request<{ id: string; connectUri: string }>({ method: 'POST', path: '/api/v2/notifications/channels', body: {} })).body;
  await rest.request({ method: 'PUT', path: `/api/v2/notifications/channels/${channel.id}/subscriptions`, body: theirs.map((c) => ({ id: transcriptionTopic(c) })) });

  const flows = [
    { id: 'tab', type: 'tab', label: 'bench' },
    { id: 'cfg', type: 'genesys-auth', name: 'sim', region: 'custom', apiBase: sim.apiBase, loginBase: sim.loginBase },
    // Dialog defaults: partials on, offsets from transcriptionStartTimeMs, 60 s heartbeat.
    { id: 'tin', z: 'tab', type: 'genesys-transcript-in', auth: 'cfg', conversationIds: ours.join('\n'), queueIds: '', userIds: '', partials: true, summaries: false, suggestions: false, heartbeatTimeout: 60, offsetReference: 'transcriptionStart', shardIndex: 1, shardCount: 1, idProperty: 'payload.conversationId', wires: [['tinCount'], []] },
    { id: 'tinCount', z: 'tab', type: 'bench-count', path: 'transcript-in', wires: [] },
    { id: 'wsc', type: 'websocket-client', path: channel.connectUri, tls: '', wholemsg: 'false', hb: '0', subprotocol: '', headers: [] },
    { id: 'wsi', z: 'tab', type: 'websocket in', name: '', server: '', client: 'wsc', wires: [['wsiJson']] },
    { id: 'wsiJson', z: 'tab', type: 'json', property: 'payload', action: 'obj', pretty: false, wires: [['wsiCount']] },
    { id: 'wsiCount', z: 'tab', type: 'bench-count', path: 'websocket-in', wires: [] },
  ];
  const embedded = await startNodeRed({
    name: 'bench-transcript-in',
    packNodes: ['genesys-auth', 'genesys-transcript-in'],
    benchNodes: { 'bench-count': COUNT_NODE },
    flows,
    credentials: { cfg: { clientId: CLIENT.id, clientSecret: CLIENT.secret } },
  });
  const RED = embedded.RED;
  const open = () => new Set(sim.channels().filter((c) => c.connected).map((c) => c.id));
  await until(() => {
    const o = open();
    return o.has(channel.id) && ours.every((c) => sim.channelsFor(transcriptionTopic(c)).some((id) => o.has(id)));
  }, sim);

  console.log(`bench/transcript-in: ${FLOOD_EVENTS} events per path and round, ${ROUNDS} round(s), best kept (one final each, ${CONVERSATIONS} conversations), then ${PACED_SECONDS} s at ${PACED_RATE}/s; Node-RED ${RED.version()}, node ${process.version}`);
  console.log('note: 2 shared cores with other jobs running, simulator in the same process: figures are indicative.');
  // Warm up both paths (JIT, socket buffers).
  await run(sim, 'transcript-in', ours, 1000, 0);
  await run(sim, 'websocket-in', theirs, 1000, 0);
  // Alternate the paths round by round and keep each path's best round (the machine is noisy).
  type R = Awaited<ReturnType<typeof run>>;
  const best = (a: R | undefined, b: R): R => (!a || b.perSec > a.perSec ? b : a);
  let floodOurs: R | undefined;
  let floodBase: R | undefined;
  let start = 10_000;
  for (let round = 0; round < ROUNDS; round++) {
    floodOurs = best(floodOurs, await run(sim, 'transcript-in', ours, FLOOD_EVENTS, start));
    floodBase = best(floodBase, await run(sim, 'websocket-in', theirs, FLOOD_EVENTS, start));
    start += FLOOD_EVENTS;
  }
  if (!floodOurs || !floodBase) throw new Error('no rounds');
  const pacedOurs = await run(sim, 'transcript-in', ours, PACED_RATE * PACED_SECONDS, start, PACED_RATE);
  const pacedBase = await run(sim, 'websocket-in', theirs, PACED_RATE * PACED_SECONDS, start, PACED_RATE);

  const row = (name: string, f: typeof floodOurs, p: typeof pacedOurs) =>
    `${name.padEnd(34)} ${f.perSec.toFixed(0).padStart(8)} utt/s   flood p99 ${f.p99.toFixed(1).padStart(7)} ms   paced p50 ${p.p50.toFixed(2).padStart(6)} ms  p99 ${p.p99.toFixed(2).padStart(6)} ms${f.lost + p.lost ? `   LOST ${f.lost + p.lost}` : ''}`;
  console.log(row('genesys-transcript-in', floodOurs, pacedOurs));
  console.log(row('baseline: websocket in + json', floodBase, pacedBase));
  console.log(`ratio (transcript-in / baseline): throughput ${(floodOurs.perSec / floodBase.perSec).toFixed(2)}x, paced p99 ${(pacedOurs.p99 / pacedBase.p99).toFixed(2)}x`);

  await embedded.stop();
  tokens.close();
  await sim.close();
  process.exit(floodOurs.lost + pacedOurs.lost + floodBase.lost + pacedBase.lost > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
