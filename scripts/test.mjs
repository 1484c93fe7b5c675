#!/usr/bin/env node
// `npm test`: every test, through the real interfaces. First on the embedded defaults (PGlite,
// in-process cache and bus); then, with PINOKIO_TEST_SERVERS=1, again against PostgreSQL and
// Redis (see README). Browser tests run in Debian's Chromium. Ends with "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const withServers = process.env.PINOKIO_TEST_SERVERS === '1';
const only = process.argv.slice(2); // optional filters: substrings of test file paths

function testFiles(dir) {
  const absolute = path.join(root, dir);
  if (!fs.existsSync(absolute)) return [];
  return fs
    .readdirSync(absolute, { recursive: true })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => path.join(dir, file))
    .filter((file) => only.length === 0 || only.some((filter) => file.includes(filter)))
    .sort();
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedStages = [];

function runSuite(name, files, env) {
  if (files.length === 0) return;
  console.log(`\n=== ${name}: ${files.length} files ===`);
  const tap = path.join(os.tmpdir(), `pinokio-${process.pid}-${name.replace(/\W+/g, '-')}.tap`);
  const status = run(
    process.execPath,
    [
      '--import', 'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...files,
    ],
    env,
  );
  const summary = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (label) => Number(summary.match(new RegExp(`^# ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  totals.skipped += count('skipped') + count('todo');
  if (status !== 0) failedStages.push(name);
}

// face/ is consumed as a built package (its worker threads load compiled JavaScript)
console.log('=== building face/ ===');
if (run('npm', ['run', 'build', '-w', 'face']) !== 0) failedStages.push('face build');

const serverTests = [...testFiles('face/test'), ...testFiles('agent/test'), ...testFiles('server/test')];
const browserTests = testFiles('e2e/tests');

if (browserTests.length > 0) {
  console.log('=== building the web app for the browser tests ===');
  if (run('npm', ['run', 'build', '-w', 'web']) !== 0) failedStages.push('web build');
}

runSuite('server, embedded defaults', serverTests, { PINOKIO_TEST_SERVERS: '0' });
runSuite('browser, embedded defaults', browserTests, { PINOKIO_TEST_SERVERS: '0' });
if (withServers) {
  runSuite('server, PostgreSQL + Redis', serverTests, { PINOKIO_TEST_SERVERS: '1' });
  runSuite('browser, PostgreSQL + Redis', browserTests, { PINOKIO_TEST_SERVERS: '1' });
} else {
  console.log('\n(PostgreSQL + Redis runs skipped: set PINOKIO_TEST_SERVERS=1 to include them)');
}

if (failedStages.length > 0) console.log(`\nFailed: ${failedStages.join(', ')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStages.length > 0 || totals.failed > 0 ? 1 : 0);
