// The web app's API types are generated from the route schemas and checked in
// (web/src/api/openapi.json and openapi.d.ts): a route changed without regenerating them fails here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { generateApiFiles, REGENERATE_COMMAND } from '../../scripts/api-types.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const root = path.resolve(import.meta.dirname, '../../..');

let server: TestServer;
before(async () => {
  server = await startTestServer({ env: { DEV_PAGES: 'false' } }); // as in production, like the checked-in document
});
after(() => server?.close());

/** "line N: expected … / checked in …" for the first line that differs, so a failure stays short */
function firstDifference(expected: string, actual: string): string {
  const want = expected.split('\n');
  const have = actual.split('\n');
  const line = want.findIndex((text, index) => text !== have[index]);
  const at = line === -1 ? want.length : line;
  return `line ${at + 1}: generated ${JSON.stringify(want[at] ?? '(end)')}, checked in ${JSON.stringify(have[at] ?? '(end)')}`;
}

test('the checked-in OpenAPI document and web types are what the routes generate now', async () => {
  const generated = await generateApiFiles();
  assert.deepEqual(Object.keys(generated).sort(), ['web/src/api/openapi.d.ts', 'web/src/api/openapi.json']);
  for (const [file, contents] of Object.entries(generated)) {
    const absolute = path.join(root, file);
    const checkedIn = fs.existsSync(absolute) ? fs.readFileSync(absolute, 'utf8') : '';
    assert.ok(
      checkedIn === contents,
      `${file} is stale (the route schemas changed): run "${REGENERATE_COMMAND}" and commit the result. First difference at ${firstDifference(contents, checkedIn)}`,
    );
  }
});

test('GET /openapi.json serves the checked-in document (apart from the server address)', async () => {
  const checkedIn = JSON.parse(fs.readFileSync(path.join(root, 'web/src/api/openapi.json'), 'utf8')) as { servers?: unknown };
  const response = await server.api('GET', '/openapi.json');
  assert.equal(response.status, 200);
  assert.deepEqual(
    { ...response.body, servers: checkedIn.servers },
    checkedIn,
    `GET /openapi.json differs from web/src/api/openapi.json: run "${REGENERATE_COMMAND}"`,
  );
});
