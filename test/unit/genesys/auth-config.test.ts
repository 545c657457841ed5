import assert from 'node:assert/strict';
import { GenesysAuthConnection, toConnectionStatus } from '../../../lib/genesys/auth-config';
import { type ConnectionStatus, ConnectionUsers } from '../../../lib/genesys/connection-users';
import { GenesysAuthError } from '../../../lib/genesys/errors';
import { SimServer } from '../../../lib/sim/server';

describe('ConnectionUsers (status fan-out)', () => {
  it('gives new users the current status, fans out changes once, and calls first/last hooks', () => {
    const events: string[] = [];
    const users = new ConnectionUsers({ onFirstUser: () => events.push('first'), onLastUser: () => events.push('last') });
    const seen: Record<string, string[]> = { a: [], b: [] };
    users.register('a', (s) => seen.a.push(s.text));
    users.setStatus({ state: 'connecting', text: 'authenticating' });
    users.register('b', (s) => seen.b.push(s.text));
    users.setStatus({ state: 'connecting', text: 'authenticating' }); // unchanged: not repeated
    users.setStatus({ state: 'connected', text: 'authenticated' });
    assert.deepEqual(seen, { a: ['idle', 'authenticating', 'authenticated'], b: ['authenticating', 'authenticated'] });
    assert.equal(users.deregister('a'), true);
    assert.equal(users.deregister('a'), false);
    users.deregister('b');
    assert.deepEqual(events, ['first', 'last']);
  });

  it('keeps fanning out when one listener throws', () => {
    const users = new ConnectionUsers();
    const got: ConnectionStatus[] = [];
    users.register('bad', () => {
      throw new Error('listener bug');
    });
    users.register('good', (s) => got.push(s));
    users.setStatus({ state: 'error', text: 'auth failed' });
    assert.equal(got.at(-1)?.text, 'auth failed');
  });
});

describe('GenesysAuthConnection', () => {
  it('maps token states to short status texts', () => {
    const err = new GenesysAuthError('refused: check client id, secret and region', 'AUTH_FAILED');
    assert.equal(toConnectionStatus({ state: 'retrying', retryInMs: 6500, generation: 0 }).text, 'auth retry in 7s');
    assert.deepEqual(toConnectionStatus({ state: 'error', error: err, generation: 0 }), {
      state: 'error',
      text: 'auth failed',
      detail: err.message,
      code: 'AUTH_FAILED',
    });
    assert.equal(toConnectionStatus({ state: 'ready', generation: 1 }).state, 'connected');
  });

  it('fetches a token when the first user registers and shares it', async () => {
    const sim = await SimServer.start();
    const conn = new GenesysAuthConnection({ id: 'c1', region: 'custom', apiBase: sim.apiBase, loginBase: sim.loginBase, clientId: 'sim-client', clientSecret: 'sim-secret-not-real' });
    try {
      assert.equal(sim.stats.tokenRequests, 0, 'no token before a user needs one');
      const connected = new Promise<void>((resolve) => conn.register('u1', (s) => s.state === 'connected' && resolve()));
      await connected;
      await conn.tokens.getToken();
      await conn.rest.request({ method: 'GET', path: '/api/v2/tokens/me' });
      assert.equal(sim.stats.tokenRequests, 1);
      assert.ok(!String(conn).includes('sim-secret-not-real'));
      // A later refresh keeps users on "authenticated" (no flicker to "authenticating").
      const texts: string[] = [];
      conn.register('u2', (s) => texts.push(s.text));
      conn.tokens.invalidate();
      await conn.tokens.getToken();
      assert.deepEqual(texts, ['authenticated']);
      assert.equal(sim.stats.tokenRequests, 2);
    } finally {
      conn.close();
      await sim.close();
    }
  });
});
