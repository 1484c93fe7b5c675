// The narrator: in voice mode it watches the page and speaks (a) a screen's summary when it appears
// or changes (the `data-speak` attribute screens put on their root), (b) the focused control's name
// on every focus move, (c) text added to live regions (role=status/alert, aria-live), which is how
// the other parts of the kiosk (staff call, idle warning, practice banner) get their messages read.
import { useEffect } from 'react';
import { useI18n } from '../../i18n';
import { lastKeypadPress } from '../keypad/useKeypad';
import { useNarration } from './SpeechProvider';
import { useSpeech } from './SpeechContext';
import { accessibleName, isPrivate, speakable, spokenText } from './spoken-text';

const SUMMARY = '[data-speak]';
const LIVE = '[role="status"], [role="alert"], [aria-live]:not([aria-live="off"])';
/** a focus move this soon after a key press is the customer's: it cuts what is being said */
const KEY_FOCUS_MS = 250;
/** a live message already said by a summary this recently is not said twice */
const ECHO_MS = 3000;

function visible(element: Element): boolean {
  return element.getClientRects().length > 0 || element.classList.contains('sr-only');
}

export function useNarrator(): void {
  const { voiceMode } = useSpeech();
  const narration = useNarration();
  const { t } = useI18n();

  useEffect(() => {
    if (!voiceMode) return;
    const summaries = new WeakMap<Element, string>();
    const liveTexts = new WeakMap<Element, string>();
    let recent: { text: string; at: number }[] = [];
    let pending = new Set<Element>();
    let timer: number | undefined;

    const stateWords = { checked: t.speech.checked, notChecked: t.speech.notChecked, disabled: t.speech.disabled };

    // a screen (or dialog) that appears: all its summaries in page order, what was said before stops
    // (a greeting goes on); a summary that changes (the cart, another category): that one, at once
    const speakSummaries = () => {
      const shown = [...document.querySelectorAll(SUMMARY)].filter((element) => !isPrivate(element) && visible(element));
      const appeared = shown.some((element) => !summaries.has(element));
      const changed = shown.filter((element) => summaries.get(element) !== (element.getAttribute('data-speak') ?? ''));
      if (changed.length === 0) return;
      const toSay = appeared ? shown : changed;
      toSay.forEach((element, index) => {
        const text = element.getAttribute('data-speak') ?? '';
        summaries.set(element, text);
        if (!text) return;
        narration.speak(text, { kind: 'message', interrupt: index === 0 ? 'soft' : false });
        recent.push({ text, at: Date.now() });
      });
    };

    const speakLive = (regions: Iterable<Element>) => {
      const now = Date.now();
      recent = recent.filter((each) => now - each.at < ECHO_MS);
      for (const region of regions) {
        if (!region.isConnected || isPrivate(region)) continue;
        const text = speakable(region.getAttribute('aria-label') ?? spokenText(region));
        const before = liveTexts.get(region);
        liveTexts.set(region, text);
        if (!text || text === before) continue;
        if (recent.some((each) => each.text.includes(text))) continue;
        narration.speak(text, { kind: 'message', interrupt: false });
      }
    };

    const flush = () => {
      timer = undefined;
      speakSummaries();
      const regions = pending;
      pending = new Set();
      speakLive(regions);
      prefetchScreen();
    };

    const prefetchScreen = () => {
      const scope = [...document.querySelectorAll('dialog[open]')].pop() ?? document;
      const names = [...scope.querySelectorAll<HTMLElement>('button, input[type="radio"], input[type="checkbox"], [role="tab"]')]
        .filter(visible)
        .slice(0, 24)
        .map((element) => accessibleName(element, stateWords));
      narration.prefetch(names);
    };

    const observer = new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target instanceof Element ? record.target : record.target.parentElement;
        const region = target?.closest(LIVE);
        if (region) pending.add(region);
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          if (node.matches(LIVE)) pending.add(node);
          for (const inner of node.querySelectorAll(LIVE)) pending.add(inner);
        }
      }
      timer ??= window.setTimeout(flush, 40);
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-speak'] });

    // what is on screen now: its live regions count as said, its summaries are said (after the greeting)
    for (const region of document.querySelectorAll(LIVE)) liveTexts.set(region, speakable(spokenText(region)));
    speakSummaries();
    prefetchScreen();

    const onFocus = (event: FocusEvent) => {
      const element = event.target;
      if (!(element instanceof HTMLElement) || element === document.body) return;
      const name = accessibleName(element, stateWords);
      if (!name) return;
      const byKey = Date.now() - lastKeypadPress() < KEY_FOCUS_MS;
      narration.speak(name, { kind: 'focus', interrupt: byKey ? 'hard' : false });
    };
    // a radio or checkbox chosen: its new state
    const onChange = (event: Event) => {
      const element = event.target;
      if (element instanceof HTMLInputElement && (element.type === 'radio' || element.type === 'checkbox') && element === document.activeElement) {
        narration.speak(accessibleName(element, stateWords), { kind: 'focus', interrupt: 'hard' });
      }
    };
    document.addEventListener('focusin', onFocus);
    document.addEventListener('change', onChange);
    return () => {
      observer.disconnect();
      if (timer !== undefined) window.clearTimeout(timer);
      document.removeEventListener('focusin', onFocus);
      document.removeEventListener('change', onChange);
    };
  }, [voiceMode, narration, t]);
}
