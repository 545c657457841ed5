/**
 * Client side of bench/interceptor.ts, run in its own process: N concurrent AudioHook sessions
 * in real time (200 ms stereo PCMU frames, pings 1 s after open then every 5 s), started over a
 * ramp. Reports frames sent, outcomes and the ping-to-pong round trips to the parent over IPC.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AudioHookClient, type ClientResult } from '../lib/sim/audiohook-client';
import { LoopedAudioSource, defaultSpeechPattern } from '../lib/sim/audio-synth';

interface LoadRequest {
  url: string;
  apiKey: string;
  secret: string;
  sessions: number;
  durationMs: number;
  rampMs: number;
}

async function run(req: LoadRequest): Promise<void> {
  // One shared, cached audio loop: the load generator must not spend its CPU on synthesis.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const source = new LoopedAudioSource(50, { speech: defaultSpeechPattern(10_000) });
  const results: Promise<ClientResult>[] = [];
  for (let i = 0; i < req.sessions; i++) {
    const delay = (req.rampMs * i) / req.sessions;
    results.push(
      new Promise<ClientResult>((resolve) =>
        setTimeout(() => {
          new AudioHookClient({ url: req.url, apiKey: req.apiKey, clientSecret: req.secret, durationMs: req.durationMs, speed: 1, source, closeTimeoutMs: 20_000, openTimeoutMs: 10_000 })
            .run()
            .then(resolve);
        }, delay),
      ),
    );
  }
  const t0 = Date.now();
  const all = await Promise.all(results);
  // Steady state: every session is open (after the ramp and the first ping) and none has ended.
  const steadyFrom = t0 + req.rampMs + 1500;
  const steadyTo = t0 + req.durationMs;
  const steady = all.flatMap((r) => r.rttsMs.filter((_, i) => r.pingSentAt[i] >= steadyFrom && r.pingSentAt[i] <= steadyTo));
  const rtts = all.flatMap((r) => r.rttsMs).sort((a, b) => a - b);
  const pct = (p: number) => (rtts.length ? rtts[Math.min(rtts.length - 1, Math.floor((p / 100) * rtts.length))] : NaN);
  const outcomes: Record<string, number> = {};
  for (const r of all) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  process.send?.({
    done: true,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    rtts,
    steadyRtts: steady,
    framesSent: all.reduce((n, r) => n + r.framesSent, 0),
    outcomes,
    clientErrors: all.flatMap((r) => r.errors).slice(0, 5),
    disconnects: all.filter((r) => r.disconnect).length,
    rtt: { count: rtts.length, p50: pct(50), p99: pct(99), max: rtts[rtts.length - 1] ?? NaN },
  });
}

process.once('message', (req: LoadRequest) => {
  run(req).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
});
