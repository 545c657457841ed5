/**
 * Delivery faults of the simulator (what the platform or the network can do to event frames):
 * malformed JSON, schema-invalid events, oversized frames, duplicates, out-of-order delivery and
 * delays. Connection, channel and auth faults (drop, socket_closing, expiry, token revocation,
 * 429) belong to the simulator server; these sit between the conversation player and it.
 */
import { systemClock, type Clock, type TimerHandle } from '../util/clock';

/** The part of the simulator server the player and the faults publish through. */
export interface EventSink {
  /** Wraps eventBody in the envelope and sends it to every socket subscribed to topicName. */
  publish(topicName: string, eventBody: unknown): unknown;
  /** Sends a text frame as is to every socket subscribed to topicName. */
  sendRaw(topicName: string, text: string): unknown;
}

export type DeliveryFaultKind = 'malformed-json' | 'schema-invalid' | 'oversized' | 'duplicate' | 'out-of-order' | 'delay';
export const DELIVERY_FAULT_KINDS: readonly DeliveryFaultKind[] = ['malformed-json', 'schema-invalid', 'oversized', 'duplicate', 'out-of-order', 'delay'];

export interface DeliveryFault {
  kind: DeliveryFaultKind;
  /** How many of the next events it applies to (default 1; out-of-order needs >= 2). */
  count?: number;
  /** For 'delay': how long the events are held. */
  delayMs?: number;
  /** For 'oversized': frame size in bytes (default 2 MiB). */
  bytes?: number;
}

export interface DeliveryStats {
  published: number;
  duplicated: number;
  reordered: number;
  delayed: number;
  malformed: number;
  invalid: number;
  oversized: number;
}

export const DEFAULT_OVERSIZED_BYTES = 2 * 1024 * 1024;

/**
 * A publisher that applies armed faults to the next events. Injected frames (malformed,
 * invalid, oversized) go out *in addition to* the real event, on the same topic, so a test can
 * check that every real event still arrives exactly once.
 */
export class FaultyPublisher implements EventSink {
  private armed: Array<Required<Pick<DeliveryFault, 'kind' | 'count'>> & DeliveryFault> = [];
  private held: Array<{ topic: string; body: unknown }> = [];
  private readonly timers = new Set<TimerHandle>();
  readonly stats: DeliveryStats = { published: 0, duplicated: 0, reordered: 0, delayed: 0, malformed: 0, invalid: 0, oversized: 0 };

  constructor(
    private readonly sink: EventSink,
    private readonly clock: Clock = systemClock,
  ) {}

  arm(fault: DeliveryFault): void {
    const count = Math.max(1, Math.floor(fault.count ?? (fault.kind === 'out-of-order' ? 2 : 1)));
    if (fault.kind === 'out-of-order' && count < 2) throw new Error('out-of-order needs count >= 2');
    this.armed.push({ ...fault, count });
  }

  /** Armed faults not yet used up. */
  get pending(): DeliveryFault[] {
    return this.armed.map((f) => ({ ...f }));
  }

  sendRaw(topicName: string, text: string): unknown {
    return this.sink.sendRaw(topicName, text);
  }

  publish(topicName: string, eventBody: unknown): unknown {
    const fault = this.armed[0];
    if (!fault) return this.deliver(topicName, eventBody);
    switch (fault.kind) {
      case 'malformed-json':
        this.consume();
        this.stats.malformed++;
        this.sink.sendRaw(topicName, `{"topicName":"${topicName}","eventBody":{"conversationId":`);
        return this.deliver(topicName, eventBody);
      case 'schema-invalid':
        this.consume();
        this.stats.invalid++;
        this.sink.publish(topicName, invalidVariant(eventBody));
        return this.deliver(topicName, eventBody);
      case 'oversized': {
        this.consume();
        this.stats.oversized++;
        const bytes = fault.bytes ?? DEFAULT_OVERSIZED_BYTES;
        this.sink.sendRaw(topicName, JSON.stringify({ topicName, version: '2', eventBody: { padding: 'x'.repeat(bytes) } }));
        return this.deliver(topicName, eventBody);
      }
      case 'duplicate':
        this.consume();
        this.stats.duplicated++;
        this.deliver(topicName, eventBody);
        return this.deliver(topicName, eventBody);
      case 'out-of-order':
        this.held.push({ topic: topicName, body: eventBody });
        if (this.held.length >= fault.count) {
          this.armed.shift();
          const batch = this.held.reverse();
          this.held = [];
          this.stats.reordered += batch.length;
          for (const e of batch) this.deliver(e.topic, e.body);
        }
        return undefined;
      case 'delay': {
        this.consume();
        this.stats.delayed++;
        const t = this.clock.setTimeout(() => {
          this.timers.delete(t);
          this.deliver(topicName, eventBody);
        }, fault.delayMs ?? 1000);
        this.timers.add(t);
        return undefined;
      }
    }
  }

  /** Sends held events now (end of a play) and cancels nothing else. */
  flush(): void {
    const batch = this.held.reverse();
    this.held = [];
    if (this.armed[0]?.kind === 'out-of-order') this.armed.shift();
    for (const e of batch) this.deliver(e.topic, e.body);
  }

  /** Drops armed faults and held or delayed events (simulator shutdown). */
  reset(): void {
    this.armed = [];
    this.held = [];
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
  }

  private consume(): void {
    const f = this.armed[0];
    if (!f) return;
    f.count--;
    if (f.count <= 0) this.armed.shift();
  }

  private deliver(topic: string, body: unknown): unknown {
    this.stats.published++;
    return this.sink.publish(topic, body);
  }
}

/** A copy of an event body that breaks its schema in a realistic way (wrong type / bad enum). */
export function invalidVariant(eventBody: unknown): unknown {
  if (eventBody === null || typeof eventBody !== 'object') return { conversationId: 42 };
  const copy = JSON.parse(JSON.stringify(eventBody)) as Record<string, unknown>;
  const transcripts = copy.transcripts;
  if (Array.isArray(transcripts) && transcripts.length > 0) {
    (transcripts[0] as Record<string, unknown>).channel = 'LEFT';
    return copy;
  }
  if (Array.isArray(copy.participants)) {
    copy.participants = 'not-a-list';
    return copy;
  }
  copy.conversationId = 42;
  return copy;
}
