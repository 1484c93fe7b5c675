// The kiosk's idle reset: while `active`, every touch, click or key press starts the count again.
// At (idle - warning) seconds the warning is on (the caller shows it and beeps); at 0 `onTimeout`
// runs once. `extend` starts the count again by hand (the warning's "continue" button).
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
  onTimeout,
}: {
  active: boolean;
  idleSeconds: number;
  warningSeconds: number;
  onTimeout(): void;
}): IdleState {
  const deadline = useRef(0);
  const [state, setState] = useState({ warning: false, secondsLeft: idleSeconds });
  const timeoutRef = useRef(onTimeout);
  timeoutRef.current = onTimeout;

  // re-renders only when what is shown changes (the warning, or its whole seconds)
  const update = useCallback(() => {
    const left = Math.max(0, deadline.current - Date.now());
    const warning = left <= warningSeconds * 1000;
    const secondsLeft = Math.ceil(left / 1000);
    setState((previous) => (previous.warning === warning && (previous.secondsLeft === secondsLeft || !warning) ? previous : { warning, secondsLeft }));
    return left;
  }, [warningSeconds]);

  const extend = useCallback(() => {
    deadline.current = Date.now() + idleSeconds * 1000;
    update();
  }, [idleSeconds, update]);

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
