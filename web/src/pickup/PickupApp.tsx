// The pickup board (/pickup, a TV): two columns, 준비 중 and 준비 완료, with very large numbers. When
// a number becomes ready the board chimes and calls it (speechSynthesis, when the browser has a
// Korean voice; the call is also shown in large type). A number leaves when it is picked up or
// after the store's hold time.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, type PickupEntry, type SessionRole, type StoreScreen } from '../api/client';
import { useLiveEvents } from '../api/useLiveEvents';
import { LanguageToggle } from '../components/LanguageToggle';
import { LoadError, Loading } from '../components/Page';
import { ScreenSignIn } from '../kitchen/ScreenSignIn';
import '../kitchen/screens.css';
import { useScreenTexts } from '../kitchen/texts';
import { useNow, useStoreScreen } from '../kitchen/useStoreScreen';
import { chime, installAudioUnlock } from '../sound';

const RANK: Record<string, number> = { placed: 0, preparing: 1, ready: 2, completed: 3, cancelled: 3 };

export function PickupApp() {
  const s = useScreenTexts();
  const { role, screen, error, reload, signOut } = useStoreScreen('pickup');
  if (!role) return <ScreenSignIn title={s.pickupTitle} kind="pickup" onSignedIn={reload} />;
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!screen) return <Loading />;
  return <PickupBoard role={role} screen={screen} onSignOut={signOut} />;
}

/** a Korean voice when the browser has one */
function koreanVoice(): SpeechSynthesisVoice | undefined {
  if (typeof window === 'undefined' || !('speechSynthesis' in window)) return undefined;
  return window.speechSynthesis.getVoices().find((voice) => voice.lang.toLowerCase().startsWith('ko'));
}

function PickupBoard({ role, screen, onSignOut }: { role: SessionRole; screen: StoreScreen; onSignOut(): void }) {
  const s = useScreenTexts();
  const [entries, setEntries] = useState<Map<string, PickupEntry>>(new Map());
  const [call, setCall] = useState<string>('');
  const calls = useRef<number[]>([]);
  const now = useNow(5_000);
  const storeId = screen.storeId;
  const holdMs = screen.settings.pickupHoldMinutes * 60_000;

  useEffect(() => installAudioUnlock(), []);

  const announce = useCallback((number: number) => {
    chime();
    // always in Korean: the call is for the customers in the store
    const text = `${number}번 고객님, 주문하신 메뉴가 나왔습니다`;
    setCall(text);
    const voice = koreanVoice();
    if (voice) {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      window.speechSynthesis.speak(utterance);
    }
    calls.current.push(window.setTimeout(() => setCall((shown) => (shown === text ? '' : shown)), 20_000));
  }, []);

  useEffect(() => () => calls.current.forEach((timer) => window.clearTimeout(timer)), []);

  const merge = useCallback(
    (incoming: PickupEntry[], live: boolean) => {
      setEntries((current) => {
        const next = new Map(current);
        for (const entry of incoming) {
          const known = next.get(entry.orderId);
          if (known && (RANK[known.stage] ?? 0) > (RANK[entry.stage] ?? 0)) continue;
          next.set(entry.orderId, entry);
          const becameReady = entry.stage === 'ready' && known?.stage !== 'ready';
          // a number that turned ready just now is called (not one found ready when the board opened)
          if (live && becameReady && Date.now() - new Date(String(entry.updatedAt)).getTime() < holdMs) {
            window.setTimeout(() => announce(entry.number), 0);
          }
        }
        return next;
      });
    },
    [announce, holdMs],
  );

  const refetch = useCallback(async () => {
    try {
      merge((await api.pickupBoard(role, storeId)).entries, false);
    } catch {
      // the next ready refetches
    }
  }, [merge, role, storeId]);

  const status = useLiveEvents(`/api/stores/${storeId}/pickup/live`, {
    role,
    replays: true,
    on: { entry: (data) => merge([JSON.parse(data) as PickupEntry], true) },
    onReady: () => void refetch(),
  });

  const { preparing, ready } = useMemo(() => {
    const list = [...entries.values()].sort((a, b) => a.number - b.number);
    return {
      preparing: list.filter((entry) => entry.stage === 'placed' || entry.stage === 'preparing'),
      ready: list.filter((entry) => entry.stage === 'ready' && now - new Date(String(entry.updatedAt)).getTime() < holdMs),
    };
  }, [entries, now, holdMs]);

  return (
    <div className="screen pickup-screen">
      <header className="screen-bar">
        <h1>
          {s.pickupTitle} · {screen.storeName}
        </h1>
        <p className={`screen-status screen-status-${status}`} role="status">
          {status === 'live' ? s.live : status === 'lost' ? s.lost : s.connecting}
        </p>
        <LanguageToggle />
        <button type="button" className="button button-secondary" onClick={onSignOut}>
          {s.logout}
        </button>
      </header>
      <p className="pickup-call" role="alert" aria-live="assertive">
        {call}
      </p>
      <main className="pickup-columns">
        <section className="pickup-column pickup-column-preparing" aria-labelledby="pickup-preparing">
          <h2 id="pickup-preparing">{s.preparingColumn}</h2>
          <ul className="pickup-numbers" aria-labelledby="pickup-preparing">
            {preparing.map((entry) => (
              <li key={entry.orderId}>{entry.number}</li>
            ))}
          </ul>
        </section>
        <section className="pickup-column pickup-column-ready" aria-labelledby="pickup-ready">
          <h2 id="pickup-ready">{s.readyColumn}</h2>
          <ul className="pickup-numbers" aria-labelledby="pickup-ready">
            {ready.map((entry) => (
              <li key={entry.orderId}>{entry.number}</li>
            ))}
          </ul>
        </section>
      </main>
      <p className="pickup-hint">{s.soundHint}</p>
    </div>
  );
}
