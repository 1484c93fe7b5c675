// The store's live order stream (Server-Sent Events). EventSource cannot send headers, so a fresh
// access token goes in the URL; when the token expires the server ends the stream with
// `reauthenticate` and this reconnects with a renewed one. A lost connection is retried with a
// growing pause. Every (re)connection calls `onReady`, and the caller refetches what it shows,
// so nothing that happened while disconnected is missed.
import { useEffect, useRef, useState } from 'react';
import { api, freshAccessToken, type Order } from '../api/client';

export type LiveStatus = 'connecting' | 'live' | 'lost';

export interface LiveHandlers {
  onReady(): void;
  onPlaced(order: Order): void;
  onUpdated(order: Order): void;
}

export function useLiveOrders(storeId: string, handlers: LiveHandlers): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    let source: EventSource | undefined;
    let timer: number | undefined;
    let stopped = false;
    let failures = 0;

    const parse = (event: Event): Order | undefined => {
      try {
        return JSON.parse((event as MessageEvent<string>).data) as Order;
      } catch {
        return undefined;
      }
    };

    const retryLater = () => {
      if (stopped) return;
      failures += 1;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(failures, 5));
      timer = window.setTimeout(() => void connect(true), delay);
    };

    const connect = async (afterFailure: boolean) => {
      if (stopped) return;
      let token: string | undefined;
      try {
        // after a failure, an ordinary request first: it renews an expired token, or ends a dead
        // session (and sends the page to the login) the way every other request does
        if (afterFailure) await api.me('owner');
        token = await freshAccessToken('owner');
      } catch {
        retryLater();
        return;
      }
      if (stopped || !token) return;
      const stream = new EventSource(api.liveOrdersUrl(storeId, token));
      source = stream;
      stream.addEventListener('ready', () => {
        failures = 0;
        setStatus('live');
        latest.current.onReady();
      });
      stream.addEventListener('order.placed', (event) => {
        const order = parse(event);
        if (order) latest.current.onPlaced(order);
      });
      stream.addEventListener('order.updated', (event) => {
        const order = parse(event);
        if (order) latest.current.onUpdated(order);
      });
      stream.addEventListener('reauthenticate', () => {
        stream.close();
        setStatus('connecting');
        void connect(false);
      });
      stream.onerror = () => {
        // the browser would retry with the same (perhaps expired) token: take over instead
        stream.close();
        setStatus('lost');
        retryLater();
      };
    };

    setStatus('connecting');
    void connect(false);
    return () => {
      stopped = true;
      source?.close();
      window.clearTimeout(timer);
    };
  }, [storeId]);

  return status;
}
