import { strict as assert } from 'node:assert';
import { dialogNumber } from '../../../lib/util/dialog';
import { InputError } from '../../../lib/util/errors';

describe('dialogNumber', () => {
  it('reads numbers as the dialog stores them, blank as the default', () => {
    assert.equal(dialogNumber('12', 'n', 1, 0, 100), 12);
    assert.equal(dialogNumber(' 2.5 ', 'n', 1, 0, 100), 2.5);
    assert.equal(dialogNumber(7, 'n', 1, 0, 100), 7);
    for (const blank of [undefined, null, '']) assert.equal(dialogNumber(blank, 'n', 9, 0, 100), 9);
  });

  it('refuses anything else with the field, the range and the value, under the caller code', () => {
    for (const bad of ['abc', '  ', true, {}, [], NaN, Infinity, -1, 101, '1e9']) {
      assert.throws(
        () => dialogNumber(bad, 'maxQueue', 9, 0, 100, 'AUDIT_BAD_CONFIG'),
        (e: unknown) => e instanceof InputError && e.code === 'AUDIT_BAD_CONFIG' && e.path === 'maxQueue' && /^maxQueue must be a number from 0 to 100 \(got /.test(e.message),
        String(bad),
      );
    }
    assert.throws(() => dialogNumber('x', 'n', 1, 0, 1), (e: unknown) => e instanceof InputError && e.code === 'INVALID_CONFIG');
  });
});
