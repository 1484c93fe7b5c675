// The agent's card terminal option value -> a driver. A new driver registers its prefix here
// (docs/payments.md "Adding a terminal driver").
import { integerSetting, parseDeviceSpec } from '../device-spec.js';
import type { Logger } from '../log.js';
import type { CardTerminal } from './card-terminal.js';
import { LINE_TERMINAL_DEFAULTS, LineProtocolTerminal } from './line-protocol-terminal.js';

export const CARD_TERMINAL_SPEC_HELP = 'line:<serial port>[,baud=115200][,answer_margin_ms=20000][,command_timeout_ms=30000][,status_timeout_ms=1500]';

/** `line:/dev/ttyUSB0[,baud=115200]`; throws with a readable message for anything else */
export function openCardTerminal(spec: string, options: { log?: Logger } = {}): CardTerminal {
  const parsed = parseDeviceSpec(spec, ['line'], ['baud', 'answer_margin_ms', 'command_timeout_ms', 'status_timeout_ms']);
  return new LineProtocolTerminal({
    path: parsed.path,
    baudRate: integerSetting(parsed, 'baud', LINE_TERMINAL_DEFAULTS.baudRate, 1_200, 921_600),
    answerMarginMs: integerSetting(parsed, 'answer_margin_ms', LINE_TERMINAL_DEFAULTS.answerMarginMs, 10, 300_000),
    commandTimeoutMs: integerSetting(parsed, 'command_timeout_ms', LINE_TERMINAL_DEFAULTS.commandTimeoutMs, 10, 300_000),
    statusTimeoutMs: integerSetting(parsed, 'status_timeout_ms', LINE_TERMINAL_DEFAULTS.statusTimeoutMs, 10, 60_000),
    ...(options.log ? { log: options.log } : {}),
  });
}
