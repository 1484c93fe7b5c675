// Who a store screen is (its store, kind and the kitchen settings): a kitchen display or pickup
// board signed in with its own credentials, or the store's owner on the same page.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, sessions, type SessionRole, type StoreScreen } from '../api/client';

export type ScreenKind = 'kitchen' | 'pickup';

export interface StoreScreenState {
  /** whose session the page uses: the screen's own, or the owner's */
  role: SessionRole | undefined;
  screen: StoreScreen | undefined;
  error: unknown;
  /** after a sign-in */
  reload(): void;
  signOut(): Promise<void>;
}

function roleFor(kind: ScreenKind): SessionRole | undefined {
  if (sessions.has(kind)) return kind;
  if (sessions.has('owner')) return 'owner';
  return undefined;
}

export function useStoreScreen(kind: ScreenKind): StoreScreenState {
  const [role, setRole] = useState<SessionRole | undefined>(() => roleFor(kind));
  const [screen, setScreen] = useState<StoreScreen>();
  const [error, setError] = useState<unknown>();

  const reload = useCallback(() => setRole(roleFor(kind)), [kind]);

  useEffect(() => {
    if (!role) return;
    let cancelled = false;
    setError(undefined);
    api.storeScreen(role).then(
      (answer) => {
        if (!cancelled) setScreen(answer);
      },
      (failure: unknown) => {
        if (cancelled) return;
        // a dead session is cleared by the client: show the sign-in form
        if (failure instanceof ApiError && failure.status === 401) setRole(roleFor(kind));
        else setError(failure);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [role, kind]);

  const signOut = useCallback(async () => {
    if (role === kind) await api.logout(kind);
    setScreen(undefined);
    setRole(undefined);
  }, [role, kind]);

  return { role, screen, error, reload, signOut };
}

/** minutes since an ISO time, whole */
export function minutesSince(iso: string, now: number): number {
  return Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
}

/** the time now, ticking every `everyMs` */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
