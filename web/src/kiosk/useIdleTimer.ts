// The kiosk's idle reset: while `active`, every touch, click or key press starts the count again.
// At (idle - warning) seconds the warning is on (the caller shows it, and it is heard); at 0
// `onTimeout` runs once. `extend` starts the count again by hand (the warning's "계속하기"), as
// often as the customer likes. While `hold` is true (the device sees someone standing at the
// kiosk) the count does not run at all: the customer is there, so nothing of theirs is dropped;
// it starts afresh, with the whole idle time, once they are gone.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface IdleState {
  /** the warning should be shown */
  warning: boolean;
  /** whole seconds left until the reset (counted down while the warning is on) */
  secondsLeft: number;
  extend(): void;
}

const activityEvents = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export function useIdleTimer({
  active,
  idleSeconds,
  warningSeconds,
  hold = false,
  onTimeout,
}: {
  active: boolean;
  idleSeconds: number;
  warningSeconds: number;
  /** someone is standing at the kiosk: never time out */
  hold?: boolean;
  onTimeout(): void;
}): IdleState {
  const deadline = useRef(0);
  const [state, setState] = useState({ warning: false, secondsLeft: idleSeconds });
  const timeoutRef = useRef(onTimeout);
  timeoutRef.current = onTimeout;
  const holdRef = useRef(hold);
  holdRef.current = hold;

  // re-renders only when what is shown changes (the warning, or its whole seconds)
  const update = useCallback(() => {
    if (holdRef.current) deadline.current = Date.now() + idleSeconds * 1000;
    const left = Math.max(0, deadline.current - Date.now());
    const warning = left <= warningSeconds * 1000;
    const secondsLeft = Math.ceil(left / 1000);
    setState((previous) => (previous.warning === warning && (previous.secondsLeft === secondsLeft || !warning) ? previous : { warning, secondsLeft }));
    return left;
  }, [idleSeconds, warningSeconds]);

  const extend = useCallback(() => {
    deadline.current = Date.now() + idleSeconds * 1000;
    update();
  }, [idleSeconds, update]);

  // the customer stepped up, or left: the count starts afresh either way
  useEffect(() => {
    if (active) extend();
  }, [hold, active, extend]);

  useEffect(() => {
    if (!active) {
      setState({ warning: false, secondsLeft: idleSeconds });
      return;
    }
    extend();
    const onActivity = () => {
      deadline.current = Date.now() + idleSeconds * 1000;
    };
    for (const name of activityEvents) window.addEventListener(name, onActivity, { capture: true, passive: true });
    let fired = false;
    const timer = window.setInterval(() => {
      const left = update();
      if (!fired && left <= 0) {
        fired = true;
        timeoutRef.current();
      }
    }, 250);
    return () => {
      window.clearInterval(timer);
      for (const name of activityEvents) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, [active, idleSeconds, extend, update]);

  return { warning: active && state.warning, secondsLeft: state.secondsLeft, extend };
}
