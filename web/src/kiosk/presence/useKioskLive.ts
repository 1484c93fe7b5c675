// The kiosk's own live stream, read with the kiosk's session (api/useLiveEvents.ts): its events
// carry ids, so a dropped connection resumes where it was and a new stream after a token refresh
// sends `?lastEventId=`.
import { useLiveEvents, type LiveStatus } from '../../api/useLiveEvents';
import { liveEventNames, parseLiveEvent, type LiveEvent } from './live';

export type { LiveStatus };

const enc = encodeURIComponent;

export function useKioskLive(storeId: string | undefined, kioskId: string | undefined, onEvent: (event: LiveEvent) => void): LiveStatus {
  const on = Object.fromEntries(
    liveEventNames.map((name) => [
      name,
      (data: string) => {
        const parsed = parseLiveEvent(name, data);
        if (parsed) onEvent(parsed);
      },
    ]),
  );
  const path = storeId && kioskId ? `/api/stores/${enc(storeId)}/kiosks/${enc(kioskId)}/live` : undefined;
  return useLiveEvents(path, { role: 'kiosk', replays: true, on });
}
