/**
 * Command-line options of bin/genesys-sim. Parsing lives here (not in bin/) so other parts of the
 * simulator can add options: add an entry to SIM_CLI_OPTIONS and a field to SimCliOptions, read
 * it in parseSimCliArgs, and act on it in bin/genesys-sim.ts.
 */
import { parseArgs } from 'node:util';
import type { SimClient, SimServerOptions } from './server';
import { AUDIOHOOK_CLI_OPTIONS, audioHookCallOptions, type AudioHookCallOptions } from './audiohook-cli';
import { PLAY_CLI_OPTIONS, playCliOptions, type PlayCliOptions } from './player-cli';

export interface SimCliOptions {
  help: boolean;
  server: SimServerOptions;
  /** AudioHook calls to dial (--audiohook-url and friends). */
  audiohook?: AudioHookCallOptions;
  /** Scripted calls to play (--play and friends). */
  play?: PlayCliOptions;
}

/** Option table (also the source of --help). */
export const SIM_CLI_OPTIONS = {
  port: { type: 'string', short: 'p', help: 'port to listen on (default 8787; 0 = any free port)' },
  host: { type: 'string', help: 'loopback address to listen on: 127.0.0.1 (default), ::1 or localhost' },
  client: {
    type: 'string',
    short: 'c',
    multiple: true,
    help: 'OAuth client as id:secret[:perm,perm,...] (repeatable; no permissions = all). Default sim-client:sim-secret-not-real',
  },
  'heartbeat-ms': { type: 'string', help: 'channel.metadata heartbeat interval in ms (default 30000; 0 = off)' },
  'token-ttl': { type: 'string', help: 'expires_in of issued tokens in seconds (default 86400)' },
  'channel-ttl': { type: 'string', help: 'channel lifetime in seconds (default 86400)' },
  ...AUDIOHOOK_CLI_OPTIONS,
  ...PLAY_CLI_OPTIONS,
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const;

export const DEFAULT_SIM_PORT = 8787;

export function simCliUsage(): string {
  const lines = ['Usage: genesys-sim [options]', '', 'A local Genesys Cloud simulator (OAuth, notifications API, channel WebSocket).', ''];
  for (const [name, spec] of Object.entries(SIM_CLI_OPTIONS)) {
    const short = 'short' in spec ? `-${spec.short}, ` : '    ';
    lines.push(`  ${short}--${name.padEnd(14)} ${spec.help}`);
  }
  return lines.join('\n');
}

/** Parses argv (without node and script). Throws an Error with a readable message on bad input. */
export function parseSimCliArgs(argv: string[]): SimCliOptions {
  const options = Object.fromEntries(
    Object.entries(SIM_CLI_OPTIONS).map(([k, v]) => [k, { type: v.type, ...('short' in v ? { short: v.short } : {}), ...('multiple' in v ? { multiple: v.multiple } : {}) }]),
  );
  const { values } = parseArgs({ args: argv, options: options as NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>, strict: true, allowPositionals: false });
  const v = values as Record<string, string | string[] | boolean | undefined>;
  const server: SimServerOptions = {
    port: intOption(v.port, 'port', 0, 65535) ?? DEFAULT_SIM_PORT,
    host: typeof v.host === 'string' ? v.host : undefined,
    heartbeatIntervalMs: intOption(v['heartbeat-ms'], 'heartbeat-ms', 0),
    tokenTtlSec: intOption(v['token-ttl'], 'token-ttl', 1),
  };
  const channelTtl = intOption(v['channel-ttl'], 'channel-ttl', 1);
  if (channelTtl !== undefined) server.channelTtlMs = channelTtl * 1000;
  const clients = (v.client as string[] | undefined)?.map(parseClient);
  if (clients?.length) server.clients = clients;
  return { help: v.help === true, server, audiohook: audioHookCallOptions(v), play: playCliOptions(v) };
}

/** id:secret[:perm,perm] — the secret may not contain ':' (use the API to add such clients). */
export function parseClient(text: string): SimClient {
  const [id, secret, perms, ...rest] = text.split(':');
  // Permissions contain ':' themselves (domain:entity:action): re-join what follows the secret.
  const permText = [perms, ...rest].filter((x) => x !== undefined).join(':');
  if (!id || !secret) throw new Error(`--client must be id:secret[:perm,perm], got "${text.replace(/:.*/, ':…')}"`);
  const permissions = permText ? permText.split(',').map((p) => p.trim()).filter(Boolean) : undefined;
  for (const p of permissions ?? []) {
    if (!/^[\w*]+:[\w*]+:[\w*]+$/.test(p)) throw new Error(`--client permission "${p}" is not domain:entity:action`);
  }
  return { id, secret, ...(permissions ? { permissions } : {}) };
}

function intOption(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < min || n > max) {
    throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${String(value)}"`);
  }
  return n;
}
