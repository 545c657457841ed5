/**
 * Test kit for the channel manager and transcript feed: a real simulator on 127.0.0.1:0 with a
 * real token provider and REST client, small timings, and event waiting without sleeps.
 */
import type { EventEmitter } from 'node:events';
import { ChannelManager, type ChannelManagerOptions } from '../../../lib/genesys/channel-manager';
import { GenesysRestClient } from '../../../lib/genesys/rest-client';
import { GenesysTokenProvider } from '../../../lib/genesys/token-provider';
import { SimServer, type SimServerOptions } from '../../../lib/sim/server';

export interface Kit {
  sim: SimServer;
  tokens: GenesysTokenProvider;
  rest: GenesysRestClient;
  close(): Promise<void>;
}

export async function startKit(simOpts: SimServerOptions = {}): Promise<Kit> {
  const sim = await SimServer.start({ port: 0, heartbeatIntervalMs: 0, ...simOpts });
  const tokens = new GenesysTokenProvider({ loginBase: sim.loginBase, clientId: 'sim-client', clientSecret: 'sim-secret-not-real' });
  const rest = new GenesysRestClient({ apiBase: sim.apiBase, tokens, maxRetryAfterMs: 50, backoff: { initialMs: 10, maxMs: 50 } });
  return {
    sim,
    tokens,
    rest,
    close: async () => {
      (tokens as unknown as { close?: () => void }).close?.();
      await sim.close();
    },
  };
}

/** Manager options that make every fault recover fast in tests. */
export function fastManagerOptions(kit: Kit, extra: Partial<ChannelManagerOptions> = {}): ChannelManagerOptions {
  return {
    rest: kit.rest,
    tokens: kit.tokens,
    heartbeatTimeoutMs: 5000,
    probeTimeoutMs: 1000,
    backoff: { initialMs: 20, maxMs: 200, jitter: 0.5 },
    connectTimeoutMs: 2000,
    ...extra,
  };
}

export function newManager(kit: Kit, extra: Partial<ChannelManagerOptions> = {}): ChannelManager {
  return new ChannelManager(fastManagerOptions(kit, extra));
}

/** Resolves with the args of the first `event` for which `match` is true. */
export function waitFor<T extends unknown[]>(emitter: EventEmitter, event: string, match: (...args: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const on = (...args: unknown[]) => {
      if (!match(...(args as T))) return;
      emitter.off(event, on);
      resolve(args as T);
    };
    emitter.on(event, on);
  });
}

/** Resolves when `check()` is true, re-checking on every `event` of the emitters. */
export function until(check: () => boolean, sources: Array<[EventEmitter, string]>): Promise<void> {
  return new Promise((resolve) => {
    if (check()) return resolve();
    const on = () => {
      if (!check()) return;
      for (const [e, n] of sources) e.off(n, on);
      resolve();
    };
    for (const [e, n] of sources) e.on(n, on);
  });
}
