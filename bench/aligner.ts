/**
 * bench/aligner: segments per second and memory per open conversation for genesys-aligner with
 * 5,000 concurrent conversations interleaved, beside a baseline node that only forwards messages,
 * both running in the same embedded Node-RED runtime (real flows, real message routing).
 *
 *   npx tsx bench/aligner.ts            # 5,000 conversations x 10 finals, 3 rounds
 *   npx tsx bench/aligner.ts --quick    # 5,000 conversations x 2 finals, 1 round
 *
 * Throughput: every final goes in, then one end event per conversation; the clock stops when the
 * sink has every segment and every transcript (aligner) or every forwarded message (baseline).
 * The aligner runs with its defaults (1500 ms hold-back, per-segment messages), so the end events
 * release what is still held back. Memory: the conversations are left open, garbage is collected,
 * and the heap growth is divided by the number of conversations.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startNodeRed } from './support/node-red';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const quick = process.argv.includes('--quick');
const CONVERSATIONS = 5000;
const FINALS_PER_CONVERSATION = quick ? 2 : 10;
const ROUNDS = quick ? 1 : 3;
const FEED_CHUNK = 1000;
const T0 = Date.UTC(2026, 0, 1);

interface Msg {
  topic?: string;
  payload: unknown;
  [k: string]: unknown;
}
interface InputNode {
  receive(msg: Msg): void;
}

// The sink node counts what reaches it and tells the bench when a target is met.
const sinkState = { count: 0, target: Infinity, resolve: (): void => undefined };
(globalThis as Record<string, unknown>).__alignerBenchSink = sinkState;

const BENCH_NODES = {
  'bench-forward': `module.exports = function (RED) {
  RED.nodes.registerType('bench-forward', function (config) {
    RED.nodes.createNode(this, config);
    this.on('input', function (msg, send, done) { send(msg); done(); });
  });
};\n`,
  'bench-sink': `module.exports = function (RED) {
  const state = globalThis.__alignerBenchSink;
  RED.nodes.registerType('bench-sink', function (config) {
    RED.nodes.createNode(this, config);
    this.on('input', function (msg, send, done) {
      if (++state.count === state.target) state.resolve();
      done();
    });
  });
};\n`,
};

const WORDS = ['i', 'would', 'like', 'to', 'check', 'my', 'last', 'bill'];

/** Finals for every conversation, interleaved: round k carries the k-th final of each conversation. */
function finals(tag: string): Msg[] {
  const out: Msg[] = [];
  for (let k = 0; k < FINALS_PER_CONVERSATION; k++) {
    for (let c = 0; c < CONVERSATIONS; c++) {
      const conversationId = `${tag}-conv-${c}`;
      const startMs = T0 + k * 3000;
      const words = WORDS.map((text, i) => ({ text, startMs: startMs + i * 250, endMs: startMs + i * 250 + 200, confidence: 0.9 }));
      out.push({
        topic: conversationId,
        payload: {
          conversationId,
          communicationId: `comm-${c}`,
          utteranceId: `${conversationId}-u${k}`,
          channel: k % 2 === 0 ? 'EXTERNAL' : 'INTERNAL',
          speaker: k % 2 === 0 ? 'customer' : 'agent',
          isFinal: true,
          text: WORDS.join(' '),
          confidence: 0.9,
          startMs,
          endMs: startMs + 2000,
          words,
          language: 'en-US',
          engine: 'GENESYS',
          receivedAt: startMs + 2800,
        },
      });
    }
  }
  return out;
}

function ends(tag: string): Msg[] {
  const out: Msg[] = [];
  for (let c = 0; c < CONVERSATIONS; c++) out.push({ topic: `${tag}-conv-${c}`, payload: { event: 'conversation-ended', conversationId: `${tag}-conv-${c}` } });
  return out;
}

function expectOutputs(n: number): Promise<void> {
  sinkState.count = 0;
  sinkState.target = n;
  return new Promise((done) => (sinkState.resolve = done));
}

/** Feeds messages in chunks, yielding so Node-RED can deliver what is queued (as a socket would). */
async function feed(node: InputNode, msgs: Msg[]): Promise<void> {
  for (let i = 0; i < msgs.length; i++) {
    node.receive(msgs[i]!);
    if (i % FEED_CHUNK === FEED_CHUNK - 1) await new Promise((r) => setImmediate(r));
  }
}

async function throughput(node: InputNode, tag: string): Promise<Rate> {
  const input = finals(tag);
  const endMsgs = ends(tag);
  const done = expectOutputs(input.length + endMsgs.length); // segments + transcripts, or forwarded messages
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  await feed(node, input);
  await feed(node, endMsgs);
  await done;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { wall: input.length / seconds, cpu: input.length / cpuSeconds };
}

interface Rate {
  /** Segments per wall-clock second. */
  wall: number;
  /** Segments per second of this process's CPU time (less sensitive to other jobs on the machine). */
  cpu: number;
}

async function heapPerConversation(node: InputNode, tag: string, release: () => Promise<void>): Promise<number> {
  await settle();
  const before = process.memoryUsage().heapUsed;
  // Generated after the first reading and dropped before the second: only what the node keeps counts.
  const input = finals(tag);
  const arrived = expectOutputs(input.length);
  await feed(node, input);
  await arrived; // every segment is out (the hold-back window has passed): steady state
  input.length = 0; // the bench's own copies of the messages must not count
  await settle();
  const after = process.memoryUsage().heapUsed;
  await release();
  return (after - before) / CONVERSATIONS;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
}

async function main(): Promise<void> {
  // The aligner's timers are unref'd (they must not keep a stopped runtime alive) and this
  // embedded runtime listens on no port: keep the process up while outputs are pending.
  const keepAlive = setInterval(() => undefined, 1000);
  const flows = [
    { id: 'tab', type: 'tab', label: 'bench' },
    { id: 'fw', z: 'tab', type: 'bench-forward', wires: [['fwSink']] },
    { id: 'fwSink', z: 'tab', type: 'bench-sink', wires: [] },
    // Defaults of the editor, alerts included (they cost what they cost in production).
    { id: 'al', z: 'tab', type: 'genesys-aligner', property: 'payload', holdBackMs: 1500, emit: 'segment', batchSize: 10, batchIntervalMs: 1000, emitPartials: true, latencyThresholdMs: 5000, driftThresholdMs: 2000, gapThresholdMs: 20000, idleTimeoutS: 600, maxConversations: 10000, maxSegmentsPerConversation: 10000, wires: [['alSink'], [], []] },
    { id: 'alSink', z: 'tab', type: 'bench-sink', wires: [] },
  ];
  const embedded = await startNodeRed({ name: 'bench-aligner', packNodes: ['genesys-aligner'], benchNodes: BENCH_NODES, flows });
  const RED = embedded.RED;
  const forward = RED.nodes.getNode('fw') as InputNode;
  const aligner = RED.nodes.getNode('al') as InputNode;
  if (!forward || !aligner) throw new Error('bench flow did not start');

  const segments = CONVERSATIONS * FINALS_PER_CONVERSATION;
  console.log(`bench/aligner: ${CONVERSATIONS} conversations interleaved, ${FINALS_PER_CONVERSATION} finals each (${segments} segments), ${ROUNDS} round(s), Node-RED ${RED.version()}, node ${process.version}`);
  console.log('note: 2 shared cores, other jobs running; figures are indicative (best of rounds).');

  await throughput(forward, 'warm-fw');
  await throughput(aligner, 'warm-al');
  const best = { fw: { wall: 0, cpu: 0 }, al: { wall: 0, cpu: 0 } };
  for (let r = 0; r < ROUNDS; r++) {
    const fw = await throughput(forward, `fw${r}`);
    const al = await throughput(aligner, `al${r}`);
    console.log(
      `  round ${r + 1}: baseline ${Math.round(fw.wall)} segments/s (${Math.round(fw.cpu)}/CPU-s), aligner ${Math.round(al.wall)} segments/s (${Math.round(al.cpu)}/CPU-s)`,
    );
    best.fw = { wall: Math.max(best.fw.wall, fw.wall), cpu: Math.max(best.fw.cpu, fw.cpu) };
    best.al = { wall: Math.max(best.al.wall, al.wall), cpu: Math.max(best.al.cpu, al.cpu) };
  }

  const fwBytes = await heapPerConversation(forward, 'mem-fw', async () => undefined);
  const alBytes = await heapPerConversation(aligner, 'mem-al', async () => {
    const done = expectOutputs(CONVERSATIONS);
    await feed(aligner, ends('mem-al'));
    await done;
  });

  console.log('');
  console.log('| measure | baseline (forward only) | genesys-aligner | ratio |');
  console.log('|---|---:|---:|---:|');
  console.log(`| segments/s through Node-RED (wall clock) | ${Math.round(best.fw.wall)} | ${Math.round(best.al.wall)} | ${(best.al.wall / best.fw.wall).toFixed(2)} |`);
  console.log(`| segments per CPU-second of the process | ${Math.round(best.fw.cpu)} | ${Math.round(best.al.cpu)} | ${(best.al.cpu / best.fw.cpu).toFixed(2)} |`);
  console.log(`| heap per open conversation (${FINALS_PER_CONVERSATION} segments kept) | ${Math.round(fwBytes)} B | ${Math.round(alBytes)} B | - |`);
  console.log(`| heap per kept segment | - | ${Math.round(alBytes / FINALS_PER_CONVERSATION)} B | - |`);

  clearInterval(keepAlive);
  await embedded.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
