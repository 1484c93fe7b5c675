// The last step: the order as it stands, the way to pay (card, mobile pay or at the counter; in
// every case the money is taken at the counter, and the screen says so plainly), and "order".
import { useId, useState, type FormEvent } from 'react';
import type { PaymentMethod } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { won } from '../format';
import { useI18n } from '../i18n';
import { optionSummary } from './CartPanel';
import { cartTotal, lineTotal, type Cart } from './cart';

export const paymentMethods: readonly PaymentMethod[] = ['card', 'mobile', 'counter'];

interface Props {
  cart: Cart;
  busy: boolean;
  /** a refusal or failure, already in words */
  error?: string;
  /** a note about a change the kiosk made (prices, sold-out items) */
  message?: string;
  onBack(): void;
  onSubmit(method: PaymentMethod): void;
}

export function CheckoutScreen({ cart, busy, error, message, onBack, onSubmit }: Props) {
  const { t, lang } = useI18n();
  const [method, setMethod] = useState<PaymentMethod>();
  const [methodMissing, setMethodMissing] = useState(false);
  const name = useId();
  const noteId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!method) {
      setMethodMissing(true);
      document.getElementById(`${name}-legend`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
      return;
    }
    onSubmit(method);
  };

  return (
    <div className="checkout">
      <div className="checkout-top">
        <button type="button" className="kiosk-secondary" onClick={onBack} disabled={busy}>
          <span aria-hidden="true">← </span>
          {t.kiosk.checkout.back}
        </button>
      </div>
      <h1 className="kiosk-heading">{t.kiosk.checkout.title}</h1>
      {message ? <div className="alert alert-info kiosk-message">{message}</div> : null}
      {cart.lines.length === 0 ? (
        <p className="kiosk-empty">{t.kiosk.checkout.emptyNow}</p>
      ) : (
        <>
          <ul className="checkout-lines" aria-label={t.kiosk.cart.title}>
            {cart.lines.map((line) => (
              <li key={line.key} className="checkout-line">
                <img className="cart-thumb" src={line.thumbUrl} alt="" width={72} height={72} />
                <div className="cart-line-text">
                  <p className="cart-line-name">
                    {line.name} <span className="checkout-quantity">× {line.quantity}</span>
                  </p>
                  {optionSummary(line, lang).map((text) => (
                    <p key={text} className="cart-line-options">
                      {text}
                    </p>
                  ))}
                </div>
                <p className="cart-line-total">{won(lineTotal(line), lang)}</p>
              </li>
            ))}
          </ul>
          <p className="checkout-total">
            <span>{t.kiosk.checkout.total}</span> <strong>{won(cartTotal(cart), lang)}</strong>
          </p>
          <form onSubmit={submit} noValidate className="checkout-form">
            <fieldset className="pay-methods" aria-describedby={noteId}>
              <legend id={`${name}-legend`}>{t.kiosk.checkout.methodLegend}</legend>
              <div className="pay-method-options">
                {paymentMethods.map((each) => (
                  <label key={each} className={`pay-method${method === each ? ' pay-method-selected' : ''}`}>
                    <input
                      type="radio"
                      name={name}
                      value={each}
                      checked={method === each}
                      aria-invalid={methodMissing && !method ? true : undefined}
                      onChange={() => {
                        setMethod(each);
                        setMethodMissing(false);
                      }}
                    />
                    <span className="pay-method-text">
                      <span className="pay-method-name">{t.kiosk.checkout.methods[each]}</span>
                      <span className="pay-method-hint">{t.kiosk.checkout.methodHints[each]}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            <div id={noteId} className="counter-note">
              <p className="counter-note-title">{t.kiosk.checkout.payAtCounter}</p>
              <p>{t.kiosk.checkout.payAtCounterText}</p>
            </div>
            <ErrorAlert>{methodMissing && !method ? t.kiosk.checkout.chooseMethod : error}</ErrorAlert>
            <button type="submit" className="kiosk-primary checkout-submit" disabled={busy}>
              {busy ? t.kiosk.checkout.submitting : t.kiosk.checkout.submit}
            </button>
          </form>
        </>
      )}
    </div>
  );
}
