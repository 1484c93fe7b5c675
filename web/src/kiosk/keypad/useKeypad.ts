// The kiosk's tactile keypad (a USB keyboard to the browser; the mapping is in docs/accessibility.md):
// on the attract screen any of its keys starts voice mode and the order; in voice mode arrows move
// the focus (left/right: the next or previous control; up/down: the nearest one above or below),
// 1-9 choose the Nth item or option on screen, Enter presses, Backspace/Escape go back or close a
// dialog, F1/? call a member of staff, +/- change the volume and * says the screen again. Presses
// that come too fast after one another (a burst, a held key) press nothing twice.
import { useEffect } from 'react';
import { requestStaffCall } from '../kiosk-events';
import { useNarration } from '../speech/SpeechProvider';
import { useSpeech } from '../speech/SpeechContext';

/** a second press of the same key (Enter, a number, back) within this time is taken as the same press */
export const PRESS_GUARD_MS = 350;

const KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Enter', ' ', 'Backspace', 'Escape', 'F1', '?', '+', '-', '*', ...'0123456789']);
const FOCUSABLE = 'button, [href], input:not([type="hidden"]), select, textarea, [tabindex]:not([tabindex="-1"]), [role="tab"]';
/** controls that take digits themselves (the phone keypad) */
const OWN_DIGITS = '[data-keypad-own], .phone-keypad';

let lastPress = 0;

/** when the customer last pressed a keypad key (the narrator lets such a focus move cut in) */
export function lastKeypadPress(): number {
  return lastPress;
}

function isTextField(element: Element | null): boolean {
  if (!element) return false;
  if (element instanceof HTMLTextAreaElement || (element instanceof HTMLElement && element.isContentEditable)) return true;
  return element instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit', 'reset', 'range'].includes(element.type);
}

function isShown(element: HTMLElement): boolean {
  return element.getClientRects().length > 0 && !element.closest('[inert], [aria-hidden="true"]');
}

/** where keys act: the dialog on top, else the page */
function scope(): ParentNode {
  return [...document.querySelectorAll('dialog[open]')].pop() ?? document;
}

function focusables(root: ParentNode): HTMLElement[] {
  const inClosedDialog = (element: Element) => {
    const dialog = element.closest('dialog');
    return dialog !== null && !dialog.open;
  };
  return [...new Set(root.querySelectorAll<HTMLElement>(FOCUSABLE))].filter(
    (element) => !(element as HTMLButtonElement).disabled && isShown(element) && !inClosedDialog(element),
  );
}

function center(rect: DOMRect) {
  return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
}

/** the next control in the direction: left/right in reading order, up/down the nearest below or above */
function neighbour(direction: string, from: HTMLElement | null, list: HTMLElement[]): HTMLElement | undefined {
  if (list.length === 0) return undefined;
  const at = from ? list.indexOf(from) : -1;
  const forward = direction === 'ArrowRight' || direction === 'ArrowDown';
  if (at < 0) return forward ? list[0] : list[list.length - 1];
  if (direction === 'ArrowLeft' || direction === 'ArrowRight') return list[(at + (forward ? 1 : -1) + list.length) % list.length];
  const origin = center(from!.getBoundingClientRect());
  let best: { element: HTMLElement; score: number } | undefined;
  for (const element of list) {
    if (element === from) continue;
    const point = center(element.getBoundingClientRect());
    const dy = forward ? point.y - origin.y : origin.y - point.y;
    if (dy <= 4) continue;
    // straight below counts more than a little closer but off to the side
    const score = dy + Math.abs(point.x - origin.x) * 2;
    if (!best || score < best.score) best = { element, score };
  }
  // nothing further that way: round to the other end, as left/right do
  return best?.element ?? (forward ? list[0] : list[list.length - 1]);
}

function activate(element: Element | null): void {
  if (!(element instanceof HTMLElement) || !element.isConnected || (element as HTMLButtonElement).disabled) return;
  if (element.matches('button, [href], input[type="radio"], input[type="checkbox"], input[type="submit"], [role="button"], [role="tab"], summary'))
    element.click();
}

function show(element: HTMLElement): void {
  element.focus({ preventScroll: true });
  element.scrollIntoView({ block: 'nearest' });
}

interface Options {
  /** the attract screen, where a key starts voice mode and the order */
  attract: boolean;
}

export function useKeypad({ attract }: Options): void {
  const speech = useSpeech();
  const narration = useNarration();

  useEffect(() => {
    // the same key again within PRESS_GUARD_MS is the same press (a burst); another key is meant
    let last = { key: '', at: 0 };
    const guarded = (key: string) => {
      const now = Date.now();
      if (key === last.key && now - last.at < PRESS_GUARD_MS) return true;
      last = { key, at: now };
      return false;
    };

    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || !KEYS.has(event.key)) return;
      const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      const typing = isTextField(active);
      const take = () => {
        event.preventDefault();
        event.stopPropagation();
      };

      if (event.key === 'F1' || (event.key === '?' && !typing)) {
        take();
        if (!event.repeat) requestStaffCall();
        return;
      }

      if (!speech.voiceMode) {
        // the attract screen: any keypad key starts voice mode, and the order with it
        const start = attract && !typing && !document.querySelector('dialog[open]') ? document.querySelector<HTMLElement>('[data-keypad-start]') : null;
        if (!start) return;
        // Enter on another control the customer reached (e.g. with Tab) still presses that control
        const onOther = (event.key === 'Enter' || event.key === ' ') && active && active !== document.body && active !== start;
        lastPress = Date.now();
        if (!onOther) take();
        speech.setVoiceMode(true);
        if (!onOther && !guarded(event.key)) start.click();
        return;
      }

      // a text field (the item's request) keeps its own editing keys; arrows and numbers still move and choose,
      // so a keypad without letters never gets stuck in it
      if (typing && (event.key === 'Backspace' || event.key === ' ' || event.key === '?')) return;
      if (active?.closest(OWN_DIGITS) && /^[0-9]$|^Backspace$/.test(event.key)) return;
      // the category tabs choose with left and right themselves
      if (active?.getAttribute('role') === 'tab' && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
        lastPress = Date.now();
        return;
      }
      take();
      lastPress = Date.now();
      if (event.repeat && event.key !== 'ArrowUp' && event.key !== 'ArrowDown' && event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;

      switch (event.key) {
        case 'ArrowUp':
        case 'ArrowDown':
        case 'ArrowLeft':
        case 'ArrowRight': {
          const next = neighbour(event.key, active, focusables(scope()));
          if (next) show(next);
          return;
        }
        case 'Enter':
        case ' ':
          if (!guarded('Enter')) activate(active);
          return;
        case 'Backspace':
        case 'Escape':
          if (!guarded('Back')) back();
          return;
        case '+':
          narration.louder();
          return;
        case '-':
          narration.quieter();
          return;
        case '*':
          speech.repeat();
          return;
        default: {
          // 1-9: the Nth item or option on screen; 0 is not a choice
          const index = Number(event.key) - 1;
          if (index >= 0 && !guarded(event.key)) choose(index);
        }
      }
    };

    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [attract, speech, narration]);
}

/** the Nth choice of the group that has the focus, else of the first group still unanswered, else of the first */
function choose(index: number): void {
  const groups = [...scope().querySelectorAll<HTMLElement>('[data-keypad-choices]')].filter(isShown);
  const active = document.activeElement;
  const group = groups.find((each) => active && each.contains(active)) ?? groups.find((each) => !each.querySelector('input:checked')) ?? groups[0];
  if (!group) return;
  // numbered as the summary says them, sold-out ones included
  const choices = [...group.querySelectorAll<HTMLElement>('button, input[type="radio"], input[type="checkbox"]')].filter(isShown);
  const choice = choices[index];
  if (!choice) return;
  show(choice);
  activate(choice);
}

/** close the dialog on top, else the screen's own way back, else "처음으로" */
function back(): void {
  const dialog = [...document.querySelectorAll<HTMLDialogElement>('dialog[open]')].pop();
  if (dialog) {
    // what Escape does to a modal dialog: its cancel handler decides (closes, or "계속하기" on the idle warning)
    dialog.dispatchEvent(new Event('cancel', { cancelable: true }));
    return;
  }
  const ways = [...document.querySelectorAll<HTMLElement>('[data-keypad-back], .start-over')].filter(
    (element) => isShown(element) && !(element as HTMLButtonElement).disabled,
  );
  const inMain = ways.find((element) => element.closest('main'));
  (inMain ?? ways[0])?.click();
}
