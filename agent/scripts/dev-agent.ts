// `npm run dev:agent`: the whole device path on a developer's machine, no hardware. A fake Arduino
// on a socat pseudo-terminal pair (type a distance to move the "customer"), a folder camera with a
// fixture portrait, a fake card terminal and a fake receipt printer (each on its own pair; type how
// the next card goes, or the printer's paper state; printed receipts appear here as text), and the
// real agent talking to the local server (`npm start`) as the demo kiosk.
// Open http://localhost:8080/kiosk signed in as that kiosk to watch its screen react.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { FakePrinter } from '../src/printer/fake-printer.js';
import { FAKE_CHARGE_BEHAVIOURS, type FakeChargeBehaviour, FakeTerminal } from '../src/terminal/fake-terminal.js';
import { FakeArduino } from '../test/support/fake-arduino.js';

const root = path.resolve(import.meta.dirname, '../..');
const workDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-dev-agent-'));
const photos = (process.env.DEV_AGENT_PHOTOS ?? 'woman_frame_a.jpg,woman_frame_b.jpg').split(',');
const cameraDirectory = path.join(workDirectory, 'camera');
fs.mkdirSync(cameraDirectory);
for (const photo of photos) fs.copyFileSync(path.join(root, 'fixtures/faces', photo.trim()), path.join(cameraDirectory, photo.trim()));

const arduino = new FakeArduino(path.join(workDirectory, 'serial'));
arduino.answer = { distanceCm: 250 };
await arduino.start();
const terminal = new FakeTerminal(path.join(workDirectory, 'terminal'));
// a customer takes a moment to insert the card
terminal.answerDelayMs = 2_000;
await terminal.start();
const printer = new FakePrinter(path.join(workDirectory, 'printer'));
await printer.start();
printer.on('receipt', (text) => process.stderr.write(`\n--- receipt printed ---\n${text}\n-----------------------\n`));

const agent = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    path.join(root, 'agent/src/main.ts'),
    '--serial-port',
    arduino.agentPath,
    '--camera',
    `folder:${cameraDirectory}`,
    '--card-terminal',
    `line:${terminal.agentPath}`,
    '--printer',
    `escpos:${printer.agentPath}`,
    '--state-dir',
    path.join(workDirectory, 'state'),
  ],
  {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      PINOKIO_SERVER: process.env.PINOKIO_SERVER ?? '127.0.0.1:50051',
      PINOKIO_KIOSK_ID: process.env.PINOKIO_KIOSK_ID ?? 'demo-haneul-1-1',
      PINOKIO_KIOSK_SECRET: process.env.PINOKIO_KIOSK_SECRET ?? 'pinokio-demo-kiosk-secret',
    },
  },
);

process.stderr.write(
  [
    '',
    `fake Arduino on ${arduino.agentPath}; camera: ${photos.join(', ')}`,
    'type a distance in cm and Enter (50 = someone at the kiosk, 250 = nobody),',
    '"err" (the sensor sees nothing), "garbage", "unplug", "plug", or "quit";',
    `the next card: ${FAKE_CHARGE_BEHAVIOURS.join(', ')} (default approve); the printer: paper_out, paper_low, ready, offline`,
    '',
  ].join('\n'),
);

async function quit(): Promise<void> {
  agent.kill('SIGTERM');
  await new Promise((resolve) => agent.once('exit', resolve));
  await Promise.all([arduino.unplug(), terminal.unplug(), printer.unplug()]);
  fs.rmSync(workDirectory, { recursive: true, force: true });
  process.exit(0);
}

agent.once('exit', (code) => {
  process.stderr.write(`the agent exited (${code})\n`);
  void arduino.unplug().then(() => process.exit(code ?? 1));
});
process.on('SIGINT', () => void quit());

const input = readline.createInterface({ input: process.stdin });
input.on('line', (typed) => {
  const command = typed.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(command)) arduino.answer = { distanceCm: Number(command) };
  else if (command === 'err') arduino.answer = { error: 'timeout' };
  else if (command === 'garbage') arduino.answer = { garbage: '#?!' };
  else if (command === 'unplug') void arduino.unplug();
  else if (command === 'plug') void arduino.start();
  else if (command === 'quit' || command === 'q') void quit();
  else if ((FAKE_CHARGE_BEHAVIOURS as readonly string[]).includes(command)) terminal.next.push(command as FakeChargeBehaviour);
  else if (command === 'paper_out' || command === 'paper_low' || command === 'ready' || command === 'offline') printer.state = command;
  else if (command !== '') process.stderr.write('a number, err, garbage, unplug, plug, a card outcome, a printer state or quit\n');
});
input.on('close', () => void quit());
