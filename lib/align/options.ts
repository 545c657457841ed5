import { InputError, describeValue } from '../util/errors';
import { dialogNumber, readDialogNumber } from '../util/dialog';

/** Settings of one aligner (the node's dialog). Times in ms; 0 switches a rule off where noted. */
export interface AlignerOptions {
  /** Arrival-time window a final waits so a slightly later result can still go before it. 0 = emit at once. */
  holdBackMs: number;
  /** 'segment': one message per segment. 'batch': one message per batch (by count and/or time). */
  emit: 'segment' | 'batch';
  /** Batch mode: send when this many segments are waiting (0 = no count limit). */
  batchSize: number;
  /** Batch mode: send at most this long after the first segment of a batch (0 = no time limit). */
  batchIntervalMs: number;
  /** Send partials on their own output (they never enter the timeline). */
  emitPartials: boolean;
  /** Alert when a segment's latency exceeds this (0 = off). */
  latencyThresholdMs: number;
  /** Alert when |latency - baseline| exceeds this (0 = off). */
  driftThresholdMs: number;
  /** Alert when neither channel speaks for longer than this, on the speech timeline (0 = off). */
  gapThresholdMs: number;
  /** End a conversation (and send its transcript) after this long without input (0 = never). */
  idleTimeoutMs: number;
  /** Open conversations kept; the least recently active one is ended (with an alert) to make room. */
  maxConversations: number;
  /** Segments kept per conversation for the transcript; the oldest emitted ones are forgotten beyond it. */
  maxSegmentsPerConversation: number;
  /** Weight of a new latency sample in the running baseline (exponential moving average). */
  baselineAlpha: number;
}

export const DEFAULT_ALIGNER_OPTIONS: Readonly<AlignerOptions> = Object.freeze({
  holdBackMs: 1500,
  emit: 'segment',
  batchSize: 10,
  batchIntervalMs: 1000,
  emitPartials: true,
  latencyThresholdMs: 5000,
  driftThresholdMs: 2000,
  gapThresholdMs: 20000,
  idleTimeoutMs: 10 * 60_000,
  maxConversations: 10_000,
  maxSegmentsPerConversation: 10_000,
  baselineAlpha: 0.2,
});

function nonNegative(name: keyof AlignerOptions, v: unknown, integer = true): number {
  const n = typeof v === 'string' ? readDialogNumber(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new InputError(`${name} must be a ${integer ? 'whole ' : ''}number >= 0 (got ${describeValue(v)})`, 'INVALID_CONFIG', name);
  }
  return n;
}

/**
 * Fills defaults and checks every setting; throws InputError (code INVALID_CONFIG) naming the
 * bad one. Accepts numbers given as strings (Node-RED dialogs store text).
 */
export function resolveAlignerOptions(input: Partial<Record<keyof AlignerOptions, unknown>> = {}): AlignerOptions {
  const pick = (k: keyof AlignerOptions): unknown => {
    const v = input[k];
    // (Numbers given as text are read by nonNegative, which names the text when it is no number.)
    return v === undefined || v === null || v === '' ? DEFAULT_ALIGNER_OPTIONS[k] : v;
  };
  const emit = pick('emit');
  if (emit !== 'segment' && emit !== 'batch') throw new InputError(`emit must be "segment" or "batch" (got ${describeValue(emit)})`, 'INVALID_CONFIG', 'emit');
  const emitPartials = input.emitPartials === undefined ? DEFAULT_ALIGNER_OPTIONS.emitPartials : input.emitPartials === true || input.emitPartials === 'true';
  const opts: AlignerOptions = {
    holdBackMs: nonNegative('holdBackMs', pick('holdBackMs')),
    emit,
    batchSize: nonNegative('batchSize', pick('batchSize')),
    batchIntervalMs: nonNegative('batchIntervalMs', pick('batchIntervalMs')),
    emitPartials,
    latencyThresholdMs: nonNegative('latencyThresholdMs', pick('latencyThresholdMs')),
    driftThresholdMs: nonNegative('driftThresholdMs', pick('driftThresholdMs')),
    gapThresholdMs: nonNegative('gapThresholdMs', pick('gapThresholdMs')),
    idleTimeoutMs: nonNegative('idleTimeoutMs', pick('idleTimeoutMs')),
    maxConversations: nonNegative('maxConversations', pick('maxConversations')),
    maxSegmentsPerConversation: nonNegative('maxSegmentsPerConversation', pick('maxSegmentsPerConversation')),
    baselineAlpha: nonNegative('baselineAlpha', pick('baselineAlpha'), false),
  };
  if (opts.emit === 'batch' && opts.batchSize === 0 && opts.batchIntervalMs === 0) {
    throw new InputError('batch mode needs a batch size or a batch interval (both are 0)', 'INVALID_CONFIG', 'batchSize');
  }
  if (opts.maxConversations < 1) throw new InputError('maxConversations must be at least 1', 'INVALID_CONFIG', 'maxConversations');
  if (opts.maxSegmentsPerConversation < 1) {
    throw new InputError('maxSegmentsPerConversation must be at least 1', 'INVALID_CONFIG', 'maxSegmentsPerConversation');
  }
  if (opts.baselineAlpha <= 0 || opts.baselineAlpha > 1) throw new InputError('baselineAlpha must be in (0, 1]', 'INVALID_CONFIG', 'baselineAlpha');
  return opts;
}

/** The aligner node's dialog: times in ms, but the idle time in seconds (as text or numbers). */
export interface AlignerDialogConfig {
  holdBackMs?: unknown;
  emit?: unknown;
  batchSize?: unknown;
  batchIntervalMs?: unknown;
  emitPartials?: unknown;
  latencyThresholdMs?: unknown;
  driftThresholdMs?: unknown;
  gapThresholdMs?: unknown;
  idleTimeoutS?: unknown;
  maxConversations?: unknown;
  maxSegmentsPerConversation?: unknown;
}

/** Longest idle time the dialog takes: a week (seconds). */
const MAX_DIALOG_IDLE_S = 7 * 24 * 3600;

/**
 * The aligner's settings from its node's dialog, for `new Aligner` (which checks the rest): the idle
 * time in ms. Throws InputError (INVALID_CONFIG) when the idle time is no number of seconds up to a week.
 */
export function alignerOptionsFromDialog(cfg: AlignerDialogConfig): Partial<Record<keyof AlignerOptions, unknown>> {
  const idleS = dialogNumber(cfg.idleTimeoutS, 'idleTimeoutS', DEFAULT_ALIGNER_OPTIONS.idleTimeoutMs / 1000, 0, MAX_DIALOG_IDLE_S);
  return {
    holdBackMs: cfg.holdBackMs,
    emit: cfg.emit,
    batchSize: cfg.batchSize,
    batchIntervalMs: cfg.batchIntervalMs,
    emitPartials: cfg.emitPartials,
    latencyThresholdMs: cfg.latencyThresholdMs,
    driftThresholdMs: cfg.driftThresholdMs,
    gapThresholdMs: cfg.gapThresholdMs,
    idleTimeoutMs: idleS * 1000,
    maxConversations: cfg.maxConversations,
    maxSegmentsPerConversation: cfg.maxSegmentsPerConversation,
  };
}
