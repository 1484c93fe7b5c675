// What every agent test needs: a temporary folder, a camera folder with a fixture photo, the
// agent's flags for quick retries, and cleanup in reverse order.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AgentProcess } from './agent-process.js';
import type { FakePrinter } from './fake-printer.js';
import type { FakeTerminal } from './fake-terminal.js';
import type { ProvisionedKiosk } from './kiosk.js';

const root = path.resolve(import.meta.dirname, '../../..');
export const faceFixtures = path.join(root, 'fixtures/faces');

export function temporaryDirectory(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pinokio-agent-${prefix}-`));
}

/** a folder camera holding one fixture portrait (the agent cycles through a folder's images) */
export function cameraFolder(directory: string, photo = 'bearded_man.jpg'): string {
  const folder = path.join(directory, 'camera');
  fs.mkdirSync(folder, { recursive: true });
  fs.copyFileSync(path.join(faceFixtures, photo), path.join(folder, photo));
  return folder;
}

/** short waits so the tests see several retries; the credentials retry stays long, as in production */
export const quickRetries = ['--retry-min-ms', '100', '--retry-max-ms', '800', '--log-level', 'debug'];

export function startAgent(kiosk: Pick<ProvisionedKiosk, 'loginId' | 'secret'>, args: string[]): AgentProcess {
  return new AgentProcess([...quickRetries, ...args], { PINOKIO_KIOSK_ID: kiosk.loginId, PINOKIO_KIOSK_SECRET: kiosk.secret });
}

/** a TCP port free right now on 127.0.0.1 (a server restarted by a test keeps its device port, so the agent finds it again) */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * The agent's flags for a kiosk that takes cards and prints receipts and has neither a distance
 * sensor nor a camera: the fake terminal's and the fake printer's ports and the folder of the
 * agent's payment journal (kept across a restart of the agent when the same folder is given again).
 */
export function paymentAgentArgs(options: {
  server: string;
  terminal: FakeTerminal;
  printer: FakePrinter;
  stateDir: string;
  /** how long past the card timeout the driver waits before calling the answer lost */
  answerMarginMs?: number;
}): string[] {
  const margin = options.answerMarginMs === undefined ? '' : `,answer_margin_ms=${options.answerMarginMs}`;
  return [
    '--server',
    options.server,
    '--serial-port',
    'none',
    '--camera',
    'none',
    '--card-terminal',
    `line:${options.terminal.agentPath}${margin}`,
    '--printer',
    `escpos:${options.printer.agentPath}`,
    '--state-dir',
    options.stateDir,
  ];
}
