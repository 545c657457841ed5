#!/usr/bin/env node
// Generates the importable example flows (examples/*.json) and the demo flow that `npm start`
// deploys (demo/flows.json plus demo/flows_cred.json, a credentials file holding only ${ENV}
// references) from one description, so the demo and the "full demo" example never drift apart.
// The live page's HTML and function code live in demo/live-page/ as real files.
//
//   node demo/build-examples.mjs          write the files
//   node demo/build-examples.mjs --check  exit 1 if a committed file differs from what it generates
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (rel) => readFileSync(join(root, rel), 'utf8');

/** Stable 16-hex ids (the form the editor generates) derived from a readable key. */
export function nodeId(key) {
  return createHash('sha1').update(key).digest('hex').slice(0, 16);
}

/** Simulator defaults the examples point at: `npx genesys-sim --port 8787`. */
export const SIM_EXAMPLE_URL = 'http://127.0.0.1:8787';

/** Builds flows with readable local keys; ids are derived from "<flow>/<key>". */
class FlowBuilder {
  constructor(flowKey, label, info) {
    this.flowKey = flowKey;
    this.tab = nodeId(`${flowKey}/tab`);
    this.nodes = [{ id: this.tab, type: 'tab', label, disabled: false, info: info ?? '' }];
  }
  id(key) {
    return nodeId(`${this.flowKey}/${key}`);
  }
  /** A node on the tab; `wires` is a list per output of local keys. */
  add(key, type, x, y, props = {}, wires = []) {
    const node = { id: this.id(key), type, z: this.tab, name: '', ...props, x, y, wires: wires.map((out) => out.map((k) => this.id(k))) };
    this.nodes.push(node);
    return node;
  }
  /** A config node (no tab, no position). */
  config(key, type, props = {}) {
    const node = { id: this.id(key), type, ...props };
    this.nodes.push(node);
    return node;
  }
  comment(key, name, info, x, y) {
    return this.add(key, 'comment', x, y, { name, info });
  }
}

/**
 * The live page at /agent-assist from core nodes only: the page itself (http in -> template ->
 * http response), its replay state (http in -> function -> http response), and the events
 * function feeding a websocket out. Returns the local key of the events function's input.
 */
export function addLivePage(f, x, y) {
  f.config('live-ws', 'websocket-listener', { path: '/agent-assist/ws', wholemsg: 'false' });
  f.add('live-get', 'http in', x, y, { name: 'GET /agent-assist', url: '/agent-assist', method: 'get', upload: false, swaggerDoc: '' }, [['live-html']]);
  f.add('live-html', 'template', x + 230, y, { name: 'live page', field: 'payload', fieldType: 'msg', format: 'html', syntax: 'plain', template: read('demo/live-page/page.html'), output: 'str' }, [['live-res']]);
  f.add('live-res', 'http response', x + 420, y, { name: '', statusCode: '', headers: { 'content-type': 'text/html; charset=utf-8' } });
  f.add('state-get', 'http in', x, y + 50, { name: 'GET /agent-assist/state', url: '/agent-assist/state', method: 'get', upload: false, swaggerDoc: '' }, [['state-fn']]);
  f.add('state-fn', 'function', x + 230, y + 50, { name: 'conversation so far', func: read('demo/live-page/state.js'), outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [] }, [['state-res']]);
  f.add('state-res', 'http response', x + 420, y + 50, { name: '', statusCode: '', headers: {} });
  f.add('live-events', 'function', x + 230, y + 120, { name: 'to live page events', func: read('demo/live-page/events.js'), outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [] }, [['live-ws-out']]);
  f.add('live-ws-out', 'websocket out', x + 450, y + 120, { name: 'to the live page', server: f.id('live-ws'), client: '' });
  return 'live-events';
}

/** A change node that tags a message for the live page events function. */
export function addTag(f, key, kind, x, y) {
  return f.add(key, 'change', x, y, {
    name: `live page: ${kind}`,
    rules: [{ t: 'set', p: 'assistKind', pt: 'msg', to: kind, tot: 'str' }],
    action: '',
    property: '',
    from: '',
    to: '',
    reg: false,
  }, [['live-events']]);
}

// ----------------------------------------------------------------------------------------------
// The flows. Each entry: file name under examples/ (without .json) -> builder.
export const examples = {};

const values = JSON.parse(read('demo/demo-values.json'));

function debug(f, key, name, x, y, complete = 'payload') {
  return f.add(key, 'debug', x, y, {
    name,
    active: true,
    tosidebar: true,
    console: false,
    tostatus: false,
    complete,
    targetType: complete === 'true' ? 'full' : 'msg',
    statusVal: '',
    statusType: 'auto',
  });
}

/**
 * The genesys-auth config node. Examples point at the simulator (`npx genesys-sim`, port 8787)
 * with blank credentials (credentials are never exported); the demo refers to ${ENV} values
 * that scripts/start.mjs sets (the simulator's, or a real org's).
 */
function addAuth(f, mode) {
  return f.config('auth', 'genesys-auth', mode === 'demo'
    ? // Region "custom" with URLs from the environment: the region select of the dialog cannot
      // show an ${ENV} reference, and start.mjs derives both URLs from GENESYS_REGION for a real org.
      { name: 'Genesys (from the environment)', region: 'custom', apiBase: '${GENESYS_API_BASE}', loginBase: '${GENESYS_LOGIN_BASE}' }
    : { name: 'Genesys simulator', region: 'custom', apiBase: values.simulatorExampleUrl, loginBase: values.simulatorExampleUrl });
}

/** Epoch ms of a fixed example call start, so the hand-made utterances are plausible. */
const T0 = Date.UTC(2026, 0, 15, 14, 30, 0);

function utterance(conversationId, utteranceId, channel, startS, endS, text, isFinal = true) {
  const startMs = T0 + startS * 1000;
  const endMs = T0 + endS * 1000;
  return { conversationId, utteranceId, channel, isFinal, text, startMs, endMs };
}

/** A function node that sends hand-made messages one after the other, as a live call would. */
function addScript(f, key, name, x, y, messages, gapMs, wires) {
  const func = [
    '// Hand-made messages of the shape genesys-transcript-in sends, one every ' + gapMs + ' ms.',
    `const messages = ${JSON.stringify(messages, null, 2)};`,
    'messages.forEach((m, i) => {',
    `  setTimeout(() => node.send(Object.assign({ topic: m.payload.conversationId || msg.topic }, m)), i * ${gapMs});`,
    '});',
    'return null;',
  ].join('\n');
  return f.add(key, 'function', x, y, { name, func, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [] }, wires);
}

function inject(f, key, name, x, y, wires, props = {}) {
  return f.add(key, 'inject', x, y, {
    name,
    props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }],
    repeat: '',
    crontab: '',
    once: false,
    onceDelay: 0.1,
    topic: '',
    payload: '',
    payloadType: 'date',
    ...props,
  }, wires);
}

examples['02 - Order both speakers on one timeline (aligner)'] = () => {
  const f = new FlowBuilder('ex-aligner', 'Aligner example');
  f.comment('about', '02 - Order both speakers on one timeline (aligner)', [
    'genesys-aligner puts both speakers of a conversation on one ordered, de-duplicated timeline.',
    '',
    'Click the inject node: a hand-made call sends results **out of order**, a **duplicate**, a **partial**',
    'followed by its final, and a **corrected final**. The aligner holds finals back for 1.5 s so the',
    'customer line spoken first comes out first, drops the duplicate, sends the correction again as',
    '`revision: 1`, sends partials on output 3 for live captions, and at the end (`action: "end"`)',
    'sends the whole transcript.',
    '',
    'In a real flow, wire **genesys-transcript-in** (both outputs) into it instead of the function node.',
    'Nothing to configure.',
  ].join('\n'), 190, 40);
  const c = 'example-conversation-1';
  const messages = [
    { payload: utterance(c, 'u2', 'INTERNAL', 3.2, 5.0, 'thanks for calling how can i help') },
    { payload: utterance(c, 'u1', 'EXTERNAL', 0.4, 2.9, 'hello is this the billing team') },
    { payload: utterance(c, 'u1', 'EXTERNAL', 0.4, 2.9, 'hello is this the billing team') },
    { payload: utterance(c, 'u3', 'EXTERNAL', 5.6, 6.4, 'i was charged', false) },
    { payload: utterance(c, 'u3', 'EXTERNAL', 5.6, 8.1, 'i was charged twice for march') },
    { payload: utterance(c, 'u3', 'EXTERNAL', 5.6, 8.1, 'i was charged twice in march') },
    { payload: { action: 'end', conversationId: c } },
  ];
  inject(f, 'go', 'play a short call', 150, 120, [['script']]);
  addScript(f, 'script', 'out-of-order results', 370, 120, messages, 400, [['aligner']]);
  f.add('aligner', 'genesys-aligner', 590, 120, {
    name: '', property: 'payload', holdBackMs: 1500, emit: 'segment', batchSize: 10, batchIntervalMs: 1000, emitPartials: true,
    latencyThresholdMs: 0, driftThresholdMs: 0, gapThresholdMs: 20000, idleTimeoutS: 600, maxConversations: 10000, maxSegmentsPerConversation: 10000,
  }, [['seg'], ['alerts'], ['partials']]);
  debug(f, 'seg', 'segments and transcript', 850, 80);
  debug(f, 'alerts', 'alerts', 810, 120);
  debug(f, 'partials', 'partials (captions)', 840, 160);
  return f.nodes;
};

examples['05 - Receive call audio with AudioHook Monitor (interceptor)'] = () => {
  const f = new FlowBuilder('ex-interceptor', 'Interceptor example');
  f.comment('about', '05 - Receive call audio with AudioHook Monitor (interceptor)', [
    'genesys-interceptor is an AudioHook Monitor server inside Node-RED: Genesys Cloud dials',
    '`ws(s)://<node-red>/audiohook/example` and streams the call audio. Output 1 gives session events,',
    'output 2 audio frames (off here), output 3 quality alerts (round-trip time, loss, silence...).',
    '',
    '**To configure:** open the node and enter the API key and client secret of your AudioHook',
    'integration (Genesys Cloud Admin > Integrations > AudioHook Monitor). Genesys only dials `wss://`',
    'with a publicly trusted certificate, so put Node-RED behind a reverse proxy (see the README).',
    '',
    'To try it locally, run `npm start` in a clone of the pack: its simulator dials AudioHook like',
    'Genesys does. The inject nodes show how a flow pauses or disconnects a conversation\'s audio.',
  ].join('\n'), 220, 40);
  f.add('interceptor', 'genesys-interceptor', 420, 140, {
    name: '', path: '/audiohook/example', authFailure: 'session', acceptPcmu: true, acceptL16: false, maxSessions: 100, idleTimeoutS: 30,
    maxRttMs: 500, maxLossRatio: 0.01, maxJitterMs: 100, silenceSeconds: 30, lateFrameMs: 1000, audioOutput: 'none', frameGroup: 1,
  }, [['sessions'], ['frames'], ['qa']]);
  inject(f, 'pause', 'pause (needs a live call)', 170, 120, [['interceptor']], {
    props: [{ p: 'action', v: 'pause', vt: 'str' }, { p: 'conversationId', v: 'paste-a-conversation-id', vt: 'str' }],
  });
  inject(f, 'resume', 'resume (needs a live call)', 190, 160, [['interceptor']], {
    props: [{ p: 'action', v: 'resume', vt: 'str' }, { p: 'conversationId', v: 'paste-a-conversation-id', vt: 'str' }],
  });
  debug(f, 'sessions', 'session events', 680, 100, 'true');
  debug(f, 'frames', 'audio frames', 670, 140);
  debug(f, 'qa', 'quality alerts', 670, 180);
  return f.nodes;
};


examples['00 - Full agent-assist demo'] = (mode = 'example') => {
  const demo = mode === 'demo';
  const f = new FlowBuilder('full-demo', 'Agent assist demo');
  f.comment('about', '00 - Full agent-assist demo', [
    'The whole pipeline on live calls: **transcript-in** discovers calls on a queue and receives their',
    'transcripts; **aligner** puts both speakers on one ordered timeline (partials go out for captions);',
    '**redactor** removes personal data, including numbers spoken as words; **summary-validator** checks',
    'Copilot summaries against what was said (valid / rejected with the reason); **interceptor** receives',
    'the same calls\' audio through AudioHook Monitor and raises QA alerts; **audit-out** keeps a',
    'hash-chained record of redacted segments, validation results and QA alerts.',
    '',
    'The live page at **/agent-assist** (http in, template and websocket out nodes on the right) shows',
    'each conversation as it happens.',
    '',
    '**To configure:** `npm start` in a clone of the pack runs all of this against the built-in simulator.',
    'Imported elsewhere, the genesys-auth node points at a simulator on `http://127.0.0.1:8787`',
    '(`npx genesys-sim`, client `sim-client` / `sim-secret-not-real`); for a real org choose your region',
    'and enter an OAuth client, and put your queue ids in transcript-in. The interceptor needs the API',
    'key and client secret of your AudioHook Monitor integration, and Genesys must reach it over `wss://`.',
  ].join('\n'), 200, 40);
  addAuth(f, mode);

  // Transcripts: discovery on the queue, then the timeline, then redaction.
  f.add('transcripts', 'genesys-transcript-in', 170, 160, {
    name: 'calls on the demo queue',
    auth: f.id('auth'),
    conversationIds: '',
    queueIds: demo ? '${GENESYS_QUEUE_IDS}' : values.queueId,
    userIds: '',
    partials: true,
    summaries: true,
    suggestions: false,
    heartbeatTimeout: 60,
    offsetReference: 'transcriptionStart',
    shardIndex: 1,
    shardCount: 1,
    idProperty: 'payload.conversationId',
  }, [['aligner'], ['aligner', 'lifecycle-debug', 'summaries-only']]);
  f.add('aligner', 'genesys-aligner', 410, 160, {
    name: '', property: 'payload', holdBackMs: 1000, emit: 'segment', batchSize: 10, batchIntervalMs: 1000, emitPartials: true,
    latencyThresholdMs: 5000, driftThresholdMs: 2000, gapThresholdMs: 20000, idleTimeoutS: 600, maxConversations: 1000, maxSegmentsPerConversation: 10000,
  }, [['redactor'], ['aligner-alerts'], ['redactor']]);
  debug(f, 'aligner-alerts', 'timeline alerts', 640, 220);
  f.add('redactor', 'genesys-redactor', 640, 160, {
    name: '', properties: ['payload'], entities: 'CARD,CVV,EXPIRY,SSN,PHONE,EMAIL,IBAN,IP,DOB,ACCOUNT,ADDRESS,ZIP,NAME,NUMBER,CUSTOM',
    operator: 'tag', labels: 'type', maskKeepLast: 4, threshold: 0.5, region: 'US', keepLastFour: false, spoken: true,
    customPatterns: '', allowList: '', denyList: '', rawEvent: 'remove', idleTimeoutS: 1800, carryS: 20,
  }, [['tag-segment', 'redacted-debug']]);
  debug(f, 'redacted-debug', 'redacted transcript', 880, 200);
  debug(f, 'lifecycle-debug', 'lifecycle events', 420, 260);
  f.add('summaries-only', 'switch', 420, 300, {
    name: 'Copilot summaries', property: 'payload.event', propertyType: 'msg',
    rules: [{ t: 'eq', v: 'summary', vt: 'str' }], checkall: 'true', repair: false, outputs: 1,
  }, [['summary-debug']]);
  debug(f, 'summary-debug', 'summaries', 640, 300);

  // Audio: the simulator (or Genesys) dials this endpoint for the same conversations.
  f.add('interceptor', 'genesys-interceptor', 170, 420, {
    name: 'call audio', path: values.audiohookPath, authFailure: 'session', acceptPcmu: true, acceptL16: false, maxSessions: 100, idleTimeoutS: 30,
    // The simulator plays calls faster than real time: jitter and late-frame alerts assume real time.
    maxRttMs: 500, maxLossRatio: 0.01, maxJitterMs: demo ? 0 : 100, silenceSeconds: 30, lateFrameMs: demo ? 0 : 1000, audioOutput: 'none', frameGroup: 1,
  }, [['tag-audio', 'audio-debug'], [], ['tag-qa', 'qa-debug']]);
  debug(f, 'audio-debug', 'AudioHook sessions', 430, 380, 'true');
  debug(f, 'qa-debug', 'audio QA alerts', 420, 500);

  // The live page, fed by small tagging change nodes.
  addTag(f, 'tag-segment', 'segment', 900, 140);
  addTag(f, 'tag-audio', 'audio', 420, 420);
  addTag(f, 'tag-qa', 'qa', 410, 460);
  addLivePage(f, 1130, 80);
  return f.nodes;
};

function serialise(nodes) {
  return `${JSON.stringify(nodes, null, 2)}\n`;
}

export function generatedFiles() {
  const files = {};
  for (const [name, build] of Object.entries(examples)) files[`examples/${name}.json`] = serialise(build('example'));
  const demo = examples[FULL_DEMO];
  if (demo) {
    files['demo/flows.json'] = serialise(demo('demo'));
    files['demo/flows_cred.json'] = serialise(demoCredentials());
  }
  return files;
}

export const FULL_DEMO = '00 - Full agent-assist demo';

/** The demo's credentials file: ${ENV} references only, resolved by Node-RED at start. */
function demoCredentials() {
  return {
    [nodeId('full-demo/auth')]: { clientId: '${GENESYS_CLIENT_ID}', clientSecret: '${GENESYS_CLIENT_SECRET}' },
    [nodeId('full-demo/interceptor')]: { apiKey: '${GENESYS_AUDIOHOOK_API_KEY}', clientSecret: '${GENESYS_AUDIOHOOK_CLIENT_SECRET}' },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [rel, text] of Object.entries(generatedFiles())) {
    const path = join(root, rel);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === text) continue;
    if (check) {
      console.error(`out of date: ${rel} (run node demo/build-examples.mjs)`);
      stale++;
    } else {
      writeFileSync(path, text);
      console.log(`wrote ${rel}`);
    }
  }
  if (stale) process.exit(1);
}
