// The shipped receipt printer driver: ESC/POS (escpos.ts) over a serial port, or into a device file
// such as /dev/usb/lp0. Over serial the paper sensor is asked before and after each receipt
// (DLE EOT 4); silence past the deadline is offline. A device file is written only: it says
// nothing back, so its printer is 'ready' while the file can be opened and 'offline' otherwise.
import fs from 'node:fs';
import { SerialPort } from 'serialport';
import type { Logger } from '../log.js';
import { withTimeout } from '../time-limit.js';
import { DEFAULT_COLUMNS, encodeReceipt, isStatusByte, paperState, STATUS_REQUEST } from './escpos.js';
import type { PrinterState, ReceiptDocument, ReceiptPrinter } from './receipt-printer.js';

export interface EscPosPrinterOptions {
  path: string;
  /** serial: a serial port; file: a device file written byte for byte */
  connection: 'serial' | 'file';
  baudRate?: number;
  /** hardware flow control (RTS/CTS), for printers whose buffer fills up */
  rtscts?: boolean;
  columns?: number;
  /** the answer to a status request, opening the port, one receipt's writing */
  statusTimeoutMs?: number;
  log?: Logger;
}

export const ESCPOS_DEFAULTS = { baudRate: 115_200, columns: DEFAULT_COLUMNS, statusTimeoutMs: 1_000 };
/** writing a receipt: the printer may hold the line while it prints the one before */
const WRITE_TIMEOUT_MS = 10_000;

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export class EscPosPrinter implements ReceiptPrinter {
  readonly description: string;
  private readonly baudRate: number;
  private readonly columns: number;
  private readonly statusTimeoutMs: number;
  private readonly log: Logger;
  private port: SerialPort | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private statusWaiter: ((byte: number | undefined) => void) | undefined;
  private closed = false;

  constructor(private readonly options: EscPosPrinterOptions) {
    this.baudRate = options.baudRate ?? ESCPOS_DEFAULTS.baudRate;
    this.columns = options.columns ?? ESCPOS_DEFAULTS.columns;
    this.statusTimeoutMs = options.statusTimeoutMs ?? ESCPOS_DEFAULTS.statusTimeoutMs;
    this.log = options.log ?? quiet;
    this.description =
      options.connection === 'serial'
        ? `ESC/POS printer on ${options.path} at ${this.baudRate} baud, ${this.columns} columns`
        : `ESC/POS printer writing to ${options.path}, ${this.columns} columns`;
  }

  print(document: ReceiptDocument): Promise<'printed' | 'paper_out' | 'offline'> {
    const bytes = encodeReceipt(document, this.columns);
    return this.serialised(async () => {
      const before = await this.readStatus();
      if (before === 'paper_out' || before === 'offline') {
        this.log.warn('printer.not_printed', { state: before });
        return before;
      }
      if (this.options.connection === 'file') return (await this.writeFile(bytes)) ? 'printed' : 'offline';
      if (!(await this.writeSerial(bytes))) return 'offline';
      // the roll may have run out during this receipt
      const after = await this.readStatus();
      if (after === 'paper_out' || after === 'offline') {
        this.log.warn('printer.incomplete', { state: after });
        return after;
      }
      this.log.info('printer.printed', { bytes: bytes.length, state: after });
      return 'printed';
    });
  }

  status(): Promise<PrinterState> {
    return this.serialised(() => this.readStatus());
  }

  async close(): Promise<void> {
    this.closed = true;
    const port = this.port;
    this.port = undefined;
    this.statusWaiter?.(undefined);
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private serialised<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async readStatus(): Promise<PrinterState> {
    if (this.closed) return 'offline';
    if (this.options.connection === 'file') {
      return fs.promises.access(this.options.path, fs.constants.W_OK).then(
        () => 'ready',
        () => 'offline',
      );
    }
    const port = await this.connection().catch((error: Error) => {
      this.log.debug('printer.unavailable', { port: this.options.path, error });
      return undefined;
    });
    if (!port) return 'offline';
    const answer = new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => finish(undefined), this.statusTimeoutMs);
      const finish = (byte: number | undefined) => {
        clearTimeout(timer);
        if (this.statusWaiter === finish) this.statusWaiter = undefined;
        resolve(byte);
      };
      this.statusWaiter = finish;
    });
    port.write(STATUS_REQUEST);
    const byte = await answer;
    return byte === undefined ? 'offline' : paperState(byte);
  }

  private async connection(): Promise<SerialPort> {
    if (this.closed) throw new Error('closed');
    if (this.port?.isOpen) return this.port;
    const port = new SerialPort({ path: this.options.path, baudRate: this.baudRate, rtscts: this.options.rtscts ?? false, autoOpen: false });
    let abandoned = false;
    const opened = new Promise<void>((resolve, reject) =>
      port.open((error) => {
        // an open that finished after we gave up on it is closed again
        if (abandoned && !error) port.close();
        if (error) reject(error);
        else resolve();
      }),
    );
    await withTimeout(opened, this.statusTimeoutMs, 'opening the port').catch((error: Error) => {
      abandoned = true;
      if (port.isOpen) port.close();
      throw error;
    });
    const gone = (reason: string, error?: Error) => {
      if (this.port !== port) return;
      this.port = undefined;
      this.log.warn('printer.disconnected', { port: this.options.path, reason, ...(error ? { error } : {}) });
      if (port.isOpen) port.close();
      this.statusWaiter?.(undefined);
    };
    port.on('error', (error) => gone('port error', error));
    port.on('close', () => gone('port closed'));
    port.on('data', (chunk: Buffer) => {
      if (this.port !== port) return;
      // anything but a status byte (an echo, noise) is not an answer
      for (const byte of chunk) if (isStatusByte(byte)) this.statusWaiter?.(byte);
    });
    this.port = port;
    this.log.info('printer.connected', { port: this.options.path, baudRate: this.baudRate });
    return port;
  }

  private async writeSerial(bytes: Buffer): Promise<boolean> {
    const port = this.port;
    if (!port?.isOpen) return false;
    const written = new Promise<boolean>((resolve) => {
      port.write(bytes, (error) => {
        if (error) return resolve(false);
        port.drain((drainError) => resolve(!drainError));
      });
    });
    return withTimeout(written, WRITE_TIMEOUT_MS, 'write').catch(() => false);
  }

  private async writeFile(bytes: Buffer): Promise<boolean> {
    try {
      // append: a device file does not care, a plain file (a spool, a test) keeps every receipt
      await withTimeout(fs.promises.appendFile(this.options.path, bytes), WRITE_TIMEOUT_MS, 'write');
      this.log.info('printer.printed', { bytes: bytes.length });
      return true;
    } catch (error) {
      this.log.warn('printer.unavailable', { path: this.options.path, error: error as Error });
      return false;
    }
  }
}
