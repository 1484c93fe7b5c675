// The 한국어 / English switch, on every page.
import { useI18n, type Lang } from '../i18n';

const choices: Array<{ lang: Lang; label: string }> = [
  { lang: 'ko', label: '한국어' },
  { lang: 'en', label: 'English' },
];

export function LanguageToggle() {
  const { lang, setLang, t } = useI18n();
  return (
    <div role="group" aria-label={t.common.languageGroup} className="lang-toggle">
      {choices.map((choice) => (
        <button
          key={choice.lang}
          type="button"
          lang={choice.lang}
          aria-pressed={lang === choice.lang}
          className="lang-button"
          onClick={() => setLang(choice.lang)}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}
