// `npm run api-types`: writes the OpenAPI document of the real routes (web/src/api/openapi.json)
// and the TypeScript types the web app takes from it (web/src/api/openapi.d.ts), so the route
// schemas stay the one source of the web's request and answer types. The server is built
// in-process on the embedded defaults (PGlite in memory) and never listens. The test
// server/test/http/api-types.test.ts fails while the checked-in files differ from what this makes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// a devDependency of web/ (whose types it makes); npm workspaces install it at the root
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

export const REGENERATE_COMMAND = 'npm run api-types';

const root = path.resolve(import.meta.dirname, '../..');

/** the generated files: path from the repository root -> contents */
export async function generateApiFiles(): Promise<Record<string, string>> {
  const document = await openApiDocument();
  const json = `${JSON.stringify(document, null, 2)}\n`;
  // from the text, not the object: openapi-typescript may annotate the object it is given
  const types = COMMENT_HEADER + astToString(await openapiTS(JSON.parse(json) as OpenAPI3, { silent: true }));
  return { 'web/src/api/openapi.json': json, 'web/src/api/openapi.d.ts': types };
}

/** what GET /openapi.json answers in production (no /dev pages), on the embedded defaults otherwise */
export async function openApiDocument(): Promise<unknown> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-api-types-'));
  // a fixed environment, not the caller's: the document must not depend on who generates it
  const env = {
    DATABASE_URL: 'memory://',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://localhost:8080',
    DEV_PAGES: 'false',
  };
  const app = await createApp(loadConfig(env));
  try {
    await app.http.ready();
    return app.http.swagger();
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  for (const [file, contents] of Object.entries(await generateApiFiles())) {
    fs.writeFileSync(path.join(root, file), contents);
    console.log(`wrote ${file}`);
  }
}
