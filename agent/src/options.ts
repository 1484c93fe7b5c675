// The agent's settings, from command-line flags first and environment variables second (a
// systemd unit sets the environment; a developer types flags). The kiosk secret comes only from
// the environment or a file, never a flag, so it does not show in `ps`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BackoffPolicy } from './backoff.js';
import { isLogLevel, type LogLevel } from './log.js';

export interface AgentOptions {
  server: string;
  kioskId: string;
  kioskSecret: string;
  /** undefined: no distance sensor */
  serialPort: string | undefined;
  baudRate: number;
  /** ffmpeg:/dev/video0, folder:<dir> or none */
  camera: string;
  tls: { ca?: Buffer } | undefined;
  logLevel: LogLevel;
  displayCommand: string | undefined;
  idleBrightness: number;
  /** until the server's Settings arrive */
  sampleIntervalMs: number;
  retry: BackoffPolicy;
  /** the wait after the server refused the credentials: someone has to fix them, do not hammer */
  credentialsRetryMs: number;
  readingsCapacity: number;
  frameBatchesCapacity: number;
  frameBatchMaxAgeMs: number;
  /** line:/dev/ttyX[,...]; undefined: no card terminal */
  cardTerminal: string | undefined;
  /** escpos:/dev/ttyY or escpos-file:/dev/usb/lp0; undefined: no receipt printer */
  printer: string | undefined;
  /** where the payment journal lives (it must survive a restart of the agent) */
  stateDir: string;
  /** how often the terminal's and the printer's state is checked (a change is reported) */
  peripheralsPollMs: number;
}

interface Setting {
  flag: string;
  env: string;
  description: string;
  default?: string;
  boolean?: true;
}

/** every setting: the flag, its environment variable, what it does (printed by --help, listed in README) */
export const SETTINGS = {
  server: { flag: 'server', env: 'PINOKIO_SERVER', default: '127.0.0.1:50051', description: "the Pinokio server's gRPC address, host:port" },
  kioskId: { flag: 'kiosk-id', env: 'PINOKIO_KIOSK_ID', description: "this kiosk's login id (POS → kiosks)" },
  kioskSecretFile: {
    flag: 'kiosk-secret-file',
    env: 'PINOKIO_KIOSK_SECRET_FILE',
    description: "a file holding this kiosk's secret (or set PINOKIO_KIOSK_SECRET)",
  },
  serialPort: { flag: 'serial-port', env: 'PINOKIO_SERIAL_PORT', default: '/dev/ttyACM0', description: 'the distance sensor\'s serial port, or "none"' },
  baudRate: { flag: 'baud', env: 'PINOKIO_SERIAL_BAUD', default: '9600', description: 'the serial speed (the firmware uses 9600)' },
  camera: { flag: 'camera', env: 'PINOKIO_CAMERA', default: 'ffmpeg:/dev/video0', description: 'ffmpeg:/dev/videoN, folder:<directory of .jpg/.png> or none' },
  tls: { flag: 'tls', env: 'PINOKIO_TLS', boolean: true, description: 'connect with TLS (implied by --tls-ca)' },
  tlsCa: { flag: 'tls-ca', env: 'PINOKIO_TLS_CA', description: "a PEM file with the certificate authority of the server's certificate" },
  logLevel: { flag: 'log-level', env: 'PINOKIO_LOG_LEVEL', default: 'info', description: 'debug | info | warn | error | silent' },
  displayCommand: {
    flag: 'display-command',
    env: 'PINOKIO_DISPLAY_COMMAND',
    description: 'a shell command that sets the screen brightness; {brightness} (0-100) is replaced',
  },
  idleBrightness: { flag: 'idle-brightness', env: 'PINOKIO_IDLE_BRIGHTNESS', default: '20', description: 'the brightness after a Reset (the customer left)' },
  sampleIntervalMs: {
    flag: 'sample-interval-ms',
    env: 'PINOKIO_SAMPLE_INTERVAL_MS',
    default: '100',
    description: "how often to read the sensor until the server's settings arrive",
  },
  retryMinMs: {
    flag: 'retry-min-ms',
    env: 'PINOKIO_RETRY_MIN_MS',
    default: '500',
    description: 'the first wait before a retry (serial port, server); it doubles each time',
  },
  retryMaxMs: { flag: 'retry-max-ms', env: 'PINOKIO_RETRY_MAX_MS', default: '30000', description: 'the longest wait between retries' },
  credentialsRetryMs: {
    flag: 'credentials-retry-ms',
    env: 'PINOKIO_CREDENTIALS_RETRY_MS',
    default: '60000',
    description: 'the wait after the server refused the credentials',
  },
  readingsCapacity: {
    flag: 'queue-readings',
    env: 'PINOKIO_QUEUE_READINGS',
    default: '600',
    description: 'readings kept while the server is unreachable, the oldest dropped first (600: a minute at 100 ms)',
  },
  frameBatchesCapacity: { flag: 'queue-captures', env: 'PINOKIO_QUEUE_CAPTURES', default: '3', description: 'captures kept while the server is unreachable' },
  frameBatchMaxAgeMs: {
    flag: 'capture-max-age-ms',
    env: 'PINOKIO_CAPTURE_MAX_AGE_MS',
    default: '10000',
    description: 'a capture not delivered by then is dropped (the customer has moved on)',
  },
  cardTerminal: {
    flag: 'card-terminal',
    env: 'PINOKIO_CARD_TERMINAL',
    default: 'none',
    description: 'the card terminal: line:<serial port>[,baud=115200][,answer_margin_ms=...] (docs/payments.md, "The line protocol"), or "none"',
  },
  printer: {
    flag: 'printer',
    env: 'PINOKIO_PRINTER',
    default: 'none',
    description: 'the receipt printer: escpos:<serial port>[,baud=...] or escpos-file:<device file, e.g. /dev/usb/lp0>, or "none"',
  },
  stateDir: {
    flag: 'state-dir',
    env: 'PINOKIO_STATE_DIR',
    description:
      "a folder that survives restarts, for the payment journal (default: pinokio-agent-<kiosk id> in the OS's temp folder; give /var/lib/pinokio-agent in production)",
  },
  peripheralsPollMs: {
    flag: 'peripherals-poll-ms',
    env: 'PINOKIO_PERIPHERALS_POLL_MS',
    default: '5000',
    description: "how often the card terminal's and printer's state is checked; a change is reported to the server",
  },
} satisfies Record<string, Setting>;

export class OptionsError extends Error {}

export function helpText(): string {
  const rows = Object.values(SETTINGS as Record<string, Setting>).map((setting) => {
    const flag = `--${setting.flag}${setting.boolean ? '' : ' <value>'}`;
    const fallback = setting.default ? ` (default ${setting.default})` : '';
    return `  ${flag.padEnd(30)} ${setting.env}\n      ${setting.description}${fallback}`;
  });
  return [
    'pinokio-agent: the Pinokio kiosk device agent (distance sensor + camera → Pinokio server over gRPC)',
    '',
    'usage: pinokio-agent [options]      every option can also be set by its environment variable',
    '',
    ...rows,
    `  ${'(no flag)'.padEnd(30)} PINOKIO_KIOSK_SECRET\n      this kiosk's secret, when not in a file`,
    `  ${'--help'.padEnd(30)}\n      this text`,
    `  ${'--version'.padEnd(30)}\n      the agent's version`,
  ].join('\n');
}

export type ParsedCommandLine = { help: true } | { version: true } | { options: AgentOptions };

export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): ParsedCommandLine {
  const flags: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' }, version: { type: 'boolean' } };
  for (const setting of Object.values(SETTINGS as Record<string, Setting>)) flags[setting.flag] = { type: setting.boolean ? 'boolean' : 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: flags, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  if (values.help) return { help: true };
  if (values.version) return { version: true };

  const text = (key: keyof typeof SETTINGS): string | undefined => {
    const setting: Setting = SETTINGS[key];
    const value = values[setting.flag] ?? env[setting.env] ?? setting.default;
    if (typeof value === 'boolean') return value ? 'true' : undefined;
    return value === '' ? undefined : value;
  };
  const required = (key: keyof typeof SETTINGS): string => {
    const value = text(key);
    if (value === undefined) throw new OptionsError(`--${SETTINGS[key].flag} (or ${SETTINGS[key].env}) is required`);
    return value;
  };
  const integer = (key: keyof typeof SETTINGS, min: number, max: number): number => {
    const raw = required(key);
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new OptionsError(`--${SETTINGS[key].flag} (${SETTINGS[key].env}) must be a whole number from ${min} to ${max}, not "${raw}"`);
    }
    return value;
  };

  const logLevel = required('logLevel');
  if (!isLogLevel(logLevel)) throw new OptionsError(`--log-level must be debug, info, warn, error or silent, not "${logLevel}"`);
  const serialPort = required('serialPort');
  const caFile = text('tlsCa');
  const tlsWanted = caFile !== undefined || ['1', 'true', 'yes'].includes(String(text('tls')).toLowerCase());
  const retry = { minMs: integer('retryMinMs', 10, 600_000), maxMs: integer('retryMaxMs', 10, 3_600_000) };
  if (retry.maxMs < retry.minMs) throw new OptionsError('--retry-max-ms must not be less than --retry-min-ms');

  return {
    options: {
      server: required('server'),
      kioskId: required('kioskId'),
      kioskSecret: readSecret(text('kioskSecretFile'), env.PINOKIO_KIOSK_SECRET),
      serialPort: serialPort === 'none' ? undefined : serialPort,
      baudRate: integer('baudRate', 300, 2_000_000),
      camera: required('camera'),
      tls: tlsWanted ? { ca: caFile === undefined ? undefined : readFile(caFile, '--tls-ca') } : undefined,
      logLevel,
      displayCommand: text('displayCommand'),
      idleBrightness: integer('idleBrightness', 0, 100),
      sampleIntervalMs: integer('sampleIntervalMs', 10, 60_000),
      retry,
      credentialsRetryMs: integer('credentialsRetryMs', 10, 3_600_000),
      readingsCapacity: integer('readingsCapacity', 1, 1_000_000),
      frameBatchesCapacity: integer('frameBatchesCapacity', 1, 100),
      frameBatchMaxAgeMs: integer('frameBatchMaxAgeMs', 100, 3_600_000),
      cardTerminal: noneOr(required('cardTerminal')),
      printer: noneOr(required('printer')),
      stateDir: path.resolve(text('stateDir') ?? path.join(os.tmpdir(), `pinokio-agent-${required('kioskId').replace(/[^A-Za-z0-9_-]/g, '_')}`)),
      peripheralsPollMs: integer('peripheralsPollMs', 100, 600_000),
    },
  };
}

function noneOr(value: string): string | undefined {
  return value === 'none' ? undefined : value;
}

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new OptionsError(`${what} ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
}

function readSecret(file: string | undefined, fromEnv: string | undefined): string {
  // a file wins: it is how a systemd credential or a root-only file is handed over
  const secret = file !== undefined ? readFile(file, '--kiosk-secret-file').toString('utf8').trim() : fromEnv?.trim();
  if (!secret) throw new OptionsError('the kiosk secret is missing: set PINOKIO_KIOSK_SECRET or --kiosk-secret-file (PINOKIO_KIOSK_SECRET_FILE)');
  return secret;
}
