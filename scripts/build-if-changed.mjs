#!/usr/bin/env node
// `npm start` and `npm test`: build only what changed since the last build, so a later start takes
// seconds. face/, agent/ and server/ go through `tsc -b`, which skips a package whose outputs are
// newer than its sources; the web app is rebuilt only when a file it is built from is newer than
// the stamp the last successful build left in web/dist. `npm run build` still builds everything.
//   node scripts/build-if-changed.mjs [face] [agent] [server] [web]   (no argument: all four)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
// a package's bin by way of its package.json: vite's `exports` do not list bin/vite.js
const binOf = (workspace, name, bin) => path.join(path.dirname(createRequire(path.join(root, workspace, 'package.json')).resolve(`${name}/package.json`)), bin);
const packages = ['face', 'agent', 'server', 'web'];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !packages.includes(name));
if (unknown.length > 0) {
  console.error(`build-if-changed: unknown package ${unknown.join(', ')} (expected ${packages.join(', ')})`);
  process.exit(2);
}
const selected = wanted.length > 0 ? packages.filter((name) => wanted.includes(name)) : packages;

// what the web app is built from; web/src imports only types from server/, which vite drops
const webInputs = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'web/package.json', 'web/tsconfig.json', 'package-lock.json'];
const webStamp = path.join(root, 'web/dist/.built');

function run(command, args, cwd = root) {
  // node itself rather than npx/npm: their start-up alone costs seconds on a busy machine
  const result = spawnSync(process.execPath, [command, ...args], { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function newestMtime(target) {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows only in its directory's mtime
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

const typescriptProjects = selected.filter((name) => name !== 'web');
if (typescriptProjects.length > 0) {
  run(binOf('.', 'typescript', 'bin/tsc'), ['-b', ...typescriptProjects]);
  if (typescriptProjects.includes('agent')) fs.chmodSync(path.join(root, 'agent/dist/main.js'), 0o755);
}

if (selected.includes('web')) {
  const builtAt = fs.statSync(webStamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const changedAt = Math.max(...webInputs.map((input) => newestMtime(path.join(root, input))));
  if (changedAt > builtAt) {
    const startedAt = new Date();
    console.log('building web/ ...');
    run(binOf('web', 'vite', 'bin/vite.js'), ['build', '--logLevel', 'warn'], path.join(root, 'web'));
    // stamped with the time the build began, so a file saved during the build triggers the next one
    fs.writeFileSync(webStamp, '');
    fs.utimesSync(webStamp, startedAt, startedAt);
  } else {
    console.log('web/dist is up to date');
  }
}
