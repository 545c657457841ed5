import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main, EXIT_BROKEN, EXIT_OK, EXIT_USAGE } from '../../../bin/genesys-audit-verify';
import { AuditWriter } from '../../../lib/audit/writer';
import { removeDir, tempDir, trailFiles } from './helpers';

const KEY = 'test-secret-not-real';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function writeTrail(dir: string, key?: string): Promise<void> {
  const w = new AuditWriter({ dir, instance: 'cli', key, syncIntervalMs: 1 });
  await Promise.all(Array.from({ length: 12 }, (_, i) => w.append({ kind: 'k', conversationId: 'c', data: { i } })));
  await w.close();
}

describe('genesys-audit-verify CLI', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = tempDir('audit-cli-');
    dir = join(root, 'trail');
  });
  afterEach(() => removeDir(root));

  it('exit 0 and counts for an intact trail', async () => {
    await writeTrail(dir);
    const r = await run([dir]);
    assert.equal(r.code, EXIT_OK);
    assert.match(r.out, /^OK .*: 12 records in 1 file\(s\), 1 instance\(s\), 0 repair record\(s\)/);
    assert.match(r.out, /instance cli: 12 records .* seq 1\.\.12, sha256/);
  });

  it('exit 1 with file, line, seq and kind for a broken trail; --json gives the same as data', async () => {
    await writeTrail(dir);
    const [file] = trailFiles(dir);
    appendFileSync(join(dir, file!), '{"torn');
    const r = await run([dir]);
    assert.equal(r.code, EXIT_BROKEN);
    assert.match(r.out, new RegExp(`^BROKEN ${file!.replace(/\./g, '\\.')} line 13: truncated: `));
    const j = await run([dir, '--json']);
    const report = JSON.parse(j.out) as { ok: boolean; break: { kind: string; line: number } };
    assert.equal(report.ok, false);
    assert.deepEqual([report.break.kind, report.break.line], ['truncated', 13]);
  });

  it('keyed trails: key from an env var or a file, never from the command line', async () => {
    await writeTrail(dir, KEY);
    const none = await run([dir]);
    assert.equal(none.code, EXIT_USAGE);
    assert.match(none.err, /keyed .*--key-file or --key-env/);
    assert.equal((await run([dir, '--key-env', 'MY_AUDIT_KEY'], { MY_AUDIT_KEY: KEY })).code, EXIT_OK);
    assert.equal((await run([dir], { GENESYS_AUDIT_KEY: KEY })).code, EXIT_OK);
    const keyFile = join(root, 'key.txt');
    writeFileSync(keyFile, `${KEY}\n`);
    assert.equal((await run([dir, '--key-file', keyFile])).code, EXIT_OK);
    writeFileSync(keyFile, 'another-test-key\n');
    assert.equal((await run([dir, '--key-file', keyFile])).code, EXIT_BROKEN);
    const literal = await run([dir, '--key', KEY]);
    assert.equal(literal.code, EXIT_USAGE);
    assert.match(literal.err, /shell history/);
    assert.equal(literal.err.includes(KEY), false, 'the key is not echoed');
    assert.equal((await run([dir, '--key-env', 'UNSET_VAR'])).code, EXIT_USAGE);
  });

  it('--expect-hash: a trail that lost its end is broken (exit 1)', async () => {
    await writeTrail(dir);
    const [file] = trailFiles(dir);
    const text = readFileSync(join(dir, file!), 'utf8').split('\n').filter(Boolean);
    const head = (JSON.parse(text.at(-1)!) as { hash: string }).hash;
    assert.equal((await run([dir, '--expect-hash', head])).code, EXIT_OK);
    writeFileSync(join(dir, file!), text.slice(0, 10).map((l) => `${l}\n`).join(''));
    const cut = await run([dir, '--expect-hash', head]);
    assert.equal(cut.code, EXIT_BROKEN);
    assert.match(cut.out, /line 11 seq 11: truncated: no record has the expected hash/);
    assert.equal((await run([dir, '--expect-hash', 'abc'])).code, EXIT_USAGE);
  });

  it('exit 2 for usage and I/O problems', async () => {
    assert.equal((await run([])).code, EXIT_USAGE);
    assert.equal((await run(['--bogus', dir])).code, EXIT_USAGE);
    const missing = await run([join(root, 'nope')]);
    assert.equal(missing.code, EXIT_USAGE);
    assert.match(missing.err, /cannot read/);
    await writeTrail(dir);
    const noInstance = await run([dir, '--instance', 'other']);
    assert.equal(noInstance.code, EXIT_USAGE);
    assert.match(noInstance.err, /no audit files for instance other/);
  });

  it('the executable sets the process exit code', async function () {
    this.timeout(30_000);
    await writeTrail(dir);
    const exec = (args: string[]) =>
      new Promise<number | null>((res) => {
        const child = spawn(process.execPath, ['--require', 'tsx/cjs', resolve(__dirname, '../../../bin/genesys-audit-verify.ts'), ...args], { stdio: 'ignore' });
        child.on('exit', (code) => res(code));
      });
    assert.equal(await exec([dir]), 0);
    appendFileSync(join(dir, trailFiles(dir)[0]!), 'x');
    assert.equal(await exec([dir]), 1);
    assert.equal(await exec([]), 2);
  });
});
