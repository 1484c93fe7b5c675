// The cart beside (or under) the menu: each line with its options, − / + and remove; a confirmed
// "remove all"; the total; and the way on to the checkout.
import { useId, useState, type Dispatch } from 'react';
import { Dialog } from '../components/Dialog';
import { priceDelta, won } from '../format';
import { useI18n } from '../i18n';
import { MAX_QUANTITY, cartCount, cartTotal, lineTotal, type Cart, type CartAction, type CartLine } from './cart';

interface Props {
  cart: Cart;
  dispatch: Dispatch<CartAction>;
  onCheckout(): void;
  /** what was just done to the cart, read out politely */
  announcement?: string;
  onAnnounce(text: string): void;
}

export function CartPanel({ cart, dispatch, onCheckout, announcement, onAnnounce }: Props) {
  const { t, lang } = useI18n();
  const [confirmClear, setConfirmClear] = useState(false);
  const headingId = useId();
  const count = cartCount(cart);
  return (
    <aside
      className="cart-panel"
      aria-labelledby={headingId}
      data-speak={t.speech.cart(
        cart.lines.map((line) => t.speech.cartLine(line.name, line.quantity)),
        won(cartTotal(cart), lang),
      )}
    >
      <div className="cart-head">
        <h2 id={headingId} className="cart-title">
          {t.kiosk.cart.title} <span className="cart-count">{t.kiosk.cart.count(count)}</span>
        </h2>
        {cart.lines.length > 0 ? (
          <button type="button" className="kiosk-secondary cart-clear" onClick={() => setConfirmClear(true)}>
            {t.kiosk.cart.clear}
          </button>
        ) : null}
      </div>
      <div role="status" className="sr-only">
        {announcement}
      </div>
      {cart.lines.length === 0 ? (
        <p className="cart-empty">{t.kiosk.cart.empty}</p>
      ) : (
        <ul className="cart-lines" aria-label={t.kiosk.cart.title}>
          {cart.lines.map((line) => (
            <CartLineRow key={line.key} line={line} dispatch={dispatch} onAnnounce={onAnnounce} />
          ))}
        </ul>
      )}
      <div className="cart-foot">
        <p className="cart-total">
          <span>{t.kiosk.cart.total}</span> <strong>{won(cartTotal(cart), lang)}</strong>
        </p>
        <button type="button" className="kiosk-primary cart-checkout" disabled={cart.lines.length === 0} onClick={onCheckout}>
          {t.kiosk.cart.checkout}
        </button>
      </div>
      {confirmClear ? (
        <Dialog title={t.kiosk.cart.clearTitle} onClose={() => setConfirmClear(false)} className="dialog-kiosk">
          <p>{t.kiosk.cart.clearText}</p>
          <div className="button-row">
            <button
              type="button"
              className="kiosk-danger"
              onClick={() => {
                dispatch({ type: 'clear' });
                setConfirmClear(false);
              }}
            >
              {t.kiosk.cart.clearConfirm}
            </button>
            <button type="button" className="kiosk-secondary" onClick={() => setConfirmClear(false)} data-autofocus>
              {t.kiosk.cart.keep}
            </button>
          </div>
        </Dialog>
      ) : null}
    </aside>
  );
}

/** a line's options as "사이즈: 그란데 (+500원)", one per group */
export function optionSummary(line: Pick<CartLine, 'options'>, lang: 'ko' | 'en'): string[] {
  const groups = new Map<string, string[]>();
  for (const option of line.options) {
    const text = option.priceDelta ? `${option.name} (${priceDelta(option.priceDelta, lang)})` : option.name;
    groups.set(option.group, [...(groups.get(option.group) ?? []), text]);
  }
  return [...groups].map(([group, names]) => `${group}: ${names.join(', ')}`);
}

function CartLineRow({ line, dispatch, onAnnounce }: { line: CartLine; dispatch: Dispatch<CartAction>; onAnnounce(text: string): void }) {
  const { t, lang } = useI18n();
  const nameId = useId();
  return (
    <li className="cart-line" aria-labelledby={nameId}>
      <img className="cart-thumb" src={line.thumbUrl} alt="" width={72} height={72} />
      <div className="cart-line-text">
        <p id={nameId} className="cart-line-name">
          {line.name}
        </p>
        {optionSummary(line, lang).map((text) => (
          <p key={text} className="cart-line-options">
            {text}
          </p>
        ))}
        {line.note ? <p className="cart-line-note">{t.dining.note(line.note)}</p> : null}
      </div>
      <div className="cart-line-controls">
        <div className="quantity quantity-small" role="group" aria-label={t.kiosk.cart.quantityOf(line.name, line.quantity)}>
          <button
            type="button"
            className="quantity-button"
            aria-label={t.kiosk.cart.decrease(line.name)}
            disabled={line.quantity <= 1}
            onClick={() => dispatch({ type: 'decrement', key: line.key })}
          >
            −
          </button>
          <span className="quantity-value" aria-hidden="true">
            {line.quantity}
          </span>
          <button
            type="button"
            className="quantity-button"
            aria-label={t.kiosk.cart.increase(line.name)}
            disabled={line.quantity >= MAX_QUANTITY}
            onClick={() => dispatch({ type: 'increment', key: line.key })}
          >
            +
          </button>
        </div>
        <p className="cart-line-total">{won(lineTotal(line), lang)}</p>
        <button
          type="button"
          className="kiosk-secondary cart-remove"
          aria-label={t.kiosk.cart.removeLabel(line.name)}
          onClick={() => {
            dispatch({ type: 'remove', key: line.key });
            onAnnounce(t.kiosk.cart.removed(line.name));
          }}
        >
          {t.kiosk.cart.remove}
        </button>
      </div>
    </li>
  );
}
