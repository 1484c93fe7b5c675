// The agent's receipt printer option value -> a driver.
import { integerSetting, parseDeviceSpec } from '../device-spec.js';
import type { Logger } from '../log.js';
import { ESCPOS_DEFAULTS, EscPosPrinter } from './escpos-printer.js';
import type { ReceiptPrinter } from './receipt-printer.js';

export const RECEIPT_PRINTER_SPEC_HELP =
  'escpos:<serial port>[,baud=115200][,rtscts=1] or escpos-file:<device file, e.g. /dev/usb/lp0>; both [,columns=42][,status_timeout_ms=1000]';

/** `escpos:/dev/ttyUSB1[,baud=115200]` or `escpos-file:/dev/usb/lp0`; throws with a readable message for anything else */
export function openReceiptPrinter(spec: string, options: { log?: Logger } = {}): ReceiptPrinter {
  const parsed = parseDeviceSpec(spec, ['escpos', 'escpos-file'], ['baud', 'rtscts', 'columns', 'status_timeout_ms']);
  return new EscPosPrinter({
    path: parsed.path,
    connection: parsed.kind === 'escpos' ? 'serial' : 'file',
    baudRate: integerSetting(parsed, 'baud', ESCPOS_DEFAULTS.baudRate, 1_200, 921_600),
    rtscts: integerSetting(parsed, 'rtscts', 0, 0, 1) === 1,
    columns: integerSetting(parsed, 'columns', ESCPOS_DEFAULTS.columns, 24, 64),
    statusTimeoutMs: integerSetting(parsed, 'status_timeout_ms', ESCPOS_DEFAULTS.statusTimeoutMs, 10, 60_000),
    ...(options.log ? { log: options.log } : {}),
  });
}
