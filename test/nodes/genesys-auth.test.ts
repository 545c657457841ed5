import assert from 'node:assert/strict';
import genesysAuthNode from '../../nodes/genesys-auth/genesys-auth';
import type { GenesysAuthConfig } from '../../lib/genesys/auth-config';
import type { ConnectionStatus } from '../../lib/genesys/connection-users';
import { REGIONS } from '../../lib/genesys/regions';
import type { GenesysAuthConnection } from '../../lib/genesys/auth-config';
import { SimServer } from '../../lib/sim/server';
import { helper } from '../support/node-red';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SECRET = 'cfg-secret-not-real';

/** Resolves once the node's status (a sinon spy under the helper) has had a call matching pred. */
function statusSeen(id: string, pred: (s: { text?: string; fill?: string }) => boolean): Promise<void> {
  const n = helper.getNode(id);
  return new Promise<void>((resolve) => {
    if (n.status.args.some((a: Array<{ text?: string; fill?: string }>) => pred(a[0] ?? {}))) return resolve();
    n.on('call:status', (call: { args: Array<{ text?: string; fill?: string }> }) => pred(call.args[0] ?? {}) && resolve());
  });
}

/** A minimal user node, as transcript-in uses the config node: register, status fan-out, deregister. */
function testUserNode(RED: { nodes: { createNode(n: object, c: object): void; getNode(id: string): unknown; registerType(t: string, c: unknown): void } }): void {
  RED.nodes.registerType('test-genesys-user', function (this: { id: string; status(s: object): void; on(e: string, f: unknown): void }, config: { auth: string }) {
    RED.nodes.createNode(this, config);
    const auth = RED.nodes.getNode(config.auth) as GenesysAuthConfig;
    auth.register(this.id, (s: ConnectionStatus) => this.status({ fill: s.state === 'connected' ? 'green' : s.state === 'error' ? 'red' : 'yellow', shape: 'dot', text: s.text }));
    this.on('close', (_removed: boolean, done: () => void) => {
      auth.deregister(this.id);
      done();
    });
  });
}

describe('genesys-auth config node', () => {
  let sim: SimServer;
  const flow = (extra: object[] = []) => [
    { id: 'f1', type: 'tab' },
    { id: 'cfg', type: 'genesys-auth', name: 'sim', region: 'custom', apiBase: sim.apiBase, loginBase: sim.loginBase },
    ...extra,
  ];

  before(async () => {
    sim = await SimServer.start({ clients: [{ id: 'cfg-client', secret: SECRET, name: 'Node-RED test client' }], organization: { id: 'org-42', name: 'Acme Support' } });
  });
  after(() => sim.close());
  afterEach(async () => {
    await helper.unload();
  });

  it('loads with credentials and exposes tokens, rest, regionHosts and the user registry', async () => {
    await helper.load(genesysAuthNode, flow(), { cfg: { clientId: 'cfg-client', clientSecret: SECRET } });
    const cfg = helper.getNode('cfg') as GenesysAuthConfig;
    assert.equal(cfg.regionHosts?.apiBase, sim.apiBase);
    assert.equal(cfg.regionHosts?.loginHost, `127.0.0.1:${sim.port}`);
    assert.equal(cfg.configError, undefined);
    const me = await cfg.rest.request<{ organization: { name: string } }>({ method: 'GET', path: '/api/v2/tokens/me' });
    assert.equal(me.body.organization.name, 'Acme Support');
    assert.equal(typeof cfg.register, 'function');
    assert.equal(typeof cfg.tokens.getToken, 'function');
  });

  it('derives hosts from a named region', async () => {
    await helper.load(genesysAuthNode, [{ id: 'cfg', type: 'genesys-auth', region: 'eu_central_2' }], { cfg: { clientId: 'x', clientSecret: 'y-not-real' } });
    const cfg = helper.getNode('cfg') as GenesysAuthConfig;
    assert.equal(cfg.regionHosts?.loginBase, 'https://login.euc2.pure.cloud');
  });

  it('without a secret or with a bad custom URL: clear configError, tokens and rest reject with it', async () => {
    await helper.load(genesysAuthNode, [{ id: 'cfg', type: 'genesys-auth', region: 'custom', apiBase: 'http://example.com', loginBase: 'http://example.com' }], {
      cfg: { clientId: 'x', clientSecret: 'y-not-real' },
    });
    let cfg = helper.getNode('cfg') as GenesysAuthConfig;
    assert.match(cfg.configError?.message ?? '', /only https is allowed/);
    await assert.rejects(cfg.tokens.getToken(), /only https is allowed/);
    await helper.unload();
    await helper.load(genesysAuthNode, flow(), { cfg: { clientId: 'cfg-client' } });
    cfg = helper.getNode('cfg') as GenesysAuthConfig;
    await assert.rejects(cfg.rest.request({ method: 'GET', path: '/api/v2/tokens/me' }), /client secret is not set/);
    assert.equal(cfg.connectionStatus.state, 'error');
  });

  it('shares one token across user nodes and fans the status out to each of them', async () => {
    const before = sim.stats.tokenRequests;
    const users = [
      { id: 'u1', type: 'test-genesys-user', z: 'f1', auth: 'cfg' },
      { id: 'u2', type: 'test-genesys-user', z: 'f1', auth: 'cfg' },
    ];
    const connected = (id: string) => statusSeen(id, (s) => s.text === 'authenticated' && s.fill === 'green');
    await helper.load([genesysAuthNode, testUserNode], flow(users), { cfg: { clientId: 'cfg-client', clientSecret: SECRET } });
    await Promise.all([connected('u1'), connected('u2')]);
    const cfg = helper.getNode('cfg') as GenesysAuthConfig;
    const [a, b] = await Promise.all([cfg.tokens.getToken(), cfg.tokens.getToken()]);
    assert.equal(a, b);
    assert.equal(sim.stats.tokenRequests - before, 1);
    assert.equal((helper.getNode('cfg') as { connection: GenesysAuthConnection }).connection.userCount, 2);
  });

  it('shows "auth failed" under user nodes for refused credentials', async () => {
    await helper.load([genesysAuthNode, testUserNode], flow([{ id: 'u1', type: 'test-genesys-user', z: 'f1', auth: 'cfg' }]), {
      cfg: { clientId: 'cfg-client', clientSecret: 'wrong-not-real' },
    });
    await statusSeen('u1', (s) => s.text === 'auth failed' && s.fill === 'red');
  });

  it('close releases everything: users deregistered, provider closed, tokens refused', async () => {
    await helper.load([genesysAuthNode, testUserNode], flow([{ id: 'u1', type: 'test-genesys-user', z: 'f1', auth: 'cfg' }]), {
      cfg: { clientId: 'cfg-client', clientSecret: SECRET },
    });
    const node = helper.getNode('cfg') as GenesysAuthConfig & { connection: GenesysAuthConnection };
    await node.tokens.getToken();
    await helper.unload();
    assert.equal(node.connection.userCount, 0);
    assert.equal(node.connection.provider?.status.state, 'closed');
    await assert.rejects(node.tokens.getToken(), /closed/);
  });

  it('guards the Test connection route with RED.auth.needsPermission("genesys-auth.write")', () => {
    // The helper's RED.auth lets everything through, so check the wiring with a recording RED.
    const permissions: string[] = [];
    const routes: Array<{ path: string; handlers: unknown[] }> = [];
    const guard = () => undefined;
    genesysAuthNode({
      nodes: { registerType: () => undefined },
      httpAdmin: { post: (path: string, ...handlers: unknown[]) => routes.push({ path, handlers }) },
      auth: {
        needsPermission: (p: string) => {
          permissions.push(p);
          return guard;
        },
      },
    } as unknown as Parameters<typeof genesysAuthNode>[0]);
    assert.deepEqual(permissions, ['genesys-auth.write']);
    assert.equal(routes.length, 1);
    assert.equal(routes[0].path, '/genesys-auth/test-connection');
    assert.equal(routes[0].handlers[0], guard, 'the permission check runs before the handler');
  });

  it('lists every region of lib/genesys/regions.ts in the dialog, plus custom', () => {
    const html = readFileSync(join(__dirname, '../../nodes/genesys-auth/genesys-auth.html'), 'utf8');
    const values = [...html.matchAll(/<option value="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(values, [...REGIONS.map((r) => r.id), 'custom']);
    assert.match(html, /RED\.nodes\.registerType\('genesys-auth'/);
  });

  describe('test-connection admin route', () => {
    const post = (body: object) => helper.request().post('/genesys-auth/test-connection').send(body).set('Content-Type', 'application/json');
    const base = () => ({ region: 'custom', apiBase: sim.apiBase, loginBase: sim.loginBase, clientId: 'cfg-client' });

    beforeEach(async () => {
      await helper.load(genesysAuthNode, flow(), { cfg: { clientId: 'cfg-client', clientSecret: SECRET } });
    });

    it('reports the organization for good typed credentials', async () => {
      const res = await post({ ...base(), clientSecret: SECRET });
      assert.equal(res.status, 200);
      assert.equal(res.body.ok, true);
      assert.deepEqual(res.body.organization, { id: 'org-42', name: 'Acme Support' });
      assert.match(res.body.message, /Connected to organization "Acme Support" \(org-42\) as OAuth client "Node-RED test client"/);
    });

    it('reports the clear error for bad credentials, without the secret', async () => {
      const res = await post({ ...base(), clientSecret: 'typed-wrong-secret' });
      assert.equal(res.status, 200);
      assert.equal(res.body.ok, false);
      assert.equal(res.body.code, 'AUTH_FAILED');
      assert.match(res.body.message, /check client id, secret and region/);
      assert.ok(res.body.message.includes(`127.0.0.1:${sim.port}`));
      assert.ok(!JSON.stringify(res.body).includes('typed-wrong-secret'));
    });

    it('uses the stored secret when the field is unchanged (__PWRD__), only for the deployed hosts', async () => {
      const ok = await post({ ...base(), id: 'cfg', clientSecret: '__PWRD__' });
      assert.equal(ok.body.ok, true, ok.body.message);
      const moved = await post({ ...base(), id: 'cfg', clientSecret: '__PWRD__', loginBase: 'http://localhost:1' });
      assert.equal(moved.status, 400);
      assert.equal(moved.body.code, 'SECRET_FOR_OTHER_HOST');
      const unknown = await post({ ...base(), id: 'not-deployed', clientSecret: '__PWRD__' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.code, 'MISSING_CLIENT_SECRET');
    });

    it('answers 400 for missing client id and invalid URLs', async () => {
      assert.equal((await post({ ...base(), clientId: '', clientSecret: SECRET })).body.code, 'MISSING_CLIENT_ID');
      const insecure = await post({ ...base(), apiBase: 'http://api.example.com', clientSecret: SECRET });
      assert.equal(insecure.status, 400);
      assert.equal(insecure.body.code, 'INSECURE_URL');
    });

    it('reports an unreachable login host', async () => {
      const res = await post({ region: 'custom', apiBase: 'http://127.0.0.1:1', loginBase: 'http://127.0.0.1:1', clientId: 'c', clientSecret: 's-not-real' });
      assert.equal(res.body.ok, false);
      assert.equal(res.body.code, 'LOGIN_UNREACHABLE');
    });
  });
});
