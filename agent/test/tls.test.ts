// The device port with TLS (DEVICE_GRPC_TLS_CERT/KEY): the agent trusting the server's certificate
// authority (--tls-ca) connects and reports; an agent speaking plaintext to it, or trusting another
// authority, says why it cannot connect and keeps running (the sensor goes on, readings wait).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import type { AgentProcess } from './support/agent-process.js';
import { FakeArduino } from './support/fake-arduino.js';
import { provisionKiosk, type ProvisionedKiosk } from './support/kiosk.js';
import { startAgent, temporaryDirectory } from './support/setup.js';

let server: TestServer;
let kiosk: ProvisionedKiosk;
let certificates: { serverCa: string; otherCa: string };
const cleanups: Array<() => Promise<unknown> | void> = [];

/** a self-signed certificate for 127.0.0.1, made with Debian's openssl: it is its own authority */
function selfSigned(directory: string, name: string): { cert: string; key: string } {
  const cert = path.join(directory, `${name}.pem`);
  const key = path.join(directory, `${name}-key.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

before(async () => {
  const directory = temporaryDirectory('tls');
  const serverCertificate = selfSigned(directory, 'pinokio-device-port');
  certificates = { serverCa: serverCertificate.cert, otherCa: selfSigned(directory, 'somebody-else').cert };
  server = await startTestServer({ env: { DEVICE_GRPC_TLS_CERT: serverCertificate.cert, DEVICE_GRPC_TLS_KEY: serverCertificate.key } });
  kiosk = await provisionKiosk(server);
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await server?.close();
});

async function agentWith(name: string, tlsArgs: string[]): Promise<{ agent: AgentProcess; arduino: FakeArduino }> {
  const arduino = new FakeArduino(temporaryDirectory(name));
  await arduino.start();
  cleanups.push(() => arduino.unplug());
  const agent = startAgent(kiosk, ['--server', server.deviceAddress, '--serial-port', arduino.agentPath, '--camera', 'none', ...tlsArgs]);
  cleanups.push(() => agent.stop());
  return { agent, arduino };
}

test("trusting the server's authority: connected over TLS, settings arrive, readings are sent", async () => {
  const { agent } = await agentWith('trusted', ['--tls-ca', certificates.serverCa]);
  const started = await agent.waitFor('agent.started');
  assert.equal(started.tls, true);
  await agent.waitFor('server.connected');
  await agent.waitFor('command.settings');
  await agent.waitFor('distance.sent');
  assert.equal(agent.events('server.unreachable').length, 0);
});

test('plaintext to the TLS port: unreachable, said plainly, and the agent keeps measuring', async () => {
  const { agent, arduino } = await agentWith('plaintext', []);
  const refused = await agent.waitFor('server.unreachable');
  assert.equal(refused.level, 'warn');
  assert.equal(refused.code, 'UNAVAILABLE');
  await arduino.waitForRequests(5);
  assert.ok(agent.running);
  assert.equal(agent.events('server.connected').length, 0);
  assert.equal(agent.events('distance.sent').length, 0, 'nothing went to a server it could not verify');
});

test('trusting another authority: the certificate is refused, nothing is sent, the agent keeps running', async () => {
  const { agent, arduino } = await agentWith('untrusted', ['--tls-ca', certificates.otherCa]);
  const refused = await agent.waitFor('server.unreachable');
  assert.equal(refused.code, 'UNAVAILABLE');
  assert.match(refused.details as string, /certificate/, 'the log says what is wrong');
  await arduino.waitForRequests(5);
  assert.ok(agent.running);
  assert.equal(agent.events('server.connected').length, 0);
  assert.equal(agent.events('distance.sent').length, 0);
  assert.equal(agent.output.includes(kiosk.secret), false, 'the secret never went out, nor into the log');
});
