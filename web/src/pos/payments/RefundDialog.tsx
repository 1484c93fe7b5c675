// "환불": part or all of what is left to give back, with a reason; the dialog itself is the
// confirmation (red, "돌아가기" has the focus, it says that the money leaves the sales figures and
// that it cannot be undone). An Idempotency-Key per request body: a double tap or a retry after a
// lost answer refunds once, a changed amount is a new request.
import { useRef, useState } from 'react';
import { api, type Order } from '../../api/client';
import { DialogForm } from '../../components/DialogForm';
import { NumberField, TextAreaField } from '../../components/Field';
import { useSubmit } from '../../components/useSubmit';
import { won } from '../../format';
import { useI18n } from '../../i18n';
import { refundableOf } from './PaymentBadge';
import './payments.css';

export function RefundDialog({ storeId, order, onClose, onRefunded }: { storeId: string; order: Order; onClose(): void; onRefunded(order: Order): void }) {
  const { t, lang } = useI18n();
  const p = t.posPayments;
  const refundable = refundableOf(order.payment);
  const [amountText, setAmountText] = useState(String(refundable));
  const [reason, setReason] = useState('');
  const [amountError, setAmountError] = useState<string>();
  const [reasonError, setReasonError] = useState<string>();
  const sent = useRef<{ body: string; key: string }>(undefined);
  const { busy, error, run } = useSubmit();
  const amount = /^\d{1,9}$/.test(amountText.trim()) ? Number(amountText.trim()) : Number.NaN;

  const submit = () => {
    const amountProblem = !(amount >= 1) ? p.refundAmountInvalid : amount > refundable ? p.refundTooMuch(won(refundable, lang)) : undefined;
    const reasonProblem = reason.trim() ? undefined : p.refundReasonMissing;
    setAmountError(amountProblem);
    setReasonError(reasonProblem);
    if (amountProblem || reasonProblem) return;
    const body = { amount, reason: reason.trim() };
    const text = JSON.stringify(body);
    if (sent.current?.body !== text) sent.current = { body: text, key: crypto.randomUUID() };
    const key = sent.current.key;
    void run(async () => onRefunded((await api.refundOrder(storeId, order.id, body, key)).order), { errors: p.errors });
  };

  return (
    <DialogForm
      title={p.refundTitle(order.number)}
      onClose={onClose}
      tone="danger"
      className="payment-dialog"
      intro={
        <>
          <p className="amount-due">
            <strong>{p.refundable(won(refundable, lang))}</strong>
          </p>
          <p>{p.refundWarning(Number.isFinite(amount) && amount > 0 ? won(amount, lang) : won(refundable, lang))}</p>
          {order.payment.method === 'kiosk_card' ? <p className="hint">{p.refundCardNote}</p> : null}
        </>
      }
      onSubmit={submit}
      error={error}
      busy={busy}
      submitLabel={p.refundConfirm}
      cancelLabel={p.refundKeep}
      cancelFocused
    >
      <div className="refund-amount">
        <NumberField
          label={p.refundAmount}
          hint={p.refundAmountHint}
          maxLength={9}
          value={amountText}
          onChange={(event) => setAmountText(event.target.value.replace(/[^\d]/g, ''))}
          error={amountError}
        />
        <button type="button" className="button button-secondary" onClick={() => setAmountText(String(refundable))}>
          {p.refundAll}
        </button>
      </div>
      <TextAreaField
        label={p.refundReason}
        hint={p.refundReasonHint}
        maxLength={200}
        rows={2}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={reasonError}
      />
      <div className="reason-chips" role="group" aria-label={p.refundReasonHint}>
        {p.refundReasons.map((each) => (
          <button key={each} type="button" className="button button-secondary reason-chip" aria-pressed={reason === each} onClick={() => setReason(each)}>
            {each}
          </button>
        ))}
      </div>
    </DialogForm>
  );
}
