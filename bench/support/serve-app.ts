// A server in a process of its own, so that the load generator does not share its event loop.
//   node --import tsx support/serve-app.ts bare             a bare Fastify app: GET /bare -> {ok:true}
//   node --import tsx support/serve-app.ts app '<env JSON>' Pinokio: createApp(loadConfig(env)),
//                                                           with the demo seed on an empty database
// Prints one JSON line {"url": ...} on stdout once it listens. Stops on SIGTERM or SIGINT, or when
// its standard input closes (the parent went away), so it never outlives the bench. On stdin,
// `profile-start` and `profile-stop <file>` CPU-profile the server between the two (answered by
// {"profiling":"started"} and {"profiling":"written"}).
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';
import Fastify from 'fastify';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { PasswordHasher } from '../../server/src/modules/auth/password-hasher.js';
import { isEmpty, seedDemo } from '../../server/src/modules/demo/demo-seed.js';

const [mode, envJson] = process.argv.slice(2);
let close: () => Promise<void>;

if (mode === 'bare') {
  const app = Fastify();
  app.get('/bare', async () => ({ ok: true }));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  close = () => app.close();
  console.log(JSON.stringify({ url: address }));
} else if (mode === 'app') {
  const config = loadConfig(JSON.parse(envJson ?? '{}') as Record<string, string>);
  const app = await createApp(config);
  let seeded = 0;
  if (await isEmpty(app.database.db)) {
    seeded = (await seedDemo(app.database.db, new PasswordHasher(config.auth.argon2))).length;
  }
  const address = await app.listen();
  close = () => app.close();
  console.log(JSON.stringify({ url: address.replace('0.0.0.0', '127.0.0.1'), seeded }));
} else {
  console.error('usage: serve-app.ts bare | app <env JSON>');
  process.exit(2);
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(1), 5000).unref();
  await close().catch((error: unknown) => console.error(error));
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());

const inspector = new Session();
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, file] = line.trim().split(/\s+/, 2);
  void (async () => {
    if (command === 'profile-start') {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
      console.log(JSON.stringify({ profiling: 'started' }));
    } else if (command === 'profile-stop' && file) {
      const { profile } = await inspector.post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      inspector.disconnect();
      console.log(JSON.stringify({ profiling: 'written', file }));
    }
  })();
});
