// The kiosk's staff call: "직원 호출" (the button, or the keypad's help key through the
// STAFF_CALL_REQUESTED event), and the stall alert: a customer in large-type or voice mode who
// changes neither the cart nor the screen for the store's stall time is called for, once per stall.
// The owner's acknowledgement comes on the kiosk's own live stream, and the kiosk then says, shown
// and spoken even outside voice mode, that someone is coming.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, type StaffCallRequest } from '../../api/client';
import { useLiveEvents } from '../../api/useLiveEvents';
import { useI18n } from '../../i18n';
import { STAFF_CALL_REQUESTED } from '../kiosk-events';
import { useSpeech } from '../speech/SpeechContext';

export type StaffCallPhase = 'idle' | 'calling' | 'called' | 'coming' | 'failed';

export interface StaffCallHandle {
  phase: StaffCallPhase;
  /** the customer asked, or the kiosk did for them ('stalled') */
  reason: StaffCallRequest['reason'];
  call(reason?: StaffCallRequest['reason']): void;
}

interface Options {
  storeId: string | undefined;
  kioskId: string | undefined;
  /** large-type mode (journey.senior) */
  senior: boolean;
  /** the stall alert watches only while a customer is ordering (not during a consultation) */
  watching: boolean;
  /** what the customer is looking at, and their cart: a change of either is progress */
  screen: string;
  cart: unknown;
  /** the kiosk's start screen: a new customer, so the last one's call is done with */
  atStart: boolean;
}

/** "someone is coming" stays this long, then the notice goes */
const COMING_SHOWN_MS = 60_000;
/** the stall time is read again this often (the owner may change it) */
const SETTINGS_REFRESH_MS = 5 * 60_000;
/** until the store's setting is read */
const DEFAULT_STALL_SECONDS = 90;

export function useStaffCall({ storeId, kioskId, senior, watching, screen, cart, atStart }: Options): StaffCallHandle {
  const { t } = useI18n();
  const { voiceMode, say } = useSpeech();
  const [phase, setPhase] = useState<StaffCallPhase>('idle');
  const [reason, setReason] = useState<StaffCallRequest['reason']>('requested');
  const [stallSeconds, setStallSeconds] = useState(DEFAULT_STALL_SECONDS);
  const callId = useRef<string | undefined>(undefined);
  const inFlight = useRef(false);
  const latest = useRef({ senior, voiceMode, phase, t, say });
  latest.current = { senior, voiceMode, phase, t, say };

  const call = useCallback(
    (why: StaffCallRequest['reason'] = 'requested') => {
      // a burst of presses (a held help key) is one request; the server merges later ones anyway
      if (!storeId || inFlight.current) return;
      inFlight.current = true;
      const { senior: large, voiceMode: voice } = latest.current;
      const mode = voice ? 'voice' : large ? 'large' : 'standard';
      setReason(why);
      setPhase('calling');
      api
        .callStaff(storeId, { reason: why, mode })
        .then((called) => {
          callId.current = called.id;
          // an acknowledgement may have come first (a very quick owner)
          setPhase((now) => (now === 'coming' ? now : 'called'));
          const words = latest.current.t.staffCall.kiosk;
          latest.current.say(why === 'stalled' ? words.calledForYou : words.called, { interrupt: true });
        })
        .catch(() => setPhase('failed'))
        .finally(() => {
          inFlight.current = false;
        });
    },
    [storeId],
  );

  // the keypad's help key
  useEffect(() => {
    const onRequest = () => call('requested');
    window.addEventListener(STAFF_CALL_REQUESTED, onRequest);
    return () => window.removeEventListener(STAFF_CALL_REQUESTED, onRequest);
  }, [call]);

  useLiveEvents(storeId && kioskId ? api.kioskLivePath(storeId, kioskId) : undefined, {
    role: 'kiosk',
    replays: true,
    on: {
      'staff-call.acknowledged': (data) => {
        let acknowledged: string | undefined;
        try {
          acknowledged = (JSON.parse(data) as { callId?: string }).callId;
        } catch {
          return;
        }
        const now = latest.current.phase;
        if (acknowledged !== callId.current && now !== 'calling') return;
        setPhase('coming');
        // said even outside voice mode: a customer who called may not be looking at the screen
        latest.current.say(latest.current.t.staffCall.kiosk.coming, { always: true, interrupt: true });
      },
    },
  });

  useEffect(() => {
    if (phase !== 'coming' && phase !== 'failed') return;
    const timer = window.setTimeout(() => setPhase('idle'), COMING_SHOWN_MS);
    return () => window.clearTimeout(timer);
  }, [phase]);

  // back at the start screen: the next customer starts with no call
  useEffect(() => {
    if (!atStart) return;
    callId.current = undefined;
    setPhase('idle');
  }, [atStart]);

  useEffect(() => {
    if (!storeId) return;
    let stopped = false;
    const load = () =>
      api
        .staffCallSettings(storeId, 'kiosk')
        .then((settings) => {
          if (!stopped) setStallSeconds(settings.stallAlertSeconds);
        })
        .catch(() => undefined); // the default until it can be read
    void load();
    const timer = window.setInterval(load, SETTINGS_REFRESH_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [storeId]);

  // the stall alert: once per stall (progress starts a new wait), never while a call is open
  const alertedAt = useRef<unknown>(undefined);
  // a new screen or a changed cart is a new wait
  const progress = useMemo(() => ({}), [screen, cart]);
  const stallWatch = watching && (senior || voiceMode) && (phase === 'idle' || phase === 'failed');
  useEffect(() => {
    if (!stallWatch || alertedAt.current === progress) return;
    const timer = window.setTimeout(() => {
      alertedAt.current = progress;
      call('stalled');
    }, stallSeconds * 1000);
    return () => window.clearTimeout(timer);
  }, [stallWatch, progress, stallSeconds, call]);

  return { phase, reason, call };
}
