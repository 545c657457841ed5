/**
 * Benchmarks measure the code users run: the package as tsc compiles it, not the TypeScript sources
 * through tsx, whose esbuild transform wraps functions and classes in name-keeping helpers that cost
 * time in hot loops (measured on lib/redact: Detector.detect 5.5 us per short utterance from sources,
 * 3.0 us built). The build goes to a private temporary folder once per process, so a bench never
 * measures a stale dist/ and never disturbs the one in the working tree. The folder sits under
 * node_modules/.cache so the compiled code resolves the package's dependencies as dist/ would.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');
let built: string | undefined;

/** Builds the package (scripts/build.mjs) into a temporary folder, once; returns that folder. */
export function builtPackage(): string {
  if (built === undefined) {
    const cache = join(REPO, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    const out = mkdtempSync(join(cache, 'bench-build-'));
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, env: { ...process.env, BUILD_OUT: out }, stdio: ['ignore', 'ignore', 'inherit'] });
    process.on('exit', () => rmSync(out, { recursive: true, force: true }));
    built = out;
  }
  return built;
}

/** require() of a module of the built package, by its source path without extension (e.g. "lib/redact"). */
export function requireBuilt<T>(modulePath: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(builtPackage(), modulePath)) as T;
}
