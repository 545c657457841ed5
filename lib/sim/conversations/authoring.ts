/**
 * Authoring source of the simulator's scripted calls. The JSON files beside this module are
 * GENERATED from the dialogue below (word timings, confidences, partials, speech intervals) by
 *   npx tsx lib/sim/conversations/authoring.ts
 * and a unit test checks that they are up to date. Edit the dialogue here, never the JSON.
 *
 * Turn syntax: "A: ..." agent (INTERNAL), "C: ..." customer (EXTERNAL); "A+"/"C+" continue the
 * same speaker in a new utterance after a short pause (how engines split a card number read in
 * groups). "{tag}" marks the utterance as carrying personal-data item `tag`.
 * All personal data is fake: test card numbers (Luhn-valid, published by card networks for
 * testing), SSNs in plausible but fake ranges, 555-01xx phone numbers, example.com emails.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConversationScript, PersonalDataItem, ScriptSummary, ScriptUtterance, SpeechInterval } from './script';
import { seededRandom } from '../../util/random';

interface Source {
  id: string;
  title: string;
  queueName: string;
  agent: string;
  customer: string;
  turns: string[];
  personalData: Array<{ tag: string; type: PersonalDataItem['type']; value: string }>;
  summaries: ScriptSummary[];
}

const s = (text: string, score = 0.9) => ({ text, score });

export const SOURCES: Source[] = [
  {
    id: 'billing-dispute',
    title: 'Billing: disputed late fee and a card payment',
    queueName: 'Billing',
    agent: 'Dana Whitfield',
    customer: 'Marcus Reyes',
    turns: [
      'A: thank you for calling northwind utilities my name is dana how can i help you today',
      "C: hi dana yeah i'm calling about my last bill there's a late fee on it that i don't think i should have",
      "A: i'm sorry to hear that i can definitely look into it for you can i have your name please",
      'C: sure it is marcus reyes {name}',
      'A: thank you marcus and the phone number on the account',
      'C: it is three one two {phone}',
      'C+ five five five zero one four six {phone}',
      'A: thank you and can you confirm the account number',
      'C: yes it is eight eight two zero four seven one nine {account}',
      "A: perfect i have your account here i see a late fee of forty two dollars and fifty cents added on the third",
      "C: right but i paid on the first i have the confirmation email and everything",
      "A: let me check the payment history one moment please",
      "A+ okay i can see the payment was received on the first but it was posted on the fourth because of the weekend",
      "C: so that's not really my fault then",
      "A: no it isn't i'm going to remove the late fee of forty two dollars and fifty cents and you'll see the credit on your next statement",
      "C: great thank you while i have you i'd like to pay the rest of the balance today",
      'A: of course the remaining balance is one hundred eighteen dollars and twenty cents would you like to use a card',
      'C: yes a visa the number is four one one one {card}',
      'C+ one one one one {card}',
      'C+ one one one one {card}',
      'C+ one one one one {card}',
      'A: thank you and the expiration date',
      'C: oh nine twenty eight {expiry}',
      'A: and the three digit security code on the back',
      'C: seven three seven {cvv}',
      'A: thank you the payment of one hundred eighteen dollars and twenty cents went through your confirmation number is b four four seven nine',
      "C: perfect that's everything thanks dana",
      'A: you are welcome marcus have a great day',
    ],
    personalData: [
      { tag: 'name', type: 'name', value: 'Marcus Reyes' },
      { tag: 'phone', type: 'phone', value: '312-555-0146' },
      { tag: 'account', type: 'account', value: '88204719' },
      { tag: 'card', type: 'card', value: '4111111111111111' },
      { tag: 'expiry', type: 'expiry', value: '09/28' },
      { tag: 'cvv', type: 'cvv', value: '737' },
    ],
    summaries: [
      {
        variant: 'faithful',
        flaw: '',
        body: {
          summary: s('The customer disputed a late fee of $42.50. The payment had been received on the first and posted on the fourth because of the weekend, so the agent removed the fee. The customer then paid the remaining balance of $118.20 by card.'),
          headline: s('Late fee removed and balance paid'),
          reason: s('Disputed late fee'),
          resolution: { text: 'Late fee of $42.50 credited; balance of $118.20 paid', resolutionValue: 'Resolved', score: 0.92 },
          followupActions: [s('Credit of $42.50 appears on the next statement', 0.8)],
          extractedEntities: [
            { label: 'fee', value: '$42.50' },
            { label: 'payment', value: '$118.20' },
          ],
        },
      },
      {
        variant: 'swapped-number',
        flaw: 'the credited fee is $24.50 in the summary but $42.50 in the call',
        body: {
          summary: s('The customer disputed a late fee of $24.50. The agent removed the fee because the payment was posted late over the weekend. The customer paid the remaining balance of $118.20 by card.'),
          headline: s('Late fee removed and balance paid'),
          reason: s('Disputed late fee'),
          resolution: { text: 'Late fee of $24.50 credited; balance paid', resolutionValue: 'Resolved', score: 0.88 },
          followupActions: [s('Credit appears on the next statement', 0.8)],
          extractedEntities: [{ label: 'fee', value: '$24.50' }],
        },
      },
    ],
  },
  {
    id: 'tech-support-router',
    title: 'Tech support: home internet keeps dropping',
    queueName: 'Tech Support',
    agent: 'Priya Natarajan',
    customer: 'Helen Okafor',
    turns: [
      'A: thanks for calling contoso broadband technical support this is priya',
      'C: hi priya my internet keeps dropping every evening for about ten minutes',
      "A: that sounds frustrating let's get it sorted can i get your full name",
      'C: helen okafor {name}',
      'A: thanks helen and the email address on the account',
      "C: it's h e l e n dot o k a f o r {email}",
      'C+ at example dot com {email}',
      "A: got it and a phone number in case we get disconnected",
      'C: four one five five five five zero one nine three {phone}',
      'A: thank you which router do you have is it the white one with four lights on the front',
      "C: yes that's the one the third light turns orange when it drops",
      "A: okay an orange third light means the line lost sync let me run a line test from here",
      'A+ this takes about thirty seconds',
      "C: sure no problem",
      "A: the test shows a lot of noise on the line in the evening which usually points to a loose cable or an old filter",
      'A+ could you check that the grey cable is firmly plugged into the wall socket',
      "C: hang on let me look oh it was a bit loose i pushed it back in",
      "A: great the line looks much cleaner now i'm also going to update the router firmware remotely",
      'A+ the router will restart once and it takes about two minutes',
      'C: okay the lights are flashing now',
      "A: that's expected when all four lights are white you're back online",
      'C: they are all white now and the internet is working',
      "A: perfect i'll keep a note on your account and if it drops again this week call us back and we can send an engineer",
      'C: thank you priya that was really helpful',
      'A: my pleasure helen enjoy your evening',
    ],
    personalData: [
      { tag: 'name', type: 'name', value: 'Helen Okafor' },
      { tag: 'email', type: 'email', value: 'helen.okafor@example.com' },
      { tag: 'phone', type: 'phone', value: '415-555-0193' },
    ],
    summaries: [
      {
        variant: 'faithful',
        flaw: '',
        body: {
          summary: s('The customer reported that the internet drops every evening for about ten minutes. A line test showed noise; the grey cable was loose and was reseated, and the agent updated the router firmware remotely. The connection was restored.'),
          headline: s('Evening drop-outs fixed by reseating a cable'),
          reason: s('Internet connection drops in the evening'),
          resolution: { text: 'Loose cable reseated and firmware updated', resolutionValue: 'Resolved', score: 0.9 },
          followupActions: [s('Call back this week if it drops again; an engineer can be sent', 0.7)],
          extractedEntities: [{ label: 'symptom', value: 'third light orange' }],
        },
      },
      {
        variant: 'invented-entity',
        flaw: 'an engineer visit by "Brian" on Friday was never booked in the call',
        body: {
          summary: s('The customer reported evening drop-outs. The agent reseated a loose cable, updated the firmware and booked an engineer visit with Brian on Friday to replace the router.'),
          headline: s('Engineer visit booked'),
          reason: s('Internet connection drops in the evening'),
          resolution: { text: 'Engineer visit booked for Friday', resolutionValue: 'Pending', score: 0.7 },
          followupActions: [s('Engineer Brian visits on Friday', 0.6)],
          extractedEntities: [{ label: 'engineer', value: 'Brian' }],
        },
      },
    ],
  },
  {
    id: 'insurance-claim',
    title: 'Insurance: first notice of loss after a kitchen leak',
    queueName: 'Claims',
    agent: 'Tom Becker',
    customer: 'Sarah Lindqvist',
    turns: [
      'A: fabrikam insurance claims this is tom speaking how can i help',
      'C: hi tom i need to report water damage in my kitchen a pipe burst under the sink last night',
      "A: i'm sorry that happened is everyone safe and has the water been turned off",
      'C: yes everyone is fine and the plumber shut off the water this morning',
      "A: good let's open a claim may i have your full name",
      'C: sarah lindqvist {name}',
      'A: thank you sarah for verification can you give me your social security number',
      'C: five three six {ssn}',
      'C+ two two {ssn}',
      'C+ one four seven eight {ssn}',
      'A: thank you and your date of birth',
      'C: march fourteenth nineteen eighty two {dob}',
      'A: thanks i have your homeowners policy can you confirm the address of the property',
      'C: twelve thirty four elm street portland oregon nine seven two zero one {address}',
      'A: and the best number to reach you',
      'C: four one five {phone}',
      'C+ five five five zero one three two {phone}',
      'A: thank you can you describe the damage',
      'C: the cabinet under the sink is ruined and the floor tiles are lifting in about half of the kitchen',
      "A: understood your policy covers sudden pipe bursts with a deductible of five hundred dollars",
      'A+ i am opening the claim now your claim number is c l seven seven zero four two',
      "C: okay what happens next",
      "A: an adjuster will call you within two business days to arrange a visit",
      'A+ please take photos of the damage and keep the plumber invoice',
      'C: i already have the invoice it was two hundred ninety dollars',
      'A: perfect you can upload it with the photos when the adjuster calls',
      'C: thank you tom',
      'A: you are welcome sarah i hope the repairs go smoothly',
    ],
    personalData: [
      { tag: 'name', type: 'name', value: 'Sarah Lindqvist' },
      { tag: 'ssn', type: 'ssn', value: '536-22-1478' },
      { tag: 'dob', type: 'dob', value: '1982-03-14' },
      { tag: 'address', type: 'address', value: '1234 Elm Street, Portland, OR 97201' },
      { tag: 'phone', type: 'phone', value: '415-555-0132' },
    ],
    summaries: [
      {
        variant: 'faithful',
        flaw: '',
        body: {
          summary: s('The customer reported water damage in her kitchen after a pipe burst under the sink. The agent opened a claim under the homeowners policy with a $500 deductible. An adjuster will call within two business days; the customer will provide photos and the $290 plumber invoice.'),
          headline: s('Water damage claim opened'),
          reason: s('Burst pipe under the kitchen sink'),
          resolution: { text: 'Claim opened; adjuster to call within two business days', resolutionValue: 'Pending', score: 0.9 },
          followupActions: [s('Adjuster call within two business days', 0.85), s('Customer to upload photos and plumber invoice', 0.8)],
          extractedEntities: [
            { label: 'deductible', value: '$500' },
            { label: 'invoice', value: '$290' },
          ],
        },
      },
      {
        variant: 'leaked-phone',
        flaw: 'the summary repeats the customer phone number 415-555-0132',
        body: {
          summary: s('The customer reported water damage after a pipe burst under the kitchen sink. A claim was opened with a $500 deductible. The adjuster will call her back on 415-555-0132 within two business days.'),
          headline: s('Water damage claim opened'),
          reason: s('Burst pipe under the kitchen sink'),
          resolution: { text: 'Claim opened', resolutionValue: 'Pending', score: 0.88 },
          followupActions: [s('Adjuster to call 415-555-0132', 0.8)],
          extractedEntities: [{ label: 'callback', value: '415-555-0132' }],
        },
      },
    ],
  },
  {
    id: 'travel-change',
    title: 'Travel: moving a flight and paying the change fee',
    queueName: 'Travel',
    agent: 'Luis Ortega',
    customer: 'Amelia Grant',
    turns: [
      'A: thank you for calling tailspin travel this is luis how may i help you',
      'C: hi luis i need to change the date of my flight to denver',
      'A: sure can i have the booking reference please',
      'C: yes it is k x seven four q two',
      'A: thank you and the passenger name',
      'C: amelia grant {name}',
      'A: i have it you are flying on march twenty second at eight fifteen in the morning',
      'C: right i need to move it to march twenty fifth same time if possible',
      'A: let me check there is a flight on the twenty fifth at eight fifteen with seats available',
      'A+ the change fee is seventy five dollars and there is no fare difference',
      "C: okay that's fine let's do it",
      'A: how would you like to pay the change fee',
      'C: by card american express three seven eight two {card}',
      'C+ eight two two four six three {card}',
      'C+ one zero zero zero five {card}',
      'A: thank you and the expiry date',
      'C: twelve twenty seven {expiry}',
      'A: and the four digit code on the front',
      'C: four four three two {cvv}',
      "A: thank you the payment went through i'll send the new itinerary by email which address should i use",
      "C: a grant at example dot com that's the letter a then grant {email}",
      'A: got it a grant at example dot com',
      'A+ you are now booked on march twenty fifth at eight fifteen seat fourteen c',
      'C: wonderful thank you luis',
      'A: you are welcome enjoy your trip to denver',
    ],
    personalData: [
      { tag: 'name', type: 'name', value: 'Amelia Grant' },
      { tag: 'card', type: 'card', value: '378282246310005' },
      { tag: 'expiry', type: 'expiry', value: '12/27' },
      { tag: 'cvv', type: 'cvv', value: '4432' },
      { tag: 'email', type: 'email', value: 'agrant@example.com' },
    ],
    summaries: [
      {
        variant: 'faithful',
        flaw: '',
        body: {
          summary: s('The customer moved her flight to Denver from March 22 to March 25 at 8:15 am. The change fee of $75 was paid by card with no fare difference, and the new itinerary was sent by email. New seat 14C.'),
          headline: s('Flight moved to March 25'),
          reason: s('Change of travel date'),
          resolution: { text: 'Flight changed to March 25; $75 fee paid', resolutionValue: 'Resolved', score: 0.93 },
          followupActions: [s('New itinerary sent by email', 0.8)],
          extractedEntities: [
            { label: 'new date', value: 'March 25' },
            { label: 'fee', value: '$75' },
          ],
        },
      },
      {
        variant: 'swapped-number',
        flaw: 'the new date is March 23 in the summary but March 25 in the call',
        body: {
          summary: s('The customer moved her flight to Denver from March 22 to March 23. The $75 change fee was paid by card and the itinerary was emailed.'),
          headline: s('Flight moved to March 23'),
          reason: s('Change of travel date'),
          resolution: { text: 'Flight changed to March 23', resolutionValue: 'Resolved', score: 0.86 },
          followupActions: [s('New itinerary sent by email', 0.8)],
          extractedEntities: [{ label: 'new date', value: 'March 23' }],
        },
      },
    ],
  },
  {
    id: 'card-replacement',
    title: 'Cards: lost debit card blocked and replaced',
    queueName: 'Cards',
    agent: 'Nadia Haddad',
    customer: 'James Whitaker',
    turns: [
      'A: good afternoon woodgrove bank cards team nadia speaking',
      "C: hi nadia i think i lost my debit card i can't find it anywhere since yesterday",
      "A: i'm sorry about that let's block it right away may i have your full name",
      'C: james whitaker {name}',
      'A: thank you james do you have the card number or the last statement handy',
      "C: i have a photo of it the number is four zero one two {card}",
      'C+ eight eight eight eight {card}',
      'C+ eight eight eight eight one eight eight one {card}',
      'A: thank you for security can you also confirm your social security number',
      'C: four one two {ssn}',
      'C+ six eight three three zero nine {ssn}',
      "A: thank you you're verified i can see the card and there are no transactions since tuesday",
      'C: oh good so nobody used it',
      "A: no everything looks normal i've now blocked the card so it can't be used",
      'A+ i can send you a replacement with a new number to the address on file',
      'C: yes please is that still eighty nine harbor road',
      'A: i have eighty nine harbor road unit four boston massachusetts zero two one one zero {address}',
      "C: that's correct",
      'A: the new card will arrive in five to seven business days and your pin stays the same',
      'A+ any automatic payments on the old card will need the new number',
      'C: okay i have two subscriptions on it i will update them',
      "A: good idea and if you'd like a call when it ships we can text you on the mobile number ending zero one four nine",
      "C: yes please do that",
      "A: done is there anything else i can help with today",
      "C: no that's all thank you nadia",
      'A: you are welcome james take care',
    ],
    personalData: [
      { tag: 'name', type: 'name', value: 'James Whitaker' },
      { tag: 'card', type: 'card', value: '4012888888881881' },
      { tag: 'ssn', type: 'ssn', value: '412-68-3309' },
      { tag: 'address', type: 'address', value: '89 Harbor Road, Unit 4, Boston, MA 02110' },
    ],
    summaries: [
      {
        variant: 'faithful',
        flaw: '',
        body: {
          summary: s('The customer lost his debit card. No transactions were found since Tuesday. The agent blocked the card and ordered a replacement with a new number to the address on file, arriving in five to seven business days; the PIN stays the same.'),
          headline: s('Lost debit card blocked and replaced'),
          reason: s('Lost debit card'),
          resolution: { text: 'Card blocked; replacement ordered', resolutionValue: 'Resolved', score: 0.92 },
          followupActions: [s('Customer to update two subscriptions with the new card number', 0.75)],
          extractedEntities: [{ label: 'delivery', value: 'five to seven business days' }],
        },
      },
      {
        variant: 'leaked-phone',
        flaw: 'the summary contains a phone number 617-555-0149 for the shipping text',
        body: {
          summary: s('The customer lost his debit card. The agent blocked it and ordered a replacement, arriving in five to seven business days. A shipping text will go to 617-555-0149.'),
          headline: s('Lost debit card replaced'),
          reason: s('Lost debit card'),
          resolution: { text: 'Card blocked; replacement ordered', resolutionValue: 'Resolved', score: 0.9 },
          followupActions: [s('Text 617-555-0149 when the card ships', 0.7)],
          extractedEntities: [{ label: 'mobile', value: '617-555-0149' }],
        },
      },
    ],
  },
  {
    id: 'address-change',
    title: 'Customer care: moving house and updating the address',
    queueName: 'Customer Care',
    agent: 'Grace Kim',
    customer: 'Robert Chen',
    turns: [
      'A: hello you have reached litware customer care my name is grace',
      "C: hi grace i'm moving next month and i need to update my address",
      'A: congratulations on the move i can help with that can i have your name and date of birth',
      'C: robert chen {name}',
      'C+ born july second nineteen seventy five {dob}',
      'A: thank you robert and the member number on your card',
      'C: m one zero four four eight two nine {account}',
      'A: thank you i found your membership what is the new address',
      'C: four seventy two maple avenue apartment three b {address}',
      'C+ springfield illinois six two seven zero four {address}',
      'A: let me read that back four seventy two maple avenue apartment three b springfield illinois six two seven zero four',
      "C: yes that's right",
      'A: and from what date should we use the new address',
      'C: from the first of next month',
      "A: okay i've scheduled the change for the first would you also like to update your email",
      "C: yes the new one is r chen seventy five at example dot com {email}",
      'C+ that is r c h e n seven five {email}',
      'A: r c h e n seven five at example dot com got it',
      'A+ and is the phone number still the same',
      'C: no the new one is two one seven five five five zero one six eight {phone}',
      "A: thank you i've updated the phone email and the address",
      'A+ you will receive a confirmation letter at the new address within ten days',
      'C: great thanks grace',
      'A: you are welcome robert good luck with the move',
    ],
    personalData: [
      { tag: 'name', type: 'name', value: 'Robert Chen' },
      { tag: 'dob', type: 'dob', value: '1975-07-02' },
      { tag: 'account', type: 'account', value: 'M1044829' },
      { tag: 'address', type: 'address', value: '472 Maple Avenue, Apt 3B, Springfield, IL 62704' },
      { tag: 'email', type: 'email', value: 'rchen75@example.com' },
      { tag: 'phone', type: 'phone', value: '217-555-0168' },
    ],
    summaries: [
      {
        variant: 'faithful',
        flaw: '',
        body: {
          summary: s('The customer is moving and asked to update his address from the first of next month. The agent scheduled the address change and updated the email and phone number. A confirmation letter will arrive at the new address within ten days.'),
          headline: s('Address, email and phone updated'),
          reason: s('Moving house'),
          resolution: { text: 'Address change scheduled for the first of next month', resolutionValue: 'Resolved', score: 0.91 },
          followupActions: [s('Confirmation letter within ten days', 0.8)],
          extractedEntities: [{ label: 'effective', value: 'first of next month' }],
        },
      },
      {
        variant: 'invented-entity',
        flaw: 'a $25 moving discount and "Premier" membership upgrade were never mentioned',
        body: {
          summary: s('The customer is moving and updated his address. The agent also applied a $25 moving discount and upgraded him to Premier membership.'),
          headline: s('Address updated and membership upgraded'),
          reason: s('Moving house'),
          resolution: { text: 'Address updated; Premier upgrade applied', resolutionValue: 'Resolved', score: 0.8 },
          followupActions: [s('Premier welcome pack to be mailed', 0.6)],
          extractedEntities: [
            { label: 'discount', value: '$25' },
            { label: 'tier', value: 'Premier' },
          ],
        },
      },
    ],
  },
];

/** Deterministic pseudo-random numbers (mulberry32) so generated scripts never change. */
function rng(seedText: string): () => number {
  let seed = 0;
  for (const ch of seedText) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) | 0;
  return seededRandom(seed);
}

const DIGIT_WORDS = new Set(['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']);

export function author(src: Source): ConversationScript {
  const random = rng(src.id);
  const utterances: ScriptUtterance[] = [];
  const tagged = new Map<string, string[]>();
  let clock = 800 + Math.round(random() * 400);
  let prev: string | undefined;
  src.turns.forEach((turn, index) => {
    const m = /^([AC])(\+|:)\s*(.*)$/.exec(turn);
    if (!m) throw new Error(`${src.id} turn ${index}: bad syntax "${turn}"`);
    const who = m[1] as 'A' | 'C';
    const continued = m[2] === '+';
    if (continued && prev !== who) throw new Error(`${src.id} turn ${index}: continuation of another speaker`);
    const tags = [...(m[3] as string).matchAll(/\{(\w+)\}/g)].map((t) => t[1] as string);
    const text = (m[3] as string).replace(/\{\w+\}/g, '').replace(/\s+/g, ' ').trim();
    clock += continued ? 550 + Math.round(random() * 300) : prev === undefined ? 0 : 450 + Math.round(random() * 700);
    const utteranceId = `${src.id}-u${String(index + 1).padStart(3, '0')}`;
    const start = clock;
    const words = text.split(' ').map((word) => {
      const digit = DIGIT_WORDS.has(word);
      const durationMs = digit ? 260 + Math.round(random() * 80) : Math.min(820, 120 + 55 * word.length + Math.round(random() * 60));
      const w = { word, offsetMs: clock, durationMs, confidence: Math.round((0.8 + random() * 0.19) * 1000) / 1000 };
      clock += durationMs + (digit ? 140 : 50) + Math.round(random() * 70);
      return w;
    });
    const last = words[words.length - 1] as { offsetMs: number; durationMs: number };
    clock = last.offsetMs + last.durationMs;
    const n = words.length;
    const partialCounts = n >= 3 ? [...new Set([Math.ceil(n / 3), Math.ceil((2 * n) / 3)])].filter((k) => k < n) : n === 2 ? [1] : [];
    const confidence = Math.round((words.reduce((a, w) => a + w.confidence, 0) / n) * 1000) / 1000;
    utterances.push({
      utteranceId,
      channel: who === 'A' ? 'INTERNAL' : 'EXTERNAL',
      offsetMs: start,
      durationMs: clock - start,
      transcript: text,
      confidence,
      words,
      partials: partialCounts.map((wordCount) => ({ wordCount })),
    });
    for (const tag of tags) tagged.set(tag, [...(tagged.get(tag) ?? []), utteranceId]);
    prev = who;
  });
  const speechIntervals: SpeechInterval[] = utterances.map((u) => ({
    channel: u.channel === 'INTERNAL' ? 'internal' : 'external',
    startMs: u.offsetMs,
    endMs: u.offsetMs + u.durationMs,
  }));
  const personalData: PersonalDataItem[] = src.personalData.map((p) => {
    const ids = tagged.get(p.tag);
    if (!ids) throw new Error(`${src.id}: personal data tag {${p.tag}} is used by no turn`);
    return { type: p.type, value: p.value, utteranceIds: ids };
  });
  return {
    id: src.id,
    title: src.title,
    language: 'en-US',
    queueName: src.queueName,
    agent: { name: src.agent },
    customer: { name: src.customer },
    durationMs: clock,
    utterances,
    speechIntervals,
    personalData,
    summaries: src.summaries,
  };
}

export function renderScript(src: Source): string {
  return `${JSON.stringify(author(src), null, 1)}\n`;
}

if (require.main === module) {
  for (const src of SOURCES) {
    writeFileSync(join(__dirname, `${src.id}.json`), renderScript(src));
    console.log(`wrote ${src.id}.json`);
  }
}
