// The embedded speech engine on its own (eSpeak NG in child processes): a phrase comes out the same
// whatever was spoken before it in the same process (each run starts from the instance's first
// memory); a phrase over the time limit fails and its process is replaced; a full queue refuses at
// once; closing fails what waits and ends the processes.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { EspeakSynthesizer } from '../../src/platform/speech/espeak-synthesizer.js';
import { SpeechSynthesisError } from '../../src/platform/speech/speech-synthesizer.js';
import { parseWav, rms } from '../../src/platform/speech/wav.js';

const engines: EspeakSynthesizer[] = [];
const engine = (settings: Partial<ConstructorParameters<typeof EspeakSynthesizer>[0]> = {}) => {
  const created = new EspeakSynthesizer({ workers: 1, queueLimit: 32, timeoutMs: 30_000, ...settings });
  engines.push(created);
  return created;
};
after(() => Promise.all(engines.map((each) => each.close())));

test('the same phrase gives the same audio, first or after others, in either language', async () => {
  const speech = engine();
  const first = await speech.synthesize({ text: '아메리카노, 4,500원', lang: 'ko', rate: 1 });
  await speech.synthesize({ text: 'Your order number is forty two.', lang: 'en', rate: 1.5 });
  await speech.synthesize({ text: '카페라떼 두 잔, 만 원', lang: 'ko', rate: 0.5 });
  const again = await speech.synthesize({ text: '아메리카노, 4,500원', lang: 'ko', rate: 1 });
  assert.equal(first.contentType, 'audio/wav');
  assert.ok(again.audio.equals(first.audio), 'a run must not depend on the runs before it');
  assert.ok(rms(parseWav(first.audio).samples) > 0.02);
  assert.equal(speech.stats.phrases, 4);
  assert.ok(speech.stats.cpuMicros > 0);
});

test('a phrase over the time limit fails as a timeout; its process is killed and replaced, and the next phrase works', async () => {
  const speech = engine();
  const settings = (speech as unknown as { settings: { timeoutMs: number } }).settings;
  await speech.synthesize({ text: '준비되었습니다', lang: 'ko', rate: 1 });
  const [first] = (speech as unknown as { workers: Set<{ child: { pid: number }; ready: boolean }> }).workers;
  // the process says it is ready again a moment after its answer (later on a loaded machine); only
  // then does the phrase go to it at once rather than time out in the queue, and 1 ms is too short
  // for any synthesis
  const readyBy = Date.now() + 10_000;
  while (!first?.ready && Date.now() < readyBy) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(first?.ready, 'the process said it is ready again after its phrase');
  settings.timeoutMs = 1;
  await assert.rejects(speech.synthesize({ text: '시간이 모자랍니다', lang: 'ko', rate: 1 }), (error: unknown) => {
    assert.ok(error instanceof SpeechSynthesisError);
    assert.equal(error.reason, 'timeout');
    return true;
  });
  settings.timeoutMs = 30_000;
  const spoken = await speech.synthesize({ text: '이제 됩니다', lang: 'ko', rate: 1 });
  assert.ok(parseWav(spoken.audio).durationSeconds > 0.3);
  const [second] = (speech as unknown as { workers: Set<{ child: { pid: number } }> }).workers;
  assert.notEqual(second?.child.pid, first?.child.pid, 'the stuck process was replaced');
});

test('a full queue refuses at once as busy; the phrases already waiting are all spoken', async () => {
  const speech = engine({ queueLimit: 2 });
  const texts = ['하나', '둘', '셋', '넷', '다섯'];
  const results = await Promise.allSettled(texts.map((text) => speech.synthesize({ text, lang: 'ko', rate: 1 })));
  const busy = results.filter((result) => result.status === 'rejected' && (result.reason as SpeechSynthesisError).reason === 'busy');
  const spoken = results.filter((result) => result.status === 'fulfilled');
  // the process is still starting: two wait for it, the other three are refused at once
  assert.equal(spoken.length, 2);
  assert.equal(busy.length, 3);
});

test('closing fails what is waiting and ends the processes', async () => {
  const speech = engine();
  const waiting = speech.synthesize({ text: '끝까지 기다립니다', lang: 'ko', rate: 1 });
  await speech.close();
  await assert.rejects(waiting, SpeechSynthesisError);
  await assert.rejects(speech.synthesize({ text: '닫혔습니다', lang: 'ko', rate: 1 }), SpeechSynthesisError);
});
