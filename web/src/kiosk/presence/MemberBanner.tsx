// Above the menu for a confirmed member: the greeting and "지난번과 같은 걸로" (their last order's
// lines, with their options and notes, shown in a dialog with today's total and put back in the cart
// in one step; what is no longer on the menu is left out and named). And when a face matched a member
// only after the customer had started ordering by touch, the last 4 digits are asked here, once.
import { useMemo, useState, type Dispatch } from 'react';
import type { Menu } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { won } from '../../format';
import { useI18n } from '../../i18n';
import { cartReducer, cartTotal, emptyCart, lineTotal, type CartAction } from '../cart';
import { DigitsConfirmation } from './DigitsConfirmation';
import type { Journey, JourneyAction } from './journey';
import { reorderLastOrder } from './recommendations';

interface Props {
  journey: Journey;
  dispatch(action: JourneyAction): void;
  menu?: Menu;
  cartDispatch: Dispatch<CartAction>;
  /** the kiosk's store, for the late digits question */
  storeId?: string;
}

export function MemberBanner({ journey, dispatch, menu, cartDispatch, storeId }: Props) {
  const { t, lang } = useI18n();
  const words = t.memberDigits;
  const [note, setNote] = useState<string>();
  const [preview, setPreview] = useState(false);
  const { member, lateConfirmationId } = journey;

  // what "지난번과 같은 걸로" would put in the cart, priced on today's menu
  const reorder = useMemo(() => {
    const { actions, skipped } = reorderLastOrder(member?.recommendations, menu);
    const cart = actions.reduce(cartReducer, emptyCart);
    return { actions, skipped, cart, total: cartTotal(cart) };
  }, [member, menu]);

  // what voice mode says when the dialog opens: the lines and the total
  const reorderSpoken = [
    words.reorder.title,
    reorder.cart.lines.map((line) => `${line.name} ${words.reorder.quantity(line.quantity)}`).join(', '),
    reorder.skipped.length > 0 ? words.reorder.skipped(reorder.skipped.join(', ')) : '',
    reorder.cart.lines.length > 0 ? `${words.reorder.total} ${won(reorder.total, lang)}` : words.reorder.nothing,
  ]
    .filter(Boolean)
    .join('. ');

  const addLastOrder = () => {
    for (const action of reorder.actions) cartDispatch(action);
    setPreview(false);
    const parts = [
      reorder.actions.length > 0 ? words.reorder.done(reorder.actions.length) : words.reorder.nothing,
      reorder.skipped.length > 0 ? words.reorder.skipped(reorder.skipped.join(', ')) : '',
    ];
    setNote(parts.filter(Boolean).join(' '));
  };

  return (
    <>
      {member ? (
        <div className="member-banner">
          <p className="member-welcome" data-speak-skip>
            {member.maskedName ? t.kioskPresence.member.welcome(member.maskedName) : t.kioskPresence.member.welcomeNoName}
          </p>
          {member.recommendations.topItems.length > 0 ? <p className="member-hint">{t.kioskPresence.member.recommendedHint}</p> : null}
          {member.recommendations.lastOrder ? (
            <button type="button" className="kiosk-primary member-reorder" onClick={() => setPreview(true)} disabled={!menu}>
              <span aria-hidden="true">↻ </span>
              {words.reorder.button}
            </button>
          ) : null}
          <div role="status" className={note ? 'member-note' : 'sr-only'}>
            {note}
          </div>
        </div>
      ) : null}
      {preview ? (
        <Dialog title={words.reorder.title} onClose={() => setPreview(false)} className="dialog-kiosk reorder-dialog">
          <div data-speak={reorderSpoken}>
            {reorder.cart.lines.length > 0 ? (
              <ul className="reorder-lines">
                {reorder.cart.lines.map((line) => (
                  <li key={line.key} className="reorder-line">
                    <span className="reorder-line-name">
                      {line.name} {words.reorder.quantity(line.quantity)}
                      {line.options.length > 0 ? <span className="reorder-line-options">{line.options.map((option) => option.name).join(', ')}</span> : null}
                      {line.note ? <span className="reorder-line-options">{line.note}</span> : null}
                    </span>
                    <span className="reorder-line-price">{won(lineTotal(line), lang)}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p>{words.reorder.nothing}</p>
            )}
            {reorder.skipped.length > 0 ? <p className="reorder-skipped">{words.reorder.skipped(reorder.skipped.join(', '))}</p> : null}
            {reorder.cart.lines.length > 0 ? (
              <p className="reorder-total">
                {words.reorder.total} <strong>{won(reorder.total, lang)}</strong>
              </p>
            ) : null}
            <div className="button-row">
              {reorder.cart.lines.length > 0 ? (
                <button type="button" className="kiosk-primary reorder-add" onClick={addLastOrder}>
                  {words.reorder.add}
                </button>
              ) : null}
              <button type="button" className="kiosk-secondary" onClick={() => setPreview(false)} data-autofocus>
                {words.reorder.cancel}
              </button>
            </div>
          </div>
        </Dialog>
      ) : null}
      {lateConfirmationId && !member && storeId ? (
        <Dialog title={words.confirm.lateTitle} onClose={() => dispatch({ type: 'confirmLateMember', member: null })} className="dialog-kiosk">
          <DigitsConfirmation
            key={lateConfirmationId}
            storeId={storeId}
            confirmationId={lateConfirmationId}
            inDialog
            onDone={(confirmed) => dispatch({ type: 'confirmLateMember', member: confirmed })}
          />
        </Dialog>
      ) : null}
    </>
  );
}
