// How this customer wants the kiosk (docs/accessibility.md): large type, high contrast, the
// low-position layout, and whether every wait is doubled. KioskApp holds the state (a new customer
// starts with none of it) and gives it to every kiosk screen through this context.
import { createContext, useContext } from 'react';

export interface Access {
  /** large type ("큰 글씨"): the journey's senior mode */
  senior: boolean;
  /** large type or voice mode: every wait is doubled */
  patient: boolean;
  /** the high-contrast colours (7:1 or more) */
  contrast: boolean;
  setContrast(on: boolean): void;
  /** the low-position layout: every control in the band of the screen within reach */
  low: boolean;
  setLow(on: boolean): void;
  /** that band, as a fraction of the screen's height from its bottom (the kiosk's profile) */
  reachBand: number;
}

export const DEFAULT_REACH_BAND = 0.45;

export const AccessContext = createContext<Access>({
  senior: false,
  patient: false,
  contrast: false,
  setContrast: () => {},
  low: false,
  setLow: () => {},
  reachBand: DEFAULT_REACH_BAND,
});

export function useAccess(): Access {
  return useContext(AccessContext);
}
