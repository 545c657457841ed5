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
  f.add('live-events', 'function', x, y, { name: 'to live page events', func: read('demo/live-page/events.js'), outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [] }, [['live-ws-out']]);
  f.add('live-ws-out', 'websocket out', x + 240, y, { name: 'to the live page', server: f.id('live-ws'), client: '' });
  f.add('live-get', 'http in', x, y + 60, { name: 'GET /agent-assist', url: '/agent-assist', method: 'get', upload: false, swaggerDoc: '' }, [['live-html']]);
  f.add('live-html', 'template', x + 220, y + 60, { name: 'live page', field: 'payload', fieldType: 'msg', format: 'html', syntax: 'plain', template: read('demo/live-page/page.html'), output: 'str' }, [['live-res']]);
  f.add('live-res', 'http response', x + 390, y + 60, { name: '', statusCode: '', headers: { 'content-type': 'text/html; charset=utf-8' } });
  f.add('state-get', 'http in', x, y + 110, { name: 'GET /agent-assist/state', url: '/agent-assist/state', method: 'get', upload: false, swaggerDoc: '' }, [['state-fn']]);
  f.add('state-fn', 'function', x + 220, y + 110, { name: 'conversation so far', func: read('demo/live-page/state.js'), outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [] }, [['state-res']]);
  f.add('state-res', 'http response', x + 390, y + 110, { name: '', statusCode: '', headers: {} });
  return 'live-events';
}

/** A change node setting msg.assistKind: what the live page events function and the audit trail see. */
export function addTag(f, key, kind, x, y, wires = ['live-events']) {
  return f.add(key, 'change', x, y, {
    name: `kind: ${kind}`,
    rules: [{ t: 'set', p: 'assistKind', pt: 'msg', to: kind, tot: 'str' }],
    action: '',
    property: '',
    from: '',
    to: '',
    reg: false,
  }, [wires]);
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

/** A hand-made Utterance; times are ms from the start of the call (the script adds the start). */
function utterance(conversationId, utteranceId, channel, startS, endS, text, isFinal = true) {
  return { conversationId, utteranceId, channel, isFinal, text, startMs: startS * 1000, endMs: endS * 1000 };
}

/**
 * A function node that sends hand-made messages over time, as a live call would: each entry is
 * `[atMs, msg]`; utterance times become absolute (the call started 30 s before the click).
 */
function addScript(f, key, name, x, y, timeline, wires) {
  const func = [
    '// Hand-made messages of the shape genesys-transcript-in sends, each at its time (ms).',
    `const timeline = ${JSON.stringify(timeline, null, 2)};`,
    '// The call started 30 s ago, so every result arrives after its speech ended.',
    'const t0 = Date.now() - 30000;',
    'for (const [atMs, m] of timeline) {',
    '  const p = m.payload;',
    "  if (p && typeof p.startMs === 'number') {",
    '    p.startMs += t0;',
    '    p.endMs += t0;',
    '  }',
    '  setTimeout(() => node.send(Object.assign({ topic: p.conversationId }, m)), atMs);',
    '}',
    'return null;',
  ].join('\n');
  return f.add(key, 'function', x, y, { name, func, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [] }, wires);
}

/** [atMs, msg] pairs every `gapMs`. */
function every(gapMs, messages) {
  return messages.map((m, i) => [i * gapMs, m]);
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
  // The agent line arrives first although the customer spoke first; the correction of u3 comes
  // after u3 was sent (hold back 1.5 s), so it goes out again as revision 1.
  const timeline = [
    [0, { payload: utterance(c, 'u2', 'INTERNAL', 3.2, 5.0, 'thanks for calling how can i help') }],
    [300, { payload: utterance(c, 'u1', 'EXTERNAL', 0.4, 2.9, 'hello is this the billing team') }],
    [600, { payload: utterance(c, 'u1', 'EXTERNAL', 0.4, 2.9, 'hello is this the billing team') }],
    [900, { payload: utterance(c, 'u3', 'EXTERNAL', 5.6, 6.4, 'i was charged', false) }],
    [1300, { payload: utterance(c, 'u3', 'EXTERNAL', 5.6, 8.1, 'i was charged twice for march') }],
    [3500, { payload: utterance(c, 'u3', 'EXTERNAL', 5.6, 8.1, 'i was charged twice in march') }],
    [4000, { payload: { action: 'end', conversationId: c } }],
  ];
  inject(f, 'go', 'play a short call', 150, 120, [['script']]);
  addScript(f, 'script', 'out-of-order results', 370, 120, timeline, [['aligner']]);
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
    'To try it locally, the pack\'s simulator dials AudioHook like Genesys does:',
    '`npx genesys-sim --audiohook-url ws://127.0.0.1:1880/audiohook/example --audiohook-api-key <key> --audiohook-secret <base64 secret>`.',
    'The inject nodes show how a flow pauses or resumes a conversation\'s audio (paste its id first).',
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


examples['01 - Live transcripts from a queue (transcript-in)'] = () => {
  const f = new FlowBuilder('ex-transcript-in', 'Transcript-in example');
  f.comment('about', '01 - Live transcripts from a queue (transcript-in)', [
    'genesys-transcript-in receives live call transcripts from the Genesys Cloud Notifications API.',
    'Here it discovers every call on one queue and subscribes its transcript: output 1 sends one',
    'message per transcript result (an Utterance in `msg.payload`, `msg.topic` = conversation id),',
    'output 2 lifecycle events (call discovered, session started / ended) and Copilot summaries.',
    '',
    '**To configure:** the genesys-auth node points at the pack\'s simulator on `http://127.0.0.1:8787`:',
    'run `npx genesys-sim --play all` and enter client id `sim-client`, secret `sim-secret-not-real`.',
    'For your org, choose your region, enter an OAuth client',
    '(client credentials grant) and put your queue id(s), comma-separated, in the transcript-in node.',
    'The OAuth role needs `conversation:transcription:view` (see the README for the full list).',
  ].join('\n'), 210, 40);
  addAuth(f, 'example');
  f.add('transcripts', 'genesys-transcript-in', 190, 120, {
    name: '', auth: f.id('auth'), conversationIds: '', queueIds: values.queueId, userIds: '', partials: false, summaries: true, suggestions: false,
    heartbeatTimeout: 60, offsetReference: 'transcriptionStart', shardIndex: 1, shardCount: 1, idProperty: 'payload.conversationId',
  }, [['utterances'], ['lifecycle']]);
  debug(f, 'utterances', 'transcript results', 450, 100);
  debug(f, 'lifecycle', 'lifecycle and summaries', 460, 140);
  return f.nodes;
};

examples['03 - Redact personal data, written and spoken (redactor)'] = () => {
  const f = new FlowBuilder('ex-redactor', 'Redactor example');
  f.comment('about', '03 - Redact personal data, written and spoken (redactor)', [
    'genesys-redactor removes personal data from transcripts before anything else sees them, in',
    'written form and as the speech engine writes numbers: spoken digit by digit, across several',
    'utterances of the same speaker.',
    '',
    'Click the inject node: a hand-made call spells a (test) card number over three utterances, gives',
    'an SSN and an email address in words. The debug sidebar shows `msg.payload.text` with tags such',
    'as `[CARD]`, and `msg.redaction` says what was found where (never the values).',
    '',
    'In a real flow, put it right after genesys-transcript-in or genesys-aligner. Nothing to configure;',
    'open the node to choose entities, the operator (tag, numbered pseudonym, mask, keyed hash) and',
    'custom patterns.',
  ].join('\n'), 210, 40);
  const c = 'example-conversation-3';
  const messages = [
    { payload: utterance(c, 'r1', 'INTERNAL', 1, 3, 'can i have the card number please') },
    { payload: utterance(c, 'r2', 'EXTERNAL', 4, 6, 'sure it is four one one one') },
    { payload: utterance(c, 'r3', 'EXTERNAL', 6.5, 8, 'one one one one one one one one') },
    { payload: utterance(c, 'r4', 'EXTERNAL', 8.5, 10, 'one one one one') },
    { payload: utterance(c, 'r5', 'INTERNAL', 11, 13, 'thanks and your social security number') },
    { payload: utterance(c, 'r6', 'EXTERNAL', 14, 18, 'one two three forty five six seven eight nine') },
    { payload: utterance(c, 'r7', 'EXTERNAL', 19, 23, 'and my email is jane dot doe at example dot com') },
    { payload: { event: 'conversation-ended', conversationId: c } },
  ];
  inject(f, 'go', 'play a short call', 150, 120, [['script']]);
  addScript(f, 'script', 'personal data, spoken', 370, 120, every(300, messages), [['redactor']]);
  f.add('redactor', 'genesys-redactor', 580, 120, {
    name: '', properties: ['payload'], entities: 'CARD,CVV,EXPIRY,SSN,PHONE,EMAIL,IBAN,IP,DOB,ACCOUNT,ADDRESS,ZIP,NAME,NUMBER,CUSTOM',
    operator: 'tag', labels: 'type', maskKeepLast: 4, threshold: 0.5, region: 'US', keepLastFour: false, spoken: true, numbersMinDigits: 0,
    customPatterns: '', allowList: '', denyList: '', rawEvent: 'remove', idleTimeoutS: 1800, carryS: 20,
  }, [['out']]);
  debug(f, 'out', 'redacted', 780, 120, 'true');
  return f.nodes;
};

examples['04 - Check summaries against the call (summary-validator)'] = () => {
  const f = new FlowBuilder('ex-validator', 'Summary validator example');
  f.comment('about', '04 - Check summaries against the call (summary-validator)', [
    'genesys-summary-validator checks an Agent Copilot or LLM summary before an agent or a CRM sees',
    'it: schema, length in tokens, leaked personal data, and numbers, dates and names that the call',
    'does not support.',
    '',
    'Click the inject node: the transcript of a short call goes in first (it builds the context and',
    'sends nothing), then two summaries: a faithful one leaves on output 1, one with a wrong amount',
    'and a phone number leaves on output 2 with `msg.validation` saying which sentence failed and why.',
    '',
    'In a real flow, wire genesys-redactor (or the aligner) and the second output of',
    'genesys-transcript-in (Copilot summaries) into it. Nothing to configure.',
  ].join('\n'), 220, 40);
  const c = 'example-conversation-4';
  const summary = (text, headline) => ({
    payload: {
      event: 'summary',
      conversationId: c,
      summary: { text, score: 0.9 },
      headline: { text: headline, score: 0.9 },
      reason: { text: 'Late fee dispute', score: 0.9 },
      resolution: { text: 'Fee refunded', score: 0.9 },
      followupActions: [],
      extractedEntities: [],
    },
  });
  const messages = [
    { payload: utterance(c, 'v1', 'EXTERNAL', 1, 5, 'i was charged a late fee of forty two dollars but i paid on the first') },
    { payload: utterance(c, 'v2', 'INTERNAL', 6, 10, 'i can see the payment arrived on the first so i will refund the forty two dollars') },
    { payload: utterance(c, 'v3', 'EXTERNAL', 11, 13, 'great thank you') },
    summary('The customer disputed a late fee of 42 dollars. The agent confirmed the payment arrived on the first and refunded the fee.', 'Late fee refunded'),
    summary('The customer disputed a late fee of 55 dollars. The agent refunded it and will call back on 617-555-0149.', 'Late fee refunded'),
  ];
  inject(f, 'go', 'play a call and two summaries', 170, 120, [['script']]);
  addScript(f, 'script', 'transcript, then summaries', 400, 120, every(200, messages), [['validator']]);
  f.add('validator', 'genesys-summary-validator', 630, 120, {
    name: '', summaryProperty: 'payload', transcriptProperty: 'transcript', textFields: 'summary,reason,resolution,followups',
    checkSchema: true, schema: '', checkLength: true, minTokens: 5, maxTokens: 400, maxRatio: 1, encoding: 'o200k_base',
    checkPersonalData: true, minScore: 0.5, minFragmentDigits: 5, checkNumbers: true, checkEntities: true, checkSupport: true,
    supportThreshold: 0.5, checkNegation: true, requiredFields: '', bannedPhrases: '', idleTimeoutS: 1800, endGraceS: 120,
    maxConversations: 5000, maxSourceChars: 200000,
  }, [['valid'], ['rejected']]);
  debug(f, 'valid', 'valid summaries', 860, 100, 'true');
  debug(f, 'rejected', 'rejected summaries', 870, 140, 'validation');
  return f.nodes;
};

examples['06 - Tamper-evident audit trail (audit-out)'] = () => {
  const f = new FlowBuilder('ex-audit', 'Audit example');
  f.comment('about', '06 - Tamper-evident audit trail (audit-out)', [
    'genesys-audit-out writes one hash-chained record per message to JSON Lines files and passes the',
    'message on (with `msg.audit = {seq, hash, file}`) only once the record is on disk.',
    '',
    'Click the inject node: two transcript lines go through the redactor (so only redacted text is',
    'stored) into the audit trail, in the `audit` folder of the Node-RED user directory. Check the',
    'trail with `npx genesys-audit-verify ~/.node-red/audit`: editing, deleting or reordering any',
    'line makes it report the first broken record.',
    '',
    'Nothing to configure; an HMAC key (credentials) makes the chain impossible to rebuild for',
    'someone who can edit the files.',
  ].join('\n'), 200, 40);
  const c = 'example-conversation-6';
  const messages = [
    { payload: utterance(c, 'a1', 'INTERNAL', 1, 3, 'may i have a phone number to reach you') },
    { payload: utterance(c, 'a2', 'EXTERNAL', 4, 7, 'yes it is two zero two five five five zero one four three') },
  ];
  inject(f, 'go', 'two transcript lines', 160, 120, [['script']]);
  addScript(f, 'script', 'transcript lines', 360, 120, every(200, messages), [['redactor']]);
  f.add('redactor', 'genesys-redactor', 550, 120, {
    name: '', properties: ['payload'], entities: 'CARD,CVV,EXPIRY,SSN,PHONE,EMAIL,IBAN,IP,DOB,ACCOUNT,ADDRESS,ZIP,NAME,NUMBER,CUSTOM',
    operator: 'tag', labels: 'type', maskKeepLast: 4, threshold: 0.5, region: 'US', keepLastFour: false, spoken: true, numbersMinDigits: 0,
    customPatterns: '', allowList: '', denyList: '', rawEvent: 'remove', idleTimeoutS: 1800, carryS: 20,
  }, [['audit']]);
  f.add('audit', 'genesys-audit-out', 740, 120, {
    name: '', directory: 'audit', instance: '', rotateMb: 64, rotateDaily: true, store: 'payload', properties: 'payload, redaction',
    digestOnly: false, kind: 'transcript', kindType: 'str', syncMs: 20, maxQueue: 10000, unredacted: 'digest',
  }, [['audited']]);
  debug(f, 'audited', 'on disk', 920, 120, 'audit');
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
    '(`npx genesys-sim --play all`, client `sim-client` / `sim-secret-not-real`); for a real org choose your region',
    'and enter an OAuth client, and put your queue ids in transcript-in. The interceptor needs the API',
    'key and client secret of your AudioHook Monitor integration, and Genesys must reach it over `wss://`.',
  ].join('\n'), 200, 40);
  addAuth(f, mode);

  // Transcripts: discovery on the queue, then the timeline, then redaction.
  f.add('transcripts', 'genesys-transcript-in', 180, 140, {
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
  }, [['aligner'], ['aligner', 'lifecycle-debug', 'validator']]);
  f.add('aligner', 'genesys-aligner', 420, 140, {
    name: '', property: 'payload', holdBackMs: 1000, emit: 'segment', batchSize: 10, batchIntervalMs: 1000, emitPartials: true,
    latencyThresholdMs: 5000, driftThresholdMs: 2000, gapThresholdMs: 20000, idleTimeoutS: 600, maxConversations: 1000, maxSegmentsPerConversation: 10000,
  }, [['redactor'], ['aligner-alerts'], ['redactor']]);
  debug(f, 'aligner-alerts', 'timeline alerts', 640, 200);
  const redactorProps = {
    properties: ['payload'], entities: 'CARD,CVV,EXPIRY,SSN,PHONE,EMAIL,IBAN,IP,DOB,ACCOUNT,ADDRESS,ZIP,NAME,NUMBER,CUSTOM',
    operator: 'tag', labels: 'type', maskKeepLast: 4, threshold: 0.5, region: 'US', keepLastFour: false, spoken: true, numbersMinDigits: 0,
    customPatterns: '', allowList: '', denyList: '', rawEvent: 'remove', idleTimeoutS: 1800, carryS: 20,
  };
  f.add('redactor', 'genesys-redactor', 620, 140, { name: '', ...redactorProps }, [['tag-segment', 'validator']]);
  addTag(f, 'tag-segment', 'segment', 830, 140, ['live-events', 'finals-only']);
  debug(f, 'redacted-debug', 'redacted finals', 1280, 120);
  f.add('finals-only', 'switch', 1050, 160, {
    name: 'finals only', property: 'payload.isFinal', propertyType: 'msg',
    rules: [{ t: 'true' }], checkall: 'true', repair: false, outputs: 1,
  }, [['audit', 'redacted-debug']]);
  debug(f, 'lifecycle-debug', 'lifecycle events', 440, 260);

  // Summaries: checked against the redacted call, then redacted for display and the audit trail.
  f.add('validator', 'genesys-summary-validator', 640, 320, {
    name: '', summaryProperty: 'payload', transcriptProperty: 'transcript', textFields: 'summary,reason,resolution,followups',
    checkSchema: true, schema: '', checkLength: true, minTokens: 5, maxTokens: 400, maxRatio: 1, encoding: 'o200k_base',
    checkPersonalData: true, minScore: 0.5, minFragmentDigits: 5, checkNumbers: true, checkEntities: true, checkSupport: true,
    supportThreshold: 0.5, checkNegation: true, requiredFields: '', bannedPhrases: '', idleTimeoutS: 1800, endGraceS: 120,
    maxConversations: 5000, maxSourceChars: 200000,
  }, [['tag-summary', 'valid-debug'], ['tag-summary', 'rejected-debug']]);
  debug(f, 'valid-debug', 'valid summaries', 870, 380);
  debug(f, 'rejected-debug', 'rejected: why', 860, 420, 'validation');
  addTag(f, 'tag-summary', 'summary', 860, 320, ['display-redactor']);
  f.add('display-redactor', 'genesys-redactor', 1080, 320, { name: 'redact for display and audit', ...redactorProps }, [['live-events', 'audit']]);

  // Audio: the simulator (or Genesys) dials this endpoint for the same conversations.
  f.add('interceptor', 'genesys-interceptor', 180, 520, {
    name: 'call audio', path: values.audiohookPath, authFailure: 'session', acceptPcmu: true, acceptL16: false, maxSessions: 100, idleTimeoutS: 30,
    // The simulator plays calls faster than real time: jitter and late-frame alerts assume real time.
    maxRttMs: 500, maxLossRatio: 0.01, maxJitterMs: demo ? 0 : 100, silenceSeconds: 30, lateFrameMs: demo ? 0 : 1000, audioOutput: 'none', frameGroup: 1,
  }, [['tag-audio', 'audio-debug'], [], ['tag-qa', 'qa-debug']]);
  debug(f, 'audio-debug', 'AudioHook sessions', 440, 480, 'true');
  debug(f, 'qa-debug', 'audio QA alerts', 430, 600);
  addTag(f, 'tag-audio', 'audio', 420, 520);
  addTag(f, 'tag-qa', 'qa', 410, 560, ['display-redactor']);

  // One audit trail (in the user directory's audit/ folder); the record kind is msg.assistKind.
  f.add('audit', 'genesys-audit-out', 1300, 220, {
    name: '', directory: 'audit', instance: 'demo', rotateMb: 64, rotateDaily: true, store: 'properties', properties: 'payload, redaction, validation',
    digestOnly: false, kind: 'assistKind', kindType: 'msg', syncMs: 20, maxQueue: 10000, unredacted: 'reject',
  }, [['audited']]);
  debug(f, 'audited', 'audit records', 1320, 280, 'audit');
  f.add('errors', 'catch', 140, 660, { name: 'errors', scope: null, uncaught: false }, [['errors-debug']]);
  debug(f, 'errors-debug', 'errors', 400, 660, 'error');

  addLivePage(f, 780, 520);
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
