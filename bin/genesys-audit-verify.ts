#!/usr/bin/env node
/**
 * genesys-audit-verify: checks an audit trail written by genesys-audit-out.
 *
 *   genesys-audit-verify <dir> [--instance ID] [--partial] [--expect-hash HASH] [--key-env VAR | --key-file PATH] [--json]
 *
 * Exit codes: 0 every chain intact, 1 a broken record (printed: file, line, seq, kind, detail),
 * 2 usage or I/O error (bad arguments, unreadable directory, no trail files, keyed trail without key).
 * The HMAC key of a keyed chain is never taken as a plain argument (it would land in the shell
 * history and in `ps`): name an environment variable (--key-env) or a file (--key-file);
 * GENESYS_AUDIT_KEY is used when neither is given and it is set.
 */
import { readFileSync } from 'node:fs';
import { verifyTrail, AuditKeyRequiredError, type VerifyReport } from '../lib/audit';
import { errorMessage } from '../lib/util/errors';

export const EXIT_OK = 0;
export const EXIT_BROKEN = 1;
export const EXIT_USAGE = 2;

const USAGE = `usage: genesys-audit-verify <dir> [--instance ID] [--partial] [--expect-hash HASH] [--key-env VAR | --key-file PATH] [--json]

  --instance ID    verify only this instance's chain (default: every instance in <dir>)
  --partial        accept a chain that starts after seq 1 (older files archived on purpose)
  --expect-hash H  a record hash kept elsewhere (e.g. the last msg.audit.hash): the trail must
                   still contain it, so records cut from the end are reported as truncated
  --key-env VAR    HMAC key of a keyed chain, read from environment variable VAR
  --key-file PATH  HMAC key read from a file (one trailing newline is ignored)
  --json           print the report as JSON
Without --key-*, GENESYS_AUDIT_KEY is used if set.
Exit codes: 0 intact, 1 broken, 2 usage or I/O error.`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

interface Args {
  dir: string;
  instance?: string;
  partial: boolean;
  json: boolean;
  keyEnv?: string;
  keyFile?: string;
  expectHash?: string;
}

function parseArgs(argv: string[]): Args | string {
  const a: Partial<Args> & { partial: boolean; json: boolean } = { partial: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string | undefined => {
      const v = argv[++i];
      return v === undefined || v.startsWith('--') ? undefined : v;
    };
    switch (arg) {
      case '--instance': {
        const v = value();
        if (!v) return '--instance needs a value';
        a.instance = v;
        break;
      }
      case '--key-env': {
        const v = value();
        if (!v) return '--key-env needs the name of an environment variable';
        a.keyEnv = v;
        break;
      }
      case '--key-file': {
        const v = value();
        if (!v) return '--key-file needs a path';
        a.keyFile = v;
        break;
      }
      case '--expect-hash': {
        const v = value();
        if (!v || !/^[0-9a-fA-F]{64}$/.test(v)) return '--expect-hash needs a record hash (64 hex digits)';
        a.expectHash = v;
        break;
      }
      case '--key':
        return '--key is not accepted: a key on the command line lands in the shell history; use --key-env VAR or --key-file PATH';
      case '--partial':
        a.partial = true;
        break;
      case '--json':
        a.json = true;
        break;
      case '-h':
      case '--help':
        return '';
      default:
        if (arg.startsWith('-')) return `unknown option ${arg}`;
        if (a.dir !== undefined) return `one directory only (got ${a.dir} and ${arg})`;
        a.dir = arg;
    }
  }
  if (a.dir === undefined) return 'the trail directory is required';
  if (a.keyEnv && a.keyFile) return 'give --key-env or --key-file, not both';
  return a as Args;
}

function readKey(args: Args, env: NodeJS.ProcessEnv): Buffer | undefined | string {
  if (args.keyFile) {
    let text: string;
    try {
      text = readFileSync(args.keyFile, 'utf8');
    } catch (err) {
      return `cannot read the key file ${args.keyFile}: ${errorMessage(err)}`;
    }
    text = text.replace(/\r?\n$/, '');
    if (!text) return `the key file ${args.keyFile} is empty`;
    return Buffer.from(text, 'utf8');
  }
  const name = args.keyEnv ?? 'GENESYS_AUDIT_KEY';
  const v = env[name];
  if (v) return Buffer.from(v, 'utf8');
  if (args.keyEnv) return `environment variable ${args.keyEnv} is not set or empty`;
  return undefined;
}

export function formatReport(r: VerifyReport): string {
  if (r.ok) {
    const chains = r.instances
      .map((i) => `  instance ${i.instance}: ${i.records} records in ${i.files} file(s), seq ${i.firstSeq ?? '-'}..${i.lastSeq ?? '-'}, ${i.alg ?? '-'}, head ${i.headHash ?? '-'}`)
      .join('\n');
    return `OK ${r.dir}: ${r.records} records in ${r.files} file(s), ${r.instances.length} instance(s), ${r.repairs} repair record(s)\n${chains}`;
  }
  const b = r.break!;
  return `BROKEN ${b.file} line ${b.line}${b.seq !== null ? ` seq ${b.seq}` : ''}: ${b.kind}: ${b.detail} (instance ${b.instance}; ${r.records} records verified before it)`;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    if (args) io.err(`genesys-audit-verify: ${args}`);
    io.err(USAGE);
    return args ? EXIT_USAGE : EXIT_OK;
  }
  const key = readKey(args, io.env);
  if (typeof key === 'string') {
    io.err(`genesys-audit-verify: ${key}`);
    return EXIT_USAGE;
  }
  let report: VerifyReport;
  try {
    report = await verifyTrail(args.dir, { key, instance: args.instance, partial: args.partial, expectHash: args.expectHash });
  } catch (err) {
    io.err(`genesys-audit-verify: ${err instanceof AuditKeyRequiredError ? err.message : `cannot read ${args.dir}: ${errorMessage(err)}`}`);
    return EXIT_USAGE;
  }
  if (report.files === 0) {
    io.err(`genesys-audit-verify: no audit files${args.instance ? ` for instance ${args.instance}` : ''} in ${args.dir}`);
    return EXIT_USAGE;
  }
  io.out(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? EXIT_OK : EXIT_BROKEN;
}

if (require.main === module) {
  main(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`genesys-audit-verify: ${errorMessage(err)}`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
