// The receipt's word on the payment. Paid at the kiosk: "결제되었습니다", what the printer did with the
// paper receipt ("영수증이 출력되었습니다", no paper, printer unavailable) and the QR code of the
// digital receipt. To pay at the counter: the reminder as before, and the printed ticket when the
// kiosk has a printer.
import type { Order } from '../../api/client';
import { won } from '../../format';
import { useI18n, type Lang, type Messages } from '../../i18n';
import { ReceiptQr } from '../receipt/ReceiptQr';
import './payment.css';
import type { PrintState, ReceiptLink } from './payment-events';

export type ReceiptPayment =
  | { paid: true; receipt?: ReceiptLink; print?: PrintState; approvalNumber?: string | null }
  /** `ticket`: the counter ticket's print state ('none' or absent: the kiosk has no printer) */
  | { paid: false; ticket?: PrintState };

export function printWords(t: Messages, print: PrintState | undefined): string {
  const texts = t.kioskPayment;
  switch (print) {
    case 'printing':
      return texts.printing;
    case 'printed':
      return texts.printed;
    case 'paper_out':
      return texts.paperOut;
    case 'offline':
      return texts.printerOffline;
    default:
      return texts.noPrinter;
  }
}

function ticketWords(t: Messages, ticket: PrintState): string {
  if (ticket === 'printed') return t.kioskPayment.ticketPrinted;
  if (ticket === 'printing') return t.kioskPayment.ticketPrinting;
  return t.kioskPayment.ticketNotPrinted;
}

/** the receipt's spoken summary for a paid order */
export function paidSpeech(t: Messages, lang: Lang, order: Order, payment: ReceiptPayment & { paid: true }): string {
  return t.kioskPayment.paidSpeech(order.number, t.kiosk.checkout.methods[order.paymentMethod], won(order.total, lang), printWords(t, payment.print));
}

export function ReceiptPaymentNote({ order, payment }: { order: Order; payment: ReceiptPayment }) {
  const { t, lang } = useI18n();
  const texts = t.kioskPayment;
  if (!payment.paid) {
    return (
      <div className="counter-note receipt-note">
        <p className="counter-note-title">{t.kiosk.receipt.payAtCounter}</p>
        <p>
          {t.kiosk.receipt.methodChosen(t.kiosk.checkout.methods[order.paymentMethod])} · {t.kiosk.checkout.total} {won(order.total, lang)}
        </p>
        {payment.ticket && payment.ticket !== 'none' ? (
          <p className="receipt-ticket" role="status">
            {ticketWords(t, payment.ticket)}
          </p>
        ) : null}
      </div>
    );
  }
  const url = payment.receipt?.url;
  return (
    <div className="paid-note receipt-note">
      <p className="paid-note-title">
        <span aria-hidden="true">✓ </span>
        {texts.paid}
      </p>
      <p>
        {texts.paidMethod(t.kiosk.checkout.methods[order.paymentMethod], won(order.total, lang))}
        {payment.approvalNumber ? ` · ${texts.approval(payment.approvalNumber)}` : ''}
      </p>
      <p className={`receipt-print receipt-print-${payment.print ?? 'none'}`} role="status">
        {printWords(t, payment.print)}
      </p>
      {url ? (
        <figure className="receipt-qr-figure">
          <ReceiptQr url={url} label={texts.receiptQrLabel} />
          <figcaption>{texts.receiptQrHint}</figcaption>
        </figure>
      ) : null}
    </div>
  );
}
