// A cloud voice: Google Cloud Text-to-Speech, REST v1 `text:synthesize` (TTS_URL, e.g.
// https://texttospeech.googleapis.com/v1/text:synthesize), or any service that answers the same way.
//
//   POST TTS_URL
//   X-Goog-Api-Key: TTS_API_KEY                (when set)
//   {"input": {"text": "..."},
//    "voice": {"languageCode": "ko-KR", "name": TTS_VOICE_KO},          (name only when set)
//    "audioConfig": {"audioEncoding": "LINEAR16", "speakingRate": 1, "sampleRateHertz": 24000}}
//
//   200 {"audioContent": "<base64>"}: LINEAR16 comes as a WAV file; bare samples are wrapped in one.
//   Anything else, or no answer within TTS_TIMEOUT_MS, is a failure (the kiosk's route answers 503).
import { isWav, wavFromPcm } from './wav.js';
import { SpeechSynthesisError, type SpeechLang, type SpeechRequest, type SpeechSynthesizer, type SynthesizedSpeech } from './speech-synthesizer.js';

export interface GoogleSpeechSettings {
  url: string;
  apiKey: string | undefined;
  /** a voice name per language (e.g. ko-KR-Neural2-A); unset: the provider's default for the language */
  voices: Record<SpeechLang, string | undefined>;
  timeoutMs: number;
}

const LANGUAGE_CODES: Record<SpeechLang, string> = { ko: 'ko-KR', en: 'en-US' };
const SAMPLE_RATE = 24_000;

export class GoogleSpeechSynthesizer implements SpeechSynthesizer {
  constructor(private readonly settings: GoogleSpeechSettings) {}

  voiceOf(lang: SpeechLang): string {
    return `google:${LANGUAGE_CODES[lang]}:${this.settings.voices[lang] ?? 'default'}`;
  }

  async synthesize(request: SpeechRequest): Promise<SynthesizedSpeech> {
    const name = this.settings.voices[request.lang];
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (this.settings.apiKey) headers['x-goog-api-key'] = this.settings.apiKey;
    let response: Response;
    try {
      response = await fetch(this.settings.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          input: { text: request.text },
          voice: { languageCode: LANGUAGE_CODES[request.lang], ...(name ? { name } : {}) },
          audioConfig: { audioEncoding: 'LINEAR16', speakingRate: request.rate, sampleRateHertz: SAMPLE_RATE },
        }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      if (timedOut) throw new SpeechSynthesisError('timeout', `the speech provider gave no answer within ${this.settings.timeoutMs} ms`);
      const code = (error as { cause?: { code?: string } }).cause?.code;
      throw new SpeechSynthesisError('failed', `the speech provider could not be reached${code ? ` (${code})` : ''}`);
    }
    const text = await response.text().catch(() => '');
    // the provider's error body may echo the request: only the status goes into the message
    if (!response.ok) throw new SpeechSynthesisError('failed', `the speech provider answered ${response.status}`);
    let content: unknown;
    try {
      content = (JSON.parse(text) as { audioContent?: unknown }).audioContent;
    } catch {
      content = undefined;
    }
    const audio = typeof content === 'string' ? Buffer.from(content, 'base64') : Buffer.alloc(0);
    if (audio.length === 0) throw new SpeechSynthesisError('failed', 'the speech provider answered without audioContent');
    return { audio: isWav(audio) ? audio : wavFromPcm(audio, SAMPLE_RATE), contentType: 'audio/wav' };
  }

  async close(): Promise<void> {}
}
