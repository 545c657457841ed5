#!/usr/bin/env node
// `npm start`: builds the pack if dist/ is older than its sources, starts the Genesys Cloud
// simulator on loopback (unless real credentials are in the environment), starts Node-RED
// (the project's devDependency) with its own user directory, this pack loaded from the working
// tree and the demo flow deployed, then prints the editor and live page URLs. Ctrl-C (SIGINT)
// or SIGTERM stops everything.
//
// Environment:
//   PORT (1880), HOST (127.0.0.1)          where Node-RED listens
//   SIM_PORT (0 = any free port)           where the simulator listens
//   DEMO_USER_DIR (.demo)                  Node-RED user directory (flows written on each start)
//   DEMO_KEEP_FLOWS=1                      keep the flows already in the user directory
//   DEMO_FLOWS=empty                       start with no flow (tests deploy their own)
//   GENESYS_PACK_BUILD_DIR=<dir>           build into <dir> and load the pack from there
//                                          (leaves ./dist alone; used while developing)
//   DEMO_NO_BUILD=1                        use the existing build as it is
//   GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET, GENESYS_REGION, GENESYS_QUEUE_IDS
//                                          run the same flow against a real Genesys Cloud org
/* global fetch, AbortSignal */
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 1880);
const simPort = Number(process.env.SIM_PORT || 0);
const userDir = resolve(root, process.env.DEMO_USER_DIR || '.demo');

function log(line) {
  console.log(`[start] ${line}`);
}

// ---------------------------------------------------------------- build if needed
const SOURCE_DIRS = ['lib', 'nodes', 'bin', 'icons'];
const SOURCE_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];

function walk(dir, visit) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, visit);
    else visit(p, st);
  }
}

function newestSourceMtime() {
  let newest = 0;
  for (const d of SOURCE_DIRS) walk(join(root, d), (_p, st) => (newest = Math.max(newest, st.mtimeMs)));
  for (const f of SOURCE_FILES) if (existsSync(join(root, f))) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  return newest;
}

function oldestBuildMtime(distDir) {
  let oldest = Infinity;
  walk(distDir, (_p, st) => (oldest = Math.min(oldest, st.mtimeMs)));
  return oldest;
}

/** Node sets whose source exists but whose compiled file is missing from the build. */
function missingNodeFiles(packDir) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.entries(pkg['node-red'].nodes)
    .filter(([name]) => existsSync(join(root, 'nodes', name, `${name}.ts`)))
    .filter(([, file]) => !existsSync(join(packDir, file)))
    .map(([name]) => name);
}

function ensureBuild() {
  const privateDir = process.env.GENESYS_PACK_BUILD_DIR ? resolve(process.env.GENESYS_PACK_BUILD_DIR) : undefined;
  const packDir = privateDir ?? root;
  const distDir = join(packDir, 'dist');
  const stale = process.env.DEMO_NO_BUILD !== '1' && (!existsSync(distDir) || newestSourceMtime() > oldestBuildMtime(distDir) || missingNodeFiles(packDir).length > 0);
  if (stale) {
    log(`building the pack into ${privateDir ? distDir : 'dist/'} (sources are newer than the build)`);
    try {
      execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, BUILD_OUT: distDir },
      });
    } catch {
      throw new Error('the build failed (see above); fix it or run `npm run build` to see the errors');
    }
  }
  if (privateDir) {
    // A pack directory Node-RED can load: package.json, dist, examples and the dependencies.
    mkdirSync(privateDir, { recursive: true });
    copyFileSync(join(root, 'package.json'), join(privateDir, 'package.json'));
    for (const link of ['node_modules', 'examples']) {
      const target = join(privateDir, link);
      rmSync(target, { recursive: true, force: true });
      symlinkSync(join(root, link), target);
    }
  }
  return packDir;
}

// ---------------------------------------------------------------- Node-RED
async function waitForHttp(url, timeoutMs, isAlive) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('Node-RED exited during start-up (see its log above)');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Writes the demo flow and its credentials file (only ${ENV} references) into the user dir. */
function writeUserDir() {
  mkdirSync(userDir, { recursive: true });
  const flowsFile = join(userDir, 'flows.json');
  if (process.env.DEMO_KEEP_FLOWS === '1' && existsSync(flowsFile)) {
    log(`keeping the flows in ${flowsFile} (DEMO_KEEP_FLOWS=1)`);
  } else if (process.env.DEMO_FLOWS === 'empty') {
    writeFileSync(flowsFile, '[]\n');
    writeFileSync(join(userDir, 'flows_cred.json'), '{}\n');
  } else {
    copyFileSync(join(root, 'demo', 'flows.json'), flowsFile);
    copyFileSync(join(root, 'demo', 'flows_cred.json'), join(userDir, 'flows_cred.json'));
  }
  // true when the flows serve the live page (then start-up waits for its route)
  return readFileSync(flowsFile, 'utf8').includes('"/agent-assist"');
}

/** API and login URLs of GENESYS_REGION (an id such as eu_central_1 or a domain such as mypurecloud.de). */
function realOrgHosts(packDir) {
  const { regionHosts } = createRequire(import.meta.url)(join(packDir, 'dist', 'lib', 'genesys', 'regions.js'));
  try {
    const hosts = regionHosts(process.env.GENESYS_REGION);
    return { GENESYS_API_BASE: hosts.apiBase, GENESYS_LOGIN_BASE: hosts.loginBase };
  } catch (err) {
    throw new Error(`GENESYS_REGION: ${err.message} (use a region id such as us_east_1 or a domain such as mypurecloud.com)`);
  }
}

/** Fails early with a clear message when something else listens on the port. */
function ensurePortFree() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', (err) =>
      reject(new Error(err.code === 'EADDRINUSE' ? `port ${port} on ${host} is in use: stop what runs there or set PORT=<another port>` : err.message)),
    );
    probe.listen(port, host, () => probe.close(() => resolvePort()));
  });
}

async function main() {
  await ensurePortFree();
  const packDir = ensureBuild();
  const realOrg = Boolean(process.env.GENESYS_CLIENT_ID && process.env.GENESYS_CLIENT_SECRET && process.env.GENESYS_REGION);
  const nodeRedUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;

  let sim;
  if (realOrg) {
    log(`real org mode: region ${process.env.GENESYS_REGION}; the simulator is not started`);
    if (!process.env.GENESYS_QUEUE_IDS) log('GENESYS_QUEUE_IDS is not set: no calls will be discovered (give queue ids, comma-separated)');
    if (!process.env.GENESYS_AUDIOHOOK_API_KEY) log('GENESYS_AUDIOHOOK_API_KEY is not set: the interceptor will refuse AudioHook calls');
  } else {
    const { startDemoSimulator } = await import(pathToFileURL(join(root, 'demo', 'simulator.mjs')).href);
    sim = await startDemoSimulator({ packDir, host: '127.0.0.1', port: simPort, nodeRedUrl, log });
    log(`Genesys Cloud simulator on ${sim.baseUrl} (state: GET ${sim.baseUrl}/sim/state; faults: POST ${sim.baseUrl}/sim/faults/...)`);
  }
  // Every ${ENV} reference of the demo flow gets a value: the simulator's, or the user's for a
  // real org (custom base URLs empty; AudioHook key and secret from the environment).
  const env = sim
    ? sim.env
    : {
        ...realOrgHosts(packDir),
        GENESYS_QUEUE_IDS: process.env.GENESYS_QUEUE_IDS ?? '',
        GENESYS_AUDIOHOOK_API_KEY: process.env.GENESYS_AUDIOHOOK_API_KEY ?? '',
        GENESYS_AUDIOHOOK_CLIENT_SECRET: process.env.GENESYS_AUDIOHOOK_CLIENT_SECRET ?? '',
      };
  const demoFlow = writeUserDir();

  const redJs = join(root, 'node_modules', 'node-red', 'red.js');
  const child = spawn(
    process.execPath,
    ['-r', join(root, 'demo', 'exit-with-parent.cjs'), redJs, '-u', userDir, '-s', join(root, 'demo', 'settings.js'), '-p', String(port)],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env, NODE_RED_HOST: host, GENESYS_PACK_DIR: packDir },
    },
  );
  let childExited = false;
  const childExit = new Promise((r) => child.once('exit', (code, signal) => {
    childExited = true;
    r({ code, signal });
  }));

  let stopping = false;
  async function stop(reason, exitCode = 0) {
    if (stopping) return;
    stopping = true;
    log(`stopping (${reason})`);
    if (sim) await sim.stopTraffic().catch((e) => log(`simulator: ${e.message}`));
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    if (!childExited) child.kill('SIGTERM');
    await childExit;
    clearTimeout(kill);
    if (sim) await sim.close().catch((e) => log(`simulator close: ${e.message}`));
    log('stopped');
    process.exit(exitCode);
  }
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  childExit.then(({ code, signal }) => {
    if (!stopping) void stop(`Node-RED exited (${signal ?? code})`, 1);
  });

  try {
    await waitForHttp(`${nodeRedUrl}/settings`, 90_000, () => !childExited);
    // The live page's route exists once the demo flow has started.
    if (demoFlow) await waitForHttp(`${nodeRedUrl}/agent-assist`, 60_000, () => !childExited);
  } catch (err) {
    log(err.message);
    await stop('start-up failed', 1);
    return;
  }
  if (sim) void sim.startTraffic();
  log(`Node-RED editor: ${nodeRedUrl}/`);
  if (demoFlow) log(`Live page:       ${nodeRedUrl}/agent-assist`);
  log('Press Ctrl-C to stop.');
}

main().catch((err) => {
  console.error(`[start] ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
