import assert from 'node:assert/strict';
import { parseSimCliArgs } from '../../../lib/sim/cli-args';

describe('genesys-sim AudioHook options', () => {
  it('are absent unless --audiohook-url is given', () => {
    assert.equal(parseSimCliArgs([]).audiohook, undefined);
  });
  it('parse url, key, secret, calls and speed', () => {
    const o = parseSimCliArgs(['--audiohook-url', 'ws://127.0.0.1:1880/audiohook', '--audiohook-api-key', 'k', '--audiohook-secret', 'dGVzdA==', '--audiohook-calls', '3', '--audiohook-speed', '10']);
    assert.deepEqual(o.audiohook, { url: 'ws://127.0.0.1:1880/audiohook', apiKey: 'k', clientSecret: 'dGVzdA==', calls: 3, speed: 10 });
  });
  it('reject bad values with a readable message', () => {
    assert.throws(() => parseSimCliArgs(['--audiohook-url', 'http://x']), /ws:\/\/ or wss:\/\//);
    assert.throws(() => parseSimCliArgs(['--audiohook-url', 'ws://x/a', '--audiohook-calls', '0']), /audiohook-calls/);
    assert.throws(() => parseSimCliArgs(['--audiohook-url', 'ws://x/a', '--audiohook-speed', 'fast']), /audiohook-speed/);
    assert.throws(() => parseSimCliArgs(['--audiohook-url', 'ws://x/a', '--audiohook-secret', 'not base64!']), /base64/);
  });
});
