// Requests offered to this counselor: the kiosk and store, accept or decline. A prompt goes when
// another counselor takes it, the kiosk withdraws, or it times out.
import { useId } from 'react';
import type { RequestOffer } from '../consultation/protocol';
import { useI18n } from '../i18n';
import type { CounselorDesk } from './desk';

interface Props {
  offers: RequestOffer[];
  accepting: string[];
  online: boolean;
  desk: CounselorDesk | undefined;
}

export function Requests({ offers, accepting, online, desk }: Props) {
  const { t } = useI18n();
  const c = t.consultation.console;
  const headingId = useId();
  return (
    <section className="console-card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {c.requests} {offers.length > 0 ? <span className="console-pill">{offers.length}</span> : null}
      </h2>
      {offers.length === 0 ? (
        <p className="console-empty">{online ? c.noRequests : c.awayHint}</p>
      ) : (
        <ul className="console-requests" aria-labelledby={headingId}>
          {offers.map((offer) => {
            const busy = accepting.includes(offer.requestId);
            return (
              <li key={offer.requestId} className="console-request" aria-label={offer.kiosk.name}>
                <p className="console-request-who">{c.requestFrom(offer.kiosk.storeName, offer.kiosk.name)}</p>
                <div className="button-row">
                  <button
                    type="button"
                    className="button button-primary"
                    aria-label={c.acceptLabel(offer.kiosk.name)}
                    disabled={busy}
                    onClick={() => desk?.accept(offer.requestId)}
                  >
                    {busy ? c.accepting : c.accept}
                  </button>
                  <button
                    type="button"
                    className="button button-secondary"
                    aria-label={c.rejectLabel(offer.kiosk.name)}
                    disabled={busy}
                    onClick={() => desk?.reject(offer.requestId)}
                  >
                    {c.reject}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
