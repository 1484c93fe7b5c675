#!/usr/bin/env node
// `pinokio-agent`: the kiosk device agent. Reads the distance sensor and the camera, drives the card
// terminal and the receipt printer, and talks to the Pinokio server over gRPC (proto/kiosk.proto).
// See agent/README.md.
import fs from 'node:fs';
import { Agent } from './agent.js';
import { cameraFromSpec } from './camera.js';
import { DeviceClient } from './device-client.js';
import { CommandDisplay } from './display.js';
import { createLogger } from './log.js';
import { helpText, OptionsError, parseCommandLine } from './options.js';
import { PaymentJournal } from './payments/journal.js';
import { openReceiptPrinter } from './printer/open-receipt-printer.js';
import { SerialDistanceSensor } from './serial-distance-sensor.js';
import { openCardTerminal } from './terminal/open-card-terminal.js';

const version = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCommandLine(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    process.stderr.write(`pinokio-agent: ${error.message}\n(pinokio-agent --help lists the options)\n`);
    process.exit(2);
  }
  if ('help' in parsed) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  if ('version' in parsed) {
    process.stdout.write(`${version}\n`);
    return;
  }
  const { options } = parsed;
  const log = createLogger(options.logLevel);

  let camera;
  let terminal;
  let printer;
  let journal;
  try {
    camera = cameraFromSpec(options.camera);
    terminal = options.cardTerminal ? openCardTerminal(options.cardTerminal, { log }) : undefined;
    printer = options.printer ? openReceiptPrinter(options.printer, { log }) : undefined;
    journal = PaymentJournal.open(options.stateDir);
  } catch (error) {
    process.stderr.write(`pinokio-agent: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const sensor = options.serialPort
    ? new SerialDistanceSensor({ path: options.serialPort, baudRate: options.baudRate, sampleIntervalMs: options.sampleIntervalMs, retry: options.retry, log })
    : undefined;
  const client = new DeviceClient({ address: options.server, kioskId: options.kioskId, kioskSecret: options.kioskSecret, tls: options.tls });
  const agent = new Agent({
    options,
    version,
    log,
    client,
    sensor,
    camera,
    display: new CommandDisplay(log, options.displayCommand),
    terminal,
    printer,
    journal,
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('agent.stopping', { signal });
    agent.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('agent.stop_failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // a bug, not a condition the agent handles: say what it was, then let systemd restart a clean process
  process.on('uncaughtException', (error) => {
    log.error('agent.crashed', { error, stack: error.stack });
    process.exit(1);
  });

  await agent.start();
}

await main();
