import assert from 'node:assert/strict';
import { interceptorStatus } from '../../../lib/audiohook/status';

describe('audiohook interceptor status', () => {
  it('grey ring when idle, green dot with live sessions', () => {
    assert.deepEqual(interceptorStatus(0, 0), { fill: 'grey', shape: 'ring', text: '0 live' });
    assert.deepEqual(interceptorStatus(3, 0), { fill: 'green', shape: 'dot', text: '3 live' });
  });

  it('yellow while alerts are in the window, singular and plural', () => {
    assert.deepEqual(interceptorStatus(0, 1), { fill: 'yellow', shape: 'ring', text: '0 live, 1 alert/1m' });
    assert.deepEqual(interceptorStatus(2, 5), { fill: 'yellow', shape: 'dot', text: '2 live, 5 alerts/1m' });
  });
});
