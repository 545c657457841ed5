#!/usr/bin/env node
// Assembles dist/: compiled CommonJS from tsc, then the files Node-RED looks for beside each
// node's .js (its .html, locales/ and icons/), and the non-TypeScript assets of lib/ (JSON
// conversation scripts, schemas). BUILD_OUT=<dir> builds elsewhere (parallel work, tests).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, process.env.BUILD_OUT ?? 'dist');

rmSync(out, { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], {
    stdio: 'inherit',
    cwd: root,
  });
} catch {
  console.error('build: TypeScript compilation failed');
  process.exit(1);
}

function copyAssets(srcDir, dstDir) {
  for (const entry of readdirSync(srcDir)) {
    const src = join(srcDir, entry);
    const dst = join(dstDir, entry);
    if (statSync(src).isDirectory()) copyAssets(src, dst);
    else if (!entry.endsWith('.ts')) {
      mkdirSync(dirname(dst), { recursive: true });
      cpSync(src, dst);
    }
  }
}

// lib assets (JSON scripts, schemas, ...)
copyAssets(join(root, 'lib'), join(out, 'lib'));

// Node-RED finds <name>.html, locales/ and icons/ beside each node's .js file.
const nodesDir = join(root, 'nodes');
const icons = join(root, 'icons');
for (const name of readdirSync(nodesDir)) {
  const src = join(nodesDir, name);
  if (name === 'shared' || !statSync(src).isDirectory()) continue;
  copyAssets(src, join(out, 'nodes', name));
  if (existsSync(icons)) cpSync(icons, join(out, 'nodes', name, 'icons'), { recursive: true });
}
console.log(`build: ${relative(root, out) || '.'} ready`);
