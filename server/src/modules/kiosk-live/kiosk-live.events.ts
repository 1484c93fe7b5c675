// What a kiosk's own screen hears on its live stream (docs/devices.md#the-live-kiosk-screen).
// Nothing here may ever carry a face embedding: the analysis event is built field by field.

export type LiveState = 'waiting' | 'present' | 'analysing';

export interface AnalysisView {
  analysisId: string;
  faceFound: boolean;
  age: number | null;
  gender: 'female' | 'male' | null;
  /** age at or over SENIOR_AGE_THRESHOLD: offer the senior mode first */
  senior: boolean;
  /**
   * a face matched a member: the id of the pending confirmation the customer answers with the last
   * 4 digits of their phone (docs/customers.md#confirmation-by-digits). Nothing else of the member
   * (no name, digits or customer id) is ever on this stream.
   */
  confirmationId: string | null;
}

/** what the kiosk's screen shows of a card or mobile charge (docs/payments.md) */
export type PaymentEventState = 'waiting_for_card' | 'confirmed' | 'declined' | 'timed_out' | 'card_removed' | 'voided' | 'cancelled';
export type ReceiptPrintView = 'printing' | 'printed' | 'paper_out' | 'offline' | 'none';

export interface PaymentEventData {
  orderId: string;
  paymentId: string;
  state: PaymentEventState;
  /** a stable code (order_expired, customer_cancelled, void_failed, ...) or the terminal's decline text */
  reason?: string;
  /** with `confirmed` */
  orderNumber?: number;
  /** with `confirmed`: the digital receipt and whether a paper one is printing */
  receipt?: { url: string; print: ReceiptPrintView };
}

/** the kiosk's card terminal and receipt printer as its screen should offer them */
export interface PeripheralsView {
  cardTerminal: 'ready' | 'offline' | 'none';
  printer: 'ready' | 'paper_low' | 'paper_out' | 'offline' | 'none';
}

export type LiveEvent =
  | { event: 'state'; data: { state: LiveState } }
  | { event: 'face'; data: { analysisId: string; faceFound: boolean } }
  | { event: 'analysis'; data: AnalysisView }
  | { event: 'reset'; data: { reason: string } }
  /** the owner acknowledged this kiosk's staff call: the kiosk says someone is coming (modules/staff-calls) */
  | { event: 'staff-call.acknowledged'; data: { callId: string; acknowledgedAt: string } }
  | { event: 'payment'; data: PaymentEventData }
  /** the printer's answer to a receipt's PrintReceipt (receipts module) */
  | { event: 'receipt'; data: { orderId: string; print: ReceiptPrintView } }
  | { event: 'peripherals'; data: PeripheralsView };

/** an event as logged and delivered: ids increase per kiosk */
export type LoggedEvent = LiveEvent & { id: number };
