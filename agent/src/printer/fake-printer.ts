// A fake ESC/POS receipt printer on the device end of a socat pseudo-terminal pair, for tests and
// the demo: it decodes what it receives (escpos-decoder.ts) into receipts as text, and answers the
// paper sensor request (DLE EOT 4) as its `state` says; 'offline' answers nothing and prints nothing.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { PtyPair } from '../pty-pair.js';
import { paperStatusByte } from './escpos.js';
import { type DecodedLine, EscPosDecoder, receiptText } from './escpos-decoder.js';
import type { PrinterState } from './receipt-printer.js';

export class FakePrinter extends EventEmitter<{ receipt: [string, DecodedLine[]] }> {
  /** the agent's end of the pair */
  readonly agentPath: string;
  state: PrinterState = 'ready';
  /** each printed receipt as text, one line per printed row, the QR code as `[QR] <data>` */
  readonly receipts: string[] = [];
  /** the same receipts with each row's style */
  readonly documents: DecodedLine[][] = [];
  /** DLE EOT 4 requests answered or not */
  statusRequests = 0;
  private readonly pair: PtyPair;
  private port: SerialPort | undefined;

  constructor(directory: string, options: { agentPath?: string } = {}) {
    super();
    this.agentPath = options.agentPath ?? path.join(directory, 'agent-end');
    this.pair = new PtyPair(this.agentPath, path.join(directory, 'printer-end'));
  }

  async start(): Promise<void> {
    await this.pair.start();
    const port = new SerialPort({ path: this.pair.devicePath, baudRate: 115_200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    port.on('error', () => undefined); // the other end vanishing is what unplug() does
    const decoder = new EscPosDecoder({
      statusRequest: (n) => {
        this.statusRequests += 1;
        if (n === 4 && this.state !== 'offline') port.write(Buffer.from([paperStatusByte(this.state)]));
      },
      receipt: (lines) => {
        // no paper, no receipt (a powered-off printer reads nothing at all, below)
        if (this.state === 'paper_out') return;
        const text = receiptText(lines);
        this.receipts.push(text);
        this.documents.push(lines);
        this.emit('receipt', text, lines);
      },
    });
    port.on('data', (chunk: Buffer) => {
      if (this.state !== 'offline') decoder.write(chunk);
    });
    this.port = port;
  }

  async unplug(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    await this.pair.stop();
  }

  /** waits until it has printed `count` receipts in all (an error after the time limit); returns them */
  async waitForReceipts(count: number, timeoutMs = 5_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.receipts.length < count) {
      if (Date.now() > deadline) throw new Error(`the printer printed ${this.receipts.length} of ${count} receipts in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.receipts.slice(0, count);
  }
}
