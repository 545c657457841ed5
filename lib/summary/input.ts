/**
 * What a summary message holds: a Copilot summary event, an LLM object with chosen text fields,
 * or a plain string. Also the property-path helper used for required fields.
 */
import { InputError } from '../util/errors';

export type SummaryShape = 'copilot' | 'object' | 'text';

export interface SummaryField {
  /** Path in the payload ("summary.text", "followupActions[1].text", "payload" for a string). */
  path: string;
  text: string;
  /** 'entity' values (Copilot extractedEntities) are grounded as a whole, not as prose. */
  role: 'text' | 'entity';
}

export interface SummaryInput {
  shape: SummaryShape;
  payload: unknown;
  fields: SummaryField[];
}

export const DEFAULT_TEXT_FIELDS = ['summary', 'reason', 'resolution', 'followups'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const COPILOT_PARTS = ['summary', 'headline', 'reason', 'resolution'] as const;

/** A Copilot summary event: conversationId plus at least one {text} part or followupActions. */
export function looksLikeCopilotSummary(v: unknown): boolean {
  if (!isRecord(v) || typeof v.conversationId !== 'string') return false;
  return COPILOT_PARTS.some((p) => isRecord(v[p])) || Array.isArray(v.followupActions) || typeof v.summaryId === 'string';
}

/** Reads "a.b[0].c" from a value. */
export function getPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split('.')) {
    if (part === '') continue;
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) {
      if (!isRecord(cur)) return undefined;
      cur = cur[m[1]];
    }
    for (const idx of (m[2] ?? '').match(/\d+/g) ?? []) {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[Number(idx)];
    }
  }
  return cur;
}

function nonBlank(s: unknown): s is string {
  return typeof s === 'string' && s.trim().length > 0;
}

/**
 * How deep text fields may nest in arrays. Real summaries use one or two levels ("followups":
 * ["...", {text}]); the limit keeps a hostile payload from overflowing the stack.
 */
const MAX_FIELD_DEPTH = 32;

/**
 * How many values the text fields may hold in all, arrays and their items counted. Real summaries hold
 * a few dozen; the limit bounds the walk over arrays built inside a flow, where one array shared twice
 * per level would take 2^32 visits at 32 levels without being cyclic.
 */
const MAX_FIELD_VALUES = 10_000;

/** A walk over the text fields: `open` holds the arrays being walked (a cyclic array is refused instead of recursing forever). */
interface FieldWalk {
  open: Set<unknown>;
  values: number;
}

function collect(value: unknown, path: string, out: SummaryField[], walk: FieldWalk, depth = 0): void {
  if (++walk.values > MAX_FIELD_VALUES) throw new InputError(`summary text fields hold more than ${MAX_FIELD_VALUES} values`, 'INVALID_SUMMARY', path);
  if (nonBlank(value)) out.push({ path, text: value, role: 'text' });
  else if (Array.isArray(value)) {
    if (walk.open.has(value)) throw new InputError(`${path} contains itself (cyclic array)`, 'INVALID_SUMMARY', path);
    if (depth >= MAX_FIELD_DEPTH) throw new InputError(`${path} nests arrays more than ${MAX_FIELD_DEPTH} deep`, 'INVALID_SUMMARY', path);
    // (Before the loop: a sparse array made in a flow can be long without holding anything.)
    if (value.length > MAX_FIELD_VALUES) throw new InputError(`${path} holds more than ${MAX_FIELD_VALUES} values`, 'INVALID_SUMMARY', path);
    walk.open.add(value);
    value.forEach((v, i) => collect(v, `${path}[${i}]`, out, walk, depth + 1));
    walk.open.delete(value);
  } else if (isRecord(value) && nonBlank(value.text)) out.push({ path: `${path}.text`, text: value.text, role: 'text' });
}

function copilotFields(ev: Record<string, unknown>): SummaryField[] {
  const out: SummaryField[] = [];
  for (const p of COPILOT_PARTS) {
    const part = ev[p];
    if (isRecord(part) && nonBlank(part.text)) out.push({ path: `${p}.text`, text: part.text, role: 'text' });
  }
  if (Array.isArray(ev.followupActions)) {
    ev.followupActions.forEach((a, i) => {
      if (isRecord(a) && nonBlank(a.text)) out.push({ path: `followupActions[${i}].text`, text: a.text, role: 'text' });
    });
  }
  if (Array.isArray(ev.extractedEntities)) {
    ev.extractedEntities.forEach((e, i) => {
      if (isRecord(e) && nonBlank(e.value)) out.push({ path: `extractedEntities[${i}].value`, text: e.value, role: 'entity' });
    });
  }
  return out;
}

/**
 * Reads the summary from a message payload. Throws InputError when there is no text to check.
 * textFields are the paths read from a non-Copilot object (dialog setting).
 */
export function parseSummaryInput(payload: unknown, textFields: readonly string[] = DEFAULT_TEXT_FIELDS): SummaryInput {
  if (typeof payload === 'string') {
    if (!payload.trim()) throw new InputError('summary text is empty', 'EMPTY_SUMMARY', 'payload');
    return { shape: 'text', payload, fields: [{ path: 'payload', text: payload, role: 'text' }] };
  }
  if (!isRecord(payload)) {
    throw new InputError(`summary must be a string or an object (got ${payload === null ? 'null' : Array.isArray(payload) ? 'array' : typeof payload})`, 'INVALID_SUMMARY', 'payload');
  }
  if (looksLikeCopilotSummary(payload)) {
    const fields = copilotFields(payload);
    if (!fields.some((f) => f.role === 'text')) {
      const why = typeof payload.errorType === 'string' ? ` (errorType ${payload.errorType})` : '';
      throw new InputError(`Copilot summary event has no summary text${why}`, 'EMPTY_SUMMARY', 'payload.summary.text');
    }
    return { shape: 'copilot', payload, fields };
  }
  const fields: SummaryField[] = [];
  const walk: FieldWalk = { open: new Set(), values: 0 };
  for (const path of textFields) collect(getPath(payload, path), path, fields, walk);
  if (!fields.length) {
    throw new InputError(`summary object has no text in ${textFields.join(', ')}`, 'EMPTY_SUMMARY', 'payload');
  }
  return { shape: 'object', payload, fields };
}

/** Required fields that are missing or empty (blank string, empty array, null). */
export function missingFields(payload: unknown, required: readonly string[]): string[] {
  return required.filter((path) => {
    const v = getPath(payload, path);
    if (v === undefined || v === null) return true;
    if (typeof v === 'string') return v.trim() === '';
    if (Array.isArray(v)) return v.length === 0;
    return false;
  });
}
