// Follows the payment of the order just placed, from checkout to the receipt, on the kiosk's own
// live stream (opened only around checkout): `payment` events move the wait on, `receipt` events
// say what the printer did, `peripherals` whether the card terminal can take a card. Each
// (re)connection reads the order again (GET kiosk-orders/:orderId), so an event published before
// the stream was ready, or a page reloaded mid-payment, is never missed; while waiting, a slow poll
// covers a stream that stays down. Once the order is paid (or placed to pay at the counter), the
// receipt's link is asked for: the QR code, and for a counter order the printed ticket.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type KioskProfile } from '../../api/client';
import { useLiveEvents } from '../../api/useLiveEvents';
import {
  parsePaymentEvent,
  parsePeripheralsEvent,
  parseReceiptEvent,
  printState,
  type PaymentState,
  type PrintState,
  type ReceiptLink,
  type TerminalState,
} from './payment-events';
import { paymentApi } from './paymentApi';

/** a failure the customer is told about; `unknown` when only the cancelled order says so (a reload) */
export type PaymentFailure = Exclude<PaymentState, 'waiting_for_card' | 'confirmed'> | 'unknown';

export type PaymentProgress =
  | { phase: 'waiting' }
  | { phase: 'confirmed'; orderNumber?: number; approvalNumber?: string | null }
  | { phase: 'failed'; failure: PaymentFailure; reason?: string };

export interface FollowedOrder {
  orderId: string;
  /** card and mobile wait for a payment; a counter order only hears of its printed ticket */
  waits: boolean;
}

/** while waiting, the order is read again this often in case the stream is down */
const POLL_MS = 4000;

export function usePaymentFollow({
  me,
  open,
  followed,
}: {
  me: KioskProfile | undefined;
  /** the kiosk is at checkout, paying or on the receipt */
  open: boolean;
  followed: FollowedOrder | undefined;
}) {
  const storeId = me?.store.id;
  const [progress, setProgress] = useState<PaymentProgress>({ phase: 'waiting' });
  const [receipt, setReceipt] = useState<ReceiptLink>();
  // a print outcome that came before (or without) the receipt link
  const [printed, setPrinted] = useState<PrintState>();
  const [terminal, setTerminal] = useState<TerminalState>(cardTerminalOf(me));
  const followedRef = useRef(followed);
  followedRef.current = followed;

  // a new order to follow starts from nothing
  const orderId = followed?.orderId;
  useEffect(() => {
    setProgress({ phase: 'waiting' });
    setReceipt(undefined);
    setPrinted(undefined);
  }, [orderId]);

  // the kiosk's profile says whether its terminal is ready; read it afresh at each checkout
  useEffect(() => setTerminal(cardTerminalOf(me)), [me]);
  useEffect(() => {
    if (!open || !me) return;
    let current = true;
    api.me<KioskProfile>('kiosk').then(
      (fresh) => current && setTerminal(cardTerminalOf(fresh)),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [open, me]);

  const settle = useCallback((next: PaymentProgress) => {
    // an outcome is final: a later read or replayed event never takes it back to waiting
    setProgress((previous) => (previous.phase === 'waiting' ? next : previous));
  }, []);

  const refetch = useCallback(async () => {
    const wanted = followedRef.current;
    if (!storeId || !wanted?.waits) return;
    try {
      const { order } = await paymentApi.kioskOrder(storeId, wanted.orderId);
      if (followedRef.current?.orderId !== wanted.orderId) return;
      if (order.payment.status === 'paid') settle({ phase: 'confirmed', orderNumber: order.number, approvalNumber: order.payment.approvalNumber });
      else if (order.status === 'cancelled') settle({ phase: 'failed', failure: 'unknown' });
    } catch {
      // the stream or the next poll will tell
    }
  }, [storeId, settle]);

  const path = open && storeId && me ? api.kioskLivePath(storeId, me.id) : undefined;
  useLiveEvents(path, {
    role: 'kiosk',
    replays: true,
    onReady: () => void refetch(),
    on: {
      payment: (data) => {
        const event = parsePaymentEvent(data);
        if (!event || event.orderId !== followedRef.current?.orderId) return;
        if (event.receipt) setReceipt(event.receipt);
        if (event.state === 'waiting_for_card') return;
        if (event.state === 'confirmed') settle({ phase: 'confirmed', orderNumber: event.orderNumber });
        else settle({ phase: 'failed', failure: event.state, reason: event.reason });
      },
      receipt: (data) => {
        const event = parseReceiptEvent(data);
        if (event && event.orderId === followedRef.current?.orderId) setPrinted(event.print);
      },
      peripherals: (data) => {
        const event = parsePeripheralsEvent(data);
        if (event) setTerminal(event.cardTerminal);
      },
    },
  });

  // the receipt's link once the order stands (asking again prints nothing more)
  const settled = Boolean(followed) && (!followed?.waits || progress.phase === 'confirmed');
  useEffect(() => {
    if (!settled || !storeId || !orderId) return;
    let current = true;
    paymentApi.receipt(storeId, orderId).then(
      (link) => {
        if (current) setReceipt({ url: link.url, print: printState(link.print) ?? 'none' });
      },
      () => undefined, // the paper one, or the next customer, is what counts
    );
    return () => {
      current = false;
    };
  }, [settled, storeId, orderId]);

  const waiting = Boolean(followed?.waits) && progress.phase === 'waiting';
  useEffect(() => {
    if (!waiting || !open) return;
    const timer = window.setInterval(() => void refetch(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [waiting, open, refetch]);

  // the printer's own answer wins over "printing"
  const print: PrintState | undefined = printed ?? receipt?.print;
  return { progress, receipt: receipt ? { ...receipt, print: print ?? receipt.print } : undefined, print, cardTerminal: terminal, refetch };
}

function cardTerminalOf(me: KioskProfile | undefined): TerminalState {
  return me?.peripherals?.cardTerminal ?? 'none';
}
