// What every agent test needs: a temporary folder, a camera folder with a fixture photo, the
// agent's flags for quick retries, and cleanup in reverse order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AgentProcess } from './agent-process.js';
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
