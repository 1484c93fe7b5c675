// Above the menu for a member: the greeting, "지난번 주문 다시 하기" (the last order's lines put back
// in the cart, what is gone left out and named). And when a member was recognised only after the
// customer had started ordering by touch, the question is asked here, once.
import { useState, type Dispatch } from 'react';
import type { Menu } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { useI18n } from '../../i18n';
import type { CartAction } from '../cart';
import type { Journey, JourneyAction } from './journey';
import { reorderLastOrder } from './recommendations';

interface Props {
  journey: Journey;
  dispatch(action: JourneyAction): void;
  menu?: Menu;
  cartDispatch: Dispatch<CartAction>;
}

export function MemberBanner({ journey, dispatch, menu, cartDispatch }: Props) {
  const { t } = useI18n();
  const [note, setNote] = useState<string>();
  const { member, lateMember } = journey;

  const reorder = () => {
    const { actions, skipped } = reorderLastOrder(member?.recommendations, menu);
    for (const action of actions) cartDispatch(action);
    const parts = [
      actions.length > 0 ? t.kioskPresence.member.reordered(actions.length) : '',
      skipped.length > 0 ? t.kioskPresence.member.reorderSkipped(skipped.join(', ')) : '',
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
            <button type="button" className="kiosk-primary member-reorder" onClick={reorder} disabled={!menu}>
              <span aria-hidden="true">↻ </span>
              {t.kioskPresence.member.reorder}
            </button>
          ) : null}
          <div role="status" className={note ? 'member-note' : 'sr-only'}>
            {note}
          </div>
        </div>
      ) : null}
      {lateMember && !member ? (
        <Dialog
          title={lateMember.maskedName ? t.kioskPresence.member.question(lateMember.maskedName) : t.kioskPresence.member.questionNoName}
          onClose={() => dispatch({ type: 'confirmLateMember', yes: false })}
          className="dialog-kiosk"
        >
          {lateMember.phoneLast4 ? (
            <p className="presence-phone" data-speak-skip>
              {t.kioskPresence.member.phone(lateMember.phoneLast4)}
            </p>
          ) : null}
          <div className="button-row">
            <button type="button" className="kiosk-primary" onClick={() => dispatch({ type: 'confirmLateMember', yes: true })}>
              {t.kioskPresence.member.yes}
            </button>
            <button type="button" className="kiosk-secondary" onClick={() => dispatch({ type: 'confirmLateMember', yes: false })} data-autofocus>
              {t.kioskPresence.member.no}
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
