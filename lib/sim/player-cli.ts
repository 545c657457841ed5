/**
 * genesys-sim --play options (table and parsing), kept beside the player so lib/sim/cli-args.ts
 * only spreads the table and calls playCliOptions().
 */
export const PLAY_CLI_OPTIONS = {
  play: { type: 'string', help: 'play scripted calls once a client subscribes: "all" or ids, comma-separated (GET /sim/scripts lists them)' },
  speed: { type: 'string', help: 'speed of --play: 1 = real time (default), 10 = ten times faster, 0 = as fast as possible' },
  queue: { type: 'string', help: 'queue id the --play calls arrive on (default sim-queue-1)' },
} as const;

export interface PlayCliOptions {
  /** Script ids; absent = all. */
  scripts?: string[];
  speed: number;
  queueId?: string;
}

/** Reads --play, --speed and --queue from parsed argv values; undefined without --play. */
export function playCliOptions(v: Record<string, unknown>): PlayCliOptions | undefined {
  if (typeof v.play !== 'string') {
    if (v.speed !== undefined || v.queue !== undefined) throw new Error('--speed and --queue need --play');
    return undefined;
  }
  const ids = v.play.split(',').map((x) => x.trim()).filter(Boolean);
  const speed = v.speed === undefined ? 1 : Number(v.speed);
  if (typeof v.speed !== 'undefined' && (typeof v.speed !== 'string' || !/^\d+(\.\d+)?$/.test(v.speed))) throw new Error(`--speed must be a number >= 0, got "${String(v.speed)}"`);
  if (v.queue !== undefined && (typeof v.queue !== 'string' || !/^[A-Za-z0-9-]+$/.test(v.queue))) throw new Error('--queue must be letters, digits and dashes');
  const out: PlayCliOptions = { speed };
  if (ids.length > 0 && !(ids.length === 1 && ids[0] === 'all')) out.scripts = ids;
  if (typeof v.queue === 'string') out.queueId = v.queue;
  return out;
}
