/**
 * The AudioHook part of bin/genesys-sim: options to dial AudioHook calls into a server (such as
 * the genesys-interceptor node) with audio following the conversation scripts' speech timings.
 */
import { randomUUID } from 'node:crypto';
import { AudioHookClient, type ClientResult } from './audiohook-client';
import { loadScripts } from './conversations/script';

export const AUDIOHOOK_CLI_OPTIONS = {
  'audiohook-url': { type: 'string', help: 'dial AudioHook calls into this ws:// or wss:// URL (e.g. ws://127.0.0.1:1880/audiohook)' },
  'audiohook-api-key': { type: 'string', help: 'X-API-KEY for the AudioHook calls (default test-api-key-not-real)' },
  'audiohook-secret': { type: 'string', help: 'base64 client secret to sign the upgrade (default: unsigned)' },
  'audiohook-calls': { type: 'string', help: 'number of AudioHook calls, one per conversation script in turn (default 1)' },
  'audiohook-speed': { type: 'string', help: 'audio speed: 1 = real time (default), 10 = ten times faster' },
} as const;

export interface AudioHookCallOptions {
  url: string;
  apiKey: string;
  clientSecret?: string;
  calls: number;
  speed: number;
}

/** Reads the AudioHook options from parsed argv values; undefined when no URL was given. */
export function audioHookCallOptions(values: Record<string, unknown>): AudioHookCallOptions | undefined {
  const url = values['audiohook-url'];
  if (url === undefined) return undefined;
  if (typeof url !== 'string' || !/^wss?:\/\/[^\s]+$/.test(url)) throw new Error(`--audiohook-url must be a ws:// or wss:// URL, got "${String(url)}"`);
  const calls = Number(values['audiohook-calls'] ?? '1');
  if (!Number.isInteger(calls) || calls < 1 || calls > 10_000) throw new Error('--audiohook-calls must be an integer from 1 to 10000');
  const speed = Number(values['audiohook-speed'] ?? '1');
  if (!Number.isFinite(speed) || speed <= 0 || speed > 1000) throw new Error('--audiohook-speed must be a number above 0 (at most 1000)');
  const secret = values['audiohook-secret'];
  if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(secret))) throw new Error('--audiohook-secret must be base64');
  return {
    url,
    apiKey: typeof values['audiohook-api-key'] === 'string' ? values['audiohook-api-key'] : 'test-api-key-not-real',
    clientSecret: secret as string | undefined,
    calls,
    speed,
  };
}

/** Dials the calls concurrently; resolves with every session's result. */
export async function runAudioHookCalls(opts: AudioHookCallOptions, log: (line: string) => void = () => undefined): Promise<ClientResult[]> {
  const scripts = loadScripts();
  const runs = Array.from({ length: opts.calls }, (_, i) => {
    const script = scripts.length ? scripts[i % scripts.length] : undefined;
    const conversationId = randomUUID();
    const client = new AudioHookClient({
      url: opts.url,
      apiKey: opts.apiKey,
      clientSecret: opts.clientSecret,
      conversationId,
      language: script?.language,
      durationMs: script?.durationMs ?? 30_000,
      speech: script?.speechIntervals,
      speed: opts.speed,
    });
    log(`AudioHook call ${conversationId}${script ? ` (${script.id})` : ''} dialing ${opts.url}`);
    return client.run().then((r) => {
      log(`AudioHook call ${conversationId}: ${r.outcome}${r.httpStatus ? ` HTTP ${r.httpStatus}` : ''}${r.disconnect ? ` disconnect ${r.disconnect.reason}` : ''}, ${r.framesSent} frames`);
      return r;
    });
  });
  return Promise.all(runs);
}
