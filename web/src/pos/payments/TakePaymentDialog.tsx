// "결제 받기": the owner marks a counter order paid, in cash or by the counter's own card terminal
// (its approval number, when there is one). The amount due is the order's total, shown large; the
// server takes nothing else. One Idempotency-Key per dialog: a double tap or a retry after a lost
// answer pays once.
import { useRef, useState } from 'react';
import { api, type Order } from '../../api/client';
import { DialogForm } from '../../components/DialogForm';
import { TextField } from '../../components/Field';
import { useSubmit } from '../../components/useSubmit';
import { won } from '../../format';
import { useI18n } from '../../i18n';
import './payments.css';

const APPROVAL_PATTERN = /^[0-9A-Za-z]{1,20}$/;

export function TakePaymentDialog({ storeId, order, onClose, onPaid }: { storeId: string; order: Order; onClose(): void; onPaid(order: Order): void }) {
  const { t, lang } = useI18n();
  const p = t.posPayments;
  const [method, setMethod] = useState<'counter_cash' | 'counter_card'>('counter_cash');
  const [approval, setApproval] = useState('');
  const [approvalError, setApprovalError] = useState<string>();
  const idempotencyKey = useRef(crypto.randomUUID());
  const { busy, error, run } = useSubmit();
  const due = order.total;

  const submit = () => {
    const approvalNumber = method === 'counter_card' && approval.trim() ? approval.trim() : undefined;
    if (approvalNumber && !APPROVAL_PATTERN.test(approvalNumber)) {
      setApprovalError(p.approvalInvalid);
      return;
    }
    setApprovalError(undefined);
    void run(async () => onPaid(await api.takePayment(storeId, order.id, { method, amount: due, approvalNumber }, idempotencyKey.current)), {
      errors: p.errors,
    });
  };

  return (
    <DialogForm
      title={p.takeTitle(order.number)}
      onClose={onClose}
      className="payment-dialog"
      intro={
        <p className="amount-due">
          <span className="amount-due-label">{p.amountDue}</span> <strong className="amount-due-value">{won(due, lang)}</strong>
        </p>
      }
      onSubmit={submit}
      error={error}
      busy={busy}
      submitLabel={p.takeConfirm(won(due, lang))}
    >
      <fieldset className="payment-methods">
        <legend>{p.methodLegend}</legend>
        <div className="segmented">
          {(['counter_cash', 'counter_card'] as const).map((each) => (
            <label key={each} className={`segment${method === each ? ' segment-on' : ''}`}>
              <input type="radio" name="counter-payment-method" value={each} checked={method === each} onChange={() => setMethod(each)} />
              {each === 'counter_cash' ? p.cash : p.card}
            </label>
          ))}
        </div>
      </fieldset>
      {method === 'counter_card' ? (
        <TextField
          label={p.approvalNumber}
          hint={p.approvalHint}
          optional
          maxLength={20}
          autoComplete="off"
          inputMode="numeric"
          value={approval}
          onChange={(event) => setApproval(event.target.value)}
          error={approvalError}
        />
      ) : null}
    </DialogForm>
  );
}
