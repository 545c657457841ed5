import assert from 'node:assert/strict';
import { CUSTOM_REGION, REGIONS, customHosts, isLoopbackHost, regionHosts, resolveHosts } from '../../../lib/genesys/regions';
import { InputError } from '../../../lib/util/errors';

describe('genesys regions', () => {
  it('lists all 18 region domains of the SDK, each once, with readable names', () => {
    assert.equal(REGIONS.length, 18);
    assert.equal(new Set(REGIONS.map((r) => r.domain)).size, 18);
    assert.equal(new Set(REGIONS.map((r) => r.id)).size, 18);
    for (const d of ['mypurecloud.com', 'use2.us-gov-pure.cloud', 'edee1.eusc-pure.cloud', 'mxc1.pure.cloud', 'apse1.pure.cloud', 'mypurecloud.com.au']) {
      assert.ok(REGIONS.some((r) => r.domain === d), d);
    }
    for (const r of REGIONS) assert.match(r.name, /^(Americas|EMEA|Asia Pacific) \(.+\)$/);
  });

  it('derives api., login. and streaming hosts from the domain', () => {
    assert.deepEqual(regionHosts('eu_central_1'), {
      apiBase: 'https://api.mypurecloud.de',
      loginBase: 'https://login.mypurecloud.de',
      streamingBase: 'wss://streaming.mypurecloud.de',
      loginHost: 'login.mypurecloud.de',
      region: 'eu_central_1',
    });
    assert.equal(regionHosts('use2.us-gov-pure.cloud').loginBase, 'https://login.use2.us-gov-pure.cloud');
    assert.equal(resolveHosts({}).apiBase, 'https://api.mypurecloud.com');
    assert.throws(() => regionHosts('mars_1'), (e: unknown) => e instanceof InputError && e.code === 'UNKNOWN_REGION');
  });

  it('accepts custom https base URLs anywhere and http only on loopback', () => {
    const h = resolveHosts({ region: CUSTOM_REGION, apiBase: 'https://proxy.example.com/genesys/', loginBase: 'https://auth.example.com' });
    assert.deepEqual(h, {
      apiBase: 'https://proxy.example.com/genesys',
      loginBase: 'https://auth.example.com',
      streamingBase: 'wss://proxy.example.com/genesys',
      loginHost: 'auth.example.com',
      region: 'custom',
    });
    assert.equal(customHosts('http://127.0.0.1:8787', 'http://localhost:8787').loginHost, 'localhost:8787');
    assert.equal(customHosts('http://[::1]:9', 'http://127.0.0.2:9').apiBase, 'http://[::1]:9');
    const bad: Array<[string, string, string]> = [
      ['http://api.example.com', 'https://login.example.com', 'INSECURE_URL'],
      ['https://api.example.com', 'http://10.0.0.1', 'INSECURE_URL'],
      ['ftp://api.example.com', 'https://l', 'INVALID_URL'],
      ['not a url', 'https://l', 'INVALID_URL'],
      ['', 'https://l', 'INVALID_URL'],
      ['https://user:pw@api.example.com', 'https://l', 'INVALID_URL'],
      ['https://api.example.com/?x=1', 'https://l', 'INVALID_URL'],
    ];
    for (const [api, login, code] of bad) {
      assert.throws(() => customHosts(api, login), (e: unknown) => e instanceof InputError && e.code === code, `${api} ${login}`);
    }
  });

  it('recognises loopback hosts', () => {
    assert.ok(isLoopbackHost('127.0.0.1') && isLoopbackHost('127.1.2.3') && isLoopbackHost('[::1]') && isLoopbackHost('LOCALHOST'));
    assert.ok(!isLoopbackHost('128.0.0.1') && !isLoopbackHost('localhost.evil.com') && !isLoopbackHost('127.0.0.1.nip.io'));
  });
});
