// The last step: the order as it stands, the way to pay (the card terminal, a QR code for the phone,
// or at the counter: payment/ takes over for the first two), and "order". Card is offered only when
// the kiosk's terminal is ready; otherwise it stays in its place, disabled with the reason, so the
// keypad's numbers keep meaning the same method.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import './dining.css';
import type { PaymentMethod } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { won } from '../format';
import { useI18n } from '../i18n';
import { optionSummary } from './CartPanel';
import { useSpeech } from './speech/SpeechContext';
import { cartTotal, lineTotal, offeredFor, type Cart, type Dining } from './cart';

const dinings: readonly Dining[] = ['eat_in', 'take_out'];

export const paymentMethods: readonly PaymentMethod[] = ['card', 'mobile', 'counter'];

interface Props {
  cart: Cart;
  busy: boolean;
  /** a refusal or failure, already in words */
  error?: string;
  /** a note about a change the kiosk made (prices, sold-out items) */
  message?: string;
  /** eat-in or take-out: asked first, once per order */
  dining: Dining | undefined;
  onDining(dining: Dining | undefined): void;
  /** takes a line out of the cart (one not offered for the dining chosen) */
  onRemove(key: string): void;
  /** read the dining question aloud (the large-type mode, when the browser can speak) */
  speak?: boolean;
  onBack(): void;
  onSubmit(method: PaymentMethod): void;
  /** the kiosk's card terminal can take a card now */
  cardReady: boolean;
}

export function CheckoutScreen(props: Props) {
  if (!props.dining && props.cart.lines.length > 0) return <DiningQuestion onChoose={props.onDining} onBack={props.onBack} speak={props.speak ?? false} />;
  return <CheckoutForm {...props} />;
}

/** "드시고 가세요, 가지고 가세요?": two very large buttons; arrow keys move between them, Enter chooses, Escape goes back */
function DiningQuestion({ onChoose, onBack, speak }: { onChoose(dining: Dining): void; onBack(): void; speak: boolean }) {
  const { t } = useI18n();
  const { say, voiceMode } = useSpeech();
  const summary = t.speech.dining(
    t.dining.question,
    dinings.map((each) => t.dining.choices[each]),
  );
  // in voice mode the narrator reads the summary; in the large-type mode it is read all the same
  useEffect(() => {
    if (speak && !voiceMode) say(summary, { interrupt: true, always: true });
  }, [speak, voiceMode, say, summary]);
  const first = useRef<HTMLButtonElement>(null);
  const hintId = useId();
  // the first choice takes the focus once, when the question appears: the parent re-renders (live
  // events, the card terminal's state) hand a new onBack each time, and must not pull the focus back
  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape') onBack();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onBack]);
  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(event.key)) return;
    event.preventDefault();
    const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const step = event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 1;
    buttons[(at + step + buttons.length) % buttons.length]?.focus();
  };
  return (
    <div className="checkout dining-question" data-speak={summary}>
      <div className="checkout-top">
        <button type="button" className="kiosk-secondary" onClick={onBack} data-keypad-back>
          <span aria-hidden="true">← </span>
          {t.kiosk.checkout.back}
        </button>
      </div>
      <h1 className="kiosk-heading">{t.dining.question}</h1>
      <p id={hintId} className="dining-hint">
        {t.dining.questionHint}
      </p>
      <div className="dining-choices" role="group" aria-label={t.dining.question} aria-describedby={hintId} onKeyDown={move} data-keypad-choices>
        {dinings.map((each, index) => (
          <button key={each} ref={index === 0 ? first : undefined} type="button" className="dining-choice" onClick={() => onChoose(each)}>
            <span className="dining-choice-icon" aria-hidden="true">
              {each === 'eat_in' ? '☕' : '🛍'}
            </span>
            <span className="dining-choice-name">{t.dining.choices[each]}</span>
            <span className="dining-choice-hint">{t.dining.choiceHints[each]}</span>
          </button>
        ))}
      </div>
    </div>
  );
}

function CheckoutForm({ cart, busy, error, message, dining, onDining, onRemove, onBack, onSubmit, cardReady }: Props) {
  const { t, lang } = useI18n();
  const offered = (each: PaymentMethod) => each !== 'card' || cardReady;
  const methodName = (each: PaymentMethod) =>
    offered(each) ? t.kiosk.checkout.methods[each] : `${t.kiosk.checkout.methods[each]} (${t.kioskPayment.cardUnavailableSpoken})`;
  const notOffered = cart.lines.filter((line) => !offeredFor(line.dining, dining));
  const [chosen, setMethod] = useState<PaymentMethod>();
  // card chosen, then the terminal went away: nothing is chosen
  const method = chosen && offered(chosen) ? chosen : undefined;
  const [methodMissing, setMethodMissing] = useState(false);
  const name = useId();
  const noteId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (notOffered.length > 0) return;
    if (!method) {
      setMethodMissing(true);
      document.getElementById(`${name}-legend`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
      return;
    }
    onSubmit(method);
  };

  return (
    <div
      className="checkout"
      data-speak={t.speech.checkout(
        cart.lines.map((line) => [t.speech.cartLine(line.name, line.quantity), ...optionSummary(line, lang)].join(', ')),
        won(cartTotal(cart), lang),
        paymentMethods.map(methodName),
      )}
    >
      <div className="checkout-top">
        <button type="button" className="kiosk-secondary" onClick={onBack} disabled={busy} data-keypad-back>
          <span aria-hidden="true">← </span>
          {t.kiosk.checkout.back}
        </button>
      </div>
      <h1 className="kiosk-heading">{t.kiosk.checkout.title}</h1>
      {dining ? (
        <div className="dining-chosen">
          <p>
            <strong>{t.dining.short[dining]}</strong> · {t.dining.chosen[dining]}
          </p>
          <button type="button" className="kiosk-secondary" onClick={() => onDining(undefined)} disabled={busy}>
            {t.dining.change}
          </button>
        </div>
      ) : null}
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
                  {line.note ? <p className="cart-line-note">{t.dining.note(line.note)}</p> : null}
                  {dining && !offeredFor(line.dining, dining) ? (
                    <p className="cart-line-not-offered">
                      <span aria-hidden="true">⚠ </span>
                      {t.dining.notOffered[dining]}{' '}
                      <button type="button" className="kiosk-secondary" onClick={() => onRemove(line.key)}>
                        {t.dining.remove(line.name)}
                      </button>
                    </p>
                  ) : null}
                </div>
                <p className="cart-line-total">{won(lineTotal(line), lang)}</p>
              </li>
            ))}
          </ul>
          <p className="checkout-total">
            <span>{t.kiosk.checkout.total}</span> <strong>{won(cartTotal(cart), lang)}</strong>
          </p>
          <form onSubmit={submit} noValidate className="checkout-form">
            <fieldset className="pay-methods" aria-describedby={method === 'counter' ? noteId : undefined}>
              <legend id={`${name}-legend`}>{t.kiosk.checkout.methodLegend}</legend>
              <div className="pay-method-options" data-keypad-choices>
                {paymentMethods.map((each) => (
                  <label key={each} className={`pay-method${method === each ? ' pay-method-selected' : ''}${offered(each) ? '' : ' pay-method-unavailable'}`}>
                    <input
                      type="radio"
                      name={name}
                      value={each}
                      checked={method === each}
                      disabled={!offered(each)}
                      aria-invalid={methodMissing && !method ? true : undefined}
                      onChange={() => {
                        setMethod(each);
                        setMethodMissing(false);
                      }}
                    />
                    <span className="pay-method-text">
                      <span className="pay-method-name">{t.kiosk.checkout.methods[each]}</span>
                      <span className="pay-method-hint">{offered(each) ? t.kiosk.checkout.methodHints[each] : t.kioskPayment.cardUnavailable}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            {method === 'counter' ? (
              <div id={noteId} className="counter-note">
                <p className="counter-note-title">{t.kiosk.checkout.payAtCounter}</p>
                <p>{t.kiosk.checkout.payAtCounterText}</p>
              </div>
            ) : null}
            <ErrorAlert>{notOffered.length > 0 ? t.dining.removeNotOffered : methodMissing && !method ? t.kiosk.checkout.chooseMethod : error}</ErrorAlert>
            <button type="submit" className="kiosk-primary checkout-submit" disabled={busy}>
              {busy ? t.kiosk.checkout.submitting : t.kiosk.checkout.submit}
            </button>
          </form>
        </>
      )}
    </div>
  );
}
