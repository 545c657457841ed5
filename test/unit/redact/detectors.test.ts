import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Detector, PRESETS, detectEntities, spokenDigitView, type DetectedEntity, type DetectionCarry, type DetectionResult } from '../../../lib/redact';
import { loadCorpus } from './evaluate';

type DetectorOptionsArg = ConstructorParameters<typeof Detector>[0];

function spans(text: string, es: DetectedEntity[] = detectEntities(text)): string[] {
  return es.map((e) => `${e.type}:${text.slice(e.start, e.end)}`);
}

describe('redact detectors', () => {
  describe('spokenDigitView', () => {
    const cases: Array<[string, string]> = [
      ['four one one one', '4111'],
      ['double five triple nine', '55999'],
      ['oh eight twenty seven', '0827'],
      ['forty two', '42'],
      ['forty-two', '42'],
      ['forty oh five', '40 05'.replace(' ', '')],
      ['twelve twelve', '1212'],
      ['eight hundred five five five twelve twelve', '8005551212'],
      ['four hundred twelve', '412'],
      ['one hundred and five', '105'],
      ['quadruple one two', '11112'],
      ['five hundred and eight two two nine oh one seven', '508229017'], // "and" closes the number; "five hundred" once stayed beside the SSN
      ['two thousand five', '2005'],
      ['two thousand three hundred', '2300'],
      ['four one um five dash five', '4155'],
      ['415-555-2671', '4155552671'],
      ['(415) 555 2671', '4155552671'],
    ];
    for (const [text, digits] of cases) {
      it(`reads "${text}" as ${digits}`, () => {
        const v = spokenDigitView(text);
        assert.equal(v.runs.length, 1, JSON.stringify(v.runs.map((r) => r.digits)));
        assert.equal(v.runs[0].digits, digits);
      });
    }
    it('maps every digit back to the word it came from', () => {
      const text = 'my number is four one five, double five';
      const v = spokenDigitView(text);
      assert.equal(v.digits, '41555');
      assert.deepEqual(
        v.offsets.map(([s, e]) => text.slice(s, e)),
        ['four', 'one', 'five', 'double five', 'double five'],
      );
      assert.deepEqual(v.sourceRange(0, 5), { start: text.indexOf('four'), end: text.length });
    });
    it('does not read "oh" or "o" alone as zero', () => {
      assert.equal(spokenDigitView('oh okay, j o h n').runs.length, 0);
    });
    it('keeps runs apart when words other than fillers separate them', () => {
      assert.deepEqual(spokenDigitView('one cat and two more').runs.map((r) => r.digits), ['1', '2']);
      // "one sec", "one moment" is a pause, not a digit ("4111 one sec 1111 ..." read 41111).
      assert.deepEqual(spokenDigitView('one moment and two more').runs.map((r) => r.digits), ['2']);
      assert.deepEqual(spokenDigitView('4111 one sec 1111 1111 1111').runs.map((r) => r.digits), ['4111', '111111111111']);
    });
  });

  describe('written and spoken forms', () => {
    const positives: Array<[string, string[]]> = [
      ['my card number is 4111 1111 1111 1111 and cvv 123', ['CARD:4111 1111 1111 1111', 'CVV:123']],
      ['it is four one one one one one one one one one one one one one one one', ['CARD:four one one one one one one one one one one one one one one one']],
      ['my social is 536-22-9017', ['SSN:536-22-9017']],
      ['call me at (415) 555-2671 please', ['PHONE:(415) 555-2671']],
      ['reach me on four one five five five five two six seven one', ['PHONE:four one five five five five two six seven one']],
      ['my email is john dot smith at gmail dot com', ['EMAIL:john dot smith at gmail dot com']],
      // A full stop after the address once read as one more "dot" and lost it.
      ['send it to liam dot rossi at company dot net. it is urgent', ['EMAIL:liam dot rossi at company dot net']],
      ['send it to Jane.Doe+x@mail.example.org', ['EMAIL:Jane.Doe+x@mail.example.org']],
      ['my iban is GB82 WEST 1234 5698 7654 32 thanks', ['IBAN:GB82 WEST 1234 5698 7654 32']],
      // Apart from its check digits, or with double spaces, where an IBAN was mentioned ("GB 82 WEST" once stayed).
      ['my iban is GB 82 WEST 1234 5698 7654 32', ['IBAN:GB 82 WEST 1234 5698 7654 32']],
      ['iban GB82  WEST  1234  5698  7654  32', ['IBAN:GB82  WEST  1234  5698  7654  32']],
      // With dashes ("GB82-WEST-" once stayed), anywhere: the check digits decide.
      ['GB82-WEST-1234-5698-7654-32', ['IBAN:GB82-WEST-1234-5698-7654-32']],
      ['my iban is GB 82-WEST-1234-5698-7654-32 ok', ['IBAN:GB 82-WEST-1234-5698-7654-32']],
      ['the ip is 10.20.30.40', ['IP:10.20.30.40']],
      ['server at 2001:db8::8a2e:370:7334', ['IP:2001:db8::8a2e:370:7334']],
      ['my date of birth is 03/14/1985', ['DOB:03/14/1985']],
      ['expiry oh eight twenty seven and the security code is one two three', ['EXPIRY:oh eight twenty seven', 'CVV:one two three']],
      ['my zip code is nine oh two one oh', ['ZIP:nine oh two one oh']],
      ['policy number 12345678', ['ACCOUNT:12345678']],
      ['I live at 123 Main Street apartment 4b', ['ADDRESS:123 Main Street apartment 4b']],
      ['my name is john smith and I need help', ['NAME:john smith']],
      ['that is S M I T H', ['NAME:S M I T H']],
      // A middle initial, or the first name spelled, stays inside the introduced name.
      ['my name is robert j. chen and I need help', ['NAME:robert j. chen']],
      ['My name is J. Robert Chen', ['NAME:J. Robert Chen']],
      ['my name is r o b e r t chen', ['NAME:r o b e r t chen']],
      // A word said, then spelled: the word is the name too, with the name words before it.
      ['this is dana whitfield, w h i t f i e l d', ['NAME:dana whitfield', 'NAME:w h i t f i e l d']],
      ["the surname is chen, that's c h e n", ['NAME:chen', 'NAME:c h e n']],
    ];
    for (const [text, want] of positives) {
      it(`finds ${want.join(', ')}`, () => assert.deepEqual(spans(text), want));
    }
  });

  describe('false positives', () => {
    const negatives = [
      'it costs $1,250 and I ordered 25 units at 10:30',
      'one moment please',
      'the card ending in four two four two',
      'we were founded in 2019',
      'twenty twenty four was a good year',
      'your appointment is on March 14, 2026 at two thirty',
      'I have two kids and three dogs',
      'that will be forty nine ninety nine',
      'the order shipped on 12/05/2026',
      'we sold 1,000 units and 6,000 more',
      'the balance is 1,250.75 and the fee 12.50',
      // A year listed after another, even ending the text (a group there may be a number's start).
      'I lived there in 2019 and 2020',
      'it was 2019 or 2020',
      'from 2019 to 2021',
      'in 2019, 2020 and 2021',
      'the years 1984 1985 1986 1987',
      // What is said about a card, an account or a phone mentioned, not its number.
      'my card was charged 45.99',
      'I got a credit of 20.50',
      'the account balance is 1,250.75',
      'the account was opened in 2019',
      'my card is 4111 1111 1111 1112',
    ];
    for (const text of negatives.slice(0, -1)) it(`keeps "${text}"`, () => assert.deepEqual(spans(text), []));
    it('reports a Luhn-invalid number in card context by its context, never as checksum-validated', () => {
      const es = detectEntities(negatives[negatives.length - 1]);
      assert.equal(es.length, 1);
      assert.notEqual(es[0].type, 'SSN');
      assert.equal(es[0].reason.startsWith('luhn'), false);
    });
  });

  // Each of these once left the number in the clear: a word or mark beside it made it look safe.
  describe('numbers beside words that make others safe', () => {
    const cases: Array<[string, string, DetectorOptionsArg?]> = [
      ['4111 1111 1111 1111: is that right?', 'CARD:4111 1111 1111 1111'], // a colon read as a clock's
      ['call 415 555 2671:', 'PHONE:415 555 2671'],
      ['my social is 536 22 9017: okay', 'SSN:536 22 9017'],
      ['the appointment is on march 5 4111 1111 1111 1111', 'CARD:4111 1111 1111 1111'], // taken for the date's year
      ['on January 3rd 1980 4111111111111111', 'CARD:4111111111111111'],
      ['on march 5 536 22 9017', 'NUMBER:5 536 22 9017'], // "march" made the run 5536229017 a day
      ['0 4111111111111111 GB82 WEST 1234 5698 7654 32', 'CARD:4111111111111111'], // "GB": gigabytes
      ['twenty 4111 1111 1111 1111', 'CARD:4111 1111 1111 1111', { spoken: false }], // a number word joined the run
      ['card \ud8004111111111111111', 'CARD:4111111111111111'], // a lone high surrogate took the "4" with it
      ['ending in 4242 and 1881', 'NUMBER:1881'], // a last-four phrase kept every short run within six words
      ['the area code is 415 and the number is 555 2671', 'PHONE:415'], // three digits alone were speech
    ];
    for (const [text, want, options] of cases) {
      it(`finds ${want} in "${text}"${options ? ' without spoken forms' : ''}`, () => {
        const d = new Detector(options);
        assert.ok(spans(text, d.detect(text).entities).includes(want), JSON.stringify(spans(text, d.detect(text).entities)));
      });
    }
    it('still keeps clock times, dates and amounts', () => {
      for (const text of ['can we do 10:30 tomorrow', 'the store opens at 9:05', 'the parcel arrives march 5 2026', 'june the third nineteen eighty five', 'it is 12,500,000 dollars']) {
        assert.deepEqual(spans(text), [], text);
      }
    });
    it('reads a date in words no further than its day and year', () => {
      // The date ends at its year, "thirty seven": the run "thirty seven zero ten" goes on past it, so
      // the date no longer explains it and it is read as the card's digits (it once all went as a date).
      const text = 'the card is march fifth thirty seven zero ten';
      assert.deepEqual(spans(text), ['CARD:thirty seven zero ten']);
    });
  });

  // A detector that was off (the payment-cards preset) or scored below the threshold once still
  // claimed its span: a card read as an address's house number, an address's local part or a custom
  // pattern's match was then left in the clear.
  describe('detectors that are off or below the threshold hide no card', () => {
    const pci = { entities: PRESETS.pci };
    const cases: Array<[string, string, DetectorOptionsArg]> = [
      ['my card is 4111 1111 1111 1111 main st', 'CARD:4111 1111 1111 1111', pci],
      ['my card is 4111 1111 1111 1111 main st', 'CARD:4111 1111 1111 1111', { threshold: 0.8 }],
      ['4111 1111 1111 1111 @gmail.com', 'CARD:4111 1111 1111 1111', pci],
      ['four one one one one one one one one one one one one one one one at gmail dot com', 'CARD:four one one one one one one one one one one one one one one one', pci],
      ['my card is 4111111111111111', 'CARD:4111111111111111', { ...pci, customPatterns: [{ name: 'REF', pattern: '\\d{12,}' }] }],
      // The digits read in one run with a card are as sure as the card (0.8 once, below this threshold).
      ['last four 5556 9983 0757 5680', 'NUMBER:5680', { threshold: 0.85 }],
    ];
    for (const [text, want, options] of cases) {
      it(`finds ${want} in "${text}" with ${JSON.stringify(options)}`, () => {
        assert.ok(spans(text, new Detector(options).detect(text).entities).includes(want), JSON.stringify(spans(text, new Detector(options).detect(text).entities)));
      });
    }
  });

  // A number read in groups with words between them: each group alone is a short number, and all of
  // them once passed (a card's groups were four digits each in the clear).
  describe('numbers read in groups with words between them', () => {
    const cases: Array<[string, string]> = [
      ['4111 and 1111 and 1111 and 1111', 'CARD:4111 and 1111 and 1111 and 1111'],
      ["it's 4111, 1111, 1111, 1111", 'CARD:4111, 1111, 1111, 1111'],
      ['my social is 536 and 22 and 9017', 'SSN:536 and 22 and 9017'],
      ['five three six and twenty two and ninety and seventeen', 'SSN:five three six and twenty two and ninety and seventeen'],
      ['4111 hold on 1111 um 1111 let me see 1111', 'CARD:4111 hold on 1111 um 1111 let me see 1111'],
      ['call 415 and 555 and 2671', 'PHONE:415 and 555 and 2671'],
      ['the card is 4000 and 1234 and 5678 and 9017 dollars', 'CARD:4000 and 1234 and 5678 and 9017'], // asked for: a card, whatever follows
      // A reader's corrections and hesitations between the groups (each group alone stayed).
      ['it is 6011 well 5093 well 8769 wait 6770 sorry', 'CARD:6011 well 5093 well 8769 wait 6770'],
      ['so 4111 I mean 1111 or 1111 actually 1111 thanks', 'CARD:4111 I mean 1111 or 1111 actually 1111'],
      // An SSN's area and group read as one spoken run (cut after the area, as an SSN is read).
      ['yeah one two oh 87 I mean 4707 I think', 'SSN:one two oh 87 I mean 4707'],
      ['let me see three seven four, 64 then 1466 thanks', 'SSN:three seven four, 64 then 1466'],
      ['five three six two two and 9017', 'SSN:five three six two two and 9017'],
      ['six seven one ninety four then oh three seventy eight', 'SSN:six seven one ninety four then oh three seventy eight'],
      // Zeros read as "o" are no name spelled letter by letter.
      ['4867 7640 wait 5490 well o o o one', 'CARD:4867 7640 wait 5490 well o o o one'],
      ['5500 let me see o o o o I mean 1100 0001 thanks', 'CARD:5500 let me see o o o o I mean 1100 0001'],
    ];
    for (const [text, want] of cases) it(`finds ${want}`, () => assert.deepEqual(spans(text), [want]));
    it('reads no amount that starts with a zero', () => {
      // An SSN read in pairs with "twenty, one" heard as twenty-one (7 digits), before "dollars": no price
      // starts with a zero (found by the split-numbers property with a random seed).
      assert.deepEqual(spans('nine thirty a m dollars zero zero twenty one zero ninety one dollars'), ['NUMBER:zero zero twenty one zero ninety one']);
      assert.deepEqual(spans('it was 0.50 dollars'), []);
    });
    it('reads six or seven digits said without "hundred" or "thousand" as a number read out, whatever follows', () => {
      // SSNs read in pairs with "fifty, one" heard as fifty-one: 7 digits before a quantity word or '%'
      // stayed (found by the split-numbers property).
      assert.deepEqual(spans('fifty one eighty one uh zero uh zero uh zero GB'), ['NUMBER:fifty one eighty one uh zero uh zero uh zero']);
      assert.deepEqual(spans('one five twenty one thirty one uh zero %'), ['NUMBER:one five twenty one thirty one uh zero']);
      for (const text of ['about three hundred thousand units', 'one million two hundred thousand dollars', 'forty nine ninety nine dollars']) assert.deepEqual(spans(text), [], text);
    });
    it('keeps numbers that do not pass a check together, and amounts', () => {
      // The last: the same digits as a valid card, said as an amount with nothing asking for a number.
      for (const text of [
        'I have 12 and 15', 'we sold 4000 and 4500 and 5000 and 6000 units', 'rooms 101 and 102 and 103', 'that was 4000 and 1234 and 5678 and 9017 dollars',
        // Corrections join only groups that pass a check, or where a number is expected.
        'the error was 404 or 500', 'maybe 500 or 600 well 700', 'it was 120 or 130 dollars', 'channel 205 or 206',
      ]) {
        assert.deepEqual(spans(text), [], text);
      }
    });
  });

  // Typed text separates a number's groups with any mark; each of these left all but the last group.
  describe('numbers written with other marks between their groups', () => {
    const cases: Array<[string, string]> = [
      ['4111_1111_1111_1111', 'CARD:4111_1111_1111_1111'],
      ['4111/1111/1111/1111', 'CARD:4111/1111/1111/1111'],
      ['card 4111*1111*1111*1111 thanks', 'CARD:4111*1111*1111*1111'],
      ['4111|1111|1111|1111', 'CARD:4111|1111|1111|1111'],
      ['4111 · 1111 · 1111 · 1111', 'CARD:4111 · 1111 · 1111 · 1111'],
      ['ssn 536/22/9017', 'SSN:536/22/9017'],
      ['ssn 536\u221222\u22129017', 'SSN:536\u221222\u22129017'], // Unicode minus signs
      ['call 415_555_2671', 'PHONE:415_555_2671'],
      // Spaced marks, a quantity word after: one written number, no amount (the whole card stayed).
      ['4111 / 1111 / 1111 / 1111 GB', 'CARD:4111 / 1111 / 1111 / 1111'],
      // Groups inside a run are cuts of the layout: "234 37" and "713,494" are one run each.
      ['234 37 / 9234 thanks', 'SSN:234 37 / 9234'],
      ['713,494/7453', 'PHONE:713,494/7453'],
      ['801 691 okay 4044 thanks', 'PHONE:801 691 okay 4044'],
      // Pauses with marks between them, and a number word after the last group.
      ['4459, so, 2225, hold, on, 5160, 5452', 'CARD:4459, so, 2225, hold, on, 5160, 5452'],
      ['5562 wait 0069 8127 2459 one', 'CARD:5562 wait 0069 8127 2459 one'], // (the "one" ending the text is a number that may go on)
      ['4111 one sec 1111 1111 1111', 'CARD:4111 one sec 1111 1111 1111'],
      ['3713 so 450728 one sec 98646', 'CARD:3713 so 450728 one sec 98646'],
      // A chain that goes further wins over one that passes sooner by chance (530 204000, an SSN).
      ['around five thirty okay twenty 4000/0000/0000/0002', 'CARD:twenty 4000/0000/0000/0002'],
      // ...but not one that covers fewer digits (6041 6142 3549 930 passes too, by chance).
      ['4735/6041/6142/3549 okay nine thirty a m', 'CARD:4735/6041/6142/3549'],
      // A group and serial that read as a month and year: "11/6139" is no date, "11/2029" after an
      // SSN's area is its next groups (the serial stayed).
      ['363 11/6139', 'SSN:363 11/6139'],
      ['363 11/2029', 'SSN:363 11/2029'],
      // Ten digits or more in groups joined by marks are one written number, as with spaces between
      // them, though no check passes and a quantity word follows (a card's first groups stayed).
      ['2552/2622/9647 units', 'NUMBER:2552/2622/9647'],
      ['2552 ^2622 ^9647 units', 'NUMBER:2552 ^2622 ^9647'],
      // Spoken groups too ("six four six" stayed).
      ["six four six'431'2483 GB", "NUMBER:six four six'431'2483"],
      // Other hyphens and full-width dashes join groups as '-' does, and an SSN's layout reads them as '-'.
      ['3538/2226\u2010 two', 'NUMBER:3538/2226\u2010 two'],
      ['ssn 536\uff0d22\uff0d9017 thanks', 'SSN:536\uff0d22\uff0d9017'],
      ['536\u201322\u20139017 ok', 'SSN:536\u201322\u20139017'],
      ['ssn 536\u05be22\u05be9017', 'SSN:536\u05be22\u05be9017'], // Hebrew maqaf
    ];
    for (const [text, want] of cases) it(`finds ${want}`, () => assert.deepEqual(spans(text), [want]));
    it('redacts a chain that covers as many digits as a later one with it', () => {
      // 2221 0000 0003 1111 passes as a card too, and once won: 4222 stayed.
      assert.deepEqual(spans('4222/2221/0000/0003 / 1111'), ['CARD:4222', 'CARD:2221/0000/0003 / 1111']);
      // After a card, whatever the later chain covers (6000 0000 0001 42 1111 passes as an 18-digit card).
      assert.deepEqual(spans('6011/6000/0000/0001 : forty two 1111'), ['CARD:6011', 'CARD:6000/0000/0001 : forty two 1111']);
    });
    it('ends a chain at another value', () => {
      // "192.168.0.1 1111" is one run: 500000 00008 192 168 passes as a 17-digit card by chance, went
      // further than the card before it, and won (found by the split-numbers property: 3714 stayed).
      assert.deepEqual(spans('3714/500000/00008 okay 192.168.0.1 1111'), ['CARD:3714/500000/00008', 'NUMBER:192.168.0.1 1111']);
      // A chain still takes the first groups of a run that goes on with another value.
      assert.deepEqual(spans('4000/0000/0000/0002 192.168.0.1'), ['CARD:4000/0000/0000/0002 192.168.0.1']);
      assert.deepEqual(spans('001/01/0001 forty two march 5'), ['SSN:001/01/0001 forty two']);
    });
    it('keeps an expiry after a card and where an expiry is asked for', () => {
      assert.deepEqual(spans('4111 1111 1111 1111 exp 11/2029'), ['CARD:4111 1111 1111 1111', 'EXPIRY:11/2029']);
      assert.deepEqual(spans('expiry 3105 07/28'), ['EXPIRY:3105 07/28']);
    });
    it('keeps dates, times, versions and amounts', () => {
      for (const text of ['see you 12/29/2030 at 10:30', 'the office opened 11/2019', 'in 2 11/2029', 'version 4.11.1111 is out', 'that is $4111 $1111 $1111 $1111', 'rooms 101/102/103', 'the score was 4111:1111 last night', 'hold on one sec', 'that is $12 50']) {
        assert.deepEqual(spans(text), [], text);
      }
    });
  });

  // Digits of other scripts, typed by customers in messaging ("٤١١١", full-width "４１１１"): every
  // number detector reads them; they once passed untouched.
  describe('digits of other scripts', () => {
    const cases: Array<[string, string]> = [
      ['my card is ４１１１ １１１１ １１１１ １１１１', 'CARD:４１１１ １１１１ １１１１ １１１１'], // full-width
      ['رقم البطاقة ٤١١١ ١١١١ ١١١١ ١١١١ شكرا', 'CARD:٤١١١ ١١١١ ١١١١ ١١١١'], // Arabic-Indic
      ['card ۴۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱', 'CARD:۴۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱'], // Extended Arabic-Indic (Persian)
      ['ssn ५३६-२२-९०१७', 'SSN:५३६-२२-९०१७'], // Devanagari
      ['card 𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏 ok', 'CARD:𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏'], // beyond the BMP: two UTF-16 units a digit
      ['call ４１５ ５５５ ２６７１', 'PHONE:４１５ ５５５ ２６７１'],
    ];
    for (const [text, want] of cases) it(`finds ${want}`, () => assert.deepEqual(spans(text), [want]));
    it('keeps short numbers of other scripts as it keeps ASCII ones', () => {
      for (const text of ['it costs ٤٠ dollars', 'room ４０２ please', 'in ٢٠٢٤ we moved']) assert.deepEqual(spans(text), [], text);
    });
  });

  // Addresses said with some parts written, as engines that format speech write them. Each once left
  // part of the address, or all of it, in the clear.
  describe('emails with spoken and written parts', () => {
    const cases: Array<[string, string]> = [
      ['my email is anna at gmail.com', 'EMAIL:anna at gmail.com'],
      ['anna at gmail.com', 'EMAIL:anna at gmail.com'], // a mailbox provider: an address without being asked for
      ["it's anna.lee at gmail dot com", 'EMAIL:anna.lee at gmail dot com'], // "anna." was left
      ['anna_lee at gmail dot com', 'EMAIL:anna_lee at gmail dot com'],
      ['j.smith at yahoo dot com', 'EMAIL:j.smith at yahoo dot com'],
      ["it's anna.lee at acme.com", 'EMAIL:anna.lee at acme.com'],
      ['email anna.lee@gmail dot com', 'EMAIL:anna.lee@gmail dot com'],
      ["it's anna dot lee@gmail.com", 'EMAIL:anna dot lee@gmail.com'], // "anna dot" was left
      ['send to anna at my-company dot com', 'EMAIL:anna at my-company dot com'],
      ['john dot smith at acme dot ai', 'EMAIL:john dot smith at acme dot ai'], // endings beyond the first list
      ['mike dot lee at hotmail', 'EMAIL:mike dot lee at hotmail'], // a provider said without ".com"
      ['my email is anna at gmail', 'EMAIL:anna at gmail'],
      // Words said apart, where an address is expected or at a mailbox provider ("john" stayed).
      ['my email is john smith at gmail dot com', 'EMAIL:john smith at gmail dot com'],
      ["okay it's mary jane smith at outlook dot com", 'EMAIL:mary jane smith at outlook dot com'],
      // As engines write some addresses: a provider's first letter apart, the sign's name said.
      ['my email is anna at g mail dot com', 'EMAIL:anna at g mail dot com'],
      ['my email is anna at g mail', 'EMAIL:anna at g mail'],
      ['anna dot lee at sign gmail dot com', 'EMAIL:anna dot lee at sign gmail dot com'],
    ];
    for (const [text, want] of cases) it(`finds ${want}`, () => assert.deepEqual(spans(text), [want]));
    it('keeps places and sites that are not addresses', () => {
      for (const text of ['look at google.com for it', "i'm at walmart.com right now", 'meet me at home.com', 'we met at st.louis airport', 'anna at acme.com', "i'm at yahoo right now", 'we are at gmail headquarters', 'I met john smith at the mall', 'meet me at g street', "it's at sign road"]) {
        assert.deepEqual(spans(text), [], text);
      }
    });
    it('takes a written domain that is not a mailbox provider where an email was asked for', () => {
      assert.deepEqual(spans('sure it is anna at acme.com', new Detector().detect('sure it is anna at acme.com', { contexts: new Set(['EMAIL']) }).entities), ['EMAIL:anna at acme.com']);
    });
  });

  describe('SSN rules', () => {
    for (const bad of ['000-12-3456', '666-12-3456', '912-12-3456', '123-00-4567', '123-45-0000', '123-45 6789']) {
      it(`rejects ${bad} as an SSN`, () => assert.equal(detectEntities(bad).some((e) => e.type === 'SSN'), false));
    }
  });

  describe('options', () => {
    it('respects per-entity switches', () => {
      const d = new Detector({ entities: ['EMAIL'] });
      assert.deepEqual(spans('card 4111111111111111 mail a@b.co', d.detect('card 4111111111111111 mail a@b.co').entities), ['EMAIL:a@b.co']);
    });
    it('uses the default region for national phone numbers', () => {
      const gb = new Detector({ defaultRegion: 'GB' });
      const text = 'ring me on 020 7946 0958';
      assert.deepEqual(spans(text, gb.detect(text).entities), ['PHONE:020 7946 0958']);
    });
    it('honours the allow list and deny list', () => {
      const d = new Detector({ allowList: ['(415) 555-2671'], denyList: ['Project Falcon'] });
      const text = 'call (415) 555-2671 about project falcon';
      assert.deepEqual(spans(text, d.detect(text).entities), ['CUSTOM:project falcon']);
    });
    it('runs safe custom patterns and rejects dangerous ones', () => {
      const d = new Detector({ customPatterns: [{ name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}' }] });
      const text = 'badge emp-123456 ok';
      const es = d.detect(text).entities;
      assert.deepEqual(spans(text, es), ['CUSTOM:emp-123456']);
      assert.equal(es[0].label, 'EMPLOYEE_ID');
      for (const pattern of ['(a+)+$', '(\\d|\\d\\d)*x', '(x)\\1', '(?:a*)*', 'a*']) {
        assert.throws(() => new Detector({ customPatterns: [{ name: 'BAD', pattern }] }), /UNSAFE|nested|backreference|empty/i, pattern);
      }
    });
    it('keeps "ending in" only while the setting is on', () => {
      const text = 'the card ending in four two four two';
      assert.equal(new Detector({ keepLastFour: false }).detect(text).entities.length, 1);
    });
  });
});

/** The fast path and the full analysis said the same about text t. */
function assertSameDecision(a: DetectionResult, b: DetectionResult, t: string): void {
  assert.deepEqual(a.entities, b.entities, t);
  assert.deepEqual([...a.contexts], [...b.contexts], t);
  assert.equal(a.substantive, b.substantive, t);
  assert.equal(a.digitish, b.digitish, t);
  assert.deepEqual(a.trailing, b.trailing, t);
}

describe('fast path', () => {
  it('gives the same result as the full analysis on every corpus text', () => {
    const fast = new Detector();
    // A deny word that never matches turns the fast path off without changing anything else.
    const full = new Detector({ denyList: ['zzqqxxnevermatches'] });
    const texts = loadCorpus().conversations.flatMap((c) => c.utterances.map((u) => u.text));
    texts.push('march fifth', 'the third of may', 'hello there', 'okay', 'mhm go on', 'sorry what', 'I am fine thanks', 'fe80::1:2:3', 'a b c d', 'Ünïcödé wörds only');
    let fastPathed = 0;
    const carries: DetectionCarry[] = [{}, { contexts: new Set(['DOB']) }, { contexts: new Set(['CARD', 'NUMBER']) }, { pending: { type: 'CARD', digits: '411111' } }];
    for (const [n, t] of texts.entries()) {
      const carry = carries[n % carries.length];
      const a = fast.detect(t, carry);
      assertSameDecision(a, full.detect(t, carry), t);
      if (a.entities.length === 0 && a.contexts.size === 0 && !a.digitish) fastPathed++;
    }
    assert.ok(fastPathed > 100);
  });

  // The fast path decides on the tokenizer's hand-written summary (prefilter.ts): random texts from
  // words near its edges (triggers, their prefixes and suffixes, apostrophes, hex-like colons,
  // spelled letters, non-ASCII) must get exactly what the full analysis gives, with and without
  // carried state.
  it('gives the same result as the full analysis on random texts (property)', () => {
    const fast = new Detector();
    const full = new Detector({ denyList: ['zzqqxxnevermatches'] });
    const words = [
      'hello', 'thanks', 'okay', 'mhm', 'go', 'on', 'sorry', 'what', 'the', 'a', 'i', "i'm", "i'd", 'my', 'name', "name's", 'is', 'this', 'speaking',
      'with', 'call', 'me', 'card', 'cards', 'scard', 'number', 'numbers', 'one', 'ones', 'tone', 'oh', 'o', 'double', 'twenty', 'hundred',
      'march', 'may', 'fifth', 'third', 'at', 'dot', 'com', 'gmail', 'acme', 'anna', 'street', 'ave', 'zip', 'code', 'security', 'back', 'email', 'e', 'mail',
      'social', 'ssn', 'date', 'of', 'birth', 's', 'm', 'j', 'x', 'fe', 'ab:cd', 'a:b', '12', '7', '@', 'x@y', 'Ünï', 'café', 'naïve', 'o’clock', '+', '$', '½', '٣', '😀', '€',
      "o'clock", 'don’t', 'under_score', 'Mr', 'mr.', 'Dr', 'John', 'SMITH', 'Card', 'ONE', 'Oh', 'live', 'text', 'good', 'valid', 'thru',
    ];
    const separators = [' ', ' ', ' ', ', ', '. ', '.', '-', '  ', '? ', '\t', "'", ''];
    const text = fc.array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(...separators)), { minLength: 1, maxLength: 12 }).map((parts) => parts.map(([w, sep]) => w + sep).join(''));
    const carry = fc.constantFrom<DetectionCarry>({}, { contexts: new Set(['DOB']) }, { contexts: new Set(['CARD', 'NUMBER']) }, { pending: { type: 'CARD', digits: '411111' } });
    fc.assert(
      fc.property(text, carry, (t, c) => {
        assertSameDecision(fast.detect(t, c), full.detect(t, c), t);
      }),
      process.env.PROPERTY_RUNS ? { numRuns: Number(process.env.PROPERTY_RUNS) } : { numRuns: 2000, seed: 20261121 },
    );
  });
});
