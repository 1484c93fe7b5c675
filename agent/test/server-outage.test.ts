// The server goes away while the kiosk runs: the agent keeps measuring, queues the readings,
// reconnects with backoff, and delivers them once its command stream is open again (the same
// server: same database, same gRPC port, restarted).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createPostgresDatabase, startTestServer, usingServers, type TestServer } from '../../server/test/support/test-server.js';
import type { AgentProcess } from './support/agent-process.js';
import { FakeArduino } from './support/fake-arduino.js';
import { provisionKiosk } from './support/kiosk.js';
import { freePort, startAgent, temporaryDirectory } from './support/setup.js';

let server: TestServer | undefined;
let agent: AgentProcess | undefined;
let arduino: FakeArduino | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

after(async () => {
  await agent?.stop();
  await arduino?.unplug();
  await server?.close();
  await dropDatabase?.();
});

test('server down: readings are queued, retried with backoff and delivered when it is back', async () => {
  // a database that outlives one server: PGlite on disk, or a PostgreSQL database of the test's own
  const database = usingServers ? await createPostgresDatabase() : undefined;
  dropDatabase = database?.drop;
  const grpcPort = await freePort();
  const dataDir = temporaryDirectory('outage-server');
  const startServer = () =>
    startTestServer({
      ...(database ? { databaseUrl: database.url } : {}),
      env: { DEVICE_GRPC_PORT: String(grpcPort), ...(database ? {} : { DATABASE_URL: '', DATA_DIR: dataDir }) },
    });

  server = await startServer();
  const kiosk = await provisionKiosk(server);
  arduino = new FakeArduino(temporaryDirectory('outage'));
  arduino.answer = { distanceCm: 220 };
  await arduino.start();
  const agentProcess = startAgent(kiosk, ['--server', `127.0.0.1:${grpcPort}`, '--serial-port', arduino.agentPath, '--camera', 'none']);
  agent = agentProcess;
  await agent.waitFor('server.connected');
  await agent.waitFor('distance.sent');

  const down = agent.logs.length;
  await server.close();
  server = undefined;
  await agent.waitFor('server.disconnected', {}, { from: down });
  // no command stream, no reports: the readings wait in the outbox
  await agent.waitFor('outbox.held', { outbox: 'readings' }, { from: down });
  await agent.waitFor('server.unreachable', {}, { from: down });
  // someone walks up while the server is away
  arduino.answer = { distanceCm: 60 };
  await arduino.waitForRequests(10);
  // from here on the sensor measures nothing: whatever the server hears next came from the outbox
  arduino.answer = { error: 'timeout' };
  await arduino.waitForRequests(2);
  const measuredWhileDown = agent.logs.slice(down).filter((line) => line.event === 'sensor.reading' && line.centimetres === 60).length;
  assert.ok(measuredWhileDown >= 10);
  assert.ok(agent.running);

  const up = agent.logs.length;
  server = await startServer();
  await agent.waitFor('server.connected', {}, { from: up, timeoutMs: 30_000 });
  const released = await agent.waitFor('outbox.released', { outbox: 'readings' }, { from: up });
  assert.ok((released.queued as number) >= measuredWhileDown);
  // the server decided presence from the queued readings alone, and asked for photos
  await agent.waitFor('presence.changed', { present: true }, { from: up });
  const readingsSent = (lines: typeof agentProcess.logs) =>
    lines.filter((line) => line.event === 'distance.sent').reduce((sum, line) => sum + (line.readings as number), 0);
  assert.equal(
    readingsSent(agent.logs.slice(up)),
    agent.events('sensor.reading').length - readingsSent(agent.logs.slice(0, up)),
    'every reading measured while the server was away was delivered, once',
  );
  await agent.waitFor('command.capture', {}, { from: up });
  assert.equal(agent.events('outbox.refused').length, 0);
});
