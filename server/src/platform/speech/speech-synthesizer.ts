// Text to speech: the kiosk's voice mode asks the server for audio when its browser has no voice for
// the language. The embedded default is eSpeak NG in child processes (espeak-synthesizer.ts); a
// brand may plug a cloud voice by configuration (google-synthesizer.ts). Both answer WAV.

export type SpeechLang = 'ko' | 'en';

export interface SpeechRequest {
  text: string;
  lang: SpeechLang;
  /** 1 is the engine's usual speed; 0.5 to 2 */
  rate: number;
}

export interface SynthesizedSpeech {
  /** a WAV file (RIFF, 16-bit PCM) */
  audio: Buffer;
  contentType: string;
}

export interface SpeechSynthesizer {
  /** the engine and voice that speak a language: part of the cache key, so a changed voice never reuses old audio */
  voiceOf(lang: SpeechLang): string;
  synthesize(request: SpeechRequest): Promise<SynthesizedSpeech>;
  close(): Promise<void>;
}

/** the engine could not speak: too busy, too slow, or it failed; the message is for logs */
export class SpeechSynthesisError extends Error {
  constructor(
    readonly reason: 'busy' | 'timeout' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'SpeechSynthesisError';
  }
}
