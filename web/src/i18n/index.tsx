// Language state (Korean first, English switchable, remembered in localStorage) and the one place
// that turns a server error into words.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { en } from './en';
import { ko } from './ko';
import type { Messages } from './messages';

export type Lang = 'ko' | 'en';
export type { Messages };

const dictionaries: Record<Lang, Messages> = { ko, en };
const storageKey = 'pinokio.lang';

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(storageKey);
    if (stored === 'ko' || stored === 'en') return stored;
  } catch {
    // storage blocked: Korean
  }
  return 'ko';
}

interface I18n {
  lang: Lang;
  t: Messages;
  setLang(lang: Lang): void;
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(storageKey, next);
    } catch {
      // not remembered, still switched
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo(() => ({ lang, t: dictionaries[lang], setLang }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside LanguageProvider');
  return value;
}

/** Sets the document title: "<page> · Pinokio". */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Pinokio`;
  }, [title]);
}

/**
 * A server (or network) error in the reader's language: the translation of its stable code, with
 * what its details add (tries left, seconds to wait, fields to fix); the server's English message
 * only when the code is unknown to this app. `overrides` lets a page word a code for its context.
 */
export function errorText(t: Messages, error: unknown, overrides: Partial<Record<string, string>> = {}): string {
  if (!(error instanceof ApiError)) return t.errors.unknown_error;
  const base = overrides[error.code] ?? (t.errors as Record<string, string | undefined>)[error.code];
  const details = error.details ?? {};
  const extra: string[] = [];
  if (typeof details.attemptsLeft === 'number') extra.push(t.errorDetails.attemptsLeft(details.attemptsLeft));
  if (typeof details.retryAfterSeconds === 'number') extra.push(t.errorDetails.retryAfter(Math.ceil(details.retryAfterSeconds)));
  if (error.code === 'validation_failed' && Array.isArray(details.issues)) {
    const names = new Set<string>();
    for (const issue of details.issues as Array<{ field?: unknown }>) {
      const field = typeof issue.field === 'string' ? issue.field.split('.').pop() : undefined;
      const label = field ? (t.fields as Record<string, string | undefined>)[field] : undefined;
      if (label) names.add(label);
    }
    if (names.size > 0) extra.push(t.errorDetails.checkFields([...names].join(', ')));
  }
  if (base === undefined) return error.message || t.errors.unknown_error;
  return [base, ...extra].join(' ');
}
