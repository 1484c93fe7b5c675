// The store's menu for the kiosk: loaded when asked (each new order starts with a fresh one, so
// that sold-out marks are current), kept while an order goes on.
import { useCallback, useRef, useState } from 'react';
import { api, type Menu } from '../api/client';

export interface MenuState {
  menu?: Menu;
  error?: unknown;
  loading: boolean;
  /** loads the menu again; resolves to the new menu (undefined when it could not be loaded) */
  reload(): Promise<Menu | undefined>;
}

export function useMenu(storeId: string | undefined): MenuState {
  const [menu, setMenu] = useState<Menu>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    if (!storeId) return undefined;
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const loaded = await api.menu(storeId);
      if (ticket === latest.current) {
        setMenu(loaded);
        setError(undefined);
      }
      return loaded;
    } catch (caught) {
      if (ticket === latest.current) setError(caught);
      return undefined;
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [storeId]);

  return { menu, error, loading, reload };
}
