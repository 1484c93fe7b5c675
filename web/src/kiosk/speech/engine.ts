// The kiosk's voice: one queue of phrases, spoken by the browser (speechSynthesis) when it has a
// voice for the language, else with audio synthesized by the server (POST /api/stores/:id/speech),
// cached per (text, language, rate) and played at the chosen volume. An interrupting phrase drops
// what is playing and queued. When neither can speak, the kiosk is told once (`onAvailability`).

export type SpeechLang = 'ko' | 'en';
export type PhraseKind = 'greeting' | 'focus' | 'message';
/** hard: drop everything; soft: drop everything but a greeting */
export type Interruption = false | 'soft' | 'hard';

/** what the kiosk spoke, for the browser tests (read-only copies on window.__pinokioSpoken) */
export interface SpokenPhrase {
  text: string;
  lang: SpeechLang;
  rate: number;
  via: 'browser' | 'server';
  at: number;
}

interface Phrase {
  text: string;
  lang: SpeechLang;
  rate: number;
  /** focus phrases replace each other; a greeting survives a soft interruption (the first screen after it) */
  kind: PhraseKind;
}

export interface EngineOptions {
  /** WAV audio of a phrase from the server */
  synthesize(text: string, lang: SpeechLang, rate: number): Promise<Blob>;
  /** false once neither engine could speak; true again when one could */
  onAvailability(available: boolean): void;
}

const BROWSER_LANG: Record<SpeechLang, string> = { ko: 'ko', en: 'en' };
/** audio kept in memory: the phrases of a few screens in both languages */
const CACHE_LIMIT = 200;

declare global {
  interface Window {
    __pinokioSpoken?: readonly SpokenPhrase[];
  }
}

const spokenLog: SpokenPhrase[] = [];

function record(phrase: Phrase, via: SpokenPhrase['via']): void {
  spokenLog.push({ text: phrase.text, lang: phrase.lang, rate: phrase.rate, via, at: Date.now() });
  if (spokenLog.length > 500) spokenLog.shift();
  // a frozen copy: a test reads what was said, it cannot change it
  window.__pinokioSpoken = Object.freeze(spokenLog.slice());
}

export class SpeechEngine {
  volume = 1;
  private queue: Phrase[] = [];
  private current?: { phrase: Phrase; stop(): void };
  /** object URLs of server audio, most recently used last */
  private cache = new Map<string, Promise<string>>();
  private available = true;
  private generation = 0;
  private playing?: HTMLAudioElement;

  constructor(private readonly options: EngineOptions) {}

  speak(text: string, lang: SpeechLang, rate: number, kind: PhraseKind, interrupt: Interruption): void {
    const phrase = { text: text.replace(/\s+/g, ' ').trim(), lang, rate, kind };
    if (!phrase.text) return;
    if (interrupt === 'hard') this.cancel();
    else if (interrupt === 'soft') {
      this.queue = this.queue.filter((each) => each.kind === 'greeting');
      if (this.current && this.current.phrase.kind !== 'greeting') this.stopCurrent();
    } else if (kind === 'focus') {
      // the focus moved on: where it was is no longer worth saying
      this.queue = this.queue.filter((each) => each.kind !== 'focus');
      if (this.current?.phrase.kind === 'focus') this.stopCurrent();
    }
    this.queue.push(phrase);
    // the server's audio is fetched now, while earlier phrases play
    if (!this.browserVoice(lang)) void this.audioUrl(phrase).catch(() => undefined);
    this.next();
  }

  /** a new volume, for what is playing too */
  setVolume(volume: number): void {
    this.volume = volume;
    if (this.playing) this.playing.volume = volume;
  }

  /** stop speaking and forget what was queued */
  cancel(): void {
    this.queue = [];
    this.stopCurrent();
  }

  /** fetch the server's audio for phrases likely to be spoken soon (the screen's), unless the browser speaks them */
  prefetch(texts: string[], lang: SpeechLang, rate: number): void {
    if (this.browserVoice(lang)) return;
    for (const text of texts) {
      const clean = text.replace(/\s+/g, ' ').trim();
      if (clean) void this.audioUrl({ text: clean, lang, rate, kind: 'message' }).catch(() => undefined);
    }
  }

  private stopCurrent(): void {
    const current = this.current;
    this.current = undefined;
    this.generation++;
    current?.stop();
  }

  private next(): void {
    if (this.current) return;
    const phrase = this.queue.shift();
    if (!phrase) return;
    const generation = ++this.generation;
    const done = () => {
      if (generation !== this.generation) return; // stopped meanwhile: whatever stopped it moves on
      this.current = undefined;
      this.next();
    };
    const voice = this.browserVoice(phrase.lang);
    if (voice) this.speakInBrowser(phrase, voice, done);
    else this.playFromServer(phrase, generation, done);
  }

  /** a voice of the browser for the language, when it has one (headless browsers have none) */
  private browserVoice(lang: SpeechLang): SpeechSynthesisVoice | undefined {
    if (typeof window === 'undefined' || !('speechSynthesis' in window)) return undefined;
    const prefix = BROWSER_LANG[lang];
    const voices = window.speechSynthesis.getVoices().filter((voice) => voice.lang.toLowerCase().startsWith(prefix));
    return voices.find((voice) => voice.localService) ?? voices[0];
  }

  private speakInBrowser(phrase: Phrase, voice: SpeechSynthesisVoice, done: () => void): void {
    const utterance = new SpeechSynthesisUtterance(phrase.text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = phrase.rate;
    utterance.volume = this.volume;
    utterance.onend = done;
    utterance.onerror = (event) => {
      // a cancel is ours; any other error: the server's audio instead
      if (event.error === 'interrupted' || event.error === 'canceled') return done();
      this.playFromServer(phrase, this.generation, done);
    };
    this.current = { phrase, stop: () => window.speechSynthesis.cancel() };
    record(phrase, 'browser');
    this.setAvailable(true);
    window.speechSynthesis.speak(utterance);
  }

  private playFromServer(phrase: Phrase, generation: number, done: () => void): void {
    const audio = new Audio();
    let stopped = false;
    this.current = {
      phrase,
      stop: () => {
        stopped = true;
        audio.pause();
      },
    };
    this.audioUrl(phrase).then(
      (url) => {
        if (stopped || generation !== this.generation) return;
        audio.src = url;
        audio.volume = this.volume;
        this.playing = audio;
        audio.onended = done;
        audio.onerror = done;
        record(phrase, 'server');
        this.setAvailable(true);
        // a browser that refuses to play before a touch still moves on to the next phrase
        audio.play().catch(done);
      },
      () => {
        if (stopped || generation !== this.generation) return;
        this.setAvailable(false);
        done();
      },
    );
  }

  private audioUrl(phrase: Phrase): Promise<string> {
    const key = `${phrase.lang}\u0000${phrase.rate}\u0000${phrase.text}`;
    const cached = this.cache.get(key);
    if (cached) {
      // most recently used last
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const loading = this.options.synthesize(phrase.text, phrase.lang, phrase.rate).then((blob) => URL.createObjectURL(blob));
    // a failure is not cached: the next try asks the server again
    loading.catch(() => this.cache.delete(key));
    this.cache.set(key, loading);
    while (this.cache.size > CACHE_LIMIT) {
      const [oldest, url] = this.cache.entries().next().value as [string, Promise<string>];
      this.cache.delete(oldest);
      void url.then((each) => URL.revokeObjectURL(each)).catch(() => undefined);
    }
    return loading;
  }

  private setAvailable(available: boolean): void {
    if (available === this.available) return;
    this.available = available;
    this.options.onAvailability(available);
  }
}
