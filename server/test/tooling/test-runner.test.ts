// `npm test` itself (scripts/test.mjs), on a copy of the runner in a throw-away repository with test
// files made for it: a file that hangs fails within its time limit under its name, and skipped suites
// count in the closing line "N passed, N failed, N skipped", and server test files run two at a time.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const repo = path.resolve(import.meta.dirname, '../../..');

/** runs `npm test`'s script on a repository holding only these server test files; its output and exit code */
async function runTests(files: Record<string, string>, env: Record<string, string> = {}): Promise<{ output: string; code: number | null; seconds: number }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-test-runner-'));
  try {
    fs.cpSync(path.join(repo, 'scripts/test.mjs'), path.join(root, 'scripts/test.mjs'));
    fs.cpSync(path.join(repo, 'scripts/test-reporters'), path.join(root, 'scripts/test-reporters'), { recursive: true });
    fs.writeFileSync(path.join(root, 'scripts/build-if-changed.mjs'), ''); // nothing to build here
    fs.symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.join(root, 'server/test'), { recursive: true });
      fs.writeFileSync(path.join(root, 'server/test', name), text);
    }
    const started = Date.now();
    // in a process group of its own, so that a runner that leaves a test file behind is stopped with it
    const child = spawn(process.execPath, ['scripts/test.mjs'], { cwd: root, env: { ...process.env, PINOKIO_TEST_SERVERS: '0', ...env }, detached: true });
    const stopAll = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {} // all gone already
    };
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(stopAll, 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(timer);
    stopAll();
    return { output, code, seconds: (Date.now() - started) / 1000 };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('a test file that hangs is stopped at its time limit and fails under its name and the test it was in', async () => {
  const run = await runTests(
    {
      'hangs.test.ts': `
        import { describe, test } from 'node:test';
        describe('waiting room', () => {
          test('quick', () => {});
          test('waits for ever', () => new Promise(() => setInterval(() => {}, 1000)));
        });`,
      'after.test.ts': `import { test } from 'node:test'; test('runs after the hang', () => {});`,
    },
    { TEST_FILE_TIMEOUT_SECONDS: '3' },
  );
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /server\/test\/hangs\.test\.ts \(timed out after 3 s in "waiting room > waits for ever"\)/);
  assert.match(run.output, /\n2 passed, 1 failed, 0 skipped\n/);
  assert.ok(run.seconds < 45, `took ${run.seconds} s`);
});

test('skipped suites and tests count as skipped in the closing line; a file that dies outside any test counts as failed', async () => {
  const run = await runTests({
    'skips.test.ts': `
      import { describe, test } from 'node:test';
      describe('needs the servers', { skip: 'needs PINOKIO_TEST_SERVERS=1' }, () => { test('a', () => {}); test('b', () => {}); });
      describe('some', () => { test('runs', () => {}); test('not yet', { todo: true }, () => {}); });
      test('skipped alone', { skip: true }, () => {});`,
    'dies.test.ts': `throw new Error('broken import');`,
  });
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /server\/test\/dies\.test\.ts \(exited with code 1 before any test failed\)/);
  assert.match(run.output, /\n1 passed, 1 failed, 3 skipped\n/);
});

test('server test files run two at a time, and the output of each is printed whole, not interleaved with the other', async () => {
  // each file waits for the other to have started (a marker file), so the test fails if they ran one after the other
  const sideBySide = (me: string, other: string) => `
    import fs from 'node:fs';
    import { test } from 'node:test';
    test('${me} meets ${other}', async () => {
      fs.writeFileSync('${me}.started', '');
      for (let line = 0; line < 5; line++) console.log('${me} line ' + line);
      const deadline = Date.now() + 20_000;
      while (!fs.existsSync('${other}.started')) {
        if (Date.now() > deadline) throw new Error('${other} never started alongside');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (let line = 5; line < 10; line++) console.log('${me} line ' + line);
    });`;
  const run = await runTests({ 'first.test.ts': sideBySide('first', 'second'), 'second.test.ts': sideBySide('second', 'first') }, { TEST_CONCURRENCY: '2' });
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /\n2 passed, 0 failed, 0 skipped\n/);
  for (const name of ['first', 'second']) {
    const lines = run.output.split('\n').filter((line) => /^(first|second) line \d$/.test(line.trim()));
    const own = lines.map((line, index) => (line.trim().startsWith(name) ? index : -1)).filter((index) => index >= 0);
    assert.equal(own.length, 10, run.output);
    assert.equal(own[9]! - own[0]!, 9, `${name}'s lines are interleaved with the other file's:\n${run.output}`);
  }
});
