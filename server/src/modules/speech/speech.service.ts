// Speech for the kiosk's voice mode: audio from the configured synthesizer, kept in the storage
// under a hash of (voice, rate, text), so a phrase is synthesized once and every later request,
// from any kiosk or server instance, is a read. Rules only; the routes speak HTTP.
import { createHash } from 'node:crypto';
import type { Cache } from '../../platform/cache/cache.js';
import { enforceLimits } from '../../platform/cache/rate-limit.js';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/http/errors.js';
import { SpeechSynthesisError, type SpeechRequest, type SpeechSynthesizer } from '../../platform/speech/speech-synthesizer.js';
import type { Storage } from '../../platform/storage/storage.js';
import { MAX_SPEECH_TEXT_LENGTH } from './speech.schemas.js';
import { SpeechRepository } from './speech.repository.js';

export interface SpokenAudio {
  audio: Buffer;
  contentType: string;
  /** true when the audio was stored already */
  cached: boolean;
}

interface Log {
  warn(details: object, message: string): void;
}

const CONTROL_CHARACTERS = /\p{Cc}/u;
/** rates are taken in steps of 0.05: finer steps cannot be heard, and would each fill the cache again */
const RATE_STEP = 0.05;

export class SpeechService {
  /** phrases being synthesized now, by storage key: a second request for one waits for the first */
  private readonly underway = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly db: Database,
    private readonly cache: Cache,
    private readonly storage: Storage,
    private readonly synthesizer: SpeechSynthesizer,
    private readonly settings: { requestsPerKioskPerMinute: number },
    private readonly log: Log,
  ) {}

  async speak(kioskId: string, request: SpeechRequest): Promise<SpokenAudio> {
    const text = checkedText(request.text);
    await enforceLimits(this.cache, [{ key: `speech:kiosk:${kioskId}`, limit: this.settings.requestsPerKioskPerMinute, windowSeconds: 60 }]);
    const rate = Math.round(request.rate / RATE_STEP) * RATE_STEP;
    const voice = this.synthesizer.voiceOf(request.lang);
    const hash = createHash('sha256').update(JSON.stringify([voice, rate.toFixed(2), text]));
    const key = `speech/${hash.digest('hex')}.wav`;

    // the stored audio is a cache: when the storage is away, speech is synthesized all the same
    const stored = await this.storage.get(key).catch((error: unknown) => {
      this.log.warn({ err: error }, 'speech cache read failed');
      return undefined;
    });
    if (stored) return { audio: stored.body, contentType: 'audio/wav', cached: true };

    let synthesis = this.underway.get(key);
    if (!synthesis) {
      synthesis = this.synthesizeAndStore(key, { text, lang: request.lang, rate }).finally(() => this.underway.delete(key));
      this.underway.set(key, synthesis);
    }
    return { audio: await synthesis, contentType: 'audio/wav', cached: false };
  }

  /** a kiosk of the store says whether it can speak (the POS's kiosk list shows it) */
  async reportStatus(storeId: string, kioskId: string, available: boolean): Promise<void> {
    if (!(await new SpeechRepository(this.db).setSpeechStatus(storeId, kioskId, available))) {
      throw new DomainError('not_found', 'kiosk_not_found', 'There is no such kiosk in this store.');
    }
  }

  private async synthesizeAndStore(key: string, request: SpeechRequest): Promise<Buffer> {
    let audio: Buffer;
    try {
      ({ audio } = await this.synthesizer.synthesize(request));
    } catch (error) {
      if (!(error instanceof SpeechSynthesisError)) throw error;
      this.log.warn({ err: error, reason: error.reason }, 'speech synthesis failed');
      if (error.reason === 'busy') throw new DomainError('unavailable', 'speech_busy', 'Speech is busy right now. Please try again shortly.');
      throw new DomainError('unavailable', 'speech_unavailable', 'Speech is not available right now.');
    }
    await this.storage.put(key, audio, 'audio/wav').catch((error: unknown) => this.log.warn({ err: error }, 'speech cache write failed'));
    return audio;
  }
}

function checkedText(text: string): string {
  if (text.trim() === '') throw new DomainError('invalid', 'speech_text_empty', 'Give the text to speak.');
  if ([...text].length > MAX_SPEECH_TEXT_LENGTH) {
    throw new DomainError('invalid', 'speech_text_too_long', `The text to speak can be at most ${MAX_SPEECH_TEXT_LENGTH} characters.`, {
      maxLength: MAX_SPEECH_TEXT_LENGTH,
    });
  }
  if (CONTROL_CHARACTERS.test(text)) {
    throw new DomainError('invalid', 'speech_text_invalid_characters', 'The text to speak cannot contain line breaks or control characters.');
  }
  return text.trim();
}
