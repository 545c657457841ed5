/**
 * What the genesys-summary-validator node runs: routing, the per-conversation sources and the
 * validator, behind one call per message. Kept here so the node file stays a thin wrapper.
 */
import type { Clock } from '../util/clock';
import { InputError } from '../util/errors';
import { SourceContexts, type ValidationSource } from './context';
import { parseSummaryInput } from './input';
import { routeMessage, transcriptTexts, type IncomingMessage } from './messages';
import { redactorDetectors } from './personal-data';
import type { SummaryNodeOptions } from './config';
import { SummaryValidator, type Validation } from './validator';

export type EngineResult =
  | { kind: 'source'; conversationId: string; segments: number }
  | { kind: 'ended'; conversationId: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'validated'; conversationId: string | undefined; validation: Validation };

export class SummaryValidationEngine {
  readonly validator: SummaryValidator;
  readonly sources: SourceContexts;

  constructor(
    private readonly opts: SummaryNodeOptions,
    private readonly clock: Clock,
    onEvict?: (conversationId: string, reason: 'idle' | 'capacity') => void,
  ) {
    const pd = opts.validator.personalData;
    const detectors = pd.enabled ? redactorDetectors(pd.minScore) : undefined;
    this.validator = new SummaryValidator(detectors && !opts.validator.detector ? { ...opts.validator, detector: detectors.summary } : opts.validator);
    this.sources = new SourceContexts({
      clock,
      countTokens: this.validator.countTokens,
      idleTimeoutMs: opts.idleTimeoutMs,
      endGraceMs: opts.endGraceMs,
      maxConversations: opts.maxConversations,
      maxCharsPerConversation: opts.maxCharsPerConversation,
      ...(detectors ? { detector: detectors.source, detectorMinScore: pd.minScore } : {}),
      ...(onEvict ? { onEvict } : {}),
    });
  }

  /**
   * One message. `summary` is the value of the configured summary property, `transcript` the value
   * of the configured transcript property (undefined when absent). Throws InputError on bad input.
   */
  handle(msg: IncomingMessage, summary: unknown, transcript: unknown): EngineResult {
    const routed = routeMessage(msg, this.clock.now());
    switch (routed.kind) {
      case 'end':
        this.sources.end(routed.conversationId);
        return { kind: 'ended', conversationId: routed.conversationId };
      case 'ignore':
        return { kind: 'ignored', reason: routed.reason };
      case 'segments': {
        for (const seg of routed.segments) this.sources.upsert(routed.conversationId, seg);
        if (routed.ended) this.sources.end(routed.conversationId);
        return { kind: 'source', conversationId: routed.conversationId, segments: routed.segments.length };
      }
      case 'summary':
        break;
    }
    const input = parseSummaryInput(summary, this.opts.textFields);
    const topic = typeof msg.topic === 'string' && msg.topic ? msg.topic : undefined;
    const fromPayload = input.shape === 'copilot' ? ((input.payload as { conversationId?: string }).conversationId ?? undefined) : undefined;
    const conversationId = topic ?? fromPayload;
    let source: ValidationSource | undefined;
    if (transcript !== undefined && transcript !== null) source = this.validator.sourceFromTexts(transcriptTexts(transcript));
    else if (conversationId !== undefined) source = this.sources.get(conversationId);
    if (!source) {
      throw conversationId === undefined
        ? new InputError('summary has no conversation id (msg.topic) and no msg.transcript to check it against', 'NO_SOURCE', 'topic')
        : new InputError(`no source for conversation ${conversationId}: wire the aligner or redactor output into this node, or set msg.transcript`, 'UNKNOWN_CONVERSATION', 'topic');
    }
    return { kind: 'validated', conversationId, validation: this.validator.validate(input, source) };
  }

  get conversations(): number {
    return this.sources.size;
  }

  close(): void {
    this.sources.close();
  }
}
