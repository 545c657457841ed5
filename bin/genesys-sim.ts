#!/usr/bin/env node
/**
 * genesys-sim: starts the local Genesys Cloud simulator (lib/sim) from the command line, prints
 * where it listens and the custom URLs for a genesys-auth node, and stops on SIGINT/SIGTERM.
 */
import { parseSimCliArgs, simCliUsage } from '../lib/sim/cli-args';
import { attachPlayer } from '../lib/sim/player';
import { SimServer } from '../lib/sim/server';
import { runAudioHookCalls } from '../lib/sim/audiohook-cli';

async function main(): Promise<void> {
  let opts;
  try {
    opts = parseSimCliArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`genesys-sim: ${(err as Error).message}\n\n${simCliUsage()}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log(simCliUsage());
    return;
  }
  const sim = await SimServer.start(opts.server);
  const clients = (opts.server.clients ?? [{ id: 'sim-client' }]).map((c) => c.id).join(', ');
  console.log(`genesys-sim listening on ${sim.baseUrl}`);
  console.log(`  genesys-auth: region "custom", API base URL ${sim.apiBase}, login base URL ${sim.loginBase}`);
  console.log(`  OAuth clients: ${clients}`);
  console.log(`  admin: GET ${sim.baseUrl}/sim/state, POST ${sim.baseUrl}/sim/publish, POST ${sim.baseUrl}/sim/faults/...`);
  // Scripted calls: POST /sim/play, GET /sim/scripts, POST /sim/faults/delivery (lib/sim/player.ts).
  const player = attachPlayer(sim);
  if (opts.play) {
    const handle = player.play({ ...opts.play, subscriberTimeoutMs: 24 * 3600_000 });
    console.log(`  playing ${handle.conversations.map((c) => `${c.scriptId} (${c.conversationId})`).join(', ')} on queue ${handle.conversations[0]?.queueId ?? ''}`);
    void handle.finished.then(() => console.log('genesys-sim: scripted calls finished'));
  }
  if (opts.audiohook) void runAudioHookCalls(opts.audiohook, (line) => console.log(line));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`genesys-sim: ${signal}, stopping`);
    player.detach();
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`genesys-sim: ${(err as Error).message}`);
  process.exit(1);
});
