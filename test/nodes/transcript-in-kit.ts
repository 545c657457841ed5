/**
 * Shared setup of the genesys-transcript-in node tests: the simulator with the conversation
 * player, a flow (genesys-auth + transcript-in + helper, catch, complete and status nodes), and
 * collectors that wait on messages instead of sleeping.
 */
import genesysAuthNode from '../../nodes/genesys-auth/genesys-auth';
import transcriptInNode from '../../nodes/genesys-transcript-in/genesys-transcript-in';
import { transcriptionTopic } from '../../lib/genesys/topics';
import { attachPlayer, type AttachedPlayer } from '../../lib/sim/player';
import { SimServer, type SimServerOptions } from '../../lib/sim/server';
import { helper } from '../support/node-red';

export const CLIENT = { id: 'tin-client', secret: 'tin-secret-not-real' };

export interface Msg {
  topic?: string;
  payload: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions reach into payloads
  [k: string]: unknown;
}

/** Collects messages arriving at a helper node; wait(pred) resolves once pred holds. */
export class Sink {
  readonly messages: Msg[] = [];
  private waiters: Array<{ pred: (m: Msg[]) => boolean; resolve: () => void }> = [];
  constructor(node: { on(e: 'input', fn: (msg: Msg) => void): void }) {
    node.on('input', (msg) => {
      this.messages.push(msg);
      this.waiters = this.waiters.filter((w) => (w.pred(this.messages) ? (w.resolve(), false) : true));
    });
  }
  wait(pred: (m: Msg[]) => boolean): Promise<Msg[]> {
    if (pred(this.messages)) return Promise.resolve(this.messages);
    return new Promise((resolve) => this.waiters.push({ pred, resolve: () => resolve(this.messages) }));
  }
  count(n: number): Promise<Msg[]> {
    return this.wait((m) => m.length >= n);
  }
}

export interface Loaded {
  node: { receive(msg: Record<string, unknown>): void };
  utterances: Sink;
  lifecycle: Sink;
  caught: Sink;
  completed: Sink;
  statuses: Sink;
}

export const FAST_TUNING = { backoffInitialMs: 20, backoffMaxMs: 200, probeTimeoutMs: 300, maintenanceIntervalMs: 50 };

export function flow(sim: SimServer, config: Record<string, unknown> = {}): Array<Record<string, unknown>> {
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    { id: 'cfg', type: 'genesys-auth', name: 'sim', region: 'custom', apiBase: sim.apiBase, loginBase: sim.loginBase },
    {
      id: 'tin',
      z: 'tab',
      type: 'genesys-transcript-in',
      auth: 'cfg',
      conversationIds: '',
      queueIds: '',
      userIds: '',
      partials: true,
      summaries: false,
      suggestions: false,
      heartbeatTimeout: 5,
      offsetReference: 'transcriptionStart',
      shardIndex: 1,
      shardCount: 1,
      idProperty: 'payload.conversationId',
      tuning: FAST_TUNING,
      ...config,
      wires: [['out1'], ['out2']],
    },
    { id: 'out1', z: 'tab', type: 'helper' },
    { id: 'out2', z: 'tab', type: 'helper' },
    { id: 'catcher', z: 'tab', type: 'catch', scope: ['tin'], uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
    { id: 'completer', z: 'tab', type: 'complete', scope: ['tin'], uncaught: false, wires: [['completed']] },
    { id: 'completed', z: 'tab', type: 'helper' },
    { id: 'watcher', z: 'tab', type: 'status', scope: ['tin'], wires: [['statuses']] },
    { id: 'statuses', z: 'tab', type: 'helper' },
  ];
}

export async function load(sim: SimServer, config: Record<string, unknown> = {}): Promise<Loaded> {
  await helper.load([genesysAuthNode, transcriptInNode], flow(sim, config), { cfg: { clientId: CLIENT.id, clientSecret: CLIENT.secret } });
  return {
    node: helper.getNode('tin'),
    utterances: new Sink(helper.getNode('out1')),
    lifecycle: new Sink(helper.getNode('out2')),
    caught: new Sink(helper.getNode('caught')),
    completed: new Sink(helper.getNode('completed')),
    statuses: new Sink(helper.getNode('statuses')),
  };
}

export async function startSim(opts: SimServerOptions = {}): Promise<{ sim: SimServer; attached: AttachedPlayer }> {
  const sim = await SimServer.start({ port: 0, heartbeatIntervalMs: 0, clients: [{ ...CLIENT, name: 'transcript-in tests' }], ...opts });
  return { sim, attached: attachPlayer(sim) };
}

/** Resolves when a channel with an open socket carries every topic. */
export function subscribed(sim: SimServer, topics: string[]): Promise<void> {
  const ok = () => {
    const open = new Set(sim.channels().filter((c) => c.connected).map((c) => c.id));
    return topics.every((t) => sim.channelsFor(t).some((id) => open.has(id)));
  };
  return new Promise((resolve) => {
    if (ok()) return resolve();
    const check = () => {
      if (!ok()) return;
      sim.off('subscriptions', check);
      sim.off('socketOpened', check);
      resolve();
    };
    sim.on('subscriptions', check);
    sim.on('socketOpened', check);
  });
}

/** Resolves when no channel carries the topic any more. */
export function unsubscribed(sim: SimServer, topic: string): Promise<void> {
  return new Promise((resolve) => {
    if (sim.channelsFor(topic).length === 0) return resolve();
    const check = () => {
      if (sim.channelsFor(topic).length > 0) return;
      sim.off('subscriptions', check);
      resolve();
    };
    sim.on('subscriptions', check);
  });
}

const T0 = Date.UTC(2026, 0, 1, 12);

/** A real-shaped transcription event body with final results u-<n> for each n. */
export function transcription(conversationId: string, ns: number[], opts: { isFinal?: boolean; status?: 'SESSION_ONGOING' | 'SESSION_ENDED'; text?: (n: number) => string } = {}): Record<string, unknown> {
  return {
    eventTime: new Date(T0).toISOString(),
    organizationId: 'sim-org',
    conversationId,
    communicationId: `${conversationId}-comm`,
    sessionStartTimeMs: T0 - 1200,
    transcriptionStartTimeMs: T0,
    transcripts: ns.map((n) => ({
      utteranceId: `u-${n}`,
      isFinal: opts.isFinal ?? true,
      channel: n % 2 ? 'EXTERNAL' : 'INTERNAL',
      alternatives: [
        {
          confidence: 0.9,
          offsetMs: n * 1000,
          durationMs: 800,
          transcript: opts.text ? opts.text(n) : `utterance number ${n}`,
          words: [{ word: 'utterance', confidence: 0.9, offsetMs: n * 1000, durationMs: 300 }],
        },
      ],
      engineProvider: 'GENESYS',
      engineId: 'sim-engine',
      dialect: 'en-US',
    })),
    status: { offsetMs: 0, status: opts.status ?? 'SESSION_ONGOING' },
  };
}

export { transcriptionTopic };
