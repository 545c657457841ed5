/**
 * The redaction engine with per-conversation state: pseudonym numbering, context words carried from
 * one utterance to the next (the agent asks "what's the card number?", the customer answers), and a
 * per-speaker pending digit run so a number read over several final utterances is redacted in every
 * part ("four one one one one one" / other speaker: "okay" / "one one one one ..."). State is freed on
 * conversation end, after an idle timeout, and beyond a cap on open conversations (oldest first).
 */
import { MAX_TIMER_MS, systemClock, type Clock, type TimerHandle } from '../util/clock';
import { InputError } from '../util/errors';
import { setOwn } from '../util/objects';
import type { Utterance, Word } from '../transcript/utterance';
import { cardMayGoOn, endsWithCardNumber, isValidSsn } from './checksums';
import { Detector, withEveryNumber } from './detectors';
import { Operator, PseudonymTable, type OperatorKind, type OperatorOptions, type LabelStyle } from './operators';
import { asksForName, nameAnswerSpan } from './name-answer';
import { SpokenNumberParser } from './spoken';
import { isSpaceAt, tokenize, type Token } from './tokens';
import { NAME_STOP } from './vocabulary';
import type { DetectedEntity, DetectorOptions, EntityType, KnownNames } from './types';

export interface RedactorOptions {
  detector?: Partial<DetectorOptions>;
  operator?: Partial<OperatorOptions>;
  /** A sensitive digit run ending a final utterance continues into the same speaker's next final within this time (ms). */
  carryMs?: number;
  /** Context words ("card number", "social") stay active for this many following final utterances (either speaker)... */
  contextUtterances?: number;
  /** ...and at most this long (ms). */
  contextMs?: number;
  /**
   * A conversation's state is freed once it has had no traffic for longer than this (ms; 0: never). The
   * check runs every idleMs / 2 (at least 1 s and at most a timer's longest wait, 24.8 days, apart),
   * so from 2 s to 49 days a state goes by 1.5 times this.
   */
  idleMs?: number;
  /** Most conversations kept at once; the least recently used is freed beyond it. */
  maxConversations?: number;
  clock?: Clock;
}

export interface RedactionEntity {
  type: EntityType;
  /** UTF-16 offsets into the original text of the field, end exclusive. */
  start: number;
  end: number;
  replacement: string;
  score: number;
  form: 'written' | 'spoken';
  /** The message field the span belongs to (e.g. "payload.text"), set by redactMessageValue. */
  path?: string;
}

export interface RedactionPolicy {
  operator: OperatorKind;
  labels: LabelStyle;
  entities: EntityType[];
  threshold: number;
  defaultRegion: string;
  keepLastFour: boolean;
  spoken: boolean;
  /** Every number of at least this many digits is redacted (0: off). */
  numbersMinDigits: number;
  maskKeepLast?: number;
  customPatterns: string[];
  allowListSize: number;
  denyListSize: number;
  /** How partial (non-final) results were treated. */
  partials: 'all-digits-masked';
}

export interface TextContext {
  conversationId?: string;
  speaker?: string;
  isFinal?: boolean;
  /** Speech start / end (epoch ms) when known; else the clock's now. */
  startMs?: number;
  endMs?: number;
}

export interface TextRedaction {
  text: string;
  entities: RedactionEntity[];
  /** Raw span texts, for scrubbing other fields of the same message. Internal: never output. */
  raw: string[];
}

interface Pending {
  type: EntityType;
  digits: string;
  complete: boolean;
  untilMs: number;
  /** Pseudonym key of the first part, so every part of a split value gets the same tag. */
  tagKey: string;
}

/** A context type carried to the next utterances. */
interface CarriedContext {
  type: EntityType;
  untilMs: number;
  utterancesLeft: number;
}

/**
 * The context types carried to the next utterances, in the order they were set (the order the
 * detector reads them in), and the set of those still active handed to the detector: rebuilt only
 * when it changes, since most utterances carry the same contexts as the one before.
 */
class CarriedContexts {
  list: CarriedContext[] = [];
  private active = new Set<EntityType>();
  /** Bit i set: list[i] was active when `active` was built; -1: `active` is out of date. */
  private activeMask = -1;

  /** The types still active at `now`, or undefined for none (the same set object while they stay the same). */
  activeAt(now: number): ReadonlySet<EntityType> | undefined {
    const list = this.list;
    let mask = 0;
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (c.untilMs >= now && c.utterancesLeft > 0) mask |= 1 << i;
    }
    if (mask === 0) return undefined;
    if (mask !== this.activeMask) {
      // A new set rather than clear(): clearing allocates a new table all the same.
      const active = new Set<EntityType>();
      for (let i = 0; i < list.length; i++) if ((mask & (1 << i)) !== 0) active.add(list[i].type);
      this.active = active;
      this.activeMask = mask;
    }
    return this.active;
  }

  /** Replaces every context by `types` (a new question changes the topic). */
  replace(types: ReadonlySet<EntityType>, untilMs: number, utterancesLeft: number): void {
    const list: CarriedContext[] = [];
    for (const type of types) list.push({ type, untilMs, utterancesLeft });
    this.list = list;
    this.activeMask = -1;
  }

  removeAt(i: number): void {
    const list = this.list;
    for (let k = i + 1; k < list.length; k++) list[k - 1] = list[k];
    list.pop();
    this.activeMask = -1;
  }

  remove(type: EntityType): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      if (list[i].type === type) {
        this.removeAt(i);
        return;
      }
    }
  }
}

interface ConversationState {
  /** The count of idle sweeps when the conversation was last used (Redactor.sweeps). */
  seenAtSweep: number;
  pseudonyms: PseudonymTable;
  contexts: CarriedContexts;
  pending: Map<string, Pending>;
  /** Words of names found in this conversation (lower case) -> the whole name, for the same pseudonym. */
  names: Map<string, string>;
  /** The keys of `names` in order, for the substring check of every text. */
  nameWords: string[];
  /** A name question ("who am I speaking with?"): the other speaker's next short answer is a name. */
  nameAsk?: { speaker: string; untilMs: number; utterancesLeft: number; secondPart?: boolean };
}

const MAX_KNOWN_NAMES = 50;
/** Context types one answer satisfies (a value read in parts continues through the pending run, not the context). */
const ANSWERED_BY: ReadonlySet<EntityType> = new Set(['CVV', 'EXPIRY', 'DOB', 'ZIP', 'ACCOUNT']);
/** Detections of a whole, validated value (checksum / numbering plan). */
const COMPLETE_REASONS: ReadonlySet<string> = new Set(['luhn', 'ssn-rules', 'libphonenumber']);
const DEFAULTS = { carryMs: 20_000, contextUtterances: 3, contextMs: 30_000, idleMs: 30 * 60_000, maxConversations: 10_000 };

export class Redactor {
  readonly detector: Detector;
  readonly operator: Operator;
  /** The operator's replacement depends on the value (pseudonym, hash): keys are looked up and aliases kept only then. */
  private readonly keyed: boolean;
  /** The operator is mask, which may keep a value's last digits (only a whole value's: isWholeValue). */
  private readonly masks: boolean;
  readonly policy: RedactionPolicy;
  private readonly clock: Clock;
  private readonly cfg: typeof DEFAULTS;
  private readonly states = new Map<string, ConversationState>();
  private sweepTimer?: TimerHandle;
  /**
   * Idle sweeps run so far. A conversation records this count when used rather than a time, so no
   * clock is read per utterance (Date.now() costs about 0.1 us, 2-5% of a final's redaction). The
   * sweep runs every sweepMs while conversations are open: one used before sweep e + 1 ran has been
   * idle for more than (k - e - 1) * sweepMs when sweep k runs, and at most (k - e) * sweepMs.
   */
  private sweeps = 0;
  private readonly sweepMs: number;
  /** Whole sweep periods a conversation must have been idle for to be freed: ceil(idleMs / sweepMs). */
  private readonly idleSweeps: number;
  private closed = false;
  /** The conversation of the previous call: its state is last in `states` while it exists. */
  private lastConversationId?: string;

  constructor(options: RedactorOptions = {}) {
    this.detector = new Detector(options.detector);
    this.operator = new Operator(options.operator);
    this.keyed = this.operator.options.kind === 'pseudonym' || this.operator.options.kind === 'hash';
    this.masks = this.operator.options.kind === 'mask';
    this.clock = options.clock ?? systemClock;
    this.cfg = { ...DEFAULTS };
    for (const k of Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>) {
      const v = options[k];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InputError(`${k} must be a non-negative number`, 'INVALID_OPTIONS');
      this.cfg[k] = v;
    }
    // (At most a timer's longest wait: each sweep is taken for sweepMs of time gone by.)
    this.sweepMs = Math.min(Math.max(1000, this.cfg.idleMs / 2), MAX_TIMER_MS);
    this.idleSweeps = Math.ceil(this.cfg.idleMs / this.sweepMs);
    const d = this.detector.options;
    const o = this.operator.options;
    this.policy = {
      operator: o.kind,
      labels: o.labels,
      entities: [...d.entities],
      threshold: d.threshold,
      defaultRegion: d.defaultRegion,
      keepLastFour: d.keepLastFour,
      spoken: d.spoken,
      numbersMinDigits: d.numbersMinDigits,
      ...(o.kind === 'mask' ? { maskKeepLast: o.maskKeepLast } : {}),
      customPatterns: d.customPatterns.map((p) => p.name),
      allowListSize: d.allowList.length,
      denyListSize: d.denyList.length,
      partials: 'all-digits-masked',
    };
  }

  /** Open conversations (for status and tests). */
  get conversations(): number {
    return this.states.size;
  }

  endConversation(conversationId: string): boolean {
    return this.states.delete(conversationId);
  }

  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    this.states.clear();
  }

  private state(conversationId: string): ConversationState {
    let s = this.states.get(conversationId);
    if (s) {
      // Re-insert: Map order = least recently used first (already last when it was the previous call's).
      if (this.lastConversationId !== conversationId) {
        this.states.delete(conversationId);
        this.states.set(conversationId, s);
      }
    } else {
      s = { seenAtSweep: this.sweeps, pseudonyms: new PseudonymTable(), contexts: new CarriedContexts(), pending: new Map(), names: new Map(), nameWords: [] };
      while (this.states.size > 0 && this.states.size >= this.cfg.maxConversations) {
        const oldest = this.states.keys().next().value as string;
        this.states.delete(oldest);
      }
      this.states.set(conversationId, s);
    }
    this.lastConversationId = conversationId;
    s.seenAtSweep = this.sweeps;
    // (Called even while a sweep is scheduled: an inline check here measured 9% more instructions per
    // final under cachegrind, probably by changing what the JIT inlines.)
    this.scheduleSweep();
    return s;
  }

  private scheduleSweep(): void {
    if (this.sweepTimer !== undefined || this.closed || this.cfg.idleMs === 0) return;
    this.sweepTimer = this.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      const sweep = ++this.sweeps;
      // Freed after more than idleMs without traffic, and by idleMs + sweepMs (1.5 idleMs from 2 s on).
      for (const [id, s] of this.states) if (sweep - s.seenAtSweep - 1 >= this.idleSweeps) this.states.delete(id);
      if (this.states.size > 0) this.scheduleSweep();
    }, this.sweepMs);
  }

  /** Redacts one text. Finals update the conversation state; partials only read it and mask every digit. */
  redactText(text: string, ctx: TextContext = {}): TextRedaction {
    if (typeof text !== 'string') throw new InputError('text must be a string', 'INVALID_INPUT');
    return this.redactSpeech(text, ctx.conversationId ?? 'default', ctx.speaker ?? 'unknown', ctx.isFinal ?? true, ctx.startMs, ctx.endMs);
  }

  /** redactText's work, with its context as arguments (one object less per utterance from redactUtterance). */
  private redactSpeech(text: string, conversationId: string, speaker: string, isFinal: boolean, startMs: number | undefined, endMs: number | undefined): TextRedaction {
    const state = this.state(conversationId);
    const now = startMs ?? this.clock.now();
    const end = endMs ?? now;

    const contexts = state.contexts.list.length > 0 ? state.contexts.activeAt(now) : undefined;
    let pending = state.pending.size > 0 ? state.pending.get(speaker) : undefined;
    if (pending && pending.untilMs < now) pending = undefined;

    let knownNames: KnownNames | undefined;
    if (state.nameWords.length > 0) {
      const lower = text.toLowerCase();
      for (const n of state.nameWords) {
        if (lower.includes(n)) {
          knownNames = state.names; // the detector reads has() and size: the map's keys are the name words
          break;
        }
      }
    }
    // (pending is read only by the detector.)
    const result = contexts !== undefined || pending !== undefined || knownNames !== undefined ? this.detector.detect(text, { contexts, pending, knownNames }) : this.detector.detect(text);
    let entities = result.entities;
    const ask = state.nameAsk;
    let answeredName = false;
    let answeredOneWord = false;
    if (ask && ask.speaker !== speaker && ask.untilMs >= now && ask.utterancesLeft > 0) {
      const withName = this.nameAnswer(text, entities, result.tokens);
      if (withName !== entities) {
        answeredName = true;
        answeredOneWord = withName.some((e) => e.reason === 'asked-for' && !e.normalized.includes(' '));
      }
      entities = withName;
    }
    // Partials: every written digit and every spoken number of 2+ digits becomes NUMBER.
    if (!isFinal) entities = withEveryNumber(text, new SpokenNumberParser(text, result.tokens ?? tokenize(text)).runs(), entities, 1, 2, 'partial');

    // Replacements, with pseudonym keys shared by all parts of a split value.
    const out: RedactionEntity[] = [];
    const raw: string[] = [];
    let redacted = '';
    let cursor = 0;
    let trailingKey: string | undefined;
    let sawName = false;
    // The last entity is the start or the middle of a number that may go on in the next utterance: an
    // open run, or a card number short enough to be the start of a longer one ("6011 3451 5217", a
    // 12-digit Maestro number by chance, / "1339"), whose last digits mask would have kept.
    const tail = result.trailing;
    const openLast = tail !== undefined && (!tail.complete || (tail.type === 'CARD' && cardMayGoOn(tail.digits)));
    for (let k = 0; k < entities.length; k++) {
      const e = entities[k];
      const rawText = text.slice(e.start, e.end);
      const continued = e.reason === 'continuation' && pending !== undefined;
      const open = !isFinal || (openLast && k === entities.length - 1);
      let key = continued ? pending!.tagKey : e.reason === 'seen-before' ? (state.names.get(e.normalized) ?? e.normalized) : e.normalized;
      // Pseudonyms and hashes go by the value's key: the same whether the value is said whole or in parts.
      const label = this.keyed ? this.operator.label(e) : '';
      if (this.keyed && continued) key = this.continuationKey(state.pseudonyms, label, pending!, e.normalized);
      // The first part of a number said whole before takes the whole number's key.
      else if (this.keyed && e.reason !== 'seen-before') key = state.pseudonyms.keyOf(label, (open && isFinal ? state.pseudonyms.startOf(label, e.normalized) : undefined) ?? e.normalized);
      // Mask keeps no digit of a number that may go on, nor of digits a question typed as a card or an
      // SSN that are not a whole one ("my card is 4111 1111 1111 and the rest later" showed a group).
      const keepsNoDigit = open || (this.masks && !isWholeValue(e.type, continued ? pending!.digits + e.normalized : e.normalized));
      const replacement = this.operator.replacement(e, rawText, state.pseudonyms, key, keepsNoDigit);
      // The completed value keeps the tag of its first part when it is said again later in one go.
      if (this.keyed && continued && isFinal) state.pseudonyms.alias(label, pending!.digits + e.normalized, key);
      redacted += text.slice(cursor, e.start) + replacement;
      cursor = e.end;
      raw.push(rawText);
      if (e.type === 'NAME') {
        sawName = true;
        if (isFinal && e.reason !== 'seen-before' && state.names.size < MAX_KNOWN_NAMES) {
          for (const w of wordsOf(e.normalized)) {
            if (w.length < 2 || NAME_STOP.has(w) || state.names.has(w)) continue;
            state.names.set(w, key);
            state.nameWords.push(w);
          }
        }
      }
      out.push({ type: e.type, start: e.start, end: e.end, replacement, score: round(e.score), form: e.form });
      trailingKey = key;
    }
    redacted += text.slice(cursor);

    const newContexts = result.contexts.size > 0;
    if (isFinal) {
      const asked = asksForName(text, result.wordClasses);
      // (A name the detector found is among `entities` too: nameAnswer only replaces it by the answer.)
      if (asked || state.nameAsk !== undefined) this.updateNameAsk(state, asked, speaker, end, now, answeredName || sawName, answeredOneWord, result.substantive, newContexts);
    }
    if (isFinal && (result.substantive || newContexts)) {
      const carried = state.contexts;
      if (newContexts) {
        // A new question or statement changes the topic: earlier contexts and the other speakers'
        // pending runs end here ("...1111" / agent: "and the expiry date?" / "oh seven twenty nine").
        carried.replace(result.contexts, end + this.cfg.contextMs, this.cfg.contextUtterances);
        // (Deleting the entry being visited does not disturb a Map's iteration.)
        if (state.pending.size > 0) for (const who of state.pending.keys()) if (who !== speaker) state.pending.delete(who);
      } else {
        const list = carried.list;
        for (let i = 0; i < list.length; i++) {
          const c = list[i];
          if (result.digitish && c.untilMs >= now) {
            // Still reading the number: the question stays relevant.
            c.utterancesLeft = this.cfg.contextUtterances;
            c.untilMs = end + this.cfg.contextMs;
            continue;
          }
          c.utterancesLeft--;
          if (c.utterancesLeft <= 0 || c.untilMs < now) carried.removeAt(i--);
        }
      }
      // An answered question is done: "the code is 123" does not make the next reading a CVV.
      if (carried.list.length > 0) for (const e of result.entities) if (ANSWERED_BY.has(e.type) || COMPLETE_REASONS.has(e.reason)) carried.remove(e.type);
      if (result.trailing) {
        const last = entities[entities.length - 1];
        const emitted = last !== undefined && (last.reason === 'continuation' || result.trailing.digits.endsWith(last.normalized));
        const tr = result.trailing;
        state.pending.set(speaker, { type: tr.type, digits: tr.digits, complete: tr.complete, untilMs: end + this.cfg.carryMs, tagKey: emitted && trailingKey ? trailingKey : tr.digits });
      } else if (state.pending.size > 0) {
        state.pending.delete(speaker);
      }
    }
    return { text: redacted, entities: out, raw };
  }

  /**
   * The key of the rest of a number read over several utterances: the whole number's when it was said
   * whole before, else its first part's. A first part that took the key of a number said before
   * (PseudonymTable.startOf) but goes on differently (two cards of one bank share their first digits)
   * is a number of its own.
   */
  private continuationKey(pseudonyms: PseudonymTable, label: string, pending: Pending, digits: string): string {
    const whole = pending.digits + digits;
    if (pseudonyms.has(label, whole)) return whole;
    const borrowed = pending.tagKey.length > pending.digits.length && pending.tagKey.startsWith(pending.digits);
    if (borrowed && !pending.tagKey.startsWith(whole)) return pseudonyms.keyOf(label, whole);
    return pending.tagKey;
  }

  /**
   * The bare answer to a name question ("james whitaker", "yeah it's robert chen") as one NAME entity,
   * replacing names already found inside it (a name said before). Unchanged when the text is not a bare name.
   * `tokens`: the text's tokens when the detector made them (saves tokenizing it again).
   */
  private nameAnswer(text: string, entities: DetectedEntity[], tokens: readonly Token[] | undefined): DetectedEntity[] {
    if (!this.detector.options.entities.includes('NAME')) return entities;
    const span = nameAnswerSpan(text, tokens);
    if (!span) return entities;
    // (A spelled name found there already keeps its own form and score.)
    if (entities.some((e) => (e.type !== 'NAME' && e.start < span.end && e.end > span.start) || (e.reason === 'spelled' && e.start === span.start && e.end === span.end))) return entities;
    const normalized = text.slice(span.start, span.end).toLowerCase().replace(/\s+/g, ' ');
    if (this.detector.hasAllowList && this.detector.allowed(text.slice(span.start, span.end), normalized)) return entities;
    const named: DetectedEntity = { type: 'NAME', start: span.start, end: span.end, score: 0.8, form: 'written', normalized, reason: 'asked-for' };
    return [...entities.filter((e) => e.end <= span.start || e.start >= span.end), named].sort((a, b) => a.start - b.start);
  }

  /**
   * A name question starts the carried ask; an answer, a new question or enough other utterances end
   * it. A one-word answer keeps it for one more final: the surname often follows on its own after a
   * pause ("it's robert" / "chen"), and the asker speaking in between ends it.
   */
  private updateNameAsk(state: ConversationState, asked: boolean, speaker: string, end: number, now: number, named: boolean, oneWordAnswer: boolean, substantive: boolean, newContext: boolean): void {
    if (asked) {
      state.nameAsk = { speaker, untilMs: end + this.cfg.contextMs, utterancesLeft: this.cfg.contextUtterances };
      return;
    }
    const ask = state.nameAsk;
    if (!ask) return;
    if (oneWordAnswer && !ask.secondPart && !newContext) {
      state.nameAsk = { speaker: ask.speaker, untilMs: end + this.cfg.contextMs, utterancesLeft: 1, secondPart: true };
      return;
    }
    if (ask.untilMs < now || newContext || (named && ask.speaker !== speaker)) {
      state.nameAsk = undefined;
      return;
    }
    if (substantive && --ask.utterancesLeft <= 0) state.nameAsk = undefined;
  }

  /**
   * Redacts an Utterance: text, and words[] consistently (every word overlapping a span takes the
   * span's replacement, timings kept). Words that cannot be located in the text are scrubbed on their own.
   */
  redactUtterance(u: Utterance): { utterance: Utterance; entities: RedactionEntity[]; raw: string[] } {
    if (typeof u.text !== 'string') throw new InputError('text must be a string', 'INVALID_INPUT');
    const r = this.redactSpeech(u.text, u.conversationId ?? 'default', u.speaker === 'unknown' ? `channel:${u.channel}` : u.speaker ?? 'unknown', u.isFinal ?? true, u.startMs, u.endMs);
    // The output words: a copy of the input's, with a new object for each changed word.
    let words: Word[] | undefined;
    let cursor = 0;
    let nextEntity = 0;
    // For words not found in the text (made once, when the first one is met).
    let plan: ScrubPlan | undefined;
    const src = u.text;
    const entities = r.entities;
    const input = u.words;
    for (let i = 0; i < input.length; i++) {
      const w = input[i];
      const wt = w.text;
      const n = wt.length;
      // The word's first occurrence from the cursor on, i.e. src.indexOf(wt, cursor). Words usually
      // follow each other separated by one space: compare there first (measured: slice + === beats
      // indexOf and a charCodeAt loop on these short strings).
      let at = -1;
      if (n > 0) {
        const p = src.charCodeAt(cursor) === 32 && wt.charCodeAt(0) !== 32 ? cursor + 1 : cursor;
        at = src.slice(p, p + n) === wt ? p : src.indexOf(wt, cursor);
      }
      let text = wt;
      if (at >= 0) {
        cursor = at + n;
        // Entities are in text order and do not overlap, and words are located in order: entities
        // ending before this word are behind every later word too, and the next one overlaps this
        // word or none does.
        while (nextEntity < entities.length && entities[nextEntity].end <= at) nextEntity++;
        if (nextEntity < entities.length && entities[nextEntity].start < cursor) text = entities[nextEntity].replacement;
      } else {
        // A word that is not in the text is scrubbed on its own (engines can disagree with themselves).
        text = this.scrubWith(wt, (plan ??= scrubPlan(r.raw)), !u.isFinal);
      }
      if (text !== wt) (words ??= input.slice())[i] = { ...w, text };
    }
    // Unchanged words are shared with the input (a validated copy), changed ones are new objects.
    return { utterance: { ...u, text: r.text, words: words ?? input.slice() }, entities, raw: r.raw };
  }

  /**
   * Conservative scrub of a string that is not a transcript field (raw events, unknown fields): the raw
   * span texts of this message, any token of them, and whatever the stateless detectors find.
   */
  scrubString(s: string, raw: readonly string[], maskDigits = false): string {
    return this.scrubWith(s, scrubPlan(raw), maskDigits);
  }

  /**
   * Deep copy of a value with every string scrubbed (UUIDs, and strings and numbers under id-like keys,
   * kept). An object met again (shared, or a cycle) is copied once, so a cyclic value costs no more
   * than its size; objects nested deeper than MAX_SCRUB_DEPTH are replaced, not passed through.
   */
  scrubValue(value: unknown, raw: readonly string[]): unknown {
    // The raw texts are worked out once for the whole value, not once per string in it (a raw event
    // holds a string per word), and a string that recurs in it ("one", "the") is scrubbed once: the
    // scrub of a string depends on the string and the raw texts only.
    return this.scrubValueWith(value, { plan: scrubPlan(raw), strings: new Map(), copies: new Map() }, 0);
  }

  private scrubValueWith(value: unknown, state: ScrubState, depth: number): unknown {
    if (typeof value === 'string') {
      if (UUID_RE.test(value)) return value;
      let out = state.strings.get(value);
      if (out === undefined) {
        out = this.scrubWith(value, state.plan, false);
        state.strings.set(value, out);
      }
      return out;
    }
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
    const copied = state.copies.get(value);
    if (copied !== undefined) return copied;
    if (depth >= MAX_SCRUB_DEPTH) return '[REDACTED]';
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      state.copies.set(value, out);
      for (let i = 0; i < value.length; i++) out.push(this.scrubValueWith(value[i], state, depth + 1));
      return out;
    }
    const out: Record<string, unknown> = {};
    state.copies.set(value, out);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      setOwn(out, k, ID_KEY_RE.test(k) && (typeof v !== 'object' || v === null) ? v : this.scrubValueWith(v, state, depth + 1));
    }
    return out;
  }

  private scrubWith(s: string, plan: ScrubPlan, maskDigits: boolean): string {
    let out = s;
    for (const r of plan.longestFirst) out = out.split(r).join('[REDACTED]');
    if (plan.tokens !== undefined) {
      const toks = tokenize(out);
      let rebuilt = '';
      let c = 0;
      for (const t of toks) {
        if (t.kind !== 'punct' && plan.tokens.has(t.lower)) {
          rebuilt += out.slice(c, t.start) + '[REDACTED]';
          c = t.end;
        }
      }
      out = rebuilt + out.slice(c);
    }
    // A digit run that shares four digits with a raw span ("9017" of "536 22 9017" left beside text
    // the steps above replaced, in a word the engine wrote differently): no fragment may survive.
    if (plan.digits.length > 0) out = out.replace(DIGIT_RUN_RE, (run) => (sharesFourDigits(run, plan.digits) ? '[REDACTED]' : run));
    const found = this.detector.detect(out).entities;
    for (let i = found.length - 1; i >= 0; i--) {
      const e = found[i];
      out = out.slice(0, e.start) + `[${this.operator.label(e)}]` + out.slice(e.end);
    }
    if (maskDigits) out = out.replace(/\p{Nd}/gu, '#');
    return out;
  }
}

/** Objects nested deeper than this in a scrubbed value are replaced whole (raw events nest 6 deep). */
const MAX_SCRUB_DEPTH = 32;

/** One scrubValue call: its plan, the strings already scrubbed, and the objects already copied. */
interface ScrubState {
  plan: ScrubPlan;
  strings: Map<string, string>;
  copies: Map<object, unknown>;
}

/** What a scrub takes from a message's raw span texts. */
interface ScrubPlan {
  /** The texts of 2 characters or more, longest first: each is replaced where it occurs whole. */
  longestFirst: string[];
  /** The lower-cased word and number tokens of every text (undefined without texts): replaced where they recur. */
  tokens: Set<string> | undefined;
  /** The written digits of each text that has four or more. */
  digits: string[];
}

function scrubPlan(raw: readonly string[]): ScrubPlan {
  const longestFirst = [...raw].sort((a, b) => b.length - a.length).filter((r) => r.length >= 2);
  let tokens: Set<string> | undefined;
  const digits: string[] = [];
  if (raw.length > 0) {
    tokens = new Set();
    for (const r of raw) {
      for (const t of tokenize(r)) if (t.kind !== 'punct') tokens.add(t.lower);
      const d = r.replace(NOT_DIGIT_RE, '');
      if (d.length >= 4) digits.push(d);
    }
  }
  return { longestFirst, tokens, digits };
}

/** Four digits or more, single spaces or dashes allowed between them. */
const DIGIT_RUN_RE = /\d(?:[ -]?\d){3,}/g;
const NOT_DIGIT_RE = /\D/g;

/** Whether any four digits in a row of `run` occur in one of `digitStrings`. */
function sharesFourDigits(run: string, digitStrings: readonly string[]): boolean {
  const d = run.replace(NOT_DIGIT_RE, '');
  for (let k = 0; k + 4 <= d.length; k++) {
    const four = d.slice(k, k + 4);
    for (const s of digitStrings) if (s.includes(four)) return true;
  }
  return false;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ID_KEY_RE = /(^id$|Id$|_id$|^topicName$|^channel$|^speaker$|^language$|^engine$|^type$|^event$|^action$)/;

/**
 * The runs of non-whitespace of `s` in order: `s.split(/\s+/)` without its empty strings (measured:
 * the regex split cost ~1.4 us a call, 3% of all the time on sets A and B).
 */
function wordsOf(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    if (isSpaceAt(s, i)) {
      if (start >= 0) out.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(start === 0 ? s : s.slice(start));
  return out;
}

/**
 * Whether `digits` typed `type` are a whole value as the detector checks one: a card number (its last 16
 * or 15 digits, read over several finals), an SSN. Other types are taken as whole.
 */
function isWholeValue(type: EntityType, digits: string): boolean {
  if (type === 'CARD') return endsWithCardNumber(digits);
  if (type === 'SSN') return isValidSsn(digits);
  return true;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
