import { Aligner, type AlignedSegment, type AlignerAlert, type AlignerOptions, type AlignerOutput } from '../../../lib/align';
import { ManualClock } from '../../support/manual-clock';

export const T0 = Date.UTC(2026, 0, 1);

/** A hand-made Utterance payload (what a flow or transcript-in sends). */
export function utt(
  id: string,
  startMs: number,
  endMs: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    conversationId: 'c1',
    utteranceId: id,
    channel: 'EXTERNAL',
    isFinal: true,
    text: `text of ${id}`,
    startMs: T0 + startMs,
    endMs: T0 + endMs,
    words: [],
    ...extra,
  };
}

/** An aligner on a manual clock that records every output. */
export class Harness {
  readonly clock = new ManualClock(T0 + 100_000);
  readonly outputs: AlignerOutput<string>[] = [];
  readonly aligner: Aligner<string>;

  constructor(options: Partial<Record<keyof AlignerOptions, unknown>> = {}) {
    // Alerts off unless a test turns one on, so each test sees only the rule it checks.
    const quiet = { latencyThresholdMs: 0, driftThresholdMs: 0, gapThresholdMs: 0 };
    this.aligner = new Aligner<string>({ ...quiet, ...options }, (o) => this.outputs.push(o), this.clock);
  }

  /** Sends a payload stamped as received now (receivedAt defaults to the clock). */
  send(payload: Record<string, unknown>, ctx?: string): void {
    this.aligner.ingest(payload, ctx);
  }

  segments(): AlignedSegment[] {
    const out: AlignedSegment[] = [];
    for (const o of this.outputs) {
      if (o.kind === 'segment') out.push(o.segment);
      if (o.kind === 'batch') out.push(...o.batch.segments);
    }
    return out;
  }

  ids(): string[] {
    return this.segments().map((s) => s.utteranceId);
  }

  alerts(): AlignerAlert[] {
    return this.outputs.flatMap((o) => (o.kind === 'alert' ? [o.alert] : []));
  }

  kinds(): string[] {
    return this.outputs.map((o) => o.kind);
  }
}
