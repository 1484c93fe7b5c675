// The real Pinokio server for a browser test: embedded defaults, or PostgreSQL + Redis with
// PINOKIO_TEST_SERVERS=1. It serves web/dist, so `npm run build -w web` must have run first.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer, type TestServerOptions } from '../../server/test/support/test-server.js';

export { codeIn, createBrand, signUp, uniqueEmail } from '../../server/test/support/test-server.js';
export type { TestServer };

// PINOKIO_WEB_DIST: a web build of one's own (the server reads the same variable)
const webIndex = process.env.PINOKIO_WEB_DIST
  ? `${process.env.PINOKIO_WEB_DIST}/index.html`
  : fileURLToPath(new URL('../../web/dist/index.html', import.meta.url));

/**
 * startTestServer, through the variant that (on PostgreSQL) drops the test database only once the
 * server's connections are really gone.
 */
export async function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  if (!fs.existsSync(webIndex)) {
    throw new Error(`no built web app at ${webIndex}: run "npm run build -w web" first`);
  }
  return startTestServer(options);
}
