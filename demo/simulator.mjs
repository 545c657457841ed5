// The simulator side of `npm start`: starts the Genesys Cloud simulator from the built pack
// (dist/lib/sim), then, once Node-RED is up, keeps playing scripted calls on the demo queue
// (transcripts, partials, Copilot summaries) and, for each call, dials the interceptor's
// AudioHook endpoint in Node-RED as Genesys would, with audio for the same conversation.
//
// Environment (all optional):
//   DEMO_SPEED (2)              call speed: 1 = real time, 2 = twice as fast
//   DEMO_CONCURRENT_CALLS (2)   calls in progress at once
//   DEMO_CALL_GAP_MS (6000)     wall time between call starts
//   DEMO_SCRIPTS                comma-separated script ids (default: all)
/* global setInterval, clearInterval */
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** Demo values shared with the flows and tests (demo/demo-values.json; obviously not real). */
const values = require('./demo-values.json');
const SIM_CLIENT = values.simulatorClient;
const DEMO_QUEUE_ID = values.queueId;
const AUDIOHOOK_PATH = values.audiohookPath;
const AUDIOHOOK_API_KEY = values.audiohookApiKey;
const AUDIOHOOK_CLIENT_SECRET = values.audiohookClientSecretBase64;

function numberEnv(name, fallback) {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/**
 * Starts the simulator. Returns the environment for Node-RED (the demo flow's ${ENV}
 * references), startTraffic() to call once the flow is deployed, and close().
 */
export async function startDemoSimulator({ packDir, host, port, nodeRedUrl, log }) {
  const lib = (p) => require(join(packDir, 'dist', 'lib', p));
  const { SimServer } = lib('sim/server.js');
  const { attachPlayer } = lib('sim/player.js');
  const { AudioHookClient } = lib('sim/audiohook-client.js');

  const sim = await SimServer.start({ host, port, clients: [{ ...SIM_CLIENT, name: 'Demo client' }] });
  // The player (and its /sim/play and /sim/faults/delivery admin routes) on the simulator; it
  // waits for transcript-in to subscribe a conversation before speaking (no replay on the platform).
  const attached = attachPlayer(sim);
  const player = attached.player;

  const speed = numberEnv('DEMO_SPEED', 2);
  const concurrent = numberEnv('DEMO_CONCURRENT_CALLS', 2);
  const gapMs = numberEnv('DEMO_CALL_GAP_MS', 6000);
  const scriptIds = process.env.DEMO_SCRIPTS ? process.env.DEMO_SCRIPTS.split(',').map((s) => s.trim()).filter(Boolean) : player.scriptIds;
  const unknown = scriptIds.filter((id) => !player.scriptIds.includes(id));
  if (unknown.length || !scriptIds.length) {
    await sim.close();
    throw new Error(`DEMO_SCRIPTS: unknown script(s) ${unknown.join(', ') || '(none given)'}; available: ${player.scriptIds.join(', ')}`);
  }

  let stopped = false;
  let cancelWait = () => {};
  let nextScript = 0;
  let timer;
  const calls = new Set();
  const audioClients = new Set();

  function startCall() {
    if (stopped || calls.size >= concurrent) return;
    const scriptId = scriptIds[nextScript++ % scriptIds.length];
    let handle;
    try {
      handle = attached.play({ scripts: [scriptId], speed, queueId: DEMO_QUEUE_ID, subscriberTimeoutMs: 10_000 });
    } catch (err) {
      log(`could not start a call (${scriptId}): ${err.message}`);
      return;
    }
    calls.add(handle);
    const played = handle.conversations[0];
    log(`call ${played.conversationId} (${scriptId}) started`);
    dialAudioHook(played, player.script(scriptId));
    handle.finished.then(() => {
      calls.delete(handle);
      if (!stopped) log(`call ${played.conversationId} (${scriptId}) finished`);
    });
  }

  function dialAudioHook(played, script) {
    const client = new AudioHookClient({
      url: `${nodeRedUrl.replace(/^http/, 'ws')}${AUDIOHOOK_PATH}`,
      apiKey: AUDIOHOOK_API_KEY,
      clientSecret: AUDIOHOOK_CLIENT_SECRET,
      conversationId: played.conversationId,
      language: script.language,
      durationMs: script.durationMs,
      speed,
      speech: script.speechIntervals,
    });
    const session = client.run().then((r) => {
      audioClients.delete(entry);
      if (r.outcome !== 'closed' && !stopped) log(`AudioHook session for ${played.conversationId} ended: ${r.outcome}${r.httpStatus ? ` (HTTP ${r.httpStatus})` : ''}`);
    });
    const entry = { client, session };
    audioClients.add(entry);
  }

  return {
    baseUrl: sim.baseUrl,
    /** ${ENV} values the demo flow and its credentials file refer to. */
    env: {
      GENESYS_API_BASE: sim.apiBase,
      GENESYS_LOGIN_BASE: sim.loginBase,
      GENESYS_CLIENT_ID: SIM_CLIENT.id,
      GENESYS_CLIENT_SECRET: SIM_CLIENT.secret,
      GENESYS_QUEUE_IDS: DEMO_QUEUE_ID,
      GENESYS_AUDIOHOOK_API_KEY: AUDIOHOOK_API_KEY,
      GENESYS_AUDIOHOOK_CLIENT_SECRET: AUDIOHOOK_CLIENT_SECRET,
    },
    async startTraffic() {
      // Calls are discovered through the queue topic: the first call waits until transcript-in
      // has subscribed it (bounded; after that the calls start anyway and the log says so).
      const queuePrefix = `v2.routing.queues.${DEMO_QUEUE_ID}.`;
      const subscribed = () => sim.subscribedTopics().some((t) => t.startsWith(queuePrefix));
      if (!subscribed()) {
        let onChange;
        let t;
        const ok = await Promise.race([
          new Promise((r) => {
            onChange = () => subscribed() && r(true);
            sim.on('subscriptions', onChange);
          }),
          new Promise((r) => (t = setTimeout(() => r(false), 30_000))),
          new Promise((r) => (cancelWait = () => r(true))),
        ]);
        sim.off('subscriptions', onChange);
        clearTimeout(t);
        if (!ok && !stopped) log(`nothing subscribed ${queuePrefix}* within 30 s; playing calls anyway`);
      }
      if (stopped) return;
      startCall();
      timer = setInterval(startCall, gapMs);
    },
    /** No new calls; running AudioHook sessions close with reason "end" (bounded wait). */
    async stopTraffic() {
      stopped = true;
      cancelWait();
      clearInterval(timer);
      player.stop();
      const sessions = [...audioClients].map((e) => (e.client.end(), e.session));
      let t;
      await Promise.race([Promise.all(sessions), new Promise((r) => (t = setTimeout(r, 2000)))]);
      clearTimeout(t);
    },
    async close() {
      await this.stopTraffic();
      attached.detach();
      await sim.close();
    },
  };
}
