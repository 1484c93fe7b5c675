// Holds the kiosk's voice: voice mode, volume and rate, the engine (browser voice or the server's
// audio), the last phrase for "다시 듣기", and the one report to the server when the kiosk cannot
// speak. The kiosk tells it which store and kiosk it is (`useSpeechDevice`) once it knows.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api } from '../../api/client';
import { useI18n } from '../../i18n';
import { SpeechEngine, type Interruption, type PhraseKind } from './engine';
import { type Speech, SpeechContext } from './SpeechContext';
import { speakable } from './spoken-text';

export const MIN_RATE = 0.6;
export const MAX_RATE = 1.6;
const RATE_STEP = 0.2;
const VOLUME_STEP = 0.2;

/** what the narrator and keypad need beyond `Speech` */
export interface Narration {
  /** a phrase with its kind and how it interrupts; `remember`: the phrase "다시 듣기" repeats */
  speak(text: string, options: { kind: PhraseKind; interrupt: Interruption; remember?: boolean; always?: boolean }): void;
  /** the server's audio fetched ahead for phrases likely to come */
  prefetch(texts: string[]): void;
  louder(): void;
  quieter(): void;
  faster(): void;
  slower(): void;
  /** which store's text-to-speech to use, and which kiosk reports that it cannot speak */
  setDevice(storeId: string | undefined, kioskId: string | undefined): void;
}

const NarrationContext = createContext<Narration | undefined>(undefined);

export function useNarration(): Narration {
  const value = useContext(NarrationContext);
  if (!value) throw new Error('useNarration outside SpeechProvider');
  return value;
}

const clamp = (value: number, min: number, max: number) => Math.round(Math.min(max, Math.max(min, value)) * 10) / 10;

export function SpeechProvider({ children }: { children: ReactNode }) {
  const { t, lang } = useI18n();
  const [voiceMode, setVoiceModeState] = useState(false);
  const [volume, setVolumeState] = useState(1);
  const [rate, setRateState] = useState(1);
  const [unavailable, setUnavailable] = useState(false);
  const device = useRef<{ storeId?: string; kioskId?: string }>({});
  const reported = useRef<boolean | undefined>(undefined);
  const last = useRef<string>('');
  // the latest values for callbacks that outlive a render
  const state = useRef({ voiceMode, rate, lang, t });
  state.current = { voiceMode, rate, lang, t };

  const engine = useMemo(
    () =>
      new SpeechEngine({
        synthesize: (text, phraseLang, phraseRate) => {
          const storeId = device.current.storeId;
          if (!storeId) return Promise.reject(new Error('no store yet'));
          return api.synthesizeSpeech(storeId, { text, lang: phraseLang, rate: phraseRate });
        },
        onAvailability: (available) => {
          setUnavailable(!available);
          const { storeId, kioskId } = device.current;
          // once per change: the POS's kiosk list shows a kiosk that cannot speak
          if (storeId && kioskId && reported.current !== available && !(reported.current === undefined && available)) {
            reported.current = available;
            void api.reportSpeechStatus(storeId, kioskId, available).catch(() => undefined);
          }
        },
      }),
    [],
  );

  const speak = useCallback<Narration['speak']>(
    (text, { kind, interrupt, remember = kind !== 'focus', always = false }) => {
      const { voiceMode: on, rate: currentRate, lang: currentLang } = state.current;
      if (!on && !always) return;
      const phrase = speakable(text);
      if (!phrase) return;
      if (remember) last.current = phrase;
      engine.speak(phrase, currentLang, currentRate, kind, interrupt);
    },
    [engine],
  );

  const setVoiceMode = useCallback(
    (on: boolean) => {
      if (on === state.current.voiceMode) return;
      state.current.voiceMode = on;
      setVoiceModeState(on);
      if (on) speak(state.current.t.speech.greeting, { kind: 'greeting', interrupt: 'hard', remember: false });
      else engine.cancel();
    },
    [engine, speak],
  );

  const setVolume = useCallback(
    (next: number) => {
      const value = clamp(next, 0.2, 1);
      setVolumeState(value);
      engine.setVolume(value);
    },
    [engine],
  );

  const setRate = useCallback((next: number) => {
    const value = clamp(next, MIN_RATE, MAX_RATE);
    state.current.rate = value;
    setRateState(value);
  }, []);

  // voice mode shows in the page's styles: the thick focus ring
  useEffect(() => {
    document.body.classList.toggle('kiosk-voice', voiceMode);
    return () => document.body.classList.remove('kiosk-voice');
  }, [voiceMode]);

  const speech: Speech = useMemo(
    () => ({
      voiceMode,
      setVoiceMode,
      say: (text, options) => speak(text, { kind: 'message', interrupt: options?.interrupt ? 'hard' : false, ...(options?.always ? { always: true } : {}) }),
      repeat: () => {
        if (last.current) speak(last.current, { kind: 'message', interrupt: 'hard', always: true, remember: false });
      },
      volume,
      setVolume,
      rate,
      setRate,
      unavailable,
    }),
    [voiceMode, setVoiceMode, speak, volume, setVolume, rate, setRate, unavailable],
  );

  const narration: Narration = useMemo(
    () => ({
      speak,
      prefetch: (texts) => {
        if (!state.current.voiceMode) return;
        engine.prefetch(texts.map(speakable).filter(Boolean), state.current.lang, state.current.rate);
      },
      louder: () => {
        setVolume(engine.volume + VOLUME_STEP);
        speak(t.speech.volume(Math.round(Math.min(1, engine.volume) * 100)), { kind: 'focus', interrupt: 'hard' });
      },
      quieter: () => {
        setVolume(engine.volume - VOLUME_STEP);
        speak(t.speech.volume(Math.round(engine.volume * 100)), { kind: 'focus', interrupt: 'hard' });
      },
      faster: () => {
        const next = clamp(state.current.rate + RATE_STEP, MIN_RATE, MAX_RATE);
        setRate(next);
        speak(t.speech.rate(Math.round(next * 100)), { kind: 'focus', interrupt: 'hard' });
      },
      slower: () => {
        const next = clamp(state.current.rate - RATE_STEP, MIN_RATE, MAX_RATE);
        setRate(next);
        speak(t.speech.rate(Math.round(next * 100)), { kind: 'focus', interrupt: 'hard' });
      },
      setDevice: (storeId, kioskId) => {
        device.current = { ...(storeId ? { storeId } : {}), ...(kioskId ? { kioskId } : {}) };
      },
    }),
    [engine, speak, setVolume, setRate, t],
  );

  return (
    <SpeechContext.Provider value={speech}>
      <NarrationContext.Provider value={narration}>{children}</NarrationContext.Provider>
    </SpeechContext.Provider>
  );
}
