import { strict as assert } from 'node:assert';
import { Redactor, type RedactorOptions } from '../../../lib/redact';
import { redactMessageValue } from '../../../lib/redact/message';
import { Detector } from '../../../lib/redact/detectors';
import { asksForName } from '../../../lib/redact/name-answer';
import corpusJson from '../../fixtures/redaction/corpus.json';
import type { Corpus } from '../../fixtures/redaction/generate-corpus';
import type { Utterance } from '../../../lib/transcript/utterance';
import { ManualClock } from '../../support/manual-clock';
import { MAX_TIMER_MS } from '../../../lib/util/clock';

const T0 = Date.UTC(2026, 0, 1, 12);

function utt(n: number, speaker: 'agent' | 'customer', text: string, isFinal = true): Utterance {
  const words = text.split(' ').filter(Boolean);
  const startMs = T0 + n * 3000;
  return {
    conversationId: 'conv-1',
    utteranceId: `u${n}`,
    channel: speaker === 'agent' ? 'INTERNAL' : 'EXTERNAL',
    speaker,
    isFinal,
    text,
    startMs,
    endMs: startMs + 2000,
    words: words.map((w, i) => ({ text: w, startMs: startMs + i * 100, endMs: startMs + i * 100 + 90 })),
    receivedAt: startMs + 2100,
  };
}

/** One turn of a conversation: the redacted text of utt(n, speaker, text, isFinal). */
function say(r: Redactor, n: number, speaker: 'agent' | 'customer', text: string, isFinal = true): string {
  return r.redactUtterance(utt(n, speaker, text, isFinal)).utterance.text;
}

type Turn = [speaker: 'agent' | 'customer', text: string];

/** A conversation's turns in order, turn k as utt(k + 1, ...): their redacted texts. */
function conversation(r: Redactor, turns: Turn[]): string[] {
  return turns.map(([speaker, text], k) => say(r, k + 1, speaker, text));
}

function make(opts: RedactorOptions = {}): { r: Redactor; clock: ManualClock } {
  const clock = new ManualClock(T0);
  return { r: new Redactor({ clock, ...opts }), clock };
}

function noDigitFragments(s: string, secret: string, min = 4): void {
  const digits = s.replace(/\D/g, ' ').split(/\s+/).filter((d) => d.length >= min);
  for (const d of digits) for (let i = 0; i + min <= d.length; i++) assert.equal(secret.includes(d.slice(i, i + min)), false, `fragment ${d} of ${secret} in ${s}`);
}

describe('Redactor', () => {
  it('redacts the rest of a number read digit by digit whatever word follows it, and keeps a time after one', () => {
    // Once kept as an amount, a quantity, or a day of the month.
    assert.deepEqual(conversation(make().r, [['agent', 'can I have the card number'], ['customer', '4016 5558 4016'], ['agent', 'okay'], ['customer', '5585 dollars']]).slice(3), ['[CARD] dollars']);
    assert.deepEqual(conversation(make().r, [['agent', 'and your ssn?'], ['customer', 'one two three'], ['agent', 'okay'], ['customer', 'um double two three four percent']]).slice(3), ['um [SSN] percent']);
    assert.deepEqual(conversation(make().r, [['agent', 'can I have the card number'], ['customer', 'march 5 5119']]).slice(1), ['[CARD]']);
    // A grouped reading after an account number is a time or a temperature, not more of it.
    assert.deepEqual(conversation(make().r, [['agent', 'what is your account number'], ['customer', 'four five six seven eight nine one'], ['customer', 'nine thirty a m works for me']]).slice(2), ['nine thirty a m works for me']);
  });

  it('redacts a spoken card split over three finals with the other speaker in between', () => {
    const { r } = make();
    const parts = [
      utt(1, 'agent', 'can I have the long number on the card'),
      utt(2, 'customer', 'sure four one one one one one'),
      utt(3, 'agent', 'okay'),
      utt(4, 'customer', 'one one one one one one'),
      utt(5, 'agent', 'mhm'),
      utt(6, 'customer', 'one one one one'),
    ];
    const out = parts.map((u) => r.redactUtterance(u));
    assert.equal(out[1].utterance.text, 'sure [CARD]');
    assert.equal(out[3].utterance.text, '[CARD]');
    assert.equal(out[5].utterance.text, '[CARD]');
    assert.equal(out[2].utterance.text, 'okay');
    for (const o of [out[1], out[3], out[5]]) {
      assert.ok(o.utterance.words.filter((w) => w.text !== 'sure').every((w) => w.text === '[CARD]'));
    }
  });

  it('redacts a card split without any context word (digit runs that may still grow)', () => {
    const { r } = make();
    const a = r.redactUtterance(utt(1, 'customer', 'four one one one one one one one'));
    r.redactUtterance(utt(2, 'agent', 'okay'));
    const b = r.redactUtterance(utt(3, 'customer', 'one one one one one one one one'));
    assert.equal(a.utterance.text, '[NUMBER]');
    assert.equal(b.utterance.text, '[CARD]');
  });

  it('redacts a number read in groups with pauses between them over two finals, without any context word', () => {
    // The first final's groups before its last were short numbers in a sentence: "4111" stayed.
    assert.deepEqual(conversation(make().r, [['customer', '4111 and 1111'], ['agent', 'okay'], ['customer', '1111 and 1111']]), ['[NUMBER]', 'okay', '[CARD]']);
    assert.deepEqual(conversation(make().r, [['customer', 'sure 4111/1111'], ['agent', 'mhm'], ['customer', '1111/1111 thanks']]), ['sure [NUMBER]', 'mhm', '[CARD] thanks']);
    // The second final's groups complete the first's number: its last group once stayed.
    assert.deepEqual(conversation(make().r, [['customer', '4111 1111'], ['agent', 'okay'], ['customer', '1111 and 1111 thanks']]), ['[NUMBER]', 'okay', '[CARD] thanks']);
    assert.deepEqual(conversation(make().r, [['customer', 'my social is 536'], ['agent', 'okay'], ['customer', '22 and 9017 thanks']]), ['my social is [SSN]', 'okay', '[SSN] thanks']);
    // ... with a correction between groups that could start a card ("6011" stayed, then "1850").
    assert.deepEqual(conversation(make().r, [['customer', 'let me see um 6011 I mean 5617'], ['agent', 'mhm'], ['customer', '6855, and 1850 thanks']]), ['let me see um [NUMBER]', 'mhm', '[CARD] thanks']);
    assert.deepEqual(conversation(make().r, [['customer', 'it should be 5146 after that 9434 I mean 8353'], ['agent', 'yes'], ['customer', '3985']]), ['it should be [NUMBER]', 'yes', '[CARD]']);
    // An amount written against the first group ("12 4111" reads as one run), a phone's area code and
    // exchange, a number word read before the first group, pauses before a group.
    assert.deepEqual(conversation(make().r, [['customer', '$12 4111 /1111 /1111'], ['agent', 'ok'], ['customer', '1111']]), ['$12 [NUMBER]', 'ok', '[CARD]']);
    assert.deepEqual(conversation(make().r, [['customer', '702/632'], ['agent', 'ok'], ['customer', '0670']]), ['[NUMBER]', 'ok', '[PHONE]']);
    // ... also after an amount with cents or thousands ("$45.50 404": the phone's last groups stayed).
    assert.deepEqual(conversation(make().r, [['customer', '$45.50 404'], ['customer', '-753 -7104 GB']]), ['$45.50 [NUMBER]', '-[NUMBER] GB']);
    assert.deepEqual(conversation(make().r, [['customer', '$1,200 300 dollars'], ['customer', 'it is $12.50 404 of them']]), ['$1,200 300 dollars', 'it is $12.50 404 of them']);
    assert.deepEqual(conversation(make().r, [['customer', 'two 4111'], ['agent', 'ok'], ['customer', '1111 1111 / 1111 thanks']]), ['[NUMBER]', 'ok', '[CARD] thanks']);
    assert.deepEqual(conversation(make().r, [['customer', '6011, 5503'], ['agent', 'ok'], ['customer', 'see 9965 wait 0058']]), ['[NUMBER]', 'ok', 'see [CARD]']);
    assert.deepEqual(conversation(make().r, [['customer', '2447 six seven five three sec'], ['agent', 'ok'], ['customer', '2162 wait seven nine oh nine']]), ['[NUMBER] sec', 'ok', '[CARD]']);
    // "one sec" ending a final is a pause too: the first group may go on ("one" once read as its fifth digit).
    assert.deepEqual(conversation(make().r, [['customer', '3549 one sec'], ['customer', '2702'], ['customer', '0031 and'], ['customer', '2438']]), ['[NUMBER] one sec', '[NUMBER]', '[NUMBER] and', '[CARD]']);
    // ...and so is an acknowledgement ("6011 huh" / "8698 6630 8473" left 6011).
    assert.deepEqual(conversation(make().r, [['customer', '6011 huh'], ['customer', '8698 6630 8473']]), ['[NUMBER] huh', '[CARD]']);
    // A final that goes on with the number may start with one too, or with "one sec" (the groups after it stayed).
    assert.deepEqual(conversation(make().r, [['customer', '5571'], ['customer', 'right 1791 and 3310 5148']]), ['[NUMBER]', 'right [CARD]']);
    assert.deepEqual(conversation(make().r, [['customer', '4730'], ['customer', 'one, sec, 9032, wait, 6901'], ['customer', '8499']]), ['[NUMBER]', 'one, sec, [NUMBER], wait, [NUMBER]', '[NUMBER]']);
    // Asked for: groups with pauses between them ending a final take the card's type.
    assert.deepEqual(conversation(make().r, [['agent', 'can I have the card number'], ['customer', 'hold on 4111 hold on 1111'], ['agent', 'ok'], ['customer', '1111 1111']]), ['can I have the card number', 'hold on [CARD]', 'ok', '[CARD]']);
    // ... and with a reader's corrections between them, in a long answer (the carried question types
    // no run of an answer of more than three words: each group stayed).
    assert.deepEqual(
      conversation(make().r, [['agent', 'can I have the card number'], ['customer', 'yes I have it here it is 5104 or 2776 I mean 3651'], ['agent', 'yes'], ['customer', '2962 if I read it right']]),
      ['can I have the card number', 'yes I have it here it is [CARD]', 'yes', '[CARD] if I read it right'],
    );
    // Pauses while finding the number ("hold on", "let me ...") do not make the answer a long one: a
    // card read in pairs after them is the card's (pairs are read as digits only where one is expected).
    assert.deepEqual(
      conversation(make().r, [['agent', 'go ahead with the card number please'], ['customer', 'hold on let me grab it okay so it is forty eight forty two'], ['agent', 'yes'], ['customer', 'eighty six oh six ninety seven ninety two'], ['agent', 'go on'], ['customer', 'fifty seven eighty three']]),
      ['go ahead with the card number please', 'hold on let me grab it okay so it is [CARD]', 'yes', '[CARD]', 'go on', '[CARD]'],
    );
    // A bridge word alone still counts: "on" here is no pause.
    assert.deepEqual(conversation(make().r, [['agent', 'can you read me your social security number'], ['customer', "I'm on step three of five"]]), ['can you read me your social security number', "I'm on step three of five"]);
    // With SSNs off (payment cards only), nine digits that pass as an SSN do not end the number.
    const pci = make({ detector: { entities: ['CARD', 'CVV', 'EXPIRY', 'NUMBER'] } }).r;
    assert.deepEqual(conversation(pci, [['customer', '2421 5'], ['customer', '1556'], ['customer', '193/4914 GB']]), ['[NUMBER]', '[NUMBER]', '[CARD] GB']);
    // An SSN read in pairs after the question, an amount's word after it: six digits or more are the SSN.
    assert.deepEqual(conversation(make().r, [['agent', 'can you read me your social security number'], ['customer', 'ten twenty one two uh ninety one percent']]), ['can you read me your social security number', '[SSN] percent']);
    // Not a card's start: years and rooms stay.
    assert.deepEqual(conversation(make().r, [['customer', 'between 1999 and 2004 I think']]), ['between 1999 and 2004 I think']);
    // A year listed after another ends a final as a year; not while a number is open or asked for.
    assert.deepEqual(conversation(make().r, [['customer', 'between 1999 and 2004'], ['customer', '12 3456']]), ['between 1999 and 2004', '[NUMBER]']);
    assert.deepEqual(conversation(make().r, [['customer', '4111 1111'], ['customer', '2019 and 2020']]), ['[NUMBER]', '[NUMBER] and [NUMBER]']);
    assert.deepEqual(conversation(make().r, [['customer', '4111 1111'], ['customer', '2019, 2020']]), ['[NUMBER]', '[NUMBER]']);
    assert.deepEqual(conversation(make().r, [['customer', '4111 1111'], ['customer', '2019 2020']]), ['[NUMBER]', '[NUMBER]']);
    assert.deepEqual(conversation(make().r, [['agent', 'what is your social'], ['customer', 'in 2019 and 2020']]), ['what is your social', 'in 2019 and [SSN]']);
    // An amount said about a card mentioned stays; one given for a number asked for, or said with "number", does not.
    assert.deepEqual(conversation(make().r, [['customer', 'my card was charged 45.99']]), ['my card was charged 45.99']);
    assert.deepEqual(conversation(make().r, [['agent', 'what is the card number'], ['customer', 'my card is 45.99']]), ['what is the card number', 'my card is [CARD]']);
    assert.deepEqual(conversation(make().r, [['customer', 'my account number is 45.99']]), ['my account number is [ACCOUNT]']);
  });

  it('redacts the later groups of a number going on from the previous final when marks join them', () => {
    // The digits so far passed a check by chance (nine as an SSN, sixteen as a card), so no chain
    // could check the groups that followed: the group after the mark stayed.
    assert.deepEqual(conversation(make().r, [['customer', '7 2434'], ['customer', '8979'], ['customer', '6338«9367 5th']]), ['[NUMBER]', '[SSN]', '[NUMBER]«[NUMBER]th']);
    assert.deepEqual(conversation(make().r, [['customer', '1984 4478'], ['customer', '3503・ 4280・ 1085 $12']]), ['[NUMBER]', '[CARD]・ [CARD] $12']);
    // Not read on from the previous final (a word before it), ten digits or more joined by a mark are one number.
    assert.deepEqual(conversation(make().r, [['customer', '3419'], ['customer', 'them 332518\uff6572768 on 12/05']]), ['[NUMBER]', 'them [NUMBER] on 12/05']);
    // A number word before three written digits is no price ("forty 792"): the SSN's serial stayed.
    assert.deepEqual(conversation(make().r, [['customer', 'forty 792'], ['customer', '31 / 9763 at']]), ['forty 792', '[SSN] at']);
    // Not joined: a clock time, an amount, a new sentence.
    assert.deepEqual(conversation(make().r, [['customer', '4111 1111'], ['customer', '1111/10:30']]), ['[NUMBER]', '[NUMBER]/10:30']);
    assert.deepEqual(conversation(make().r, [['customer', '4111 1111'], ['customer', '1111 / 12.50']]), ['[NUMBER]', '[NUMBER] / 12.50']);
    assert.deepEqual(conversation(make().r, [['customer', '4111 1111'], ['customer', '1111? 2222 is the room']]), ['[NUMBER]', '[NUMBER]? 2222 is the room']);
  });

  it('redacts short tails of a split SSN (continuation keeps the type)', () => {
    const { r } = make();
    const texts = ['my social is five three six', 'two two', 'nine oh one seven'].map((t, i) => say(r, i + 1, 'customer', t));
    assert.deepEqual(texts, ['my social is [SSN]', '[SSN]', '[SSN]']);
  });

  it('does not carry a run across speakers or past the carry window', () => {
    const { r } = make({ carryMs: 1000 });
    r.redactUtterance(utt(1, 'customer', 'four one one one one one'));
    assert.equal(say(r, 2, 'agent', 'two two'), 'two two');
    // utt 3 starts 9 s after utt 1 ended: beyond carryMs
    assert.equal(say(r, 3, 'customer', 'two two'), 'two two');
  });

  it('gives the same pseudonym to the same value, across forms, for the whole conversation', () => {
    const { r } = make({ operator: { kind: 'pseudonym' } });
    const a = r.redactText('call me on 415 555 2671', { conversationId: 'c' });
    const b = r.redactText('or 212 555 0199', { conversationId: 'c' });
    const c = r.redactText('so four one five five five five two six seven one right', { conversationId: 'c' });
    assert.deepEqual([a.text, b.text, c.text], ['call me on [PHONE_1]', 'or [PHONE_2]', 'so [PHONE_1] right']);
    const other = r.redactText('or 212 555 0199', { conversationId: 'other' });
    assert.equal(other.text, 'or [PHONE_1]');
  });

  it('gives a number the same pseudonym and hash whether it is said whole or in parts, in either order', () => {
    const texts = (kind: 'pseudonym' | 'hash', turns: Turn[]) => conversation(make({ operator: { kind, hashKey: 'test-secret-not-real-1234' } }).r, turns);
    const wholeThenParts: Turn[] = [
      ['customer', '4539 1488 0343 6467'], ['agent', 'can I have the card number'], ['customer', '4539 1488'], ['agent', 'okay'], ['customer', '0343 6467'],
    ];
    assert.deepEqual(texts('pseudonym', wholeThenParts), ['[CARD_1]', 'can I have the card number', '[CARD_1]', 'okay', '[CARD_1]']);
    const hashed = texts('hash', wholeThenParts);
    assert.equal(new Set([hashed[0], hashed[2], hashed[4]]).size, 1, hashed.join(' '));
    const partsThenWhole: Turn[] = [
      ['agent', 'can I have the card number'], ['customer', '4539 1488'], ['agent', 'okay'], ['customer', '0343 6467'], ['agent', 'thanks'], ['customer', 'again 4539 1488 0343 6467'],
    ];
    const h = texts('hash', partsThenWhole);
    assert.equal(new Set([h[1], h[3], h[5].replace('again ', '')]).size, 1, h.join(' '));
    // Two cards of one bank share their first digits: a first part taken for the earlier card, that goes
    // on differently, is a number of its own.
    assert.deepEqual(
      texts('pseudonym', [['customer', '4539 1488 0343 6467'], ['agent', 'can I have the card number'], ['customer', '4539 1488'], ['agent', 'okay'], ['customer', '1111 2225']]),
      ['[CARD_1]', 'can I have the card number', '[CARD_1]', 'okay', '[CARD_2]'],
    );
  });

  it('masks keeping the last digits, and hashes with a key', () => {
    const mask = make({ operator: { kind: 'mask', maskKeepLast: 4 } }).r;
    assert.equal(mask.redactText('card 4111 1111 1111 1111').text, 'card ************1111');
    // The first part of a number read over several finals, and a partial, keep no digit: their last
    // digits are not the value's (digits 9-12 of the card were kept).
    const split = make({ operator: { kind: 'mask', maskKeepLast: 4 } }).r;
    split.redactUtterance(utt(1, 'agent', 'what is the card number'));
    assert.equal(say(split, 2, 'customer', '4556 7375 8689'), '************');
    assert.equal(say(split, 3, 'customer', 'four eight one o twenty nine eighteen o fort', false), '********* fort');
    // A first part that passes as a card by chance (12 digits, a Maestro number) ending a final keeps none either.
    const maestro = make({ operator: { kind: 'mask', maskKeepLast: 4 } }).r;
    maestro.redactUtterance(utt(1, 'agent', 'what is the card number'));
    assert.equal(say(maestro, 2, 'customer', '6011 3451 5217'), '************');
    assert.equal(say(maestro, 3, 'customer', '1339'), '****');
    // An American Express number (15 digits, 34 / 37) is whole.
    assert.equal(mask.redactText('3782 822463 10005').text, '***********0005');
    // Digits a question or a mention typed as a card or an SSN that are not a whole one keep none
    // (the third group showed); the rest of a card read over two finals keeps the card's last four.
    assert.equal(mask.redactText('my card is 4111 1111 1111 and the rest later').text, 'my card is ************ and the rest later');
    const ssn = make({ operator: { kind: 'mask', maskKeepLast: 4 } }).r;
    ssn.redactUtterance(utt(1, 'agent', 'what is your social'));
    assert.equal(say(ssn, 2, 'customer', '536 22 901 hmm wait'), '******** hmm wait');
    assert.equal(say(ssn, 3, 'customer', '536 22 9017 thanks'), '*****9017 thanks');
    const twoFinals = make({ operator: { kind: 'mask', maskKeepLast: 4 } }).r;
    assert.equal(say(twoFinals, 1, 'customer', 'my card is 4111 1111'), 'my card is ********');
    assert.equal(say(twoFinals, 2, 'customer', '1111 1111 thanks'), '******** thanks');
    assert.equal(say(twoFinals, 3, 'customer', 'my card is 6011'), 'my card is ****');
    assert.equal(say(twoFinals, 4, 'customer', '6082 1893 7690 thanks'), '********7690 thanks');
    assert.throws(() => make({ operator: { kind: 'hash' } }), /key/);
    const hash = make({ operator: { kind: 'hash', hashKey: 'test-secret-not-real-1234' } }).r;
    const h1 = hash.redactText('a@b.example.com').text;
    const h2 = hash.redactText('A@B.example.com').text;
    assert.match(h1, /^\[EMAIL:[a-p]{16}\]$/);
    assert.equal(h1, h2);
  });

  it('uses Genesys labels when asked', () => {
    const { r } = make({ operator: { labels: 'genesys' } });
    assert.equal(r.redactText('call 415 555 2671 or mail x@y.com').text, 'call [phone] or mail [email]');
  });

  it('masks every digit of a partial result and does not touch the state', () => {
    const { r } = make();
    const p = r.redactUtterance(utt(1, 'customer', 'room 12 and four one five', false));
    assert.equal(p.utterance.text, 'room [NUMBER] and [NUMBER]');
    assert.equal(say(r, 2, 'customer', 'one two'), 'one two');
    // Digits of other scripts too.
    assert.equal(say(r, 3, 'customer', 'room ٤٠٢ and ４１５', false), 'room [NUMBER] and [NUMBER]');
  });

  it('redacts every number of the set length with the numbers setting, in text, words and raw events', () => {
    const { r } = make({ detector: { numbersMinDigits: 4 } });
    const u = utt(1, 'customer', 'room 4111 for 25 units at 10:30 on 12/05, $1,200 and forty one eleven but ending in four two four two');
    const out = r.redactUtterance(u);
    assert.equal(out.utterance.text, 'room [NUMBER] for 25 units at 10:30 on 12/05, $[NUMBER] and [NUMBER] but ending in [NUMBER]');
    assert.deepEqual(
      out.utterance.words.map((w) => w.text),
      ['room', '[NUMBER]', 'for', '25', 'units', 'at', '10:30', 'on', '12/05,', '[NUMBER]', 'and', '[NUMBER]', '[NUMBER]', '[NUMBER]', 'but', 'ending', 'in', ...Array(4).fill('[NUMBER]')],
    );
    assert.deepEqual(out.entities.map((e) => [e.type, e.form, e.score]), [['NUMBER', 'written', 1], ['NUMBER', 'written', 1], ['NUMBER', 'spoken', 1], ['NUMBER', 'spoken', 1]]);
    assert.equal(r.policy.numbersMinDigits, 4);
    // Found entities keep their type; raw strings are scrubbed with the same setting.
    assert.equal(say(r, 2, 'customer', 'call 212 555 0199 about order 7731'), 'call [PHONE] about order [NUMBER]');
    assert.equal(r.scrubString('order 7731 and room 12', []), 'order [NUMBER] and room 12');
    // Three digits: at 4 they stay, at 3 they go; the allow list wins.
    assert.equal(say(r, 3, 'customer', 'gate 801 please'), 'gate 801 please');
    assert.equal(say(make({ detector: { numbersMinDigits: 3 } }).r, 1, 'customer', 'gate 801 please'), 'gate [NUMBER] please');
    const allowing = make({ detector: { numbersMinDigits: 4, allowList: ['1-800-555-0100'] } }).r;
    assert.equal(say(allowing, 1, 'agent', 'call 1-800-555-0100 and quote 7731'), 'call 1-800-555-0100 and quote [NUMBER]');
    // Spoken forms off: only written digits count.
    assert.equal(say(make({ detector: { numbersMinDigits: 4, spoken: false } }).r, 1, 'customer', 'four one one one and 4111'), 'four one one one and [NUMBER]');
    // An explicit setting: also with the NUMBER entity unticked (the payment-cards preset without it).
    assert.equal(say(make({ detector: { numbersMinDigits: 4, entities: ['CARD', 'CVV', 'EXPIRY'] } }).r, 1, 'customer', 'order 7731 thanks'), 'order [NUMBER] thanks');
    // Off (the default): a number no detector types stays.
    assert.equal(say(make().r, 1, 'customer', 'order 7731 thanks'), 'order 7731 thanks');
    for (const bad of [-1, 2.5, 65, Number.NaN]) {
      assert.throws(() => new Redactor({ detector: { numbersMinDigits: bad } }), /numbersMinDigits must be a whole number from 0 \(off\) to 64/);
    }
  });

  it('keeps word timings and replaces every word inside a span', () => {
    const { r } = make();
    const u = utt(1, 'customer', 'my email is john dot smith at gmail dot com thanks');
    const out = r.redactUtterance(u).utterance;
    assert.equal(out.text, 'my email is [EMAIL] thanks');
    assert.deepEqual(out.words.map((w) => w.text), ['my', 'email', 'is', ...Array(7).fill('[EMAIL]'), 'thanks']);
    assert.deepEqual(out.words.map((w) => w.startMs), u.words.map((w) => w.startMs));
  });

  it('allows the rest of a split number only when the whole number is on the allow list', () => {
    const { r } = make({ detector: { allowList: ['1111'] } });
    r.redactUtterance(utt(1, 'agent', 'what is the card number'));
    assert.equal(say(r, 2, 'customer', '4111 1111 1111'), '[CARD]');
    r.redactUtterance(utt(3, 'agent', 'okay'));
    assert.equal(say(r, 4, 'customer', '1111'), '[CARD]');
    const whole = make({ detector: { allowList: ['4111111111111111'] } }).r;
    whole.redactUtterance(utt(1, 'agent', 'what is the card number'));
    whole.redactUtterance(utt(2, 'customer', '4111 1111 1111'));
    assert.equal(say(whole, 3, 'customer', '1111'), '1111');
  });

  it('starts no chain of groups inside another value', () => {
    // The groups an IBAN ends in passed a check with "1111 : 6011" by chance, merged into the IBAN and
    // took the card's first group with it: 0000 stayed (found by the neighbours property).
    const out = say(make().r, 1, 'customer', 'GB82 WEST 1234 5698 7654 32 1111 : 6011/0000/2300/0007');
    noDigitFragments(out, '6011000023000007');
    assert.equal(out, '[IBAN] : [CARD]');
  });

  it('does not join a clock time to the groups of a number, and carries a number completed in groups', () => {
    // "30" of "10:30" and "4188 6507 3280" passed a card check together: the card's first part was
    // taken for a whole card and its last group, in the next final, was left (found by the property test).
    const { r } = make();
    assert.equal(say(r, 1, 'customer', 'at 10:30 and 4188 6507 3280'), 'at 10:30 and [NUMBER]');
    r.redactUtterance(utt(2, 'agent', 'okay'));
    assert.equal(say(r, 3, 'customer', '0006 on june 3rd'), '[CARD] on june 3rd');
    const bridged = make().r;
    assert.equal(say(bridged, 1, 'customer', '4000 and 1234 and 5678 and 9017'), '[CARD]');
    assert.equal(say(bridged, 2, 'customer', '2 2'), '[NUMBER]');
  });

  it('keeps "24/7" after a card question, and still redacts the card that follows', () => {
    // The 7 ending the answer was taken for a card's first digit ("open 24/[CARD]").
    const { r } = make();
    r.redactUtterance(utt(1, 'agent', 'can I get the card number please'));
    assert.equal(say(r, 2, 'customer', "sure it's open 24/7"), "sure it's open 24/7");
    assert.equal(say(r, 3, 'customer', '4111 1111 1111 1111'), '[CARD]');
    // Written against other groups, the same digits are the number's.
    const grouped = make().r;
    grouped.redactUtterance(utt(1, 'agent', 'can I get the card number please'));
    assert.equal(say(grouped, 2, 'customer', '4111/24/7'), '[CARD]/[CARD]');
  });

  it('keeps "one" after "which", "the new" and the like in an answer to a question for a number, and still reads "one" as a digit', () => {
    // "which one" after a card question came out as "which [CARD]": a lone digit ending an answer may
    // be the first of a number read over several finals.
    for (const [question, type] of [['can I have the card number', 'CARD'], ['can you read me your social security number', 'SSN'], ['what is the best phone number to reach you', 'PHONE']]) {
      for (const answer of ['which one', 'the new one', 'hold on let me see which one', 'the visa one', 'the old one or the new one']) {
        assert.deepEqual(conversation(make().r, [['agent', question], ['customer', answer]]), [question, answer]);
      }
      assert.deepEqual(conversation(make().r, [['agent', question], ['customer', 'one'], ['customer', 'one one one']]), [question, `[${type}]`, `[${type}]`]);
      assert.deepEqual(conversation(make().r, [['agent', question], ['customer', 'it is one']]), [question, `it is [${type}]`]);
      assert.deepEqual(conversation(make().r, [['agent', question], ['customer', 'four one one one'], ['customer', 'one']]), [question, `[${type}]`, `[${type}]`]);
    }
  });

  it('types groups joined by marks as one number where a number was asked for', () => {
    // Alone, a group of two or three digits inside the text was nothing, and one of four before a
    // quantity word a quantity: each left digits of the number.
    const asked = (question: string, ...answers: string[]): string[] => {
      const { r } = make();
      r.redactUtterance(utt(1, 'agent', question));
      return answers.map((text, i) => say(r, i + 2, 'customer', text));
    };
    assert.deepEqual(asked('last, the ssn please', 'uh it is 019+ 98 $12', '+ 9494'), ['uh it is [SSN] $12', '+ [SSN]']);
    assert.deepEqual(asked('last, the ssn please', '019* 98', '9494'), ['[SSN]', '[SSN]']);
    assert.deepEqual(asked('can I get your social security number', '031•66• 7'), ['[SSN]• [SSN]']);
    assert.deepEqual(asked('what is the best phone number to reach you', 'hold on 212]487 on 12/05'), ['hold on [PHONE] on 12/05']);
    assert.deepEqual(asked('what is the card number please', '4884-2022!1724 GB'), ['[CARD] GB']);
    // Spoken groups too.
    assert.deepEqual(asked('what is the best phone number to reach you', 'hold on two one two]487 on 12/05'), ['hold on [PHONE] on 12/05']);
    assert.deepEqual(asked('last, the ssn please', 'uh it is oh one nine+ 98 $12'), ['uh it is [SSN] $12']);
    // Ten digits or more joined by marks are one number where the question types no run (the answer is
    // no short one); ten that pass as a phone number are one.
    assert.deepEqual(asked('what is the best phone number to reach you', 'about 3 minutes seven one three ,two four seven·90891 at 2 pm'), ['about 3 minutes [NUMBER] at 2 pm']);
    assert.deepEqual(asked('what is the best phone number to reach you', 'about 3 minutes seven one three ,two four seven·9089 at 2 pm'), ['about 3 minutes [PHONE] at 2 pm']);
    // Two groups of two are a ratio or a date.
    assert.deepEqual(asked('can I have the card number', 'it was a 50/50 split'), ['it was a 50/50 split']);
  });

  it('redacts a card read in groups with pauses and words between them after the question', () => {
    const { r } = make();
    r.redactUtterance(utt(1, 'agent', 'what is the long number on the card'));
    const out = r.redactUtterance(utt(2, 'customer', 'one second let me get it out 6011 and twenty seven seventy six and 5143 and eighty five twenty three is that right')).utterance;
    assert.equal(out.text, 'one second let me get it out [CARD] is that right');
  });

  it('redacts both parts of an address read over two finals after an email question', () => {
    const { r } = make();
    r.redactUtterance(utt(1, 'agent', 'what is your email address'));
    assert.equal(say(r, 2, 'customer', "it's anna dot lee"), "it's [EMAIL]");
    r.redactUtterance(utt(3, 'agent', 'okay'));
    assert.equal(say(r, 4, 'customer', 'at gmail dot com'), '[EMAIL]');
    // Without the question, neither is an address.
    const other = make().r;
    assert.equal(say(other, 1, 'customer', 'the price is five dot five'), 'the price is five dot five');
    assert.equal(say(other, 2, 'customer', 'at gmail dot com'), 'at gmail dot com');
  });

  it('redacts an address with a written domain given in answer to an email question', () => {
    const { r } = make();
    r.redactUtterance(utt(1, 'agent', 'can i get your email address please'));
    const out = r.redactUtterance(utt(2, 'customer', 'sure it is anna at acme.com')).utterance;
    assert.equal(out.text, 'sure it is [EMAIL]');
    assert.deepEqual(out.words.map((w) => w.text), ['sure', 'it', 'is', '[EMAIL]', '[EMAIL]', '[EMAIL]']);
  });

  it('reports UTF-16 offsets into the original text', () => {
    const { r } = make();
    const text = 'héllo 😀 mail me: x@y.com';
    const red = r.redactText(text);
    assert.equal(text.slice(red.entities[0].start, red.entities[0].end), 'x@y.com');
  });

  it('frees conversations on end, when idle and beyond the cap', () => {
    const { r, clock } = make({ idleMs: 60_000, maxConversations: 2 });
    r.redactText('hi', { conversationId: 'a' });
    r.redactText('hi', { conversationId: 'b' });
    r.redactText('hi', { conversationId: 'c' });
    assert.equal(r.conversations, 2);
    assert.equal(r.endConversation('c'), true);
    assert.equal(r.conversations, 1);
    // Idle for longer than idleMs, freed by 1.5 idleMs (the sweep runs every idleMs / 2).
    clock.advance(60_000);
    assert.equal(r.conversations, 1);
    r.redactText('hi', { conversationId: 'b' });
    clock.advance(60_500);
    assert.equal(r.conversations, 1, 'used 60.5 s ago');
    clock.advance(29_500);
    assert.equal(r.conversations, 0, 'freed 90 s after its last use');
    assert.equal(clock.pending, 0);
    r.redactText('hi', { conversationId: 'd' });
    r.close();
    assert.equal(clock.pending, 0);
  });

  it('frees an idle conversation after more than the idle time and by 1.5 times it, whatever the sweep phase', () => {
    for (const offset of [0, 1, 14_999, 15_000, 29_999, 30_000, 45_000]) {
      const { r, clock } = make({ idleMs: 60_000 });
      r.redactText('hi', { conversationId: 'starts-the-sweep' });
      clock.advance(offset);
      r.redactText('hi', { conversationId: 'x' });
      clock.advance(60_000);
      // Used again: by now the first conversation is freed, so the count is x's.
      r.redactText('hi', { conversationId: 'x' });
      clock.advance(60_000);
      assert.equal(r.conversations, 1, `offset ${offset}: x still open 60 s after its second use`);
      clock.advance(30_000);
      assert.equal(r.conversations, 0, `offset ${offset}: x freed 90 s after its last use`);
      r.close();
    }
  });

  it('sweeps idle conversations within a timer\'s longest wait when the idle time is longer', () => {
    // Node runs a timer longer than 2^31 - 1 ms after 1 ms: a 60-day idle time swept every millisecond,
    // each sweep taken for 30 days, and freed every conversation 3 ms after its last use.
    const clock = new ManualClock();
    const delays: number[] = [];
    const spy = { now: () => clock.now(), setTimeout: (fn: () => void, ms: number) => (delays.push(ms), clock.setTimeout(fn, ms)), clearTimeout: (h: Parameters<ManualClock['clearTimeout']>[0]) => clock.clearTimeout(h) };
    const day = 24 * 3600 * 1000;
    const r = new Redactor({ idleMs: 60 * day, clock: spy });
    r.redactText('hi', { conversationId: 'a' });
    assert.ok(Math.max(...delays) <= MAX_TIMER_MS, `sweep armed for ${Math.max(...delays)} ms`);
    clock.advance(60 * day - 1);
    assert.equal(r.conversations, 1, 'kept for its idle time');
    // Freed after the whole sweep periods that make up the idle time, and one more.
    clock.advance((Math.ceil((60 * day) / MAX_TIMER_MS) + 1) * MAX_TIMER_MS - 60 * day + 1);
    assert.equal(r.conversations, 0, 'freed by then');
    r.close();
  });

  it('redacts message values: strings, Utterances with aligner fields, arrays, objects', () => {
    const { r } = make();
    const u = { ...utt(1, 'customer', 'my ssn is 536-22-9017'), seq: 7, latencyMs: 120, revision: 1, extra: 'ssn 536-22-9017' };
    const res = redactMessageValue(r, [u, 'x@y.com'], 'payload');
    const [ru, rs] = res.value as [Record<string, unknown>, string];
    assert.equal(ru.text, 'my ssn is [SSN]');
    assert.equal(ru.seq, 7);
    assert.equal(ru.latencyMs, 120);
    assert.equal(ru.revision, 1);
    assert.equal(String(ru.extra).includes('9017'), false);
    assert.equal(rs, '[EMAIL]');
    assert.deepEqual(res.entities.map((e) => e.path), ['payload[0].text', 'payload[1]']);
    assert.throws(() => redactMessageValue(r, 42, 'payload'), /must be a string/);
    assert.throws(() => redactMessageValue(r, undefined, 'payload'), /missing/);
    assert.throws(() => redactMessageValue(r, { utteranceId: 'x', text: 'hi' }, 'payload'), /conversationId|isFinal/);
  });

  it('scrubs raw events conservatively', () => {
    const { r } = make();
    const red = r.redactText('my card is four one one one one one one one one one one one one one one one');
    const raw = { eventBody: { conversationId: '3f2a9c10-5b1e-4c3d-8e7f-123456789abc', transcripts: [{ words: [{ word: 'four' }, { word: 'one' }], transcript: 'my card is four one one one one one one one one one one one one one one one' }] } };
    const scrubbed = JSON.stringify(r.scrubValue(raw, red.raw));
    assert.equal(scrubbed.includes('"four"'), false);
    assert.equal(/one one/.test(scrubbed), false);
    assert.ok(scrubbed.includes('3f2a9c10-5b1e-4c3d-8e7f-123456789abc'));
    noDigitFragments(scrubbed.replace('3f2a9c10-5b1e-4c3d-8e7f-123456789abc', ''), '4111111111111111');
  });

  // Each of these once let a raw value through, hung, or turned input into something else (fuzzing).
  it('redacts message values whatever their shape: deep, cyclic, odd keys, aligner fields that are not numbers', () => {
    const { r } = make();
    const card = 'card 4111 1111 1111 1111';
    const base = utt(1, 'customer', 'hello there');
    const leaks = (v: unknown) => JSON.stringify(v).includes('4111');
    let deep: unknown = card;
    for (let i = 0; i < 40; i++) deep = { a: deep };
    assert.equal(leaks(redactMessageValue(r, { ...base, extra: deep }, 'payload').value), false, 'nested past the scrub depth');
    const cyclic: Record<string, unknown> = { s: card };
    cyclic.a = cyclic;
    cyclic.b = cyclic;
    cyclic.c = cyclic;
    const out = redactMessageValue(r, { ...base, extra: cyclic }, 'payload').value as Record<string, Record<string, unknown>>;
    assert.equal(out.extra.s, 'card [CARD]');
    assert.equal(out.extra.a, out.extra, 'a cycle is copied as a cycle, once');
    assert.equal(leaks(redactMessageValue(r, { ...base, seq: card, revision: { note: card } }, 'payload').value), false, 'aligner fields');
    assert.equal(leaks(redactMessageValue(r, { conversationId: { note: card }, text: 'hi' }, 'payload').value), false, 'an object under an id key');
    assert.equal(leaks(r.scrubValue({ eventBody: { participantId: { note: card } } }, [])), false, 'an object under an id key in a raw event');
    const proto = redactMessageValue(r, JSON.parse(`{"a":"x","__proto__":{"note":"${card}"}}`), 'payload').value as object;
    assert.equal(Object.getPrototypeOf(proto), Object.prototype, '"__proto__" stays a key');
    assert.deepEqual(Object.keys(proto), ['a', '__proto__']);
    assert.equal(leaks(proto), false);
    const named = redactMessageValue(r, { ...base, constructor: card, toString: 'x' }, 'payload').value as Record<string, unknown>;
    assert.equal(named.constructor, 'card [CARD]', 'extra fields named like Object.prototype members are kept (scrubbed)');
    assert.throws(() => redactMessageValue(r, Buffer.from(card), 'payload'), /binary/);
  });

  it('leaves no four digits of a raw span in a word the engine wrote differently', () => {
    const { r } = make();
    const text = 'my social is 536 22 9017 and the server 192.168.0.1';
    const red = r.redactText(text);
    assert.ok(red.raw.length >= 2, JSON.stringify(red.entities));
    // Glued to other text, the SSN's last group is neither a raw span nor one of its tokens.
    assert.equal(r.scrubString('9017192.168.0.1', red.raw), '[REDACTED][REDACTED]');
    assert.equal(r.scrubString('ref 53622', red.raw), 'ref [REDACTED]');
    // Runs that share no four digits with the raw spans stay.
    assert.equal(r.scrubString('order 5317 shipped', red.raw), 'order 5317 shipped');
  });
});

const corpus = corpusJson as unknown as Corpus;

describe('name questions', () => {
  it('are told the same from the detector word classes as from the text alone', () => {
    const questions = [
      'can I have your full name', 'and the Name on the card 4111', "who's calling about account 1234", 'what should i call you one two',
      'and you are?', 'could you spell that for me, the zip is 90210', 'who do I have on the line today', "the passenger's first name",
      'your order number is seven', 'are you there 555', 'call back later on 415 555 0132',
    ];
    const texts = [...questions, ...corpus.conversations.flatMap((c) => c.utterances.map((u) => u.text))];
    const detector = new Detector();
    let withClasses = 0;
    for (const t of texts) {
      const { wordClasses } = detector.detect(t);
      if (wordClasses === undefined) continue;
      withClasses++;
      assert.equal(asksForName(t, wordClasses), asksForName(t), t);
    }
    assert.ok(withClasses > 300);
    assert.equal(asksForName('and the Name on the card 4111', detector.detect('and the Name on the card 4111').wordClasses), true);
  });
});
