// Small hooks shared by pages.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Profile, type Role } from './api/client';

/** where a role's home page is */
export function homeOf(role: Role): string {
  return role === 'kiosk' ? '/kiosk' : role === 'owner' ? '/pos' : '/counselor';
}

/** GET /api/me for the role's session */
export function useMe<P extends Profile>(role: Role) {
  const [state, setState] = useState<{ me?: P; error?: unknown }>({});
  const alive = useRef(true);
  const load = useCallback(async () => {
    setState({});
    try {
      const me = await api.me<P>(role);
      if (alive.current) setState({ me });
    } catch (error) {
      if (alive.current) setState({ error });
    }
  }, [role]);
  useEffect(() => {
    alive.current = true;
    void load();
    return () => {
      alive.current = false;
    };
  }, [load]);
  return { ...state, reload: load };
}

/** seconds left until `until` (ms since the epoch), ticking once a second; 0 when passed */
export function useSecondsUntil(until: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (until === undefined || until <= Date.now()) return;
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= until) window.clearInterval(timer);
    }, 250);
    return () => window.clearInterval(timer);
  }, [until]);
  if (until === undefined) return 0;
  return Math.max(0, Math.ceil((until - now) / 1000));
}

/** moves focus to an element when `key` changes (a new step's heading), but not on first render */
export function useFocusOnChange<T extends HTMLElement>(key: unknown) {
  const ref = useRef<T>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus();
  }, [key]);
  return ref;
}

export const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
