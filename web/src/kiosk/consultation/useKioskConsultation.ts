// The kiosk's consultation for React: one KioskConsultation while the kiosk is signed in, and the
// screen mirror kept up to date (the page from the app, the open dialog and menu tab read from
// the page itself, so that every screen, also later ones, is mirrored without wiring).
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Menu } from '../../api/client';
import type { MirrorMenuItem, MirrorState } from '../../consultation/protocol';
import { lineTotal, cartTotal, type Cart } from '../cart';
import { KioskConsultation, type KioskConsultationSnapshot } from './KioskConsultation';

export interface KioskConsultationHandle extends KioskConsultationSnapshot {
  controller: KioskConsultation | undefined;
  /** waiting for or talking with a counselor: the kiosk must not reset itself meanwhile */
  busy: boolean;
}

const idleSnapshot: KioskConsultationSnapshot = { connection: 'connecting', phase: 'idle', keepTrying: false, peerGone: false, hold: false, media: 'none' };
const noop = () => () => undefined;

interface Options {
  /** connect (the kiosk is signed in) */
  enabled: boolean;
  /** the screen the kiosk shows now */
  page: string;
  cart: Cart;
  menu: Menu | undefined;
}

export function useKioskConsultation({ enabled, page, cart, menu }: Options): KioskConsultationHandle {
  const [controller, setController] = useState<KioskConsultation>();
  useEffect(() => {
    if (!enabled) return;
    const created = new KioskConsultation();
    setController(created);
    return () => {
      created.dispose();
      setController(undefined);
    };
  }, [enabled]);
  const snapshot = useSyncExternalStore(controller?.subscribe ?? noop, controller?.getSnapshot ?? (() => idleSnapshot));
  const connected = snapshot.phase === 'connected';
  const screen = useScreenDetails(connected);
  const mirrorMenu = useMemo(() => menuForMirror(menu), [menu]);

  // back at the start screen (a new customer): the last one's "nobody free" or "ended" goes
  useEffect(() => {
    if (page !== 'start' || !controller) return;
    const { phase, keepTrying } = controller.getSnapshot();
    if (phase === 'ended') controller.dismissEnded();
    else if (phase === 'unavailable' && !keepTrying) controller.orderAlone();
  }, [page, controller]);

  useEffect(() => {
    if (!controller || !connected) return;
    const state: MirrorState = {
      page,
      category: screen.category,
      dialog: screen.dialog,
      cart: {
        lines: cart.lines.map((line) => ({
          name: line.name,
          options: line.options.map((option) => `${option.group}: ${option.name}`),
          quantity: line.quantity,
          total: lineTotal(line),
        })),
        total: cartTotal(cart),
      },
      menu: mirrorMenu,
    };
    controller.mirror(state);
  }, [controller, connected, page, screen, cart, mirrorMenu]);

  return {
    ...snapshot,
    controller,
    busy:
      snapshot.phase === 'requesting' ||
      snapshot.phase === 'waiting' ||
      snapshot.phase === 'connected' ||
      (snapshot.phase === 'unavailable' && snapshot.keepTrying),
  };
}

/** the menu as the counselor needs it to suggest an item (ids, names, prices, options) */
function menuForMirror(menu: Menu | undefined): MirrorMenuItem[] {
  return (menu?.categories ?? []).flatMap((category) =>
    category.items.map((item) => ({
      id: item.id,
      name: item.name,
      category: category.name,
      price: item.price,
      soldOut: item.soldOut,
      groups: item.optionGroups.map((group) => ({
        name: group.name,
        kind: group.kind,
        required: group.required,
        options: group.options.map((option) => ({ id: option.id, name: option.name, priceDelta: option.priceDelta })),
      })),
    })),
  );
}

interface ScreenDetails {
  dialog: string | null;
  category: string | null;
}

/** the open dialog's title and the chosen menu tab, read from the page while `watching` */
function useScreenDetails(watching: boolean): ScreenDetails {
  const [details, setDetails] = useState<ScreenDetails>({ dialog: null, category: null });
  useEffect(() => {
    if (!watching) return;
    const read = () => {
      const dialogs = [...document.querySelectorAll('dialog[open], [role="alertdialog"]')].filter((each) => !each.closest('.consult-panel'));
      const top = dialogs[dialogs.length - 1];
      const titleId = top?.getAttribute('aria-labelledby');
      const dialog = top ? ((titleId ? document.getElementById(titleId)?.textContent : top.getAttribute('aria-label')) ?? '').trim() || null : null;
      const category = document.querySelector('[role="tab"][aria-selected="true"]')?.textContent?.trim() || null;
      setDetails((previous) => (previous.dialog === dialog && previous.category === category ? previous : { dialog, category }));
    };
    read();
    const observer = new MutationObserver(read);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['open', 'aria-selected'] });
    return () => observer.disconnect();
  }, [watching]);
  return details;
}
