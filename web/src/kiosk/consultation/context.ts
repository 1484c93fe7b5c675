// The kiosk's consultation for any screen below KioskApp (e.g. the senior mode's button) without
// passing it down through every screen.
import { createContext, useContext } from 'react';
import type { KioskConsultationHandle } from './useKioskConsultation';

export const KioskConsultationContext = createContext<KioskConsultationHandle | undefined>(undefined);

export function useKioskConsultationContext(): KioskConsultationHandle | undefined {
  return useContext(KioskConsultationContext);
}
