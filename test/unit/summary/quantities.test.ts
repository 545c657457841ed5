import assert from 'node:assert/strict';
import { extractQuantities, type Quantity } from '../../../lib/summary/quantities';
import { tokenize } from '../../../lib/summary/text';
import { indexTexts } from '../../../lib/summary/analysis';
import { groundText, DEFAULT_GROUNDING } from '../../../lib/summary/grounding';

function q(text: string): Array<Omit<Quantity, 'start' | 'end'> & { text: string }> {
  return extractQuantities(tokenize(text)).map(({ start, end, ...rest }) => ({ ...rest, text: text.slice(start, end) }));
}

/** Kinds of the summary's ungrounded quantities against one source text. */
function ungrounded(source: string, summary: string): string[] {
  return groundText('summary', summary, indexTexts([source]), { ...DEFAULT_GROUNDING, entities: false, support: false, negation: false }).map((u) => `${u.kind}:${u.span}`);
}

describe('summary quantities', () => {
  it('reads written and spoken amounts the same way', () => {
    assert.deepEqual(q('ten dollars and fifty cents')[0]?.value, 10.5);
    assert.deepEqual(q('$10.50')[0]?.value, 10.5);
    assert.equal(q('$1,200')[0]?.value, 1200);
    assert.equal(q('one hundred and twenty nine dollars ninety nine')[0]?.value, 129.99);
    assert.equal(q('fifty cents')[0]?.value, 0.5);
    assert.equal(q('a 15% discount')[0]?.kind, 'percent');
    assert.equal(q('fifteen percent')[0]?.value, 15);
  });

  it('reads dates in month-day, ordinal, slash and ISO forms', () => {
    for (const text of ['March 3rd', 'march third', 'the third of March', '3/3', 'Mar. 3', '2026-03-03', 'March 3, 2026']) {
      const d = q(text)[0];
      assert.equal(d?.kind, 'date', text);
      assert.equal(d?.month, 3, text);
      assert.equal(d?.day, 3, text);
    }
    assert.equal(q('the third of march twenty twenty six')[0]?.year, 2026);
    assert.equal(q('May I have your name?').length, 0, '"May I" is not a month');
    assert.equal(q('on Monday')[0]?.weekday, 1);
  });

  it('reads times and durations, including ranges', () => {
    assert.deepEqual([q('3:30 PM')[0]?.hour, q('3:30 PM')[0]?.minute], [15, 30]);
    assert.deepEqual([q('three thirty in the afternoon')[0]?.hour, q('three thirty in the afternoon')[0]?.minute], [15, 30]);
    assert.equal(q('seven fifteen tomorrow morning')[0]?.hour, 7);
    assert.equal(q('noon')[0]?.hour, 12);
    const range = q('between 2 and 4 pm');
    assert.deepEqual(range.map((r) => r.hour), [14, 16]);
    const days = q('five to seven business days');
    assert.deepEqual(days.map((d) => [d.kind, d.count]), [['duration', 5], ['duration', 7]]);
    assert.equal(q('two weeks')[0]?.value, q('14 days')[0]?.value);
    assert.equal(q('half an hour')[0]?.value, 1800);
    assert.equal(q('an hour and a half')[0]?.value, 5400);
  });

  it('keeps every reading of a spoken digit run', () => {
    const run = q('nineteen ninety nine')[0];
    assert.equal(run?.value, 1999);
    assert.deepEqual(run?.alternatives, [19, 99, 19.99]);
    assert.equal(q('four five two one')[0]?.value, 4521);
    assert.equal(q('nine and a half')[0]?.value, 9.5);
  });

  it('grounds normalised equals and rejects changed values', () => {
    assert.deepEqual(ungrounded('I was charged ten dollars on march third', 'A $10 charge on 3/3.'), []);
    assert.deepEqual(ungrounded('I was charged ten dollars on march third', 'A $12 charge on 3/3.'), ['amount:$12']);
    assert.deepEqual(ungrounded('I was charged ten dollars on march third', 'A $10 charge on March 13th.'), ['date:March 13th']);
    assert.deepEqual(ungrounded('it takes two weeks', 'It takes 14 days.'), []);
    assert.deepEqual(ungrounded('it takes two weeks', 'It takes 10 days.'), ['duration:10 days']);
    assert.deepEqual(ungrounded('a fifteen percent discount', 'A 15% discount.'), []);
    assert.deepEqual(ungrounded('call back at three pm', 'Callback at 3:00 PM.'), []);
    assert.deepEqual(ungrounded('call back at three pm', 'Callback at 3 AM.'), ['time:3 AM']);
    assert.deepEqual(ungrounded('the copay is fifteen dollars', 'They own one car and the first visit is free.'), [], '"one" and "first" in prose are not claims');
  });

  it('asks that a value be said near what the sentence talks about', () => {
    const source = ['The copay is fifteen dollars.', 'Anything else?', 'No.', 'Okay.', 'My son is twelve years old and plays soccer.'].join('\n');
    assert.deepEqual(ungrounded(source, 'The copay is $15.'), []);
    assert.deepEqual(ungrounded(source, 'The copay is $12.'), ['amount:$12']);
  });
});
