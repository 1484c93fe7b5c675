// The fake receipt printer as a command, for the demo and for trying the agent by hand:
//   node agent/dist/printer/fake-printer-main.js --link /tmp/pinokio-printer
// prints the path to give the agent (--printer escpos:<path>), then each receipt's text.
// Type a paper state on stdin (ready, paper_low, paper_out, offline) to change it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { FakePrinter } from './fake-printer.js';
import type { PrinterState } from './receipt-printer.js';

const STATES: readonly PrinterState[] = ['ready', 'paper_low', 'paper_out', 'offline'];
const { values } = parseArgs({ options: { link: { type: 'string', default: '/tmp/pinokio-printer' } } });
const printer = new FakePrinter(fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-fake-printer-')), { agentPath: path.resolve(values.link) });
await printer.start();
console.log(`fake receipt printer ready: give the agent --printer escpos:${printer.agentPath}`);
console.log(`type one of ${STATES.join(', ')} to change its paper state`);
printer.on('receipt', (text) => console.log(`----- receipt ${printer.receipts.length} -----\n${text}\n----- cut -----`));

readline.createInterface({ input: process.stdin }).on('line', (input) => {
  const state = input.trim() as PrinterState;
  if (!STATES.includes(state)) return console.log(`unknown: ${input.trim()}`);
  printer.state = state;
  console.log(`printer state: ${state}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void printer.unplug().then(() => process.exit(0));
  });
}
