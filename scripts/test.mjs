#!/usr/bin/env node
// `npm test`: every test, through the real interfaces. First on the embedded defaults (PGlite,
// in-process cache and bus); then, with PINOKIO_TEST_SERVERS=1, again against PostgreSQL and
// Redis (see README). Browser tests run in Debian's Chromium. Ends with "N passed, N failed, N skipped".
// Each test file runs in a process of its own with a time limit: a file still running after it is
// stopped (its whole process group) and counted as a failure under its name, so a hang fails fast.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const withServers = process.env.PINOKIO_TEST_SERVERS === '1';
const only = process.argv.slice(2); // optional filters: substrings of test file paths
// seconds a test file may run; TEST_FILE_TIMEOUT_SECONDS overrides them all
const FILE_TIME_LIMIT = 300;
const SLOW_FILE_TIME_LIMITS = { 'server/test/cluster/': 900, 'server/test/demo/demo-seed': 900 };
const STOP_GRACE_MS = 10_000; // from SIGTERM to SIGKILL for a file over its time limit
// Test files run three at a time from one queue, server and browser files of both passes together
// (each file has its own database, Redis prefix, ports and Chromium; most of a file's time is spent
// waiting on I/O or on real idle timers, so a third lane costs little CPU); TEST_CONCURRENCY sets the
// number, 1 runs them one by one. Files that stop servers or load the machine on purpose, or whose
// timing follows the machine (a device's presence readings, WebRTC media, face analysis on
// arrival), always run alone.
const CONCURRENCY = Math.max(1, Number(process.env.TEST_CONCURRENCY ?? 3) || 1);
const RUN_ALONE = [
  'server/test/cluster/',
  'server/test/demo/',
  'server/test/http/database-outage',
  'server/test/grpc/presence-balanced',
  'e2e/tests/device-path',
  'e2e/tests/kiosk-presence',
  'e2e/tests/consultation',
];
// started first, so that the lanes end together: the files that take longest (mostly real waits)
const LONGEST_FIRST = [
  'e2e/tests/kiosk-access-timing',
  'e2e/tests/kiosk-access-waits',
  'e2e/tests/voice-keypad',
  'e2e/tests/ordering',
  'server/test/http/sales',
];

const isChosen = (file) => only.length === 0 || only.some((filter) => file.includes(filter));

/** every test file under dir, sorted (the filters from the command line are applied by the caller) */
function allTestFiles(dir) {
  const absolute = path.join(root, dir);
  if (!fs.existsSync(absolute)) return [];
  return fs
    .readdirSync(absolute, { recursive: true })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => path.join(dir, file))
    .sort();
}

function testFiles(dir) {
  return allTestFiles(dir).filter(isChosen);
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedStages = [];

function timeLimitOf(file) {
  if (process.env.TEST_FILE_TIMEOUT_SECONDS) return Number(process.env.TEST_FILE_TIMEOUT_SECONDS);
  const slow = Object.entries(SLOW_FILE_TIME_LIMITS).find(([prefix]) => file.startsWith(prefix));
  return slow ? slow[1] : FILE_TIME_LIMIT;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of runningFiles) signalGroup(child, 'SIGKILL');
    process.exit(130);
  });
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {} // the group is gone already
}

/** ' in "suite > test"': the innermost test that had started and not ended, from the counts reporter's lines */
function unfinishedTest(lines) {
  const open = [];
  for (const line of lines) {
    const [kind, nesting, name] = line.split('\t');
    if (kind === 'start') open.splice(Number(nesting), Infinity, name);
    else if (kind === 'end') open.splice(Number(nesting), Infinity);
  }
  return open.length > 0 ? ` in "${open.join(' > ')}"` : '';
}

/** runs one test file in its own process group; resolves to its counts and, if it failed as a whole, why */
let fileSequence = 0;
/** the processes of the files under way, stopped with this script on Ctrl-C */
const runningFiles = new Set();

/** runs one test file in its own process group; resolves to its counts and, if it failed as a whole, why. With `buffered`, its output is kept and printed whole when it ends (files running side by side do not interleave). */
function runFile(file, env, buffered = false) {
  const counted = path.join(os.tmpdir(), `pinokio-test-${process.pid}-${++fileSequence}.counts`);
  fs.rmSync(counted, { force: true });
  const limit = timeLimitOf(file);
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--import=tsx',
      '--test-reporter=./scripts/test-reporters/spec.mjs',
      '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/test-reporters/counts.mjs',
      `--test-reporter-destination=${counted}`,
      file,
    ],
    { cwd: root, stdio: ['ignore', buffered ? 'pipe' : 'inherit', buffered ? 'pipe' : 'inherit'], env: { ...process.env, ...env }, detached: true },
  );
  const output = [];
  if (buffered) {
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
  }
  runningFiles.add(child);
  let timedOut = false;
  let killer;
  const watchdog = setTimeout(() => {
    timedOut = true;
    console.log(`\n✖ ${file}: still running after ${limit} s; stopping it`);
    signalGroup(child, 'SIGTERM');
    killer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
  }, limit * 1000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      clearTimeout(killer);
      runningFiles.delete(child);
      if (buffered) process.stdout.write(Buffer.concat(output));
      signalGroup(child, 'SIGKILL'); // the file's servers and browsers, if any outlived it
      const lines = fs.existsSync(counted) ? fs.readFileSync(counted, 'utf8').split('\n') : [];
      fs.rmSync(counted, { force: true });
      const result = {
        passed: lines.filter((line) => line === 'passed').length,
        failed: lines.filter((line) => line === 'failed').length,
        skipped: lines.filter((line) => line === 'skipped').length,
        seconds: Math.round((Date.now() - started) / 1000),
      };
      if (timedOut) result.problem = `timed out after ${limit} s${unfinishedTest(lines)}`;
      else if (code !== 0 && result.failed === 0) result.problem = `exited with ${signal ?? `code ${code}`} before any test failed`;
      if (result.problem) result.failed++;
      resolve(result);
    });
  });
}

/**
 * Runs every (pass, file) pair from one queue: the files that may share the machine `concurrency`
 * at a time, longest first, whatever their pass (a pass's last slow file no longer leaves a lane
 * idle while the next pass waits), then the files that must run alone, one by one.
 */
async function runPasses(passes, concurrency) {
  const jobs = passes.flatMap((pass) => pass.files.map((file) => ({ pass, file })));
  if (jobs.length === 0) return;
  for (const pass of passes) if (pass.files.length > 0) console.log(`=== ${pass.name}: ${pass.files.length} files ===`);
  const failedFiles = new Map(passes.map((pass) => [pass.name, []]));
  const report = ({ pass, file }, result) => {
    totals.passed += result.passed;
    totals.failed += result.failed;
    totals.skipped += result.skipped;
    const skipped = result.skipped > 0 ? `, ${result.skipped} skipped` : '';
    const problem = result.problem ? ` (${result.problem})` : '';
    console.log(
      `${result.failed > 0 ? '✖' : '✔'} [${pass.label}] ${file}: ${result.passed} passed, ${result.failed} failed${skipped} in ${result.seconds} s${problem}`,
    );
    if (result.failed > 0) failedFiles.get(pass.name).push(`${file}${problem}`);
  };
  const isAlone = (job) => concurrency === 1 || RUN_ALONE.some((prefix) => job.file.startsWith(prefix));
  const rank = (job) => {
    const index = LONGEST_FIRST.findIndex((prefix) => job.file.startsWith(prefix));
    return index === -1 ? LONGEST_FIRST.length : index;
  };
  const alone = jobs.filter(isAlone);
  const together = jobs.filter((job) => !isAlone(job)).sort((a, b) => rank(a) - rank(b));
  let next = 0;
  const lane = async () => {
    while (next < together.length) {
      const job = together[next++];
      const result = await runFile(job.file, job.pass.env, true);
      console.log(`\n▶ [${job.pass.label}] ${job.file}`);
      report(job, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, together.length) }, lane));
  for (const job of alone) {
    console.log(`\n▶ [${job.pass.label}] ${job.file}`);
    report(job, await runFile(job.file, job.pass.env));
  }
  for (const [name, files] of failedFiles) if (files.length > 0) failedStages.push(`${name}: ${files.join(', ')}`);
}

// face/ is consumed as a built package (its worker threads load compiled JavaScript)
console.log('=== building face/ (if changed) ===');
if (run(process.execPath, ['scripts/build-if-changed.mjs', 'face']) !== 0) failedStages.push('face build');

const serverTests = [...testFiles('face/test'), ...testFiles('agent/test'), ...testFiles('server/test')];
const browserTests = testFiles('e2e/tests');

// PINOKIO_WEB_DIST: the browser tests use that build of the web app as it is (see e2e/support/server.ts)
if (browserTests.length > 0 && !process.env.PINOKIO_WEB_DIST) {
  console.log('=== building the web app for the browser tests (if changed) ===');
  if (run(process.execPath, ['scripts/build-if-changed.mjs', 'web']) !== 0) failedStages.push('web build');
}

const embedded = { PINOKIO_TEST_SERVERS: '0' };
const servers = { PINOKIO_TEST_SERVERS: '1' };
// Browser tests drive the web app, whose code is the same on either backend: with both passes,
// each browser file runs once, the files alternating between them (every other one in sorted
// order), so the browser suite exercises both backends in half the time; BROWSER_PASSES=both runs
// each file in both. Server, agent and face tests always run in both passes.
const browserInBoth = process.env.BROWSER_PASSES === 'both' || !withServers;
// by the file's place among all of them, so a file keeps its pass when run alone (npm test -- <name>)
const browserPassOf = new Map(allTestFiles('e2e/tests').map((file, index) => [file, index % 2 === 0 ? 'embedded' : 'servers']));
const browserEmbedded = browserInBoth ? browserTests : browserTests.filter((file) => browserPassOf.get(file) === 'embedded');
const browserServers = browserInBoth ? browserTests : browserTests.filter((file) => browserPassOf.get(file) === 'servers');
const passes = [
  { name: 'server, embedded defaults', label: 'embedded', files: serverTests, env: embedded },
  { name: 'browser, embedded defaults', label: 'embedded', files: browserEmbedded, env: embedded },
  ...(withServers
    ? [
        { name: 'server, PostgreSQL + Redis', label: 'PostgreSQL+Redis', files: serverTests, env: servers },
        { name: 'browser, PostgreSQL + Redis', label: 'PostgreSQL+Redis', files: browserServers, env: servers },
      ]
    : []),
];
if (!withServers) console.log('\n(PostgreSQL + Redis runs skipped: set PINOKIO_TEST_SERVERS=1 to include them)');
await runPasses(passes, CONCURRENCY);

if (failedStages.length > 0) console.log(`\nFailed:\n${failedStages.map((stage) => `  ${stage}`).join('\n')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStages.length > 0 || totals.failed > 0 ? 1 : 0);
