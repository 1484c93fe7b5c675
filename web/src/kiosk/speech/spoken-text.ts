// What the narrator may read out of the page: an element's visible text and a control's accessible
// name, leaving out what is hidden from assistive technology and what is marked `data-speak-skip`
// (a member's name, phone digits), and never a phrase that still looks like a phone number.

/** elements whose text is never spoken (a member's name, phone digits) */
export const SKIP = '[data-speak-skip]';

/** 010-1234-5678, 01012345678, 1234 after a masked part (010-****-5678): a phone number */
const PHONE_LIKE = /01[016789][\s-]?(\d{3,4}|\*{3,4})[\s-]?\d{4}|\*{3,4}[\s-]?\d{4}/;

export function isPrivate(element: Element | null): boolean {
  return Boolean(element?.closest(SKIP));
}

/** a phrase fit to be spoken: whitespace tidied; empty when it holds a phone number */
export function speakable(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return PHONE_LIKE.test(clean) ? '' : clean;
}

/** the text of an element as a listener should hear it: hidden and private parts left out, images by their alt */
export function spokenText(node: Node): string {
  const parts: string[] = [];
  const walk = (each: Node) => {
    if (each.nodeType === Node.TEXT_NODE) {
      parts.push(each.textContent ?? '');
      return;
    }
    if (!(each instanceof Element)) return;
    if (each.matches(`${SKIP}, [aria-hidden="true"], script, style, template`)) return;
    if (each instanceof HTMLElement && each.hidden) return;
    if (each instanceof HTMLImageElement) {
      parts.push(each.alt);
      return;
    }
    for (const child of each.childNodes) walk(child);
    // block-ish children read as separate words: "아메리카노" "4,000원", not "아메리카노4,000원"
    parts.push(' ');
  };
  walk(node);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

interface StateWords {
  checked: string;
  notChecked: string;
  disabled: string;
}

/** a control's accessible name (aria-label, aria-labelledby, its labels, its text) and its state */
export function accessibleName(element: HTMLElement, words: StateWords): string {
  if (isPrivate(element)) return '';
  let name = element.getAttribute('aria-label') ?? '';
  if (!name) {
    const labelledBy = element.getAttribute('aria-labelledby');
    if (labelledBy) {
      name = labelledBy
        .split(/\s+/)
        .map((id) => document.getElementById(id))
        .filter((each): each is HTMLElement => Boolean(each) && !isPrivate(each))
        .map((each) => spokenText(each))
        .join(' ');
    }
  }
  if (!name && (element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement)) {
    name = [...(element.labels ?? [])].map((label) => spokenText(label)).join(' ');
  }
  if (!name) name = spokenText(element);
  const state: string[] = [];
  if (element instanceof HTMLInputElement && (element.type === 'radio' || element.type === 'checkbox'))
    state.push(element.checked ? words.checked : words.notChecked);
  else if (element.getAttribute('aria-pressed') === 'true' || element.getAttribute('aria-selected') === 'true') state.push(words.checked);
  if ((element as HTMLButtonElement).disabled || element.getAttribute('aria-disabled') === 'true') state.push(words.disabled);
  return speakable([name, ...state].join(', '));
}
