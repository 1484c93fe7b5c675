// The agent and its distance sensor over a real serial line (a socat pseudo-terminal pair and a
// fake Arduino speaking the firmware's protocol), reporting to a real Pinokio server.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import type { AgentProcess } from './support/agent-process.js';
import { FakeArduino } from './support/fake-arduino.js';
import { provisionKiosk, type ProvisionedKiosk } from './support/kiosk.js';
import { startAgent, temporaryDirectory } from './support/setup.js';

let server: TestServer;
let kiosk: ProvisionedKiosk;
let arduino: FakeArduino;
let agent: AgentProcess;

before(async () => {
  server = await startTestServer();
  kiosk = await provisionKiosk(server);
  arduino = new FakeArduino(temporaryDirectory('serial'));
  await arduino.start();
  // nobody near (200 cm), so no capture starts
  agent = startAgent(kiosk, ['--server', server.deviceAddress, '--serial-port', arduino.agentPath, '--camera', 'none']);
  await agent.waitFor('server.connected');
  await agent.waitFor('sensor.connected');
});

after(async () => {
  await agent?.stop();
  await arduino?.unplug();
  await server?.close();
});

test('readings from the sensor reach the server', async () => {
  const from = agent.logs.length;
  await agent.waitFor('distance.sent', {}, { from });
  const sent = agent.events('distance.sent').slice(-1)[0]!;
  assert.ok((sent.accepted as number) >= 1);
  assert.equal(sent.present, false, '200 cm is nobody');
  assert.equal(agent.events('outbox.refused').length, 0, 'the server refused no reading');
});

test('garbage, NaN, negative and absurd lines are dropped and counted; the agent keeps reporting', async () => {
  const lines = ['#@!garbage', 'NaN', '-5.0', '99999.0'];
  for (const garbage of lines) {
    const from = agent.logs.length;
    arduino.answer = { garbage };
    const dropped = await agent.waitFor('sensor.line_dropped', { line: garbage }, { from });
    assert.equal(dropped.level, 'warn');
    arduino.answer = { distanceCm: 200 };
    await agent.waitFor('sensor.reading', { centimetres: 200 }, { from: agent.logs.indexOf(dropped) });
  }
  const reasons = new Set(agent.events('sensor.line_dropped').map((line) => line.reason));
  assert.deepEqual([...reasons].sort(), ['not a number', 'not above zero', 'too far']);
  // none of it went to the server: it would have refused the batch
  const from = agent.logs.length;
  await agent.waitFor('distance.sent', {}, { from });
  assert.equal(agent.events('outbox.refused').length, 0);
  assert.ok(agent.running);
});

test('a sensor that keeps talking garbage is reopened with backoff, and recovers', async () => {
  const from = agent.logs.length;
  arduino.answer = { garbage: 'ÿÿÿ~~' };
  const first = await agent.waitFor('sensor.unavailable', {}, { from });
  assert.match(first.reason as string, /garbage lines in a row/);
  const second = await agent.waitFor('sensor.unavailable', {}, { from: agent.logs.indexOf(first) + 1 });
  assert.ok((second.attempt as number) > (first.attempt as number), 'each reopening waits longer');
  arduino.answer = { distanceCm: 150 };
  await agent.waitFor('sensor.reading', { centimetres: 150 }, { from: agent.logs.indexOf(second) });
  assert.ok(agent.running);
});

test('an unplugged sensor is retried with growing waits and used again once plugged back', async () => {
  arduino.answer = { distanceCm: 120 };
  await agent.waitFor('sensor.reading', { centimetres: 120 });
  const from = agent.logs.length;
  await arduino.unplug();
  const lost = await agent.waitFor('sensor.unavailable', {}, { from });
  // then the port is missing: each open fails, each wait longer than the one before
  const failures: number[] = [];
  let at = agent.logs.indexOf(lost);
  for (let i = 0; i < 3; i++) {
    const failed = await agent.waitFor('sensor.unavailable', { reason: 'open failed' }, { from: at + 1 });
    failures.push(failed.attempt as number);
    at = agent.logs.indexOf(failed);
  }
  assert.deepEqual(
    failures,
    [...failures].sort((a, b) => a - b),
  );
  assert.ok(failures[2]! > failures[0]!);
  assert.ok(agent.running, 'the agent runs on without its sensor');

  const plugged = agent.logs.length;
  arduino.answer = { distanceCm: 130 };
  await arduino.start();
  await agent.waitFor('sensor.connected', { port: arduino.agentPath }, { from: plugged });
  await agent.waitFor('sensor.reading', { centimetres: 130 }, { from: plugged });
  const sentFrom = agent.logs.length;
  await agent.waitFor('distance.sent', {}, { from: sentFrom });
  assert.equal(path.basename(arduino.agentPath), 'agent-end');
});
