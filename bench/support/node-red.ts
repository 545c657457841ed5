/**
 * Embedded Node-RED for the benches: a private userDir with flows (and credentials), the pack's
 * nodes loaded from their TypeScript sources (tsx, which runs the benches, compiles them), small
 * bench-only node types, no editor and no HTTP port. One place for what bench/aligner,
 * bench/transcript-in and bench/pipeline all need.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');

export interface EmbeddedNodeRed {
  /** The node-red module (untyped: it ships no types). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  RED: any;
  userDir: string;
  /** A running node of the deployed flows, by id (throws if the flow did not create it). */
  node<T>(id: string): T;
  /** Stops the runtime and deletes the userDir. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Prefix of the temporary userDir. */
  name: string;
  /** Pack node names (nodes/<name>/<name>.ts) to load. */
  packNodes: string[];
  /** Bench-only node types: type -> CommonJS source of the module (function (RED) {...}). */
  benchNodes?: Record<string, string>;
  flows: unknown[];
  credentials?: Record<string, unknown>;
}

/** Starts Node-RED with the flows and resolves when they are started. */
export async function startNodeRed(opts: StartOptions): Promise<EmbeddedNodeRed> {
  const userDir = mkdtempSync(join(tmpdir(), `${opts.name}-`));
  const nodesDir = join(userDir, 'bench-nodes');
  mkdirSync(nodesDir);
  for (const name of opts.packNodes) {
    // Node-RED require()s this .js; tsx compiles the TypeScript source it points to.
    writeFileSync(join(nodesDir, `${name}.js`), `module.exports = require(${JSON.stringify(join(REPO, `nodes/${name}/${name}.ts`))}).default;\n`);
    copyFileSync(join(REPO, `nodes/${name}/${name}.html`), join(nodesDir, `${name}.html`));
  }
  for (const [type, source] of Object.entries(opts.benchNodes ?? {})) {
    writeFileSync(join(nodesDir, `${type}.js`), source);
    writeFileSync(join(nodesDir, `${type}.html`), `<script type="text/html" data-template-name="${type}"></script>\n`);
  }
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(opts.flows));
  if (opts.credentials) writeFileSync(join(userDir, 'flows_cred.json'), JSON.stringify(opts.credentials));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RED = require('node-red');
  RED.init(createServer(), {
    userDir,
    flowFile: 'flows.json',
    nodesDir: [nodesDir],
    httpAdminRoot: false,
    httpNodeRoot: false,
    credentialSecret: false,
    logging: { console: { level: 'warn' } },
  });
  const started = new Promise<void>((r) => RED.runtime.events.once('flows:started', () => r()));
  await RED.start();
  await started;
  return {
    RED,
    userDir,
    node<T>(id: string): T {
      const n = RED.nodes.getNode(id) as T | null;
      if (!n) throw new Error(`bench flow did not start node ${id}`);
      return n;
    },
    async stop() {
      await RED.stop();
      rmSync(userDir, { recursive: true, force: true });
    },
  };
}
