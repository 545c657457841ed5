/**
 * Every file under examples/ imports into a real Node-RED (the project's devDependency, with this
 * pack loaded from the build) and deploys without errors. One Node-RED and one simulator serve
 * all examples; each example is deployed as a full deployment replacing the previous one, the way
 * a user would after Import -> Examples, with the config node filled in as its Comment says
 * (simulator URL and demo credentials).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startDemo, type DemoProcess } from './support/demo-process';
import { CommsListener } from './support/comms';
import { fillExampleForSimulator, type FlowNode } from './support/flows';

const examplesDir = join(repoRoot, 'examples');
const PACKAGE = '@agent-assist/node-red-genesys';
const exampleFiles = readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort();

/**
 * Upper bound for every pack node of an example to finish starting (a login and a channel for
 * transcript-in on a busy machine); the test goes on as soon as the last one has.
 */
const STARTUP_TIMEOUT_MS = 60_000;

interface NodeStatus {
  fill?: string;
  shape?: string;
  text?: string;
}

/**
 * Per node type, the status it shows once it is up, as opposed to what it shows on the way there
 * (see nodes/<type>/<type>.ts, lib/transcript/feed-status.ts, lib/audiohook/status.ts). A red
 * status also ends the wait (hasStarted). The empty status (a node clearing its status on close)
 * never counts.
 */
const STARTED: Record<string, (s: NodeStatus) => boolean> = {
  // "connecting" (idle or waiting for its channel) and "reconnecting (attempt n)" are transient;
  // up means "connected N live" (login done, channel open, subscriptions applied). A failing
  // login or a channel that keeps failing turns red (lib/transcript/feed-status.ts).
  'genesys-transcript-in': (s) => s.text?.startsWith('connected') === true,
  // "starting" is transient; up means its first "N written, queue M", drawn once the writer has
  // opened the trail (directory, lock, chain continued: writer.start() resolved). Failure is red:
  // "unavailable: CODE", or "disk error CODE, …" while it retries.
  'genesys-audit-out': (s) => Boolean(s.text) && s.text !== 'starting',
  // Set in the constructor once the router is attached to Node-RED's HTTP server ("0 live" =
  // listening); nothing in its start-up is asynchronous.
  'genesys-interceptor': (s) => Boolean(s.text),
  // These three set "N conv · …" in the constructor once their lib object exists and have no
  // asynchronous start-up: the status is the event that they have been built.
  'genesys-aligner': (s) => Boolean(s.text),
  'genesys-redactor': (s) => Boolean(s.text),
  'genesys-summary-validator': (s) => Boolean(s.text),
};

/**
 * Start-up is over, either way: up (STARTED), or failed. A node that cannot start says so in red:
 * "invalid configuration" (nodes/shared/invalid-config.ts), the interceptor's fail() ("path
 * taken", config errors), transcript-in's "config error" / "not configured" / a failed login / a
 * channel still failing after a few retries (lib/transcript/feed-status.ts), audit-out's
 * "unavailable: CODE".
 */
function hasStarted(type: string, s: NodeStatus): boolean {
  return s.fill === 'red' || STARTED[type](s);
}

describe('examples (real Node-RED)', function () {
  this.timeout(180_000);
  let demo: DemoProcess;
  let comms: CommsListener;

  before(async function () {
    demo = await startDemo({ env: { DEMO_FLOWS: 'empty', DEMO_SPEED: '4', DEMO_CALL_GAP_MS: '3000' } });
    comms = await CommsListener.open(demo.editorUrl);
  });

  after(async function () {
    comms?.close();
    await demo?.stop();
  });

  it('are what demo/build-examples.mjs generates (so are demo/flows.json and its credentials file)', function () {
    execFileSync(process.execPath, [join(repoRoot, 'demo', 'build-examples.mjs'), '--check'], { stdio: 'pipe' });
  });

  it('has one example per non-config node of the pack and the full demo', function () {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
    const used = new Set(exampleFiles.flatMap((f) => (JSON.parse(readFileSync(join(examplesDir, f), 'utf8')) as FlowNode[]).map((n) => n.type)));
    const built = Object.keys(pkg['node-red'].nodes).filter((t) => t !== 'genesys-auth' && existsBuilt(t));
    for (const type of built) assert.ok(used.has(type), `no example uses ${type}`);
    assert.ok(exampleFiles.some((f) => /full agent-assist demo/i.test(f)), 'the full demo is missing');
  });

  it('are listed under Import -> Examples -> @agent-assist/node-red-genesys', async function () {
    const res = await fetch(`${demo.editorUrl}library/examples/flows/${PACKAGE}`);
    assert.equal(res.status, 200);
    const listed = ((await res.json()) as Array<{ fn?: string }>).map((e) => e.fn);
    assert.deepEqual(listed, exampleFiles.map((f) => f.replace(/\.json$/, '')));
  });

  for (const file of exampleFiles) {
    it(`${file} deploys and starts without errors`, async function () {
      // Imported the way the editor's Import -> Examples menu fetches it.
      const res = await fetch(`${demo.editorUrl}library/examples/flows/${PACKAGE}/${encodeURIComponent(file.replace(/\.json$/, ''))}`);
      assert.equal(res.status, 200, `the example library answered ${res.status}`);
      const flow = (await res.json()) as FlowNode[];
      assert.deepEqual(flow, JSON.parse(readFileSync(join(examplesDir, file), 'utf8')));
      const comments = flow.filter((n) => n.type === 'comment' && typeof n.info === 'string' && (n.info as string).length > 40);
      assert.ok(comments.length > 0, 'each example explains itself in a Comment node');
      const deployed = fillExampleForSimulator(flow, demo.simUrl!);
      // genesys-auth, the config node, shows no status and needs no wait of its own: it warns
      // about bad settings in its constructor (before "Started flows"), and logs in when its first
      // user registers; that user, transcript-in (its only one in the examples), shows the login
      // in its status and is waited for, and a failed login turns it red.
      const packNodes = flow.filter((n) => n.type.startsWith('genesys-') && n.type !== 'genesys-auth');
      for (const n of packNodes) assert.ok(n.type in STARTED, `the test does not know when ${n.type} has started: add it to STARTED`);

      const offset = demo.output().length;
      const statusFrom = comms.messages.length;
      const deploy = await fetch(`${demo.editorUrl}flows`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'full' },
        body: JSON.stringify({ flows: deployed }),
      });
      assert.equal(deploy.status, 200, `deploy answered ${deploy.status}: ${await deploy.text()}`);
      await demo.waitForLine(/\[info\] Started flows/, 30_000, offset);

      // Press the example's inject buttons, as its Comment invites (except those that need a
      // live call's ids), then see its debug nodes receive something: the example does work.
      const commsFrom = comms.messages.length;
      const injects = flow.filter((n) => n.type === 'inject' && !/live call/i.test(String(n.name ?? '')));
      for (const n of injects) {
        const r = await fetch(`${demo.editorUrl}inject/${n.id}`, { method: 'POST' });
        assert.equal(r.status, 200, `pressing inject "${n.name}" answered ${r.status}`);
      }
      const debugIds = new Set(flow.filter((n) => n.type === 'debug').map((n) => n.id));
      if (injects.length > 0 || flow.some((n) => n.type === 'genesys-transcript-in')) {
        await comms.waitFor((m) => m.topic === 'debug' && debugIds.has(String(m.data.id)), 60_000, commsFrom, `debug output from ${file}`);
      }
      // Asynchronous start-up (logins, channels, files) is over once every pack node of the
      // example has said so in its status; then whatever Node-RED logged until then is in output.
      const settled = await Promise.all(packNodes.map((n) => waitUntilStarted(n, statusFrom)));
      await demo.outputCaughtUp();

      const after = demo.output().slice(offset).split('\n');
      const problems = after.filter((l) => / - \[(error|warn)\] /.test(l));
      assert.deepEqual(problems, [], `${file} logged errors or warnings after deploy`);
      const failed = packNodes.flatMap((n, i) => (settled[i].fill === 'red' ? [`${n.type} ${n.id}: ${settled[i].text}`] : []));
      assert.deepEqual(failed, [], `${file}: nodes that did not start (red status)`);

      const state = (await (await fetch(`${demo.editorUrl}flows`, { headers: { 'Node-RED-API-Version': 'v2' } })).json()) as { flows: FlowNode[] };
      const ids = new Set(state.flows.map((n) => n.id));
      for (const n of flow) assert.ok(ids.has(n.id), `node ${n.type} ${n.id} missing after deploy`);
    });
  }

  /**
   * Resolves with the first status `node` published (from comms message `from` on) that ends its
   * start-up; rejects after STARTUP_TIMEOUT_MS naming the node and the last status it showed.
   */
  async function waitUntilStarted(node: FlowNode, from: number): Promise<NodeStatus> {
    const topic = `status/${node.id}`;
    try {
      const m = await comms.waitFor((m) => m.topic === topic && hasStarted(node.type, m.data), STARTUP_TIMEOUT_MS, from, `finished start-up status from ${node.type} ${node.id}`);
      return m.data;
    } catch (err) {
      const last = comms.messages.slice(from).filter((m) => m.topic === topic).pop();
      throw new Error(`${node.type} ${node.id} did not finish starting: ${(err as Error).message}; its last status: ${last ? JSON.stringify(last.data) : 'none'}`);
    }
  }
});

function existsBuilt(type: string): boolean {
  try {
    readFileSync(join(repoRoot, 'nodes', type, `${type}.ts`));
    return true;
  } catch {
    return false;
  }
}
