/**
 * Personal data in a summary: whatever the redactor's detectors find in it, plus any value that was
 * seen as personal data earlier in the conversation (learned from unredacted source segments).
 * Findings carry the type and offsets only: a raw value never leaves this module.
 */

import { Detector, ENTITY_TYPES, type EntityType } from '../redact';

/** The part of lib/redact's DetectedEntity this check needs. */
export interface DetectedEntityLike {
  type: string;
  start: number;
  end: number;
  score?: number;
  normalized?: string;
}

export type PersonalDataDetector = (text: string) => DetectedEntityLike[];

export interface PersonalDataFinding {
  type: string;
  start: number;
  end: number;
  /** 'detected' = found by the detectors in the summary; 'conversation' = a value seen in the source. */
  via: 'detected' | 'conversation';
}

const MAX_LEARNED = 2_000;

/**
 * Values seen as personal data in one conversation, normalised: digit strings (cards, phones,
 * SSNs, accounts) and lower-cased texts (emails, names). Kept in memory only; never serialised.
 */
export class LearnedValues {
  private readonly digits = new Map<string, string>();
  private readonly texts = new Map<string, string>();

  get size(): number {
    return this.digits.size + this.texts.size;
  }

  /** Learns a value from a detection on source text. */
  learn(type: string, raw: string, normalized: string | undefined): void {
    if (this.size >= MAX_LEARNED) return;
    const value = (normalized ?? raw).trim();
    const digitsOnly = value.replace(/[\s().+-]/g, '');
    if (/^\d{4,}$/.test(digitsOnly)) {
      this.digits.set(digitsOnly, type);
      return;
    }
    const lower = value.toLowerCase();
    if (lower.length < 3) return;
    this.texts.set(lower, type);
    // "maria lopez" also leaks as "Ms. Lopez" (names only: an address's words are everyday words)
    if (type === 'NAME') {
      for (const part of lower.split(/\s+/)) if (part.length >= 3 && /^[a-z'-]+$/.test(part)) this.texts.set(part, type);
    }
  }

  /** Occurrences of learned values in a summary text. */
  find(text: string, minFragmentDigits: number): PersonalDataFinding[] {
    const out: PersonalDataFinding[] = [];
    if (this.digits.size) {
      // Digit runs with the separators people write in phone and card numbers.
      const re = /\d(?:[ .()-]{0,2}\d)*/g;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const run = m[0].replace(/\D/g, '');
        if (run.length < minFragmentDigits) continue;
        // The longest matching value names the type: a phone beats the NUMBER fragment of it.
        let best: [string, string] | undefined;
        for (const [value, type] of this.digits) {
          if ((value.includes(run) || run.includes(value)) && (!best || value.length > best[0].length)) best = [value, type];
        }
        if (best) out.push({ type: best[1], start: m.index, end: m.index + m[0].length, via: 'conversation' });
      }
    }
    if (this.texts.size) {
      const lower = text.toLowerCase();
      for (const [value, type] of this.texts) {
        let from = 0;
        for (;;) {
          const at = lower.indexOf(value, from);
          if (at < 0) break;
          const before = at === 0 ? ' ' : (lower[at - 1] as string);
          const after = at + value.length >= lower.length ? ' ' : (lower[at + value.length] as string);
          if (!/[a-z0-9@]/.test(before) && !/[a-z0-9]/.test(after)) out.push({ type, start: at, end: at + value.length, via: 'conversation' });
          from = at + value.length;
        }
      }
    }
    return out;
  }
}

/** Runs the detectors over one text, keeping findings at or above minScore. */
export function detectPersonalData(text: string, detector: PersonalDataDetector | undefined, minScore: number): PersonalDataFinding[] {
  if (!detector) return [];
  return detector(text)
    .filter((e) => (e.score ?? 1) >= minScore && e.end > e.start)
    .map((e) => ({ type: e.type, start: e.start, end: e.end, via: 'detected' as const }));
}

/** Replaces every finding overlapping [start, end) of text with its type tag, for safe reporting. */
export function maskFindings(text: string, offset: number, findings: readonly PersonalDataFinding[]): string {
  const rel = findings
    .map((f) => ({ type: f.type, start: Math.max(0, f.start - offset), end: Math.min(text.length, f.end - offset) }))
    .filter((f) => f.end > f.start)
    .sort((a, b) => a.start - b.start);
  if (!rel.length) return text;
  let out = '';
  let pos = 0;
  for (const f of rel) {
    if (f.end <= pos) continue;
    out += text.slice(pos, Math.max(pos, f.start));
    out += `[${f.type}]`;
    pos = f.end;
  }
  return out + text.slice(pos);
}

/**
 * The redactor's detectors (lib/redact), set up for the two uses here. The summary side leaves
 * out NUMBER ("a digit run that may be part of a card read over several utterances"): in a
 * finished summary "1,000" or "6,000" is just a number. The source side keeps it, so fragments
 * of a card or account read in pieces are learned too.
 */
export function redactorDetectors(minScore: number): { summary: PersonalDataDetector; source: PersonalDataDetector } {
  const summaryTypes = ENTITY_TYPES.filter((t: EntityType) => t !== 'NUMBER');
  const forSummary = new Detector({ entities: summaryTypes, threshold: minScore });
  const forSource = new Detector({ threshold: minScore });
  return {
    summary: (text) => forSummary.detect(text).entities,
    source: (text) => forSource.detect(text).entities,
  };
}
