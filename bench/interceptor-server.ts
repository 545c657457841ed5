/**
 * Server side of bench/interceptor.ts, run in its own process:
 *   --mode nodered  real Node-RED (embedded runtime) with a genesys-interceptor node on /audiohook
 *                   whose audio and summary outputs feed a counting node;
 *   --mode bare     a bare ws server that answers open, ping and close and counts frames (baseline).
 * Talks to the parent over IPC: sends {ready, port}; answers {cmd:'stats'} and {cmd:'stop'}.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';

export interface ServerStats {
  frames: number;
  bytes: number;
  sessionsEnded: number;
  cleanSessions: number;
  lostSeconds: number;
  errors: number;
}

const stats: ServerStats = { frames: 0, bytes: 0, sessionsEnded: 0, cleanSessions: 0, lostSeconds: 0, errors: 0 };
(globalThis as Record<string, unknown>).__interceptorBenchStats = stats;

const API_KEY = 'bench-api-key-not-real';
const SECRET = Buffer.from('bench-secret-not-real').toString('base64');
const option = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const mode = option('--mode', 'nodered');
const audioOutput = option('--audio', 'raw');

async function startBare(): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = http.createServer((_q, r) => r.end());
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/audiohook') return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      let seq = 0;
      let clean = false;
      ws.on('message', (data, isBinary) => {
        const buf = data as Buffer;
        if (isBinary) {
          stats.frames++;
          stats.bytes += buf.length;
          return;
        }
        const m = JSON.parse(buf.toString());
        const reply = (type: string, parameters: unknown) => ws.send(JSON.stringify({ version: '2', id: m.id, type, seq: ++seq, clientseq: m.seq, parameters }));
        if (m.type === 'ping') reply('pong', {});
        else if (m.type === 'open') reply('opened', { media: [m.parameters.media[0]] });
        else if (m.type === 'close') {
          clean = true;
          reply('closed', {});
        }
      });
      ws.on('error', () => stats.errors++);
      ws.on('close', () => {
        stats.sessionsEnded++;
        if (clean) stats.cleanSessions++;
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

async function startNodeRed(): Promise<{ port: number; stop: () => Promise<void> }> {
  const root = resolve(__dirname, '..');
  const dir = mkdtempSync(join(tmpdir(), 'interceptor-bench-'));
  const nodesDir = join(dir, 'nodes');
  const userDir = join(dir, 'user');
  for (const d of [nodesDir, userDir]) mkdirSync(d, { recursive: true });
  // Node-RED loads .js node files: a shim that loads our TypeScript through tsx.
  writeFileSync(
    join(nodesDir, 'genesys-interceptor.js'),
    `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nmodule.exports = require(${JSON.stringify(join(root, 'nodes/genesys-interceptor/genesys-interceptor.ts'))}).default;\n`,
  );
  copyFileSync(join(root, 'nodes/genesys-interceptor/genesys-interceptor.html'), join(nodesDir, 'genesys-interceptor.html'));
  writeFileSync(
    join(nodesDir, 'interceptor-bench-sink.js'),
    `module.exports = function (RED) {
  function Sink(config) {
    RED.nodes.createNode(this, config);
    const stats = globalThis.__interceptorBenchStats;
    this.on('input', (msg, send, done) => {
      if (Buffer.isBuffer(msg.payload)) { stats.frames += msg.audio.frames; stats.bytes += msg.payload.length; }
      else if (msg.event === 'summary') {
        stats.sessionsEnded++;
        if (msg.payload.clean) stats.cleanSessions++;
        if (${JSON.stringify(audioOutput)} === 'none') { stats.frames += msg.payload.frames; stats.bytes += msg.payload.bytes; }
        stats.lostSeconds += msg.payload.lostSeconds;
      }
      done();
    });
  }
  RED.nodes.registerType('interceptor-bench-sink', Sink);
};\n`,
  );
  writeFileSync(join(nodesDir, 'interceptor-bench-sink.html'), '<script type="text/html" data-template-name="interceptor-bench-sink"></script>\n');
  const flows = [
    { id: 't1', type: 'tab', label: 'bench' },
    {
      id: 'ah', type: 'genesys-interceptor', z: 't1', path: '/audiohook', maxSessions: 0, acceptPcmu: true,
      maxRttMs: 50, maxLossRatio: 0.01, maxJitterMs: 100, silenceSeconds: 30, lateFrameMs: 1000,
      audioOutput, frameGroup: 1, wires: [[], ['sink'], ['sink']],
    },
    { id: 'sink', type: 'interceptor-bench-sink', z: 't1', wires: [] },
  ];
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flows));
  writeFileSync(join(userDir, 'flows_cred.json'), JSON.stringify({ ah: { apiKey: API_KEY, clientSecret: SECRET } }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RED = require('node-red');
  const server = http.createServer((_q, r) => {
    r.statusCode = 404;
    r.end();
  });
  RED.init(server, {
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: '/',
    nodesDir: [nodesDir],
    logging: { console: { level: 'warn' } },
    editorTheme: { tours: false },
    telemetry: { enabled: false },
  });
  await RED.start();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      await RED.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const srv = mode === 'bare' ? await startBare() : await startNodeRed();
  // Event-loop delay and CPU time of this process: what the server itself costs under the load.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let cpuAtReset = process.cpuUsage();
  process.on('message', async (m: { cmd: string }) => {
    if (m.cmd === 'stats') {
      const cpu = process.cpuUsage(cpuAtReset);
      process.send?.({ stats: { ...stats, cpuMs: (cpu.user + cpu.system) / 1000, loopDelayP99Ms: loop.percentile(99) / 1e6 } });
    } else if (m.cmd === 'reset') {
      Object.assign(stats, { frames: 0, bytes: 0, sessionsEnded: 0, cleanSessions: 0, lostSeconds: 0, errors: 0 });
      loop.reset();
      cpuAtReset = process.cpuUsage();
      process.send?.({ reset: true });
    } else if (m.cmd === 'stop') {
      await srv.stop().catch(() => undefined);
      process.exit(0);
    }
  });
  process.send?.({ ready: true, port: srv.port, apiKey: API_KEY, secret: SECRET });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
