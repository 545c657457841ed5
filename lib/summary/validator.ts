/**
 * Runs the configured checks over one summary against one source and builds msg.validation:
 * {valid, checks: [{id, passed, detail}], ungrounded: [{sentence, span, kind, field, start, end}]}.
 * Personal data found in the summary is masked ([TYPE]) in everything this returns.
 */
import { indexTexts } from './analysis';
import type { ValidationSource } from './context';
import { DEFAULT_GROUNDING, groundEntityValue, groundText, type GroundingOptions, type UngroundedKind, type UngroundedSpan } from './grounding';
import { missingFields, type SummaryInput } from './input';
import { detectPersonalData, maskFindings, type PersonalDataDetector, type PersonalDataFinding } from './personal-data';
import { DEFAULT_COPILOT_SCHEMA, DEFAULT_LLM_SCHEMA, SchemaChecker } from './schema';
import { tokenCounter, type TokenCounter, type TokenizerEncoding } from './tokens';

export type CheckId =
  | 'schema'
  | 'required-fields'
  | 'banned-phrases'
  | 'length'
  | 'personal-data'
  | 'numbers'
  | 'entities'
  | 'support'
  | 'negation';

export interface CheckResult {
  id: CheckId;
  passed: boolean;
  detail: string;
}

export interface UngroundedReport {
  sentence: string;
  span: string;
  kind: UngroundedKind;
  field: string;
  start: number;
  end: number;
  score?: number;
}

export interface Validation {
  valid: boolean;
  checks: CheckResult[];
  ungrounded: UngroundedReport[];
  summaryTokens?: number;
  sourceTokens?: number;
}

export interface ValidatorOptions {
  /** custom: schema (object or JSON text); empty = default for the input's shape. llmDefault: apply the
   *  {summary, reason, resolution, followups} default to LLM objects (off when other fields are read). */
  schema: { enabled: boolean; custom?: object | string; llmDefault?: boolean };
  length: { enabled: boolean; minTokens: number; maxTokens: number; /** summary/source tokens; 0 = no limit */ maxRatio: number; encoding: TokenizerEncoding };
  /** minFragmentDigits: a run of this many digits from a learned value is a leak. Default 5, so a
   *  "card ending in 4242" reference, which the redactor keeps by default, is not one. */
  personalData: { enabled: boolean; minScore: number; minFragmentDigits: number };
  grounding: GroundingOptions;
  requiredFields: string[];
  bannedPhrases: string[];
  detector?: PersonalDataDetector;
}

export const DEFAULT_VALIDATOR_OPTIONS: ValidatorOptions = {
  schema: { enabled: true },
  length: { enabled: true, minTokens: 5, maxTokens: 400, maxRatio: 1, encoding: 'o200k_base' },
  personalData: { enabled: true, minScore: 0.5, minFragmentDigits: 5 },
  grounding: DEFAULT_GROUNDING,
  requiredFields: [],
  bannedPhrases: [],
};

/** Merges partial options over the defaults (one level deep). */
export function validatorOptions(partial: Partial<{ [K in keyof ValidatorOptions]: Partial<ValidatorOptions[K]> }> = {}): ValidatorOptions {
  const d = DEFAULT_VALIDATOR_OPTIONS;
  const o: ValidatorOptions = {
    schema: { ...d.schema, ...partial.schema },
    length: { ...d.length, ...partial.length },
    personalData: { ...d.personalData, ...partial.personalData },
    grounding: { ...d.grounding, ...partial.grounding },
    requiredFields: (partial.requiredFields as string[] | undefined) ?? d.requiredFields,
    bannedPhrases: (partial.bannedPhrases as string[] | undefined) ?? d.bannedPhrases,
  };
  const detector = partial.detector as PersonalDataDetector | undefined;
  if (detector) o.detector = detector;
  return o;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class SummaryValidator {
  readonly countTokens: TokenCounter;
  private readonly customSchema?: SchemaChecker;
  private copilotSchema?: SchemaChecker;
  private llmSchema?: SchemaChecker;
  private readonly banned: Array<{ phrase: string; re: RegExp }>;

  constructor(readonly options: ValidatorOptions = DEFAULT_VALIDATOR_OPTIONS) {
    this.countTokens = tokenCounter(options.length.encoding);
    const custom = options.schema.custom;
    if (custom !== undefined && !(typeof custom === 'string' && custom.trim() === '')) this.customSchema = new SchemaChecker(custom);
    this.banned = options.bannedPhrases
      .map((p) => p.trim())
      .filter(Boolean)
      .map((phrase) => {
        const words = escapeRegExp(phrase).replace(/\s+/g, '\\s+');
        const pre = /^\w/.test(phrase) ? '\\b' : '';
        const post = /\w$/.test(phrase) ? '\\b' : '';
        return { phrase, re: new RegExp(`${pre}${words}${post}`, 'i') };
      });
  }

  private schemaFor(input: SummaryInput): SchemaChecker | undefined {
    if (this.customSchema) return this.customSchema;
    if (input.shape === 'copilot') return (this.copilotSchema ??= new SchemaChecker(DEFAULT_COPILOT_SCHEMA));
    if (input.shape === 'object' && this.options.schema.llmDefault !== false) return (this.llmSchema ??= new SchemaChecker(DEFAULT_LLM_SCHEMA));
    return undefined;
  }

  /** Indexes a source given as text(s) on the message (msg.transcript). */
  sourceFromTexts(texts: readonly string[]): ValidationSource {
    let tokens = 0;
    for (const t of texts) tokens += this.countTokens(t);
    return { index: indexTexts(texts), tokens };
  }

  validate(input: SummaryInput, source: ValidationSource): Validation {
    const o = this.options;
    const checks: CheckResult[] = [];
    const result: Validation = { valid: true, checks, ungrounded: [] };
    const textFields = input.fields.filter((f) => f.role === 'text');

    if (o.schema.enabled) {
      const checker = this.schemaFor(input);
      if (!checker) checks.push({ id: 'schema', passed: true, detail: input.shape === 'text' ? 'plain text: no schema applies' : 'no schema configured for these fields' });
      else {
        const r = checker.check(input.payload);
        checks.push({ id: 'schema', passed: r.passed, detail: r.passed ? 'matches the schema' : r.errors.join('; ') });
      }
    }
    if (o.requiredFields.length) {
      const missing = input.shape === 'text' ? [...o.requiredFields] : missingFields(input.payload, o.requiredFields);
      checks.push({ id: 'required-fields', passed: missing.length === 0, detail: missing.length ? `missing or empty: ${missing.join(', ')}` : 'all present' });
    }

    // Personal data first: its spans are masked in every later report.
    const findings = new Map<string, PersonalDataFinding[]>();
    if (o.personalData.enabled) {
      const parts: string[] = [];
      for (const f of input.fields) {
        const found = [
          ...detectPersonalData(f.text, o.detector, o.personalData.minScore),
          ...(source.learned ? source.learned.find(f.text, o.personalData.minFragmentDigits) : []),
        ];
        if (found.length) {
          findings.set(f.path, found);
          const types = [...new Set(found.map((x) => x.type))].map((t) =>
            found.some((x) => x.type === t && x.via === 'conversation') ? `${t} (seen in this conversation)` : t,
          );
          parts.push(`${f.path}: ${types.join(', ')}`);
        }
      }
      const upstream = source.redactedTypes && source.redactedTypes.size ? `; redacted upstream in this conversation: ${[...source.redactedTypes].sort().join(', ')}` : '';
      const detail = parts.length
        ? `personal data in ${parts.join('; ')}${upstream}`
        : `none found${o.detector ? '' : ' (no detectors loaded: only values learned from the conversation were checked)'}${upstream}`;
      checks.push({ id: 'personal-data', passed: parts.length === 0, detail });
    }

    if (o.bannedPhrases.length) {
      const hits: string[] = [];
      for (const f of textFields) for (const b of this.banned) if (b.re.test(f.text)) hits.push(`"${b.phrase}" in ${f.path}`);
      checks.push({ id: 'banned-phrases', passed: hits.length === 0, detail: hits.length ? hits.join('; ') : 'none found' });
    }

    if (o.length.enabled) {
      let tokens = 0;
      for (const f of textFields) tokens += this.countTokens(f.text);
      result.summaryTokens = tokens;
      result.sourceTokens = source.tokens;
      const problems: string[] = [];
      if (tokens < o.length.minTokens) problems.push(`${tokens} tokens < min ${o.length.minTokens}`);
      if (o.length.maxTokens > 0 && tokens > o.length.maxTokens) problems.push(`${tokens} tokens > max ${o.length.maxTokens}`);
      const ratio = source.tokens > 0 ? tokens / source.tokens : Infinity;
      if (o.length.maxRatio > 0 && ratio > o.length.maxRatio) {
        problems.push(`ratio ${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a (empty source)'} > max ${o.length.maxRatio}`);
      }
      const ratioText = Number.isFinite(ratio) ? `, ratio ${ratio.toFixed(3)}` : '';
      checks.push({ id: 'length', passed: problems.length === 0, detail: problems.length ? problems.join('; ') : `${tokens} tokens (source ${source.tokens}${ratioText})` });
    }

    const g = o.grounding;
    if (g.numbers || g.entities || g.support || g.negation) {
      const spans: UngroundedSpan[] = [];
      for (const f of input.fields) {
        if (f.role === 'entity') spans.push(...groundEntityValue(f.path, f.text, source.index, g));
        else spans.push(...groundText(f.path, f.text, source.index, g));
      }
      result.ungrounded = spans.map((u) => this.report(u, findings.get(u.field) ?? []));
      const count = (kinds: readonly UngroundedKind[]): number => spans.filter((u) => kinds.includes(u.kind)).length;
      const truncated = source.truncated ? ' (source was truncated to its most recent part)' : '';
      const add = (id: CheckId, enabled: boolean, kinds: readonly UngroundedKind[], what: string): void => {
        if (!enabled) return;
        const n = count(kinds);
        checks.push({ id, passed: n === 0, detail: n ? `${n} ${what} not found in the source${truncated}` : `all ${what} grounded` });
      };
      add('numbers', g.numbers, ['number', 'amount', 'percent', 'date', 'time', 'duration'], 'numbers, amounts, dates and times');
      add('entities', g.entities, ['entity', 'redaction-tag'], 'named entities');
      if (g.support) {
        const n = count(['unsupported']);
        checks.push({ id: 'support', passed: n === 0, detail: n ? `${n} sentence(s) below ${g.supportThreshold} content-word support${truncated}` : `every sentence at or above ${g.supportThreshold} support` });
      }
      if (g.negation) {
        const n = count(['negation']);
        checks.push({ id: 'negation', passed: n === 0, detail: n ? `${n} statement(s) with the opposite polarity to the source` : 'no negation flips' });
      }
    }
    result.valid = checks.every((c) => c.passed);
    return result;
  }

  private report(u: UngroundedSpan, findings: readonly PersonalDataFinding[]): UngroundedReport {
    const overlapping = findings.filter((f) => f.start < u.end && f.end > u.start);
    const r: UngroundedReport = {
      sentence: maskFindings(u.sentence, u.sentenceStart, findings),
      span: overlapping.length ? maskFindings(u.span, u.start, findings) : u.span,
      kind: u.kind,
      field: u.field,
      start: u.start,
      end: u.end,
    };
    if (u.score !== undefined) r.score = u.score;
    return r;
  }
}
