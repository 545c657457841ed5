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

function demoCredentials() {
  return {};
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
