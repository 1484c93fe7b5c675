// `npm run lint:api`: lints the OpenAPI document of the real routes with Redocly's recommended rules
// (redocly.yaml and its ignore file at the repository root). It lints the checked-in copy,
// web/src/api/openapi.json, after checking that it is what the routes make now: the ignore file
// names problems by that path.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { generateApiFiles, REGENERATE_COMMAND } from './api-types.js';

const root = path.resolve(import.meta.dirname, '../..');
const documentPath = 'web/src/api/openapi.json';

const fresh = (await generateApiFiles())[documentPath];
if (fs.readFileSync(path.join(root, documentPath), 'utf8') !== fresh) {
  console.error(`${documentPath} is not what the routes make now: run \`${REGENERATE_COMMAND}\` first.`);
  process.exit(1);
}

const redocly = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const result = spawnSync(process.execPath, [redocly, 'lint', documentPath, '--max-problems', '200'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
});
process.exitCode = result.status ?? 1;
