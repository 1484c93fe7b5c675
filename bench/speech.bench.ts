// Server text to speech with the embedded engine (eSpeak NG in child processes): how soon a kiosk
// has the audio of a phrase it asks for, what a phrase costs, and how big the cache grows.
//
// - phrases: every phrase of the demo menu (server/src/modules/demo/demo-menu.ts, all brands): each
//   category's name and each item with its price ("아메리카노, 4,500원"), Korean, rate 1;
// - request -> audio ready: from the start of POST /api/stores/:storeId/speech to the last byte of
//   the WAV received (the kiosk plays the whole file, so its first sample is ready then), one
//   request at a time; cold = never spoken before (synthesized), warm = the same phrases again
//   (read from the storage). The very first phrase also starts the engine's processes: its own row;
// - burst: BENCH_SPEECH_BURST new phrases asked at once (the pool synthesizes TTS_WORKERS at a time);
// - engine CPU per phrase: user + system time of the engine processes over the phrases (a process
//   makes its WebAssembly instance once, at its first phrase, and rewinds it for each next one);
// - cache size: bytes of the stored WAV files once every phrase has been spoken once.
// Settings (environment): BENCH_SPEECH_BURST (8), TTS_WORKERS as for the server.
import fs from 'node:fs';
import path from 'node:path';
import { demoMenus } from '../server/src/modules/demo/demo-menu.js';
import type { EspeakSynthesizer } from '../server/src/platform/speech/espeak-synthesizer.js';
import { parseWav } from '../server/src/platform/speech/wav.js';
import { storeWithKiosk } from '../server/test/support/factories.js';
import { roomyLimits, startTestServer } from '../server/test/support/test-server.js';
import { fmt, machine, quantile } from './support/measure.js';
import { printTable } from './support/table.js';

const BURST = Number(process.env.BENCH_SPEECH_BURST ?? 8);
const log = (message: string) => process.stderr.write(`[speech.bench] ${message}\n`);

function demoPhrases(): string[] {
  const phrases = new Set<string>();
  for (const categories of Object.values(demoMenus)) {
    for (const category of categories) {
      phrases.add(category.name);
      for (const item of category.items) phrases.add(`${item.name}, ${item.price.toLocaleString('ko-KR')}원`);
    }
  }
  return [...phrases];
}

async function main(): Promise<void> {
  const server = await startTestServer({ env: { ...roomyLimits, LIMIT_SPEECH_PER_KIOSK_PER_MINUTE: '1000000' } });
  try {
    const store = await storeWithKiosk(server);
    const engine = server.app.speech as EspeakSynthesizer;
    const speak = async (text: string): Promise<{ ms: number; cache: string | null; seconds: number }> => {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/stores/${store.storeId}/speech`, {
        method: 'POST',
        headers: { authorization: `Bearer ${store.kioskToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text, lang: 'ko', rate: 1 }),
        signal: AbortSignal.timeout(60_000),
      });
      const audio = Buffer.from(await response.arrayBuffer());
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`${text}: ${response.status} ${audio.toString('utf8')}`);
      return { ms, cache: response.headers.get('x-speech-cache'), seconds: parseWav(audio).durationSeconds };
    };

    const first = await speak('어서 오세요. 주문을 도와드릴게요.');
    log(`first phrase (engine start) ${fmt.ms(first.ms)}`);

    const phrases = demoPhrases();
    const before = { ...engine.stats };
    const cold: number[] = [];
    let audioSeconds = 0;
    for (const phrase of phrases) {
      const spoken = await speak(phrase);
      if (spoken.cache !== 'miss') throw new Error(`${phrase}: expected a miss, got ${spoken.cache}`);
      cold.push(spoken.ms);
      audioSeconds += spoken.seconds;
    }
    const synthesized = engine.stats.phrases - before.phrases;
    const cpuPerPhraseMs = (engine.stats.cpuMicros - before.cpuMicros) / synthesized / 1000;
    log(`${phrases.length} phrases cold`);

    const storage = server.app.config.storage;
    if (storage.kind !== 'local') throw new Error('the bench reads the local storage folder');
    const dir = path.join(storage.dir, 'speech');
    const files = fs.readdirSync(dir);
    // the first phrase is stored too: count the demo menu's alone
    const cacheBytes = files.reduce((sum, file) => sum + fs.statSync(path.join(dir, file)).size, 0);

    const warm: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const phrase of phrases) {
        const spoken = await speak(phrase);
        if (spoken.cache !== 'hit') throw new Error(`${phrase}: expected a hit, got ${spoken.cache}`);
        warm.push(spoken.ms);
      }
    }

    const burstStarted = performance.now();
    const burst = await Promise.all(Array.from({ length: BURST }, (_, i) => speak(`${i + 1}번 메뉴를 고르셨습니다.`)));
    const burstWall = performance.now() - burstStarted;
    const burstTimes = burst.map((spoken) => spoken.ms).sort((a, b) => a - b);

    cold.sort((a, b) => a - b);
    warm.sort((a, b) => a - b);
    const workers = server.app.config.speech.engine.kind === 'espeak' ? server.app.config.speech.engine.workers : 0;
    printTable(
      ['measure', 'p50', 'p95', 'notes'],
      [
        ['machine', '', '', machine()],
        [
          'first phrase after the server started',
          fmt.ms(first.ms),
          '',
          'starts the engine processes (Node + WebAssembly compile + first instance); once per server',
        ],
        [
          'request -> audio ready, cache cold (synthesized)',
          fmt.ms(quantile(cold, 0.5)),
          fmt.ms(quantile(cold, 0.95)),
          `goal p50 < 300 ms; ${phrases.length} demo-menu phrases one at a time, Korean, rate 1, eSpeak NG, ${workers} engine processes`,
        ],
        [
          'request -> audio ready, cache warm (stored)',
          fmt.ms(quantile(warm, 0.5)),
          fmt.ms(quantile(warm, 0.95)),
          `goal p50 < 20 ms; the same phrases, 3 rounds (${warm.length} requests), local storage folder`,
        ],
        [
          `burst: ${BURST} new phrases at once`,
          fmt.ms(quantile(burstTimes, 0.5)),
          fmt.ms(quantile(burstTimes, 0.95)),
          `all done in ${fmt.ms(burstWall)}; at most ${workers} synthesized at once (a further process starts when phrases wait), the rest queue`,
        ],
        [
          'engine CPU per synthesized phrase',
          fmt.ms(cpuPerPhraseMs),
          '',
          `${synthesized} phrases; the engine processes' user + system time (a process makes its WebAssembly instance once, at its first phrase)`,
        ],
        [
          'cache size after the demo menu was spoken once',
          `${(cacheBytes / 1_048_576).toFixed(1)} MiB`,
          '',
          `${fmt.int(cacheBytes)} bytes in ${files.length} WAV files (22,050 Hz 16-bit mono), ${audioSeconds.toFixed(0)} s of speech, ${fmt.int(cacheBytes / files.length)} bytes each on average`,
        ],
      ],
    );
  } finally {
    await server.close();
  }
}

await main();
process.exit(0);
