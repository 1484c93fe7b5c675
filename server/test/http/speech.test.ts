// Text to speech for the kiosk's voice mode, through the HTTP API: real WAV audio of Korean and
// English text from the embedded eSpeak NG (decoded and checked to be speech, not silence), stored
// once per text, voice and rate; the refusals (bad text, another store, not a kiosk); a cloud voice
// (Google Cloud Text-to-Speech's REST contract) against a stand-in on loopback, its failures as 503;
// and the kiosk's speech status as the POS's kiosk list shows it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EspeakSynthesizer } from '../../src/platform/speech/espeak-synthesizer.js';
import { parseWav, rms, wavFromPcm, type DecodedWav } from '../../src/platform/speech/wav.js';
import { storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { roomyLimits, startTestServer, type ApiResponse, type TestServer } from '../support/test-server.js';

let server: TestServer;
let store: StoreFixture;

before(async () => {
  server = await startTestServer({ env: roomyLimits });
  store = await storeWithKiosk(server);
});
after(() => server?.close());

interface Spoken {
  status: number;
  contentType: string | null;
  cache: string | null;
  audio: Buffer;
  /** the error body when the answer is not audio */
  error?: { code: string; message: string };
}

/** POST /speech as the kiosk's client does: JSON in, WAV bytes out */
async function speak(target: TestServer, storeId: string, token: string | undefined, body: unknown): Promise<Spoken> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'audio/wav' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${target.url}/api/stores/${storeId}/speech`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const audio = Buffer.from(await response.arrayBuffer());
  const spoken: Spoken = { status: response.status, contentType: response.headers.get('content-type'), cache: response.headers.get('x-speech-cache'), audio };
  if (!response.ok) spoken.error = JSON.parse(audio.toString('utf8')).error;
  return spoken;
}

function assertRefused(spoken: Spoken, status: number, code: string): void {
  assert.equal(spoken.status, status, `expected ${status} ${code}, got ${spoken.status} ${JSON.stringify(spoken.error)}`);
  assert.equal(spoken.error?.code, code);
  assert.equal(typeof spoken.error?.message, 'string');
}

/**
 * Speech, not silence: loud enough overall, and sound in a good share of its 20 ms frames (a
 * click or a short beep in silence fails), with pauses too (a steady tone fails).
 */
function assertSpeech(wav: DecodedWav, seconds: { min: number; max: number }): void {
  assert.equal(wav.bitsPerSample, 16);
  assert.equal(wav.channels, 1);
  assert.ok(wav.durationSeconds >= seconds.min && wav.durationSeconds <= seconds.max, `duration ${wav.durationSeconds.toFixed(2)} s`);
  assert.ok(rms(wav.samples) > 0.02, `RMS ${rms(wav.samples).toFixed(4)} is near silence`);
  const frame = Math.round(wav.sampleRate * 0.02);
  const frames: number[] = [];
  for (let start = 0; start + frame <= wav.samples.length; start += frame) frames.push(rms(wav.samples.subarray(start, start + frame)));
  const voiced = frames.filter((level) => level > 0.02).length / frames.length;
  const quiet = frames.filter((level) => level < 0.005).length / frames.length;
  assert.ok(voiced > 0.3, `only ${(voiced * 100).toFixed(0)} % of frames have sound`);
  assert.ok(quiet > 0.02, `no pauses at all (${(quiet * 100).toFixed(1)} % quiet frames): not speech`);
}

function storedSpeech(target: TestServer): string[] {
  const storage = target.app.config.storage;
  assert.equal(storage.kind, 'local');
  const dir = path.join(storage.dir, 'speech');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

describe('the embedded voice (eSpeak NG)', () => {
  test('Korean text is spoken: a WAV of real speech, as long as the phrase', async () => {
    const spoken = await speak(server, store.storeId, store.kioskToken, { text: '아메리카노, 4,500원', lang: 'ko', rate: 1 });
    assert.equal(spoken.status, 200, JSON.stringify(spoken.error));
    assert.equal(spoken.contentType, 'audio/wav');
    assert.equal(spoken.cache, 'miss');
    assertSpeech(parseWav(spoken.audio), { min: 1, max: 6 });
  });

  test('English text is spoken, and a longer phrase lasts longer', async () => {
    const short = await speak(server, store.storeId, store.kioskToken, { text: 'Americano', lang: 'en', rate: 1 });
    const long = await speak(server, store.storeId, store.kioskToken, {
      text: 'Your order number is forty two. Please take your receipt.',
      lang: 'en',
      rate: 1,
    });
    assert.equal(short.status, 200, JSON.stringify(short.error));
    assert.equal(long.status, 200, JSON.stringify(long.error));
    assertSpeech(parseWav(short.audio), { min: 0.3, max: 3 });
    assertSpeech(parseWav(long.audio), { min: 2, max: 10 });
    assert.ok(parseWav(long.audio).durationSeconds > 2 * parseWav(short.audio).durationSeconds);
  });

  test('the same text, voice and rate again comes from the store: the same bytes, nothing synthesized, one stored object', async () => {
    const engine = server.app.speech as EspeakSynthesizer;
    const text = '주문하신 카페라떼가 나왔습니다.';
    const first = await speak(server, store.storeId, store.kioskToken, { text, lang: 'ko', rate: 1 });
    assert.equal(first.cache, 'miss');
    const phrases = engine.stats.phrases;
    const objects = storedSpeech(server).length;
    const again = await speak(server, store.storeId, store.kioskToken, { text, lang: 'ko', rate: 1 });
    assert.equal(again.status, 200);
    assert.equal(again.cache, 'hit');
    assert.ok(again.audio.equals(first.audio));
    assert.equal(engine.stats.phrases, phrases, 'a warm request must not synthesize');
    assert.equal(storedSpeech(server).length, objects);
  });

  test('the rate is honoured and is part of the key: half speed is a new, longer recording', async () => {
    const text = '처음으로 돌아갑니다.';
    const normal = await speak(server, store.storeId, store.kioskToken, { text, lang: 'ko', rate: 1 });
    const slow = await speak(server, store.storeId, store.kioskToken, { text, lang: 'ko', rate: 0.5 });
    assert.equal(slow.cache, 'miss');
    assertSpeech(parseWav(slow.audio), { min: 1, max: 10 });
    assert.ok(parseWav(slow.audio).durationSeconds > 1.4 * parseWav(normal.audio).durationSeconds);
    // 1.02 is heard as 1: it is taken in steps of 0.05, so it is the same recording
    const near = await speak(server, store.storeId, store.kioskToken, { text, lang: 'ko', rate: 1.02 });
    assert.equal(near.cache, 'hit');
  });

  test('the same new phrase asked by several kiosks at once is synthesized once', async () => {
    const engine = server.app.speech as EspeakSynthesizer;
    const phrases = engine.stats.phrases;
    const body = { text: '잠시만 기다려 주세요.', lang: 'ko', rate: 1.25 };
    const answers = await Promise.all([1, 2, 3].map(() => speak(server, store.storeId, store.kioskToken, body)));
    for (const answer of answers) assert.equal(answer.status, 200);
    assert.ok(answers.every((answer) => answer.audio.equals(answers[0]!.audio)));
    assert.equal(engine.stats.phrases, phrases + 1);
  });
});

describe('refusals', () => {
  const path = () => store.storeId;

  test('empty, blank, too long or control characters: 400 with a code of its own, nothing synthesized', async () => {
    const engine = server.app.speech as EspeakSynthesizer;
    const phrases = engine.stats.phrases;
    assertRefused(await speak(server, path(), store.kioskToken, { text: '', lang: 'ko', rate: 1 }), 400, 'speech_text_empty');
    assertRefused(await speak(server, path(), store.kioskToken, { text: '   ', lang: 'ko', rate: 1 }), 400, 'speech_text_empty');
    assertRefused(await speak(server, path(), store.kioskToken, { text: '가'.repeat(301), lang: 'ko', rate: 1 }), 400, 'speech_text_too_long');
    assertRefused(await speak(server, path(), store.kioskToken, { text: '첫 줄\n둘째 줄', lang: 'ko', rate: 1 }), 400, 'speech_text_invalid_characters');
    assertRefused(await speak(server, path(), store.kioskToken, { text: 'beep\u0007', lang: 'en', rate: 1 }), 400, 'speech_text_invalid_characters');
    assertRefused(await speak(server, path(), store.kioskToken, { text: 'bonjour', lang: 'fr', rate: 1 }), 400, 'validation_failed');
    assertRefused(await speak(server, path(), store.kioskToken, { text: '빠르게', lang: 'ko', rate: 3 }), 400, 'validation_failed');
    assertRefused(await speak(server, path(), store.kioskToken, { text: '느리게', lang: 'ko', rate: 0.2 }), 400, 'validation_failed');
    assert.equal(engine.stats.phrases, phrases);
  });

  test('300 characters are accepted', async () => {
    const text = `${'주문 번호를 확인해 주세요. '.repeat(20)}`.slice(0, 300);
    const spoken = await speak(server, path(), store.kioskToken, { text, lang: 'ko', rate: 2 });
    assert.equal(spoken.status, 200, JSON.stringify(spoken.error));
    assertSpeech(parseWav(spoken.audio), { min: 5, max: 120 });
  });

  test('without a session 401; the store owner 403; a kiosk of another store 403', async () => {
    const body = { text: '안녕하세요', lang: 'ko', rate: 1 };
    assertRefused(await speak(server, path(), undefined, body), 401, 'authentication_required');
    assertRefused(await speak(server, path(), store.ownerToken, body), 403, 'forbidden_role');
    const other = await storeWithKiosk(server, store.brand);
    assertRefused(await speak(server, path(), other.kioskToken, body), 403, 'forbidden_store');
  });
});

describe('speech status', () => {
  const statusPath = (fixture: StoreFixture, kioskId = fixture.kioskId) => `/api/stores/${fixture.storeId}/kiosks/${kioskId}/speech-status`;
  const listed = async (fixture: StoreFixture): Promise<Array<{ id: string; speechAvailable: boolean }>> => {
    const response = await server.api('GET', `/api/stores/${fixture.storeId}/kiosks`, { token: fixture.ownerToken });
    assert.equal(response.status, 200);
    return response.body.kiosks;
  };

  test('a kiosk that cannot speak says so, and the POS kiosk list shows it until it can again', async () => {
    const fixture = await storeWithKiosk(server);
    assert.equal((await listed(fixture)).find((kiosk) => kiosk.id === fixture.kioskId)?.speechAvailable, true);
    const down = await server.api('PUT', statusPath(fixture), { token: fixture.kioskToken, body: { available: false } });
    assert.equal(down.status, 204, JSON.stringify(down.body));
    assert.equal((await listed(fixture)).find((kiosk) => kiosk.id === fixture.kioskId)?.speechAvailable, false);
    const up = await server.api('PUT', statusPath(fixture), { token: fixture.kioskToken, body: { available: true } });
    assert.equal(up.status, 204);
    assert.equal((await listed(fixture)).find((kiosk) => kiosk.id === fixture.kioskId)?.speechAvailable, true);
  });

  test('only the kiosk itself may report: not another kiosk of the store, not the owner, not another store', async () => {
    const fixture = await storeWithKiosk(server);
    const second = await server.api('POST', `/api/stores/${fixture.storeId}/kiosks`, { token: fixture.ownerToken, body: { name: 'second' } });
    const secondLogin = await server.api('POST', '/api/auth/kiosk-login', { body: second.body.credentials });
    const other = await storeWithKiosk(server);
    const body = { available: false };
    const refused = (response: ApiResponse, status: number, code: string) => {
      assert.equal(response.status, status, JSON.stringify(response.body));
      assert.equal(response.body.error.code, code);
    };
    refused(await server.api('PUT', statusPath(fixture), { token: secondLogin.body.accessToken, body }), 403, 'forbidden_kiosk');
    refused(await server.api('PUT', statusPath(fixture), { token: fixture.ownerToken, body }), 403, 'forbidden_role');
    refused(await server.api('PUT', statusPath(fixture), { token: other.kioskToken, body }), 403, 'forbidden_store');
    refused(await server.api('PUT', statusPath(fixture), { body }), 401, 'authentication_required');
    refused(await server.api('PUT', statusPath(fixture), { token: fixture.kioskToken, body: { available: 'no' } }), 400, 'validation_failed');
    assert.ok((await listed(fixture)).every((kiosk) => kiosk.speechAvailable));
  });
});

describe('a cloud voice (Google Cloud Text-to-Speech v1 text:synthesize) on a loopback stand-in', () => {
  interface Received {
    path: string;
    apiKey: string | undefined;
    body: { input: { text: string }; voice: { languageCode: string; name?: string }; audioConfig: { audioEncoding: string; speakingRate: number } };
  }
  const received: Received[] = [];
  let cloud: TestServer;
  let cloudStore: StoreFixture;
  let standIn: http.Server;
  const toneWav = wavFromPcm(tone(1), 24_000);

  before(async () => {
    standIn = http.createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => {
        raw += chunk;
      });
      request.on('end', () => {
        const body = JSON.parse(raw) as Received['body'];
        received.push({ path: request.url ?? '', apiKey: request.headers['x-goog-api-key'] as string | undefined, body });
        const text = body.input.text;
        if (text === 'provider fails') {
          response
            .writeHead(500, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { code: 500, message: 'internal', status: 'INTERNAL' } }));
        } else if (text === 'provider hangs') {
          setTimeout(() => response.destroy(), 5_000).unref();
        } else if (text === 'bare samples') {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ audioContent: tone(0.5).toString('base64') }));
        } else {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ audioContent: toneWav.toString('base64') }));
        }
      });
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    const port = (standIn.address() as { port: number }).port;
    cloud = await startTestServer({
      env: {
        ...roomyLimits,
        TTS_URL: `http://127.0.0.1:${port}/v1/text:synthesize`,
        TTS_API_KEY: 'test-api-key',
        TTS_VOICE_KO: 'ko-KR-Standard-A',
        TTS_TIMEOUT_MS: '500',
        LIMIT_SPEECH_PER_KIOSK_PER_MINUTE: '6',
      },
    });
    cloudStore = await storeWithKiosk(cloud);
  });
  after(async () => {
    await cloud?.close();
    standIn?.closeAllConnections();
    await new Promise((resolve) => standIn?.close(resolve));
  });

  test("the provider's contract: JSON in with the key, voice and LINEAR16 at the rate; its base64 WAV out; then from the store", async () => {
    const spoken = await speak(cloud, cloudStore.storeId, cloudStore.kioskToken, { text: '어서 오세요', lang: 'ko', rate: 0.8 });
    assert.equal(spoken.status, 200, JSON.stringify(spoken.error));
    assert.equal(spoken.cache, 'miss');
    assert.ok(spoken.audio.equals(toneWav));
    assert.equal(received.length, 1);
    assert.deepEqual(received[0], {
      path: '/v1/text:synthesize',
      apiKey: 'test-api-key',
      body: {
        input: { text: '어서 오세요' },
        voice: { languageCode: 'ko-KR', name: 'ko-KR-Standard-A' },
        audioConfig: { audioEncoding: 'LINEAR16', speakingRate: 0.8, sampleRateHertz: 24_000 },
      },
    });
    const again = await speak(cloud, cloudStore.storeId, cloudStore.kioskToken, { text: '어서 오세요', lang: 'ko', rate: 0.8 });
    assert.equal(again.cache, 'hit');
    assert.equal(received.length, 1, 'a warm request must not call the provider');
    // English has no voice name set: the provider's default for en-US
    const english = await speak(cloud, cloudStore.storeId, cloudStore.kioskToken, { text: 'Welcome', lang: 'en', rate: 1 });
    assert.equal(english.status, 200);
    assert.deepEqual(received.at(-1)?.body.voice, { languageCode: 'en-US' });
  });

  test('bare samples from the provider are wrapped in a WAV header', async () => {
    const spoken = await speak(cloud, cloudStore.storeId, cloudStore.kioskToken, { text: 'bare samples', lang: 'en', rate: 1 });
    assert.equal(spoken.status, 200);
    const wav = parseWav(spoken.audio);
    assert.equal(wav.sampleRate, 24_000);
    assert.ok(Math.abs(wav.durationSeconds - 0.5) < 0.01);
  });

  test('a provider that fails or does not answer in time: 503 speech_unavailable, and nothing is stored', async () => {
    const objects = storedSpeech(cloud).length;
    const kiosk = await storeWithKiosk(cloud);
    assertRefused(await speak(cloud, kiosk.storeId, kiosk.kioskToken, { text: 'provider fails', lang: 'en', rate: 1 }), 503, 'speech_unavailable');
    const started = Date.now();
    assertRefused(await speak(cloud, kiosk.storeId, kiosk.kioskToken, { text: 'provider hangs', lang: 'en', rate: 1 }), 503, 'speech_unavailable');
    assert.ok(Date.now() - started < 4_000, 'the time limit (TTS_TIMEOUT_MS) ends the wait');
    assert.equal(storedSpeech(cloud).length, objects);
  });

  test('each kiosk has a generous rate limit of its own (here lowered to 6 a minute)', async () => {
    const kiosk = await storeWithKiosk(cloud);
    for (let i = 0; i < 6; i++) {
      const spoken = await speak(cloud, kiosk.storeId, kiosk.kioskToken, { text: '어서 오세요', lang: 'ko', rate: 0.8 });
      assert.equal(spoken.status, 200);
    }
    assertRefused(await speak(cloud, kiosk.storeId, kiosk.kioskToken, { text: '어서 오세요', lang: 'ko', rate: 0.8 }), 429, 'rate_limited');
    // another kiosk is not held back
    const neighbour = await storeWithKiosk(cloud);
    assert.equal((await speak(cloud, neighbour.storeId, neighbour.kioskToken, { text: '어서 오세요', lang: 'ko', rate: 0.8 })).status, 200);
  });
});

/** a 440 Hz tone, 16-bit mono PCM at 24 kHz */
function tone(seconds: number): Buffer {
  const count = Math.round(24_000 * seconds);
  const pcm = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24_000)), i * 2);
  return pcm;
}
