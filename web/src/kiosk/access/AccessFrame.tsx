// The kiosk's frame with this customer's choices on it: the classes that switch on large type
// (kiosk-senior), high contrast (kiosk-contrast) and the low-position layout (kiosk-low, whose band
// is --reach-band), and the context every screen reads them from.
import type { CSSProperties, ReactNode } from 'react';
import { type Access, AccessContext } from './AccessContext';

export function AccessFrame({ access, className, children, ...data }: { access: Access; className: string; children: ReactNode; 'data-live'?: string }) {
  const classes = `${className}${access.senior ? ' kiosk-senior' : ''}${access.contrast ? ' kiosk-contrast' : ''}${access.low ? ' kiosk-low' : ''}`;
  return (
    <AccessContext.Provider value={access}>
      <div className={classes} style={{ '--reach-band': String(access.reachBand) } as CSSProperties} {...data}>
        {children}
      </div>
    </AccessContext.Provider>
  );
}
