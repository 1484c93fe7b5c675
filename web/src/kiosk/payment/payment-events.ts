// What the kiosk's live stream says about a payment under way (docs/payments.md, "HTTP API"): the
// `payment` events of a charge or checkout, the `receipt` event when the printer answers, and
// `peripherals` when the card terminal or the printer changes. Checked field by field: anything
// this screen cannot use is dropped.

export type PaymentState = 'waiting_for_card' | 'confirmed' | 'declined' | 'timed_out' | 'card_removed' | 'voided' | 'cancelled';
export type PrintState = 'printing' | 'printed' | 'paper_out' | 'offline' | 'none';
export type TerminalState = 'ready' | 'offline' | 'none';

export interface ReceiptLink {
  url: string;
  print: PrintState;
}

export interface PaymentEvent {
  orderId: string;
  state: PaymentState;
  reason?: string;
  orderNumber?: number;
  receipt?: ReceiptLink;
}

const paymentStates: readonly string[] = ['waiting_for_card', 'confirmed', 'declined', 'timed_out', 'card_removed', 'voided', 'cancelled'];
const printStates: readonly string[] = ['printing', 'printed', 'paper_out', 'offline', 'none'];

function object(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parse(data: string): Record<string, unknown> | undefined {
  try {
    return object(JSON.parse(data));
  } catch {
    return undefined;
  }
}

export function printState(value: unknown): PrintState | undefined {
  return typeof value === 'string' && printStates.includes(value) ? (value as PrintState) : undefined;
}

/** a receipt link as the server gives it (on a payment event or the kiosk's order), checked */
export function receiptLink(value: unknown): ReceiptLink | undefined {
  const raw = object(value);
  if (!raw || typeof raw.url !== 'string') return undefined;
  return { url: raw.url, print: printState(raw.print) ?? 'none' };
}

export function parsePaymentEvent(data: string): PaymentEvent | undefined {
  const raw = parse(data);
  if (!raw || typeof raw.orderId !== 'string' || typeof raw.state !== 'string' || !paymentStates.includes(raw.state)) return undefined;
  return {
    orderId: raw.orderId,
    state: raw.state as PaymentState,
    ...(typeof raw.reason === 'string' ? { reason: raw.reason } : {}),
    ...(typeof raw.orderNumber === 'number' ? { orderNumber: raw.orderNumber } : {}),
    ...(receiptLink(raw.receipt) ? { receipt: receiptLink(raw.receipt) } : {}),
  };
}

/** `receipt`: the print outcome of an order's receipt (or a counter order's ticket) */
export function parseReceiptEvent(data: string): { orderId: string; print: PrintState } | undefined {
  const raw = parse(data);
  const print = printState(raw?.print);
  return raw && typeof raw.orderId === 'string' && print ? { orderId: raw.orderId, print } : undefined;
}

/** `peripherals`: whether the kiosk's card terminal can take a card now */
export function parsePeripheralsEvent(data: string): { cardTerminal: TerminalState; printer: string } | undefined {
  const raw = parse(data);
  if (!raw) return undefined;
  const cardTerminal = raw.cardTerminal === 'ready' || raw.cardTerminal === 'offline' ? raw.cardTerminal : 'none';
  return { cardTerminal, printer: typeof raw.printer === 'string' ? raw.printer : 'none' };
}
