/**
 * Turns the edit dialog's values (strings, checkboxes, text areas) into RedactorOptions, with clear
 * InputErrors. Kept here so the node file stays thin and the parsing is unit-tested.
 */
import { InputError, describeValue } from '../util/errors';
import { dialogNumber } from '../util/dialog';
import { MAX_NUMBERS_MIN_DIGITS } from './detectors';
import { OPERATOR_KINDS, type OperatorKind } from './operators';
import type { RedactorOptions } from './redactor';
import { ENTITY_TYPES, PRESETS, type CustomPattern, type EntityType } from './types';

export interface RedactorDialogConfig {
  /** Comma-separated entity types, or "pci", "pii", "all". */
  entities?: unknown;
  operator?: unknown;
  labels?: unknown;
  maskKeepLast?: unknown;
  threshold?: unknown;
  region?: unknown;
  keepLastFour?: unknown;
  spoken?: unknown;
  /** Redact every number of at least this many digits; blank or 0: off. */
  numbersMinDigits?: unknown;
  /** One per line: NAME=regex. */
  customPatterns?: unknown;
  /** One value per line. */
  allowList?: unknown;
  denyList?: unknown;
  idleTimeoutS?: unknown;
  carryS?: unknown;
}

function bool(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === '' || v === null) return dflt;
  return v === true || v === 'true';
}

function lines(v: unknown, name: string): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'string') throw new InputError(`${name} must be text, one entry per line`, 'INVALID_OPTIONS', name);
  return v.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('#'));
}

export function parseEntities(v: unknown): EntityType[] {
  if (v === undefined || v === null || v === '' || v === 'all') return [...ENTITY_TYPES];
  if (typeof v !== 'string' && !Array.isArray(v)) throw new InputError('entities must be a comma-separated list', 'INVALID_OPTIONS', 'entities');
  const items = (Array.isArray(v) ? v.map(String) : v.split(',')).map((s) => s.trim()).filter(Boolean);
  const out = new Set<EntityType>();
  for (const item of items) {
    const lower = item.toLowerCase();
    if (lower === 'pci' || lower === 'pii') PRESETS[lower].forEach((t) => out.add(t));
    else if ((ENTITY_TYPES as readonly string[]).includes(item.toUpperCase())) out.add(item.toUpperCase() as EntityType);
    else throw new InputError(`unknown entity type ${describeValue(item)} (known: ${ENTITY_TYPES.join(', ')}, pci, pii)`, 'INVALID_OPTIONS', 'entities');
  }
  return [...out];
}

export function parseCustomPatterns(v: unknown): CustomPattern[] {
  return lines(v, 'customPatterns').map((line) => {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new InputError(`custom pattern line must be NAME=regex (got ${JSON.stringify(line.slice(0, 40))})`, 'INVALID_OPTIONS', 'customPatterns');
    return { name: line.slice(0, eq).trim(), pattern: line.slice(eq + 1).trim() };
  });
}

export function redactorOptionsFromDialog(cfg: RedactorDialogConfig, hashKey?: string): RedactorOptions {
  const operator = (cfg.operator === undefined || cfg.operator === '' ? 'tag' : cfg.operator) as OperatorKind;
  if (!OPERATOR_KINDS.includes(operator)) throw new InputError(`operator must be one of ${OPERATOR_KINDS.join(', ')}`, 'INVALID_OPTIONS', 'operator');
  const labels = cfg.labels === 'genesys' ? 'genesys' : 'type';
  const region = cfg.region === undefined || cfg.region === '' ? 'US' : String(cfg.region).toUpperCase();
  if (!/^[A-Z]{2}$/.test(region)) throw new InputError('region must be a two-letter country code such as US or GB', 'INVALID_OPTIONS', 'region');
  const idleS = dialogNumber(cfg.idleTimeoutS, 'idleTimeoutS', 1800, 0, 7 * 24 * 3600, 'INVALID_OPTIONS');
  return {
    detector: {
      entities: parseEntities(cfg.entities),
      threshold: dialogNumber(cfg.threshold, 'threshold', 0.5, 0, 1, 'INVALID_OPTIONS'),
      defaultRegion: region as never,
      keepLastFour: bool(cfg.keepLastFour, true),
      spoken: bool(cfg.spoken, true),
      // (The detector refuses a fraction.)
      numbersMinDigits: dialogNumber(cfg.numbersMinDigits, 'numbersMinDigits', 0, 0, MAX_NUMBERS_MIN_DIGITS, 'INVALID_OPTIONS'),
      customPatterns: parseCustomPatterns(cfg.customPatterns),
      allowList: lines(cfg.allowList, 'allowList'),
      denyList: lines(cfg.denyList, 'denyList'),
    },
    operator: { kind: operator, labels, maskKeepLast: dialogNumber(cfg.maskKeepLast, 'maskKeepLast', 4, 0, 8, 'INVALID_OPTIONS'), hashKey: hashKey || undefined },
    idleMs: idleS * 1000,
    carryMs: dialogNumber(cfg.carryS, 'carryS', 20, 0, 600, 'INVALID_OPTIONS') * 1000,
  };
}

/**
 * A lifecycle message that ends a conversation: payload.event "conversation-ended" / "session-ended"
 * (transcript-in's second output) or payload.action "end". Returns the conversation id, else undefined.
 */
export function conversationEnded(payload: unknown, topic: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const p = payload as Record<string, unknown>;
  const ends = p.event === 'conversation-ended' || p.event === 'session-ended' || p.action === 'end';
  if (!ends) return undefined;
  const id = typeof p.conversationId === 'string' && p.conversationId ? p.conversationId : typeof topic === 'string' && topic ? topic : undefined;
  if (id === undefined) throw new InputError('an end-of-conversation message needs payload.conversationId or msg.topic', 'INVALID_INPUT', 'payload.conversationId');
  return id;
}
