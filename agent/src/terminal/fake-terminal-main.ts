// The fake card terminal as a command, for the demo and for trying the agent by hand:
//   node agent/dist/terminal/fake-terminal-main.js --link /tmp/pinokio-terminal
// prints the path to give the agent (--card-terminal line:<path>), then every request and its
// outcome. Type an outcome on stdin (approve, decline, timeout, remove, lose_answer) to queue it
// for the next charge.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { FAKE_CHARGE_BEHAVIOURS, type FakeChargeBehaviour, FakeTerminal } from './fake-terminal.js';

const { values } = parseArgs({
  options: { link: { type: 'string', default: '/tmp/pinokio-terminal' }, 'answer-delay-ms': { type: 'string', default: '1500' } },
});
const terminal = new FakeTerminal(fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-fake-terminal-')), { agentPath: path.resolve(values.link) });
terminal.answerDelayMs = Number(values['answer-delay-ms']);
await terminal.start();
console.log(`fake card terminal ready: give the agent --card-terminal line:${terminal.agentPath}`);
console.log(`type one of ${FAKE_CHARGE_BEHAVIOURS.join(', ')} to choose the next charge's outcome (default approve)`);
terminal.on('request', (line) => console.log(`<- ${line}`));

readline.createInterface({ input: process.stdin }).on('line', (input) => {
  const behaviour = input.trim() as FakeChargeBehaviour;
  if (!FAKE_CHARGE_BEHAVIOURS.includes(behaviour)) return console.log(`unknown: ${input.trim()}`);
  terminal.next.push(behaviour);
  console.log(`next charges: ${terminal.next.join(', ')}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void terminal.unplug().then(() => process.exit(0));
  });
}
