// A server-sent event stream read with a session (the kiosk's live screen, the POS's live orders).
// EventSource cannot send headers, so a fresh access token rides in the URL (`?access_token=`).
//
// Two kinds of trouble, handled differently:
// - the connection drops (readyState CONNECTING): on a stream whose events carry ids (`replays`),
//   the browser reconnects by itself with the same URL and sends Last-Event-ID, so the server
//   replays what was missed; on any other stream the browser would retry with the same (perhaps
//   expired) token and nothing to replay, so this takes over as below;
// - the server refuses or ends the stream (readyState CLOSED, e.g. 401 with an expired token, or
//   the `reauthenticate` event): this opens a new stream with a renewed token (an ordinary request
//   first, which renews it or ends a dead session the way every other request does), after a
//   growing pause when it keeps failing. The last event id seen goes along as `?lastEventId=`,
//   since a new EventSource cannot send the header.
//
// Every stream says `ready` once it follows everything from then on: the status turns `live` and
// `onReady` runs (on every (re)connection, so a screen without replay can refetch what it shows).
import { useEffect, useRef, useState } from 'react';
import { api, freshAccessToken, type SessionRole } from './client';

export type LiveStatus = 'connecting' | 'live' | 'lost';

export interface LiveEventsOptions {
  /** whose session opens the stream */
  role: SessionRole;
  /** what to do with each event by name, given its data (JSON text) */
  on: Record<string, (data: string) => void>;
  /** each (re)connection is ready: nothing published from now on is missed */
  onReady?(): void;
  /** the events carry ids and the server replays missed ones: a dropped connection is left to the browser */
  replays?: boolean;
}

/** the pause before the next attempt after this many failures in a row: 2 s, 4 s, … up to 30 s */
function retryDelay(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(failures, 5));
}

function liveEventsUrl(path: string, accessToken: string, lastEventId?: string): string {
  const replay = lastEventId ? `&lastEventId=${encodeURIComponent(lastEventId)}` : '';
  return `${path}?access_token=${encodeURIComponent(accessToken)}${replay}`;
}

/** follows the stream at `path` (none while undefined); a new path opens a new stream */
export function useLiveEvents(path: string | undefined, options: LiveEventsOptions): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const latest = useRef(options);
  latest.current = options;

  useEffect(() => {
    if (!path) return;
    const { role, replays = false } = latest.current;
    let source: EventSource | undefined;
    let timer: number | undefined;
    let stopped = false;
    let failures = 0;
    let lastEventId: string | undefined;

    const retryLater = () => {
      if (stopped) return;
      failures += 1;
      timer = window.setTimeout(() => void connect(true), retryDelay(failures));
    };

    const connect = async (afterFailure: boolean) => {
      if (stopped) return;
      let token: string | undefined;
      try {
        // an ordinary request first: it renews the token, or ends a dead session (a store screen has no /api/me)
        if (afterFailure) await (role === 'kitchen' || role === 'pickup' ? api.storeScreen(role) : api.me(role));
        token = await freshAccessToken(role);
      } catch {
        retryLater();
        return;
      }
      if (stopped || !token) return;
      const stream = new EventSource(liveEventsUrl(path, token, lastEventId));
      source = stream;
      stream.addEventListener('ready', () => {
        failures = 0;
        setStatus('live');
        latest.current.onReady?.();
      });
      for (const name of Object.keys(latest.current.on)) {
        stream.addEventListener(name, (event) => {
          const message = event as MessageEvent<string>;
          if (message.lastEventId) lastEventId = message.lastEventId;
          latest.current.on[name]?.(message.data);
        });
      }
      stream.addEventListener('reauthenticate', () => {
        stream.close();
        setStatus('connecting');
        void connect(false);
      });
      stream.onerror = () => {
        if (replays && stream.readyState === EventSource.CONNECTING) {
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
  }, [path]);

  return status;
}
