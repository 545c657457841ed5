/**
 * Hand-written conversations (not from the corpus generator's templates), redacted end to end with
 * pseudonyms: phrasing the generator never produces, to catch rules fitted to the templates.
 */
import { strict as assert } from 'node:assert';
import { Redactor } from '../../../lib/redact';

function run(lines: string[]): string[] {
  const r = new Redactor({ operator: { kind: 'pseudonym' } });
  let t = Date.UTC(2026, 0, 1);
  return lines.map((line) => {
    const i = line.indexOf(': ');
    const out = r.redactText(line.slice(i + 2), { conversationId: 'c', speaker: line.slice(0, i), startMs: t, endMs: t + 2000 });
    t += 3000;
    return `${line.slice(0, i)}: ${out.text}`;
  });
}

/** `want` left out: the conversation must come out unchanged. */
const cases: Array<{ name: string; lines: string[]; want?: string[] }> = [
  {
    name: 'card with commas and fillers, expiry, CVV asked in other words; a name said again',
    lines: [
      'customer: Hi, my name is Dana Whitfield and I was double charged',
      'agent: sorry about that Dana, can you read me the sixteen digit number on the front of the card',
      'customer: yeah it is five four one two, seven five, um, zero one two three, four five six seven',
      'agent: thank you and the expiry',
      'customer: ten twenty eight',
      'agent: and the three numbers on the back',
      'customer: four four one',
    ],
    want: [
      'customer: Hi, my name is [NAME_1] and I was double charged',
      'agent: sorry about that [NAME_1], can you read me the sixteen digit number on the front of the card',
      'customer: yeah it is [CARD_1]',
      'agent: thank you and the expiry',
      'customer: [EXPIRY_1]',
      'agent: and the three numbers on the back',
      'customer: [CVV_1]',
    ],
  },
  {
    name: 'a phone read in three parts after a generic "number" question',
    lines: ['customer: you can text me at 415.867.5309 or email dana_w@outlook.com', 'agent: got it, and a backup number?', 'customer: nine one seven', 'agent: mhm', 'customer: two two two', 'agent: okay', 'customer: oh one four four'],
    want: ['customer: you can text me at [PHONE_1] or email [EMAIL_1]', 'agent: got it, and a backup number?', 'customer: [NUMBER_1]', 'agent: mhm', 'customer: [NUMBER_1]', 'agent: okay', 'customer: [PHONE_2]'],
  },
  {
    name: 'prices, dates, times, small counts and a short reference stay',
    lines: [
      'customer: I paid $49.99 on March 3rd and another 120 dollars last week',
      'agent: I see two payments of forty nine ninety nine',
      'agent: the appointment is at 10:45 on 04/15/2026',
      'customer: we have 3 kids and 2 cars, call me around five thirty',
    ],
    want: [
      'customer: I paid $49.99 on March 3rd and another 120 dollars last week',
      'agent: I see two payments of forty nine ninety nine',
      'agent: the appointment is at 10:45 on 04/15/2026',
      'customer: we have 3 kids and 2 cars, call me around five thirty',
    ],
  },
  {
    name: 'accounts, routing number, address, ZIP, birth date, spoken email, spelled name',
    lines: [
      'customer: my account number is 0044 5521 9087',
      'agent: and the routing number',
      'customer: zero two one zero zero zero zero two one',
      'customer: I was born on the fourth of July nineteen seventy six',
      'customer: it is m dot jones seventy six at yahoo dot com',
      'customer: my last name is spelled J O N E S',
    ],
    want: [
      'customer: my account number is [ACCOUNT_1]',
      'agent: and the routing number',
      'customer: [ACCOUNT_2]',
      'customer: I was born on the [DOB_1]',
      'customer: it is [EMAIL_1]',
      'customer: my last name is spelled [NAME_1]',
    ],
  },
  {
    name: 'a bare name answering the other speaker\'s name question, and the name said again later',
    lines: [
      'agent: thanks for calling, can I have your full name',
      'customer: james whitaker',
      'agent: thank you james, and who am I speaking with on the second line',
      'customer: yeah it\'s Robert Chen.',
      'agent: may I get your name please',
      'customer: um, sure, it\'s Mary-Ann O\'Neil',
      'agent: thank you and the passenger name',
      'customer: amelia grant',
    ],
    want: [
      'agent: thanks for calling, can I have your full name',
      'customer: [NAME_1]',
      'agent: thank you [NAME_1], and who am I speaking with on the second line',
      'customer: yeah it\'s [NAME_2].',
      'agent: may I get your name please',
      'customer: um, sure, it\'s [NAME_3]',
      'agent: thank you and the passenger name',
      'customer: [NAME_4]',
    ],
  },
  {
    name: 'a name answered after a pause ("hold on", "let me see") or "sorry", or said twice; pauses that answer nothing',
    lines: [
      'agent: may I have your full name please',
      'customer: hold on let me see, it is maria garcia lopez',
      'agent: and who am I speaking with on the other line',
      'customer: hang on, james whitaker',
      'agent: can I get your name',
      'customer: just a sec, priya patel',
      'agent: and the passenger name',
      'customer: hold on let me look',
      'customer: hold on, my dog is barking',
      'customer: sorry, it is robert, robert chen',
    ],
    want: [
      'agent: may I have your full name please',
      'customer: hold on let me see, it is [NAME_1]',
      'agent: and who am I speaking with on the other line',
      'customer: hang on, [NAME_2]',
      'agent: can I get your name',
      'customer: just a sec, [NAME_3]',
      'agent: and the passenger name',
      'customer: hold on let me look',
      'customer: hold on, my dog is barking',
      'customer: sorry, it is [NAME_4]',
    ],
  },
  {
    name: 'a name answered with an initial, with its spelling, or before the reason for the call',
    lines: [
      'agent: may I have your full name please',
      'customer: robert j. chen',
      'agent: and who am I speaking with on the other line',
      'customer: dana whitfield, that\'s w h i t f i e l d',
      'agent: can I get your name',
      'customer: r o b e r t chen',
      'agent: and the passenger name',
      'customer: it\'s maria lopez and I\'m calling about her flight',
      'agent: and you are?',
      'customer: james whitaker, calling about a charge',
      'agent: could you spell your last name',
      'customer: chen spelled c-h-e-n',
      'agent: and the name on the card',
      'customer: it\'s under robert, that\'s r o b e r t, chen',
      'agent: who am I speaking with',
      'customer: you\'re speaking with maria lopez',
    ],
    want: [
      'agent: may I have your full name please',
      'customer: [NAME_1]',
      'agent: and who am I speaking with on the other line',
      'customer: [NAME_2], that\'s [NAME_3]',
      'agent: can I get your name',
      'customer: [NAME_4]',
      'agent: and the passenger name',
      'customer: it\'s [NAME_5] and I\'m calling about her flight',
      'agent: and you are?',
      'customer: [NAME_6], calling about a charge',
      'agent: could you spell your last name',
      'customer: [NAME_7] spelled [NAME_7]',
      'agent: and the name on the card',
      'customer: it\'s under [NAME_8]',
      'agent: who am I speaking with',
      'customer: you\'re speaking with [NAME_5]',
    ],
  },
  {
    name: 'answers to a name question that are acknowledgements, go on after two ordinary words, or ask back, name nobody',
    lines: [
      'agent: may I have your full name please',
      'customer: long story, I will explain',
      'agent: may I have your full name please',
      'customer: bad connection, say again',
      'agent: may I have your full name please',
      'customer: both names, or just mine?',
      'agent: who am I speaking with',
      'customer: the technician comes july fifth. anyway',
      'agent: who am I speaking with',
      'customer: well, long story, I will explain',
      'agent: may I have your name please',
      'customer: mhm',
      'agent: may I have your name please',
      'customer: uh huh',
      'agent: may I have your name please',
      'customer: okay go ahead. and the expiration date?',
    ],
  },
  {
    name: 'name questions in other words, and answers that close with a confirmation',
    lines: [
      'agent: and you are?',
      'customer: robert chen, that\'s right',
      'agent: who\'s calling please',
      'customer: it\'s priya natarajan thanks',
      'agent: what should I call you',
      'customer: oh just Sam. yes',
      'agent: and you are',
      'customer: calling about my bill, thanks',
    ],
    want: [
      'agent: and you are?',
      'customer: [NAME_1], that\'s right',
      'agent: who\'s calling please',
      'customer: it\'s [NAME_2] thanks',
      'agent: what should I call you',
      'customer: oh just [NAME_3]. yes',
      'agent: and you are',
      'customer: calling about my bill, thanks',
    ],
  },
  {
    name: 'a name answered over two finals; the asker speaking in between ends the question',
    lines: [
      'agent: can I have your full name please',
      'customer: it\'s robert',
      'customer: chen',
      'agent: okay and the name of the second traveler',
      'customer: maria',
      'agent: thank you',
      'customer: lopez',
    ],
    want: [
      'agent: can I have your full name please',
      'customer: it\'s [NAME_1]',
      'customer: [NAME_2]',
      'agent: okay and the name of the second traveler',
      'customer: [NAME_3]',
      'agent: thank you',
      'customer: lopez',
    ],
  },
  {
    name: 'the letters around spoken values: an id prefix, an apartment letter, an email initial, digits after spelling',
    lines: [
      'agent: and your member number',
      "customer: it's m one zero four four eight two nine",
      'customer: four seventy two maple avenue apartment three b',
      'agent: and a new email',
      'customer: the new one is r chen seventy five at example dot com',
      'customer: that is r c h e n seven five',
    ],
    want: [
      'agent: and your member number',
      "customer: it's [ACCOUNT_1]",
      'customer: [ADDRESS_1]',
      'agent: and a new email',
      'customer: the new one is [EMAIL_1]',
      'customer: that is [NAME_1] [NUMBER_1]',
    ],
  },
  {
    name: 'a context phrase written with digits ("3 digit") types the answer',
    lines: ['agent: can you read me the 3 digit number', 'customer: four four one'],
    want: ['agent: can you read me the 3 digit number', 'customer: [CVV_1]'],
  },
  {
    name: 'a name question answered by something else, or by the asker, or too late, redacts nothing',
    lines: [
      'agent: can I have your name',
      'customer: sure one moment',
      'agent: what\'s the name on the account',
      'customer: yes that\'s right',
      'agent: spell your last name for me',
      'agent: whenever you are ready',
      'customer: hold on',
      'customer: my internet is down',
      'agent: okay',
      'customer: twisted pair',
      'agent: who am I speaking with',
      'agent: Dana here',
    ],
  },
];

describe('hand-written conversations', () => {
  for (const c of cases) it(c.name, () => assert.deepEqual(run(c.lines), c.want ?? c.lines));
});
