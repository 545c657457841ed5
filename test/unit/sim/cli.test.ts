import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_SIM_PORT, parseClient, parseSimCliArgs, simCliUsage } from '../../../lib/sim/cli-args';

describe('genesys-sim command line', () => {
  it('parses port, clients with permissions, heartbeat and TTLs', () => {
    const o = parseSimCliArgs([
      '--port',
      '0',
      '-c',
      'a:secret-a:conversation:transcription:view,conversation:communication:view',
      '--client',
      'b:secret-b',
      '--heartbeat-ms',
      '250',
      '--token-ttl',
      '60',
      '--channel-ttl',
      '30',
    ]);
    assert.equal(o.help, false);
    assert.deepEqual(o.server, {
      port: 0,
      host: undefined,
      heartbeatIntervalMs: 250,
      tokenTtlSec: 60,
      channelTtlMs: 30_000,
      clients: [
        { id: 'a', secret: 'secret-a', permissions: ['conversation:transcription:view', 'conversation:communication:view'] },
        { id: 'b', secret: 'secret-b' },
      ],
    });
    assert.equal(parseSimCliArgs([]).server.port, DEFAULT_SIM_PORT);
    assert.equal(parseSimCliArgs(['-h']).help, true);
    assert.match(simCliUsage(), /--heartbeat-ms/);
  });

  it('refuses bad values with readable messages', () => {
    assert.throws(() => parseSimCliArgs(['--port', '70000']), /--port must be an integer from 0 to 65535/);
    assert.throws(() => parseSimCliArgs(['--token-ttl', '0']), /--token-ttl/);
    assert.throws(() => parseSimCliArgs(['--heartbeat-ms', '1.5']), /--heartbeat-ms/);
    assert.throws(() => parseSimCliArgs(['--bogus']), /Unknown option/);
    assert.throws(() => parseClient('only-id'), /id:secret/);
    assert.throws(() => parseClient('a:b:notapermission'), /domain:entity:action/);
    assert.throws(() => parseClient('id:secret-value-not-real:bad perm'), (e: Error) => !e.message.includes('secret-value-not-real'));
  });

  it('starts, prints where it listens, answers, and stops cleanly on SIGTERM', async function () {
    this.timeout(30_000);
    const tsx = join(__dirname, '../../../node_modules/tsx/dist/cli.mjs');
    const child = spawn(process.execPath, [tsx, join(__dirname, '../../../bin/genesys-sim.ts'), '--port', '0', '--client', 'cli-client:cli-secret-not-real'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const base = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const res = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('cli-client:cli-secret-not-real').toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    assert.equal(res.status, 200);
    assert.ok(!out.includes('cli-secret-not-real'), 'the secret is not printed');
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(out, /SIGTERM, stopping/);
  });
});
