// Money, days and times as people read them. Money is whole won (integer minor units) everywhere.
import type { Lang } from './i18n';

const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 4500 -> "4,500" */
export function thousands(amount: number): string {
  return grouping.format(amount);
}

/** 4500 -> "4,500원" in Korean, "₩4,500" in English; a minus sign goes in front ("-500원") */
export function won(amount: number, lang: Lang): string {
  const sign = amount < 0 ? '-' : '';
  const digits = thousands(Math.abs(amount));
  return lang === 'ko' ? `${sign}${digits}원` : `${sign}₩${digits}`;
}

/** a price change of an option: "+500원" / "+₩500"; empty for 0 */
export function priceDelta(amount: number, lang: Lang): string {
  if (amount === 0) return '';
  return amount > 0 ? `+${won(amount, lang)}` : won(amount, lang);
}

/** the local day (YYYY-MM-DD) of an instant in a time zone */
export function localDay(timeZone: string, at: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

/** YYYY-MM-DD plus `days` (may be negative) */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** whole days from `from` to `to` (YYYY-MM-DD), 0 for the same day */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function locale(lang: Lang): string {
  return lang === 'ko' ? 'ko-KR' : 'en-GB';
}

/** "오후 2:05" / "14:05" in the store's time zone */
export function timeOfDay(iso: string, lang: Lang, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(locale(lang), { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/** a YYYY-MM-DD day as "11월 26일 (목)" / "Thu 26 Nov" */
export function dayLabel(day: string, lang: Lang, options: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', weekday: 'short' }): string {
  try {
    return new Intl.DateTimeFormat(locale(lang), { ...options, timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  } catch {
    return day;
  }
}
