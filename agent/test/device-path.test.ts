// The whole device path against a real Pinokio server: the fake Arduino reports someone near, the
// server decides they arrived and asks for photos, the agent sends the folder camera's frames, and
// the kiosk's own live stream shows the analysis; walking away resets it. Then the cases where the
// agent must keep running: no camera, wrong credentials.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import type { AgentProcess } from './support/agent-process.js';
import { FakeArduino } from './support/fake-arduino.js';
import { LiveStream, provisionKiosk } from './support/kiosk.js';
import { cameraFolder, startAgent, temporaryDirectory } from './support/setup.js';

let server: TestServer;
const cleanups: Array<() => Promise<unknown> | void> = [];

before(async () => {
  // one face worker keeps the CPU modest; the first analysis loads the models, slow on a busy machine
  server = await startTestServer({ env: { FACE_WORKERS: '1', FACE_ANALYSIS_TIMEOUT_MS: '90000' } });
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await server?.close();
});

async function pluggedArduino(name: string): Promise<FakeArduino> {
  const arduino = new FakeArduino(temporaryDirectory(name));
  await arduino.start();
  cleanups.push(() => arduino.unplug());
  return arduino;
}

function track(agent: AgentProcess): AgentProcess {
  cleanups.push(() => agent.stop());
  return agent;
}

test('someone at 50 cm: the server asks for photos, the agent sends them, the kiosk screen shows the analysis; leaving resets it', async () => {
  const kiosk = await provisionKiosk(server);
  const directory = temporaryDirectory('path');
  const arduino = await pluggedArduino('path');
  const live = await LiveStream.open(server, kiosk);
  cleanups.push(() => live.close());
  const agent = track(
    startAgent(kiosk, ['--server', server.deviceAddress, '--serial-port', arduino.agentPath, '--camera', `folder:${cameraFolder(directory)}`]),
  );
  await agent.waitFor('camera.ready');
  const settings = await agent.waitFor('command.settings');
  assert.equal(settings.framesPerCapture, 3, "the store's settings arrive first");

  arduino.answer = { distanceCm: 50 };
  const presence = await agent.waitFor('presence.changed', { present: true });
  assert.equal(presence.centimetres, 50);
  const capture = await agent.waitFor('command.capture');
  assert.equal(capture.frames, 3);
  const taken = await agent.waitFor('capture.taken', { captureId: capture.captureId });
  assert.equal(taken.frames, 3);
  const sent = await agent.waitFor('frames.sent', { captureId: capture.captureId }, { timeoutMs: 100_000 });
  assert.equal(sent.accepted, 3);
  assert.equal(sent.faceFound, true, 'the fixture portrait holds a face');

  const analysis = await live.waitFor('analysis', (data) => data.analysisId === sent.analysisId);
  assert.equal(analysis.data.faceFound, true);
  assert.equal(typeof analysis.data.age, 'number');
  assert.equal('embedding' in analysis.data, false);

  arduino.answer = { distanceCm: 250 };
  await agent.waitFor('command.reset', {}, { timeoutMs: 30_000 });
  await agent.waitFor('display.brightness', { reason: 'reset' });
  await live.waitFor('reset');
  await agent.waitFor('presence.changed', { present: false });
});

test('no camera: the agent says so, skips the capture, and keeps measuring', async () => {
  const kiosk = await provisionKiosk(server);
  const arduino = await pluggedArduino('nocam');
  const agent = track(startAgent(kiosk, ['--server', server.deviceAddress, '--serial-port', arduino.agentPath, '--camera', 'ffmpeg:/dev/video-not-plugged']));
  const unavailable = await agent.waitFor('camera.unavailable');
  assert.equal(unavailable.level, 'warn');
  assert.match(unavailable.reason as string, /video-not-plugged/);
  await agent.waitFor('server.connected');

  arduino.answer = { distanceCm: 45 };
  const capture = await agent.waitFor('command.capture');
  const skipped = await agent.waitFor('capture.skipped', { captureId: capture.captureId });
  assert.match(skipped.reason as string, /video-not-plugged/);
  // still measuring and reporting afterwards
  const from = agent.logs.length;
  await arduino.waitForRequests(5);
  await agent.waitFor('distance.sent', {}, { from });
  assert.equal(agent.events('frames.sent').length, 0);
  assert.ok(agent.running);
});

test('wrong credentials: one clear error, a slow retry, no crash', async () => {
  const kiosk = await provisionKiosk(server);
  const arduino = await pluggedArduino('badcreds');
  const agent = track(
    startAgent({ loginId: kiosk.loginId, secret: 'not-the-secret' }, [
      '--server',
      server.deviceAddress,
      '--serial-port',
      arduino.agentPath,
      '--camera',
      'none',
    ]),
  );
  const refused = await agent.waitFor('server.unauthenticated');
  assert.equal(refused.level, 'error');
  assert.match(refused.message as string, /refused this kiosk's credentials/);
  assert.equal(refused.retryInMs, 60_000, 'waits for someone to fix the credentials');
  assert.equal(agent.output.includes('not-the-secret'), false, 'the secret is never logged');

  // the sensor goes on; the readings wait in the outbox for a command stream, nothing loops
  await arduino.waitForRequests(20);
  assert.ok(agent.running);
  assert.equal(agent.events('server.unauthenticated').length, 1);
  assert.equal(agent.events('server.unreachable').length, 0);
  assert.equal(agent.events('distance.sent').length, 0);
  assert.equal(await agent.stop(), 0, 'stops cleanly on SIGTERM');
  const stopped = agent.events('agent.stopped')[0]!;
  assert.ok((stopped.queuedReadings as number) >= 20, 'the readings were kept');
});
