// The journey (journey.ts) fed by the kiosk's live stream, kept in step with the kiosk's screens.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { initialJourney, journeyReducer, type Journey, type JourneyAction } from './journey';
import type { LiveEvent } from './live';
import { useKioskLive, type LiveStatus } from './useKioskLive';

export type KioskScreenName = 'start' | 'menu' | 'checkout' | 'receipt';

interface Options {
  storeId?: string;
  kioskId?: string;
  screen: KioskScreenName;
  cartEmpty: boolean;
  /** a departure changes nothing now (a consultation with a counselor is on) */
  hold?: boolean;
  /** the journey decided the customer goes on to the menu (a result, not a touch) */
  onBegin(): void;
  /** the customer walked away and nothing of theirs is lost by starting over */
  onDeparted(): void;
}

export interface CustomerJourney {
  journey: Journey;
  dispatch(action: JourneyAction): void;
  live: LiveStatus;
  /** counts departures, so that open panels (the phone keypad) can close on one */
  departures: number;
  /** the device reports someone standing at the kiosk: the idle timer waits (docs/accessibility.md#timing) */
  present: boolean;
}

/**
 * Whether a departure (`reset` from the device) may end what is on screen. What a customer would
 * want:
 * - before ordering (attract, prompts, the member or senior question) and on a menu with an empty
 *   cart: yes at once. Nothing is lost, and a member's name and last order must not stay on the
 *   screen for the next person to see.
 * - with something in the cart, at the checkout: no. People step back to look at the menu board,
 *   fetch a wallet, or turn to a child; wiping their order for that would be maddening. The idle
 *   timer (a warning with sound and a "계속하기" button, then the reset) handles a real departure.
 * - during a consultation with a counselor (`hold`): never; the customer is talking to someone.
 * - on the receipt: yes (the order is placed; its number is called out when ready), unless the
 *   customer is registering or deleting their face data: that has its own idle timer and warning.
 */
function departureEnds(screen: KioskScreenName, cartEmpty: boolean, journey: Journey): boolean {
  if (screen === 'start') return true;
  if (screen === 'menu') return cartEmpty;
  if (screen === 'receipt') return !journey.afterOrderOpen;
  return false;
}

export function useCustomerJourney({ storeId, kioskId, screen, cartEmpty, hold = false, onBegin, onDeparted }: Options): CustomerJourney {
  const [journey, dispatch] = useReducer(journeyReducer, initialJourney);
  const [departures, setDepartures] = useState(0);
  const [present, setPresent] = useState(false);
  const latest = useRef({ journey, screen, cartEmpty, hold, onBegin, onDeparted });
  latest.current = { journey, screen, cartEmpty, hold, onBegin, onDeparted };

  const onEvent = useCallback((event: LiveEvent) => {
    // someone there from arrival (or a frame of them) until the departure
    if (event.type === 'state') setPresent(event.state !== 'waiting');
    else if (event.type === 'reset') setPresent(false);
    else if (event.type === 'face' || event.type === 'analysis') setPresent(true);
    if (event.type === 'reset') {
      const now = latest.current;
      if (now.hold || !departureEnds(now.screen, now.cartEmpty, now.journey)) return;
      setDepartures((count) => count + 1);
      if (now.screen === 'start') dispatch(event);
      else now.onDeparted(); // the kiosk starts over, which ends the journey
      return;
    }
    dispatch(event);
  }, []);
  const live = useKioskLive(storeId, kioskId, onEvent);

  // a result (a guest, a confirmed member, a senior choice) leads on to the menu by itself
  useEffect(() => {
    if (journey.phase === 'ordering' && screen === 'start') latest.current.onBegin();
  }, [journey.phase, screen]);

  return { journey, dispatch, live, departures, present };
}
