import assert from 'node:assert/strict';
import { authenticateRequest } from '../../../lib/audiohook/auth';
import { signRequest, verifySignature, type SignedRequest } from '../../../lib/audiohook/signature';

// The published example (reference/audiohook.md §1.3), also a unit test of the reference implementation.
const API_KEY = 'SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh';
const SECRET = 'TXlTdXBlclNlY3JldEtleVRlbGxOby0xITJAMyM0JDU=';
const CREATED = 1641013200;
const INPUT =
  'sig1=("@request-target" "@authority" "audiohook-organization-id" "audiohook-session-id" "audiohook-correlation-id" "x-api-key");' +
  'keyid="SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh";nonce="VGhpc0lzQVVuaXF1ZU5vbmNl";alg="hmac-sha256";created=1641013200;expires=3282026430';
const SIGNATURE = 'sig1=:NZBwyBHRRyRoeLqy1IzOa9VYBuI8TgMFt2GRDkDuJh4=:';

function vector(overrides: Record<string, string> = {}, url = '/api/v1/voicebiometrics/ws'): SignedRequest {
  return {
    url,
    headers: {
      host: 'audiohook.example.com',
      'audiohook-organization-id': 'd7934305-0972-4844-938e-9060eef73d05',
      'audiohook-session-id': '30b0e395-84d3-4570-ac13-9a62d8f514c0',
      'audiohook-correlation-id': 'e160e428-53e2-487c-977d-96989bf5c99d',
      'x-api-key': API_KEY,
      'signature-input': INPUT,
      signature: SIGNATURE,
      ...overrides,
    },
  };
}
const verify = (req: SignedRequest, nowSec = CREATED + 1, secret = SECRET) => verifySignature(req, { apiKey: API_KEY, clientSecret: secret, nowSec });

describe('audiohook signature', () => {
  it('verifies the published example vector', () => {
    assert.deepEqual(verify(vector()), { ok: true });
  });

  it('signs to the published signature (same nonce, created, expires)', () => {
    const req = vector();
    const h = signRequest(req, { apiKey: API_KEY, clientSecret: SECRET, nowSec: CREATED, nonce: 'VGhpc0lzQVVuaXF1ZU5vbmNl', expires: 3282026430 });
    assert.equal(h.Signature, SIGNATURE);
    assert.equal(h['Signature-Input'], INPUT);
  });

  const tampered: Array<[string, SignedRequest]> = [
    ['another path', vector({}, '/api/v1/audiohook/ws')],
    ['a query string added', vector({}, '/api/v1/voicebiometrics/ws?x=1')],
    ['another host (proxy rewrote Host)', vector({ host: 'internal.example.com' })],
    ['host with a port', vector({ host: 'audiohook.example.com:8443' })],
    ['session and correlation ids swapped', vector({ 'audiohook-session-id': 'e160e428-53e2-487c-977d-96989bf5c99d', 'audiohook-correlation-id': '30b0e395-84d3-4570-ac13-9a62d8f514c0' })],
    ['another organization', vector({ 'audiohook-organization-id': 'd7934305-0972-4844-938e-9060eef73d06' })],
    ['one character of the signature changed', vector({ signature: 'sig1=:NZBwyBHRRyRoeLqy1JzOa9VYBuI8TgMFt2GRDkDuJh4=:' })],
    ['created changed', vector({ 'signature-input': INPUT.replace('created=1641013200', 'created=1641013201') })],
    ['nonce changed', vector({ 'signature-input': INPUT.replace('VGhpc0lzQVVuaXF1ZU5vbmNl', 'VGhpc0lzQVVuaXF1ZU5vbmNm') })],
  ];
  for (const [name, req] of tampered) {
    it(`rejects ${name}`, () => {
      const r = verify(req, name === 'created changed' ? CREATED + 2 : CREATED + 1);
      assert.deepEqual(r, { ok: false, reason: 'Signatures do not match' });
    });
  }

  it('rejects the secret read as text instead of base64', () => {
    assert.deepEqual(verify(vector(), CREATED + 1, Buffer.from(SECRET).toString('base64')), { ok: false, reason: 'Signatures do not match' });
  });

  it('rejects a truncated signature without throwing', () => {
    assert.equal(verify(vector({ signature: 'sig1=:NZBw:' })).ok, false);
  });

  it('checks coverage, keyid, nonce, algorithm and time', () => {
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ 'signature-input': INPUT.replace(' "x-api-key"', '') }, CREATED, /x-api-key not covered/],
      [{ 'signature-input': INPUT.replace(`keyid="${API_KEY}"`, 'keyid="other"') }, CREATED, /keyid/],
      [{ 'signature-input': INPUT.replace('nonce="VGhpc0lzQVVuaXF1ZU5vbmNl"', 'nonce="short"') }, CREATED, /Nonce/],
      [{ 'signature-input': INPUT.replace('hmac-sha256', 'rsa-pss-sha512') }, CREATED, /algorithm/],
      [{}, CREATED - 4, /future/],
      [{}, CREATED + 11, /too old/],
      [{ 'signature-input': INPUT.replace('expires=3282026430', 'expires=1641013100') }, CREATED, /expired/],
      [{ 'signature-input': 'sig1=("@request-target" broken' }, CREATED, /Malformed/],
      [{ signature: 'sig2=:NZBwyBHRRyRoeLqy1IzOa9VYBuI8TgMFt2GRDkDuJh4=:' }, CREATED, /No signature label/],
      [{ signature: '' }, CREATED, /missing/],
    ];
    for (const [h, now, re] of cases) {
      const r = verify(vector(h), now);
      assert.equal(r.ok, false, JSON.stringify(h));
      assert.match((r as { reason: string }).reason, re);
    }
  });

  it('accepts a far-future expires (the published example has one)', () => {
    assert.equal(verify(vector(), CREATED + 5).ok, true);
  });

  describe('authenticateRequest', () => {
    const now = CREATED * 1000 + 500;
    it('accepts the vector with the configured key and secret', () => {
      assert.deepEqual(authenticateRequest(vector(), { apiKey: API_KEY, clientSecret: SECRET }, now), { ok: true });
    });
    it('rejects a wrong or missing API key', () => {
      assert.deepEqual(authenticateRequest(vector({ 'x-api-key': 'nope' }), { apiKey: API_KEY, clientSecret: SECRET }, now), { ok: false, reason: 'Invalid API key' });
      const req = vector();
      delete req.headers['x-api-key'];
      assert.equal(authenticateRequest(req, { apiKey: API_KEY }, now).ok, false);
    });
    it('with no secret: unsigned passes, signed fails', () => {
      const unsigned = vector();
      delete unsigned.headers.signature;
      delete unsigned.headers['signature-input'];
      assert.deepEqual(authenticateRequest(unsigned, { apiKey: API_KEY }, now), { ok: true });
      assert.match((authenticateRequest(vector(), { apiKey: API_KEY }, now) as { reason: string }).reason, /no client secret/);
    });
    it('with a secret: unsigned fails', () => {
      const unsigned = vector();
      delete unsigned.headers.signature;
      assert.equal(authenticateRequest(unsigned, { apiKey: API_KEY, clientSecret: SECRET }, now).ok, false);
    });
  });
});
