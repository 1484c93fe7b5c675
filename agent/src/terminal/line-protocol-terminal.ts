// The shipped card terminal driver: the line protocol (line-protocol.ts, docs/payments.md) over a
// serial port. One request at a time; lines naming another reference are ignored (a late answer to
// an earlier request); a garbled line or silence past the deadline during a charge is answer_lost,
// since the terminal may have charged. The port is opened on first use and again after it went away.
import { ReadlineParser, SerialPort } from 'serialport';
import type { Logger } from '../log.js';
import { withTimeout } from '../time-limit.js';
import type { CardTerminal, ChargeOutcome, ChargeRequest, RefundOutcome, RefundRequest, VoidOutcome } from './card-terminal.js';
import { formatRequest, isReference, parseAnswer, type TerminalAnswer, type TerminalRequest } from './line-protocol.js';

export interface LineProtocolTerminalOptions {
  path: string;
  baudRate?: number;
  /** added to the card timeout for a charge's answer: the terminal still has to ask the card company */
  answerMarginMs?: number;
  /** a void's or a refund's answer */
  commandTimeoutMs?: number;
  /** PONG to a PING, and opening the port */
  statusTimeoutMs?: number;
  log?: Logger;
}

export const LINE_TERMINAL_DEFAULTS = { baudRate: 115_200, answerMarginMs: 20_000, commandTimeoutMs: 30_000, statusTimeoutMs: 1_500 };

type Event = { kind: 'line'; line: string } | { kind: 'timeout' } | { kind: 'closed' } | { kind: 'aborted' };

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export class LineProtocolTerminal implements CardTerminal {
  readonly description: string;
  private readonly settings: typeof LINE_TERMINAL_DEFAULTS;
  private readonly log: Logger;
  private port: SerialPort | undefined;
  /** requests wait here for the one before them */
  private queue: Promise<unknown> = Promise.resolve();
  private busy = false;
  private inbox: string[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(private readonly options: LineProtocolTerminalOptions) {
    this.settings = {
      baudRate: options.baudRate ?? LINE_TERMINAL_DEFAULTS.baudRate,
      answerMarginMs: options.answerMarginMs ?? LINE_TERMINAL_DEFAULTS.answerMarginMs,
      commandTimeoutMs: options.commandTimeoutMs ?? LINE_TERMINAL_DEFAULTS.commandTimeoutMs,
      statusTimeoutMs: options.statusTimeoutMs ?? LINE_TERMINAL_DEFAULTS.statusTimeoutMs,
    };
    this.log = options.log ?? quiet;
    this.description = `line protocol terminal on ${options.path} at ${this.settings.baudRate} baud`;
  }

  charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeOutcome> {
    if (!isReference(request.reference)) return Promise.reject(new Error(`not a terminal reference: ${request.reference}`));
    return this.serialised(async () => {
      // nothing was sent yet: no money can have been taken
      if (signal?.aborted) return { kind: 'timed_out' };
      const port = await this.connection().catch((error: Error) => error);
      if (port instanceof Error) return { kind: 'declined', message: `card terminal offline: ${port.message}` };
      const { reference } = request;
      if (!(await this.send(port, { kind: 'SALE', reference, amount: request.amount, timeoutMs: request.cardTimeoutMs }))) {
        return this.lost(reference, 'the request could not be written');
      }
      let deadline = Date.now() + request.cardTimeoutMs + this.settings.answerMarginMs;
      let abortSent = false;
      for (;;) {
        const event = await this.nextEvent(port, deadline, abortSent ? undefined : signal);
        if (event.kind === 'aborted') {
          abortSent = true;
          this.log.info('terminal.abort', { reference });
          await this.send(port, { kind: 'ABORT', reference });
          // a card being authorised right now still gets its answer
          deadline = Math.min(deadline, Date.now() + this.settings.answerMarginMs);
          continue;
        }
        if (event.kind === 'timeout') return this.lost(reference, 'no answer in time');
        if (event.kind === 'closed') return this.lost(reference, 'the port closed');
        const answer = parseAnswer(event.line);
        if (!answer) return this.lost(reference, 'garbled answer', event.line);
        if (answer.kind === 'ERROR') return { kind: 'declined', message: `the terminal refused the request: ${describe(answer.code, answer.message)}` };
        if (!('reference' in answer) || answer.reference !== reference) {
          this.log.debug('terminal.line_ignored', { reference, line: event.line });
          continue;
        }
        switch (answer.kind) {
          case 'WAIT':
            this.log.debug('terminal.waiting_for_card', { reference });
            continue;
          case 'APPROVED':
            if (answer.amount !== request.amount) this.log.warn('terminal.amount_differs', { reference, requested: request.amount, approved: answer.amount });
            return { kind: 'approved', approvalNumber: answer.approvalNumber, terminalReference: answer.terminalReference, amount: answer.amount };
          case 'DECLINED':
            return { kind: 'declined', message: describe(answer.code, answer.message) };
          case 'TIMEOUT':
          case 'ABORTED':
            return { kind: 'timed_out' };
          case 'REMOVED':
            return { kind: 'card_removed' };
          default:
            continue; // an answer to another kind of request for the same reference: not this one's
        }
      }
    });
  }

  void(reference: string): Promise<VoidOutcome> {
    return this.serialised(async () => {
      const port = await this.connection().catch((error: Error) => error);
      if (port instanceof Error) return { kind: 'failed', message: `card terminal offline: ${port.message}` };
      if (!(await this.send(port, { kind: 'VOID', reference }))) return { kind: 'failed', message: 'the request could not be written' };
      const answer = await this.answerTo(port, reference, ['VOIDED', 'NOTFOUND', 'VOIDFAIL']);
      if ('failed' in answer) return { kind: 'failed', message: answer.failed };
      if (answer.kind === 'VOIDED') return { kind: 'voided', terminalReference: answer.terminalReference };
      if (answer.kind === 'NOTFOUND') return { kind: 'voided' }; // nothing was charged under it
      if (answer.kind === 'VOIDFAIL') return { kind: 'failed', message: describe(answer.code, answer.message) };
      return { kind: 'failed', message: 'unexpected answer' };
    });
  }

  refund(request: RefundRequest): Promise<RefundOutcome> {
    return this.serialised(async () => {
      const port = await this.connection().catch((error: Error) => error);
      if (port instanceof Error) return { kind: 'failed', message: `card terminal offline: ${port.message}` };
      if (!(await this.send(port, { kind: 'REFUND', ...request }))) return { kind: 'failed', message: 'the request could not be written' };
      const answer = await this.answerTo(port, request.reference, ['REFUNDED', 'REFUNDFAIL']);
      if ('failed' in answer) return { kind: 'failed', message: answer.failed };
      if (answer.kind === 'REFUNDED') return { kind: 'refunded', terminalReference: answer.terminalReference };
      if (answer.kind === 'REFUNDFAIL') return { kind: 'failed', message: describe(answer.code, answer.message) };
      return { kind: 'failed', message: 'unexpected answer' };
    });
  }

  async status(): Promise<'ready' | 'offline'> {
    // a terminal busy with one of our requests is there
    if (this.busy && this.port?.isOpen) return 'ready';
    return this.serialised(async () => {
      const port = await this.connection().catch(() => undefined);
      if (!port || !(await this.send(port, { kind: 'PING' }))) return 'offline';
      const deadline = Date.now() + this.settings.statusTimeoutMs;
      for (;;) {
        const event = await this.nextEvent(port, deadline);
        if (event.kind !== 'line') return 'offline';
        if (parseAnswer(event.line)?.kind === 'PONG') return 'ready';
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const port = this.port;
    this.port = undefined;
    this.wake?.();
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private serialised<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      this.busy = true;
      this.inbox = []; // lines that came between requests answer nothing we still wait for
      try {
        return await run();
      } finally {
        this.busy = false;
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  private lost(reference: string, reason: string, line?: string): ChargeOutcome {
    this.log.warn('terminal.answer_lost', { reference, reason, ...(line === undefined ? {} : { line: line.slice(0, 80) }) });
    return { kind: 'answer_lost' };
  }

  /** the answer of one of these kinds naming the reference, or why none came */
  private async answerTo(port: SerialPort, reference: string, kinds: TerminalAnswer['kind'][]): Promise<TerminalAnswer | { failed: string }> {
    const deadline = Date.now() + this.settings.commandTimeoutMs;
    for (;;) {
      const event = await this.nextEvent(port, deadline);
      if (event.kind === 'timeout') return { failed: 'no answer in time' };
      if (event.kind !== 'line') return { failed: 'the port closed' };
      const answer = parseAnswer(event.line);
      if (!answer) return { failed: `garbled answer: ${event.line.slice(0, 80)}` };
      if (answer.kind === 'ERROR') return { failed: `the terminal refused the request: ${describe(answer.code, answer.message)}` };
      if (kinds.includes(answer.kind) && 'reference' in answer && answer.reference === reference) return answer;
      this.log.debug('terminal.line_ignored', { reference, line: event.line });
    }
  }

  private async connection(): Promise<SerialPort> {
    if (this.closed) throw new Error('closed');
    if (this.port?.isOpen) return this.port;
    const port = new SerialPort({ path: this.options.path, baudRate: this.settings.baudRate, autoOpen: false });
    let abandoned = false;
    const opened = new Promise<void>((resolve, reject) =>
      port.open((error) => {
        // an open that finished after we gave up on it is closed again
        if (abandoned && !error) port.close();
        if (error) reject(error);
        else resolve();
      }),
    );
    await withTimeout(opened, this.settings.statusTimeoutMs, 'opening the port').catch((error: Error) => {
      abandoned = true;
      if (port.isOpen) port.close();
      throw error;
    });
    const gone = (reason: string, error?: Error) => {
      if (this.port !== port) return;
      this.port = undefined;
      this.log.warn('terminal.disconnected', { port: this.options.path, reason, ...(error ? { error } : {}) });
      if (port.isOpen) port.close();
      this.wake?.();
    };
    port.on('error', (error) => gone('port error', error));
    port.on('close', () => gone('port closed'));
    port.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'utf8' })).on('data', (line: string) => {
      if (this.port !== port) return;
      if (!this.busy) {
        this.log.debug('terminal.line_ignored', { line: line.slice(0, 80) });
        return;
      }
      this.inbox.push(line.replace(/\r$/, ''));
      this.wake?.();
    });
    this.port = port;
    this.log.info('terminal.connected', { port: this.options.path, baudRate: this.settings.baudRate });
    return port;
  }

  /** false when the line could not be written (the port is gone) */
  private async send(port: SerialPort, request: TerminalRequest): Promise<boolean> {
    if (this.port !== port) return false;
    this.log.debug('terminal.request', { line: formatRequest(request) });
    const written = new Promise<boolean>((resolve) => {
      port.write(`${formatRequest(request)}\n`, (error) => {
        if (error) return resolve(false);
        port.drain((drainError) => resolve(!drainError));
      });
    });
    return withTimeout(written, this.settings.statusTimeoutMs, 'write').catch(() => false);
  }

  private async nextEvent(port: SerialPort, deadline: number, signal?: AbortSignal): Promise<Event> {
    for (;;) {
      const line = this.inbox.shift();
      if (line !== undefined) return { kind: 'line', line };
      if (this.port !== port) return { kind: 'closed' };
      if (signal?.aborted) return { kind: 'aborted' };
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { kind: 'timeout' };
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          this.wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, remaining);
        signal?.addEventListener('abort', done, { once: true });
        this.wake = done;
      });
    }
  }
}

function describe(code: string, message: string): string {
  return message ? `${message} (${code})` : code;
}
