// The kiosk's voice: one queue of phrases, spoken by the browser (speechSynthesis) when it has a
// voice for the language, else with audio synthesized by the server (POST /api/stores/:id/speech),
// cached per (text, language, rate) and played at the chosen volume. An interrupting phrase drops
// what is playing and queued. A long phrase goes to the server sentence by sentence (the route takes
// at most MAX_PART characters, and the first sentence plays sooner). When neither can speak, the
// kiosk is told once (`onAvailability`).

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
  /** this part's text; `whole` is the phrase it belongs to, logged when its first part starts */
  text: string;
  whole?: string;
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
/** the longest text the server's route takes; sentences are packed up to PACK characters */
export const MAX_PART = 300;
const PACK = 160;
/** the longest a phrase may take before the queue moves on regardless */
const STALL_MS = 30_000;

/** a phrase in parts of whole sentences (a sentence too long is cut at commas, then anywhere) */
export function splitPhrase(text: string): string[] {
  const sentences = text.match(/[^.?!。]+[.?!。]*\s*/g) ?? [text];
  const pieces = sentences.flatMap((sentence) => {
    if (sentence.length <= MAX_PART) return [sentence];
    const commas = sentence.match(/[^,]+,?\s*/g) ?? [sentence];
    return commas.flatMap((each) => each.match(new RegExp(`[\\s\\S]{1,${MAX_PART}}`, 'g')) ?? []);
  });
  const parts: string[] = [];
  for (const piece of pieces) {
    const last = parts[parts.length - 1];
    if (last !== undefined && last.length + piece.length <= PACK) parts[parts.length - 1] = last + piece;
    else parts.push(piece);
  }
  return parts.map((part) => part.trim()).filter(Boolean);
}

/** a refusal of this text (too long, bad characters): not a sign that speech is down */
function refusedText(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 429;
}

declare global {
  interface Window {
    __pinokioSpoken?: readonly SpokenPhrase[];
  }
}

const spokenLog: SpokenPhrase[] = [];

function record(phrase: Phrase, via: SpokenPhrase['via']): void {
  if (phrase.whole === undefined) return; // a later part of a phrase already logged
  spokenLog.push({ text: phrase.whole, lang: phrase.lang, rate: phrase.rate, via, at: Date.now() });
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
  /** phrases to fetch ahead, one request at a time so that they never crowd out what is said now */
  private prefetching: Phrase[] = [];
  private prefetchRunning = false;

  constructor(private readonly options: EngineOptions) {}

  speak(text: string, lang: SpeechLang, rate: number, kind: PhraseKind, interrupt: Interruption): void {
    const whole = text.replace(/\s+/g, ' ').trim();
    if (!whole) return;
    if (interrupt === 'hard') this.cancel();
    else if (interrupt === 'soft') {
      this.queue = this.queue.filter((each) => each.kind === 'greeting');
      if (this.current && this.current.phrase.kind !== 'greeting') this.stopCurrent();
    } else if (kind === 'focus') {
      // the focus moved on: where it was is no longer worth saying
      this.queue = this.queue.filter((each) => each.kind !== 'focus');
      if (this.current?.phrase.kind === 'focus') this.stopCurrent();
    }
    // the browser speaks a phrase whole; the server's audio comes sentence by sentence, fetched now while earlier ones play
    const server = !this.browserVoice(lang);
    const parts = server ? splitPhrase(whole) : [whole];
    parts.forEach((part, index) => {
      const phrase: Phrase = { text: part, lang, rate, kind, ...(index === 0 ? { whole } : {}) };
      this.queue.push(phrase);
      if (server) void this.audioUrl(phrase).catch(() => undefined);
    });
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
    this.prefetching = texts.flatMap((text) => splitPhrase(text.replace(/\s+/g, ' ').trim())).map((text) => ({ text, lang, rate, kind: 'message' as const }));
    void this.runPrefetch();
  }

  private async runPrefetch(): Promise<void> {
    if (this.prefetchRunning) return;
    this.prefetchRunning = true;
    try {
      for (let phrase = this.prefetching.shift(); phrase; phrase = this.prefetching.shift()) {
        if (this.cache.has(this.keyOf(phrase))) continue;
        // one at a time: the phrases said now are fetched beside these, never behind a crowd of them
        const failed = await this.audioUrl(phrase).then(
          () => false,
          () => true,
        );
        if (failed) break; // the server is struggling: ask again on the next screen
      }
    } finally {
      this.prefetchRunning = false;
    }
  }

  private keyOf(phrase: Phrase): string {
    return `${phrase.lang}\u0000${phrase.rate}\u0000${phrase.text}`;
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
        // an audio output that never reports the end (no sound device) must not stall the queue
        let watchdog = window.setTimeout(done, STALL_MS);
        audio.onloadedmetadata = () => {
          window.clearTimeout(watchdog);
          if (Number.isFinite(audio.duration)) watchdog = window.setTimeout(done, (audio.duration * 1000) / audio.playbackRate + 1500);
        };
        const finish = () => {
          window.clearTimeout(watchdog);
          done();
        };
        audio.onended = finish;
        audio.onerror = finish;
        record(phrase, 'server');
        this.setAvailable(true);
        // a browser that refuses to play before a touch still moves on to the next phrase
        audio.play().catch(finish);
      },
      (error: unknown) => {
        if (stopped || generation !== this.generation) return;
        if (!refusedText(error)) this.setAvailable(false);
        done();
      },
    );
  }

  private audioUrl(phrase: Phrase): Promise<string> {
    const key = this.keyOf(phrase);
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
