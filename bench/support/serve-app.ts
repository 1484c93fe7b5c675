// A server in a process of its own, so that the load generator does not share its event loop.
//   node --import tsx support/serve-app.ts bare             a bare Fastify app: GET /bare -> {ok:true}
//   node --import tsx support/serve-app.ts app '<env JSON>' Pinokio: createApp(loadConfig(env)),
//                                                           and one new brand to sign up with
// Prints one JSON line {"url": ..., "brandCode": ...} on stdout once it listens. Stops on SIGTERM or SIGINT, or when
// its standard input closes (the parent went away), so it never outlives the bench. On stdin,
// `cpu` answers {"cpu": process.cpuUsage()}; `memory` answers {"memory": process.memoryUsage()} after a
// full garbage collection; `profile-start` and `profile-stop <file>` CPU-profile
// the server between the two (answered by {"profiling":"started"} and {"profiling":"written"}).
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import Fastify from 'fastify';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';

const [mode, envJson] = process.argv.slice(2);
let close: () => Promise<void>;

if (mode === 'bare') {
  const app = Fastify();
  app.get('/bare', async () => ({ ok: true }));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  close = () => app.close();
  console.log(JSON.stringify({ url: address }));
} else if (mode === 'app') {
  // DEV_PAGES on unless told otherwise: support/owner.ts reads sign-up codes from the dev outbox,
  // which the server turns off by default when DATABASE_URL is set
  const config = loadConfig({ DEV_PAGES: 'true', ...(JSON.parse(envJson ?? '{}') as Record<string, string>) });
  const app = await createApp(config);
  // a brand of our own, as `pinokio create-brand` makes one (not the demo seed: it is slow and changes)
  const brand = await app.services.brands.create(`Bench ${Date.now().toString(36)}`);
  const address = await app.listen();
  close = () => app.close();
  console.log(JSON.stringify({ url: address.replace('0.0.0.0', '127.0.0.1'), brandCode: brand.code }));
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

// global.gc without starting node with --expose-gc (the flag must be set before a context asks for it)
v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const inspector = new Session();
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, file] = line.trim().split(/\s+/, 2);
  void (async () => {
    if (command === 'cpu') {
      console.log(JSON.stringify({ cpu: process.cpuUsage() }));
    } else if (command === 'memory') {
      // after a full collection, so that what is counted is what is still held
      collectGarbage();
      await new Promise((resolve) => setImmediate(resolve));
      collectGarbage();
      console.log(JSON.stringify({ memory: process.memoryUsage() }));
    } else if (command === 'profile-start') {
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
