// The active kiosk's screen as it mirrors it: the page, the menu tab, an open dialog, and the cart.
import { useId } from 'react';
import { won } from '../format';
import { useI18n } from '../i18n';
import type { Seat } from './desk';

export function KioskScreen({ seat }: { seat: Seat }) {
  const { t, lang } = useI18n();
  const c = t.consultation.console;
  const headingId = useId();
  const cartId = useId();
  const mirror = seat.mirror;
  return (
    <section className="console-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{c.mirror}</h2>
      {!mirror ? (
        <p className="console-empty">{c.noMirror}</p>
      ) : (
        <>
          <dl className="console-facts">
            <div>
              <dt>{c.page}</dt>
              <dd>{t.consultation.pages[mirror.page] ?? mirror.page}</dd>
            </div>
            <div>
              <dt>{c.category}</dt>
              <dd>{mirror.category ?? c.none}</dd>
            </div>
            <div>
              <dt>{c.dialog}</dt>
              <dd>{mirror.dialog ?? c.none}</dd>
            </div>
          </dl>
          <h3 id={cartId}>{c.cart}</h3>
          {mirror.cart.lines.length === 0 ? (
            <p className="console-empty">{c.cartEmpty}</p>
          ) : (
            <>
              <ul className="console-cart" aria-labelledby={cartId}>
                {mirror.cart.lines.map((line, index) => (
                  <li key={index} aria-label={line.name}>
                    <span className="console-cart-name">
                      {line.name} × {line.quantity}
                    </span>
                    {line.options.length > 0 ? <span className="console-cart-options">{line.options.join(', ')}</span> : null}
                    <span className="console-cart-total">{won(line.total, lang)}</span>
                  </li>
                ))}
              </ul>
              <p className="console-cart-sum">
                {c.total} <strong>{won(mirror.cart.total, lang)}</strong>
              </p>
            </>
          )}
        </>
      )}
    </section>
  );
}
