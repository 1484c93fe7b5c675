// The kitchen display (/kitchen): every open order as a ticket in a column by stage (new, preparing,
// ready), its age in minutes, eat-in or take-out, lines with options and notes; one touch moves it
// on. Tickets older than the store's late time turn colour; one not paid yet (the store lets the
// kitchen start counter orders before payment) is marked 미결제. Live over the kitchen stream (ids and
// replay: a screen that reconnects to another instance misses nothing).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, type KitchenTicket, type SessionRole, type StoreScreen } from '../api/client';
import { useLiveEvents } from '../api/useLiveEvents';
import { LanguageToggle } from '../components/LanguageToggle';
import { LoadError, Loading } from '../components/Page';
import { ScreenSignIn } from './ScreenSignIn';
import { useScreenTexts } from './texts';
import { minutesSince, useNow, useStoreScreen } from './useStoreScreen';
import './screens.css';

const RANK: Record<string, number> = { placed: 0, preparing: 1, ready: 2, completed: 3, cancelled: 3 };
const COLUMNS = ['placed', 'preparing', 'ready'] as const;

/** the later of two views of one ticket: stages only move forward */
function newer(known: KitchenTicket | undefined, incoming: KitchenTicket): KitchenTicket {
  if (!known) return incoming;
  return (RANK[incoming.stage] ?? 0) >= (RANK[known.stage] ?? 0) ? incoming : known;
}

export function KitchenApp() {
  const s = useScreenTexts();
  const { role, screen, error, reload, signOut } = useStoreScreen('kitchen');
  if (!role) return <ScreenSignIn title={s.kitchenTitle} kind="kitchen" onSignedIn={reload} />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!screen) return <Loading />;
  return <KitchenBoard role={role} screen={screen} onSignOut={signOut} />;
}

function KitchenBoard({ role, screen, onSignOut }: { role: SessionRole; screen: StoreScreen; onSignOut(): void }) {
  const s = useScreenTexts();
  const [tickets, setTickets] = useState<Map<string, KitchenTicket>>(new Map());
  const [station, setStation] = useState('');
  const [notice, setNotice] = useState<string>();
  const now = useNow(15_000);
  const storeId = screen.storeId;

  const merge = useCallback((incoming: KitchenTicket[]) => {
    setTickets((current) => {
      const next = new Map(current);
      for (const ticket of incoming) next.set(ticket.orderId, newer(next.get(ticket.orderId), ticket));
      return next;
    });
  }, []);

  const refetch = useCallback(async () => {
    try {
      merge((await api.kitchenTickets(role, storeId)).tickets);
    } catch {
      // the stream's next ready refetches
    }
  }, [merge, role, storeId]);

  const status = useLiveEvents(`/api/stores/${storeId}/kitchen/live`, {
    role,
    replays: true,
    on: { ticket: (data) => merge([JSON.parse(data) as KitchenTicket]) },
    onReady: () => void refetch(),
  });

  useEffect(() => {
    if (!notice) return;
    const timer = window.setTimeout(() => setNotice(undefined), 6_000);
    return () => window.clearTimeout(timer);
  }, [notice]);

  const bump = async (ticket: KitchenTicket) => {
    const from = ticket.stage as 'placed' | 'preparing' | 'ready';
    try {
      merge([await api.bumpTicket(role, storeId, ticket.orderId, from)]);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'ticket_already_bumped') {
        const current = String(failure.details?.current ?? '');
        merge([{ ...ticket, stage: current as KitchenTicket['stage'] }]);
        setNotice(s.alreadyBumped(ticket.number, s.stages[current] ?? s.pickedUp));
      } else {
        setNotice(failure instanceof Error ? failure.message : String(failure));
      }
    }
  };

  const shown = useMemo(
    () =>
      [...tickets.values()]
        .filter((ticket) => ticket.stage in { placed: 1, preparing: 1, ready: 1 })
        .filter((ticket) => !station || ticket.lines.some((line) => line.stationIds.length === 0 || line.stationIds.includes(station)))
        .sort((a, b) => String(a.placedAt).localeCompare(String(b.placedAt))),
    [tickets, station],
  );
  const late = screen.settings.lateAfterMinutes;

  return (
    <div className="screen kitchen-screen">
      <header className="screen-bar">
        <h1>
          {s.kitchenTitle} · {screen.storeName}
        </h1>
        <p className={`screen-status screen-status-${status}`} role="status">
          {status === 'live' ? s.live : status === 'lost' ? s.lost : s.connecting}
        </p>
        {screen.stations.length > 0 ? (
          <label className="screen-station">
            {s.station}
            <select value={station} onChange={(event) => setStation(event.target.value)}>
              <option value="">{s.allStations}</option>
              {screen.stations.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <LanguageToggle />
        <button type="button" className="button button-secondary" onClick={onSignOut}>
          {s.logout}
        </button>
      </header>
      <p className="screen-notice" role="alert">
        {notice ?? ''}
      </p>
      <main className="kitchen-columns">
        {COLUMNS.map((stage) => {
          const column = shown.filter((ticket) => ticket.stage === stage);
          return (
            <section key={stage} className={`kitchen-column kitchen-column-${stage}`} aria-labelledby={`column-${stage}`}>
              <h2 id={`column-${stage}`}>
                {s.stages[stage]} <span className="kitchen-count">{column.length}</span>
              </h2>
              {column.length === 0 ? <p className="kitchen-empty">{s.empty}</p> : null}
              <ol className="kitchen-tickets">
                {column.map((ticket) => {
                  const age = minutesSince(String(ticket.placedAt), now);
                  const isLate = age >= late && stage !== 'ready';
                  const unpaid = ticket.paymentStatus === 'unpaid';
                  return (
                    <li
                      key={ticket.orderId}
                      className={`ticket${isLate ? ' ticket-late' : ''}${unpaid ? ' ticket-unpaid-order' : ''}`}
                      aria-label={s.orderNumber(ticket.number)}
                    >
                      <div className="ticket-head">
                        <span className="ticket-number">{ticket.number}</span>
                        {ticket.dining ? (
                          <span className={`ticket-dining ticket-dining-${ticket.dining}`}>{ticket.dining === 'take_out' ? s.takeOut : s.eatIn}</span>
                        ) : null}
                        {unpaid ? (
                          <strong className="ticket-unpaid" title={s.unpaidLabel}>
                            {s.unpaid}
                          </strong>
                        ) : null}
                        <span className="ticket-age">
                          {s.ageMinutes(age)}
                          {isLate ? <strong className="ticket-late-tag"> · {s.late}</strong> : null}
                        </span>
                      </div>
                      <ul className="ticket-lines">
                        {ticket.lines.map((line, index) => (
                          <li key={index}>
                            <span className="ticket-qty">{line.quantity}×</span> <span className="ticket-item">{line.itemName}</span>
                            {line.options.length > 0 ? <div className="ticket-options">{line.options.join(', ')}</div> : null}
                            {line.note ? (
                              <div className="ticket-note">
                                {s.note}: {line.note}
                              </div>
                            ) : null}
                          </li>
                        ))}
                      </ul>
                      <button type="button" className="ticket-bump" onClick={() => void bump(ticket)} aria-label={s.bumpLabel(ticket.number, s.bumpTo[stage]!)}>
                        {s.bumpTo[stage]}
                      </button>
                    </li>
                  );
                })}
              </ol>
            </section>
          );
        })}
      </main>
    </div>
  );
}
