import assert from 'node:assert/strict';
import { audioOutputMode, endpointPath, interceptorOptionsFromDialog, InterceptorConfigError, type InterceptorEnvironment } from '../../../lib/audiohook/config';
import { InputError } from '../../../lib/util/errors';

const ENV: InterceptorEnvironment = { httpNodeRoot: '/', hasHttpServer: true, apiKey: 'test-api-key-not-real', clientSecret: 'dGVzdC1zZWNyZXQtbm90LXJlYWw=' };

function configError(fn: () => unknown): InterceptorConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InterceptorConfigError, `expected InterceptorConfigError, got ${String(err)}`);
    assert.ok(err instanceof InputError);
    assert.equal(err.code, 'INVALID_CONFIG');
    return err;
  }
  assert.fail('expected a configuration error');
}

describe('audiohook config (interceptor dialog)', () => {
  it('fills every default for a bare dialog', () => {
    const o = interceptorOptionsFromDialog({ path: 'audiohook' }, ENV);
    assert.deepEqual(o, {
      router: {
        path: '/audiohook',
        auth: { apiKey: ENV.apiKey, clientSecret: ENV.clientSecret },
        authFailure: 'session',
        maxSessions: 100,
        session: {
          acceptedFormats: ['PCMU'],
          idleTimeoutMs: 30_000,
          thresholds: { maxRttMs: 500, maxLossRatio: 0.01, maxJitterMs: 100, silenceSeconds: 30, lateFrameMs: 1000 },
        },
      },
      audioOutput: 'none',
      frameGroup: 1,
    });
  });

  it('takes dialog values given as strings or numbers, floors counts, and 0 disables a threshold', () => {
    const o = interceptorOptionsFromDialog(
      {
        path: '/ah/monitor/', authFailure: 'request', acceptPcmu: false, acceptL16: true, maxSessions: '7.9', idleTimeoutS: '2.5',
        maxRttMs: 0, maxLossRatio: '0.2', maxJitterMs: ' 40 ', silenceSeconds: '0', lateFrameMs: 250, audioOutput: 'raw', frameGroup: '5.7',
      },
      { ...ENV, httpNodeRoot: '/red/', clientSecret: '' },
    );
    assert.equal(o.router.path, '/red/ah/monitor');
    assert.equal(o.router.authFailure, 'request');
    assert.equal(o.router.auth.clientSecret, undefined, 'an empty secret means signatures are not used');
    assert.equal(o.router.maxSessions, 7);
    assert.deepEqual(o.router.session?.acceptedFormats, ['L16']);
    assert.equal(o.router.session?.idleTimeoutMs, 2500);
    assert.deepEqual(o.router.session?.thresholds, { maxRttMs: 0, maxLossRatio: 0.2, maxJitterMs: 40, silenceSeconds: 0, lateFrameMs: 250 });
    assert.equal(o.audioOutput, 'raw');
    assert.equal(o.frameGroup, 5);
  });

  it('takes the default for blank values', () => {
    const o = interceptorOptionsFromDialog({ path: 'a', maxSessions: '', idleTimeoutS: undefined, maxRttMs: '', maxLossRatio: '', frameGroup: '' }, ENV);
    assert.equal(o.router.maxSessions, 100);
    assert.equal(o.router.session?.idleTimeoutMs, 30_000);
    assert.deepEqual(o.router.session?.thresholds, { maxRttMs: 500, maxLossRatio: 0.01, maxJitterMs: 100, silenceSeconds: 30, lateFrameMs: 1000 });
    assert.equal(o.frameGroup, 1);
  });

  it('reports what keeps the endpoint from listening, with a short status text, in a fixed order', () => {
    assert.equal(configError(() => interceptorOptionsFromDialog({ path: '' }, { ...ENV, httpNodeRoot: false, hasHttpServer: false })).statusText, 'http nodes disabled');
    assert.equal(configError(() => interceptorOptionsFromDialog({ path: '' }, { ...ENV, hasHttpServer: false })).statusText, 'no HTTP server');
    const badPath = configError(() => interceptorOptionsFromDialog({ path: '/audio hook?x=1', acceptPcmu: false }, { ...ENV, apiKey: '' }));
    assert.equal(badPath.statusText, 'invalid path');
    assert.match(badPath.message, /path "\/audio hook\?x=1" is not a valid URL path/);
    assert.equal(badPath.path, 'path');
    assert.equal(configError(() => interceptorOptionsFromDialog({ path: '   ' }, ENV)).statusText, 'invalid path');
    assert.equal(configError(() => interceptorOptionsFromDialog({}, ENV)).statusText, 'invalid path');
    const noKey = configError(() => interceptorOptionsFromDialog({ path: 'a', acceptPcmu: false }, { ...ENV, apiKey: undefined }));
    assert.equal(noKey.statusText, 'no API key');
    const noFormat = configError(() => interceptorOptionsFromDialog({ path: 'a', acceptPcmu: false, acceptL16: false }, ENV));
    assert.equal(noFormat.statusText, 'no format');
    assert.match(noFormat.message, /accept at least one audio format/);
  });

  it('never puts the API key or secret in an error message', () => {
    const err = configError(() => interceptorOptionsFromDialog({ path: 'a', acceptPcmu: false }, ENV));
    assert.ok(!err.message.includes(ENV.apiKey as string));
    assert.ok(!err.message.includes(ENV.clientSecret as string));
  });

  it('joins httpNodeRoot and path without double or trailing slashes', () => {
    assert.equal(endpointPath('/', 'audiohook'), '/audiohook');
    assert.equal(endpointPath('/', '/audiohook/'), '/audiohook');
    assert.equal(endpointPath('/red/', '//a//b'), '/red/a/b');
    assert.equal(endpointPath('api', 'x'), '/api/x');
    assert.equal(endpointPath('/', '/'), '/');
    assert.equal(interceptorOptionsFromDialog({ path: 'x' }, { ...ENV, httpNodeRoot: undefined }).router.path, '/x', 'no httpNodeRoot means "/"');
  });

  it('reads numbers and audio output modes the way the dialog stores them', () => {
    const read = (dialog: Record<string, unknown>) => interceptorOptionsFromDialog({ path: 'x', ...dialog }, ENV);
    assert.equal(read({ maxSessions: '12' }).router.maxSessions, 12);
    assert.equal(read({ maxSessions: '' }).router.maxSessions, 100, 'blank: the default');
    assert.equal(read({ idleTimeoutS: '1e3' }).router.session?.idleTimeoutMs, 1_000_000);
    // A value nobody chose is refused with the field's name, not replaced by the default.
    for (const [field, value] of [['frameGroup', 0], ['maxSessions', 'many'], ['maxLossRatio', 2], ['idleTimeoutS', true], ['maxRttMs', -1]] as const) {
      const err = configError(() => read({ [field]: value }));
      assert.equal(err.statusText, `invalid ${field}`);
      assert.equal(err.path, field);
    }
    assert.equal(audioOutputMode(undefined), 'none');
    assert.equal(audioOutputMode('none'), 'none');
    assert.equal(audioOutputMode('raw'), 'raw');
    assert.equal(audioOutputMode('decoded'), 'decoded');
    assert.equal(audioOutputMode(''), 'none');
    // The dialog offers three choices; anything else (a hand-edited flow) is refused with its name.
    assert.throws(() => audioOutputMode('pcm'), (e: unknown) => e instanceof InterceptorConfigError && e.statusText === 'invalid audio output' && /"pcm"/.test(e.message));
    assert.throws(() => audioOutputMode(1), InterceptorConfigError);
  });
});
