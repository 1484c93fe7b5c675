// The kiosk's own live stream (Server-Sent Events), read with the kiosk's session. EventSource
// cannot send headers, so a fresh access token rides in the URL.
//
// Two kinds of trouble, handled differently:
// - the connection drops (readyState CONNECTING): the browser reconnects by itself with the same
//   URL and sends Last-Event-ID, so the server replays what was missed; nothing to do here;
// - the server refuses or ends the stream (readyState CLOSED, e.g. 401 with an expired token, or
//   the `reauthenticate` event): this opens a new stream with a renewed token (an ordinary request
//   first, which renews it or ends a dead session the way every other request does), after a
//   growing pause when it keeps failing. The last event id goes along as `?lastEventId=`, since a
//   new EventSource cannot send the header (the kiosk-live route reads only the header so far).
import { useEffect, useRef, useState } from 'react';
import { api, freshAccessToken } from '../../api/client';
import { liveEventNames, parseLiveEvent, type LiveEvent } from './live';

export type LiveStatus = 'connecting' | 'live' | 'lost';

const enc = encodeURIComponent;

export function kioskLiveUrl(storeId: string, kioskId: string, accessToken: string, lastEventId?: string): string {
  const replay = lastEventId ? `&lastEventId=${enc(lastEventId)}` : '';
  return `/api/stores/${enc(storeId)}/kiosks/${enc(kioskId)}/live?access_token=${enc(accessToken)}${replay}`;
}

export function useKioskLive(storeId: string | undefined, kioskId: string | undefined, onEvent: (event: LiveEvent) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const latest = useRef(onEvent);
  latest.current = onEvent;

  useEffect(() => {
    if (!storeId || !kioskId) return;
    let source: EventSource | undefined;
    let timer: number | undefined;
    let stopped = false;
    let failures = 0;
    let lastEventId: string | undefined;

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
        if (afterFailure) await api.me('kiosk');
        token = await freshAccessToken('kiosk');
      } catch {
        retryLater();
        return;
      }
      if (stopped || !token) return;
      const stream = new EventSource(kioskLiveUrl(storeId, kioskId, token, lastEventId));
      source = stream;
      stream.onopen = () => {
        failures = 0;
        setStatus('live');
      };
      for (const name of liveEventNames) {
        stream.addEventListener(name, (event) => {
          const message = event as MessageEvent<string>;
          if (message.lastEventId) lastEventId = message.lastEventId;
          const parsed = parseLiveEvent(name, message.data);
          if (parsed) latest.current(parsed);
        });
      }
      stream.addEventListener('reauthenticate', () => {
        stream.close();
        setStatus('connecting');
        void connect(false);
      });
      stream.onerror = () => {
        if (stream.readyState === EventSource.CONNECTING) {
          setStatus('connecting'); // the browser retries on its own, with Last-Event-ID
          return;
        }
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
  }, [storeId, kioskId]);

  return status;
}
