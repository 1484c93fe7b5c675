// In real Chromium against the real server: a customer who cannot see the screen orders with the
// kiosk's keypad alone (a USB keyboard to the browser) in voice mode. A key on the attract screen
// starts voice mode and the order; number keys choose the item, its option and the answers; arrows
// reach the buttons; a burst of Enter on the last step places one order. The test checks what the
// kiosk said, in order (window.__pinokioSpoken), that the server's audio for it is speech (the WAV
// decoded: samples well above silence; headless Chromium has no voices, so the server speaks), that
// phone digits typed on the lookup keypad are never spoken, and axe-core on each voice-mode screen.
// A second server whose text-to-speech cannot be reached: the kiosk says so quietly, keeps working
// on screen, and the POS's kiosk list learns that it cannot speak.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { KIOSK_VIEWPORT, kioskLogsIn, newStore, pressPhone } from '../support/kiosk.js';
import { Pages, see, step } from '../support/pages.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: Browser;
const pages = new Pages(() => browser);

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await pages.closeAll();
  await browser?.close();
  await server?.close();
});

/** what the kiosk has said so far (its read-only log) */
async function spoken(page: Page): Promise<string[]> {
  return (await page.evaluate('(window.__pinokioSpoken || []).map((phrase) => phrase.text)')) as string[];
}

/** waits until the kiosk says a phrase matching `pattern` after the first `from` phrases; its index */
async function waitSpoken(page: Page, pattern: RegExp, from = 0, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const said = await spoken(page);
    const index = said.findIndex((text, at) => at >= from && pattern.test(text));
    if (index >= 0) return index;
    if (Date.now() > deadline) assert.fail(`never said ${pattern}; said: ${JSON.stringify(said, null, 1)}`);
    await page.waitForTimeout(100);
  }
}

/** the focused control's name, as a sighted tester would read it */
async function focused(page: Page): Promise<string> {
  return (await page.evaluate(`(() => {
    const element = document.activeElement;
    if (!element) return '';
    const label = element.getAttribute('aria-label') || (element.labels && element.labels[0] ? element.labels[0].textContent : '') || element.textContent || '';
    return label.replace(/\\s+/g, ' ').trim();
  })()`)) as string;
}

/** presses `key` until the focus is on a control whose name matches; fails after `max` presses */
async function moveTo(page: Page, key: string, pattern: RegExp, max = 40): Promise<void> {
  for (let press = 0; press < max; press++) {
    if (pattern.test(await focused(page))) return;
    await page.keyboard.press(key);
  }
  assert.fail(`${key} never reached ${pattern}; focus is on "${await focused(page)}"`);
}

interface Wav {
  sampleRate: number;
  samples: Int16Array;
}

/** a PCM WAV file's 16-bit samples (the first channel's and the others' interleaved) */
function decodeWav(bytes: Buffer): Wav {
  assert.equal(bytes.toString('ascii', 0, 4), 'RIFF', 'a RIFF file');
  assert.equal(bytes.toString('ascii', 8, 12), 'WAVE', 'a WAVE file');
  let offset = 12;
  let sampleRate = 0;
  let bits = 0;
  let format = 0;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = bytes.readUInt16LE(body);
      sampleRate = bytes.readUInt32LE(body + 4);
      bits = bytes.readUInt16LE(body + 14);
    } else if (id === 'data') {
      assert.equal(format, 1, 'PCM');
      assert.equal(bits, 16, '16-bit samples');
      const end = Math.min(bytes.length, body + size);
      const samples = new Int16Array(Math.floor((end - body) / 2));
      for (let index = 0; index < samples.length; index++) samples[index] = bytes.readInt16LE(body + index * 2);
      return { sampleRate, samples };
    }
    offset = body + size + (size % 2);
  }
  assert.fail('no data chunk');
}

describe('voice mode and the keypad', () => {
  test('a whole order by keypad alone, spoken; the audio is speech; one order for a burst of Enter; no phone digits said', async (t) => {
    const store = await newStore(server, '소리 카페', ['아메리카노', '카페라떼']);
    const sized = await server.api('PATCH', `/api/stores/${store.storeId}/items/${store.items.카페라떼}`, {
      token: store.ownerToken,
      body: { optionGroups: [{ name: '사이즈', kind: 'single', required: true, options: [{ name: '톨' }, { name: '그란데', priceDelta: 500 }] }] },
    });
    assert.equal(sized.status, 200, JSON.stringify(sized.body));
    const kiosk = await pages.open(KIOSK_VIEWPORT);
    // every phrase the kiosk asked the server to synthesize, and the answer's status
    const audio: { body: { text: string; lang: string; rate: number }; status: number }[] = [];
    kiosk.on('response', (response) => {
      const request = response.request();
      if (request.method() !== 'POST' || !/\/api\/stores\/[^/]+\/speech$/.test(new URL(response.url()).pathname)) return;
      audio.push({ body: JSON.parse(request.postData() ?? '{}'), status: response.status() });
    });
    await kioskLogsIn(kiosk, store);
    const order: number[] = [];

    await step(t, 'a keypad key on the attract screen starts voice mode and the order: the greeting, then the menu', [kiosk], async () => {
      await kiosk.keyboard.press('5');
      await see(kiosk.getByRole('tab', { name: '커피', selected: true }));
      await see(kiosk.getByRole('button', { name: '다시 듣기' }));
      await see(kiosk.getByRole('button', { name: '소리 크게' }));
      order.push(await waitSpoken(kiosk, /^음성 안내를 시작합니다\./));
      order.push(await waitSpoken(kiosk, /^메뉴 화면입니다\. 메뉴 종류는 커피입니다\. 지금은 커피: 1번 아메리카노 4,000원, 2번 카페라떼 4,500원\./));
      await waitSpoken(kiosk, /^장바구니가 비어 있습니다\.$/);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the menu in voice mode');
    });

    await step(t, 'number 2 opens the second item, its options are read, 2 chooses 그란데, arrows reach 담기, Enter adds it', [kiosk], async () => {
      await kiosk.keyboard.press('2');
      const dialog = kiosk.getByRole('dialog', { name: '카페라떼' });
      await see(dialog);
      order.push(await waitSpoken(kiosk, /^카페라떼, 4,500원\. 사이즈, 필수: 1번 톨, 2번 그란데 \+500원\./));
      // the same key again within 350 ms would count as the same press (a burst)
      await kiosk.waitForTimeout(400);
      await kiosk.keyboard.press('2');
      assert.equal(await dialog.getByRole('radio', { name: /그란데/ }).isChecked(), true);
      await waitSpoken(kiosk, /^그란데 \+500원, 선택됨$/);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the item dialog in voice mode');
      await moveTo(kiosk, 'ArrowRight', /담기$/);
      await waitSpoken(kiosk, /^5,000원 담기$/);
      await kiosk.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      order.push(await waitSpoken(kiosk, /^장바구니: 카페라떼 1개\. 합계 5,000원\.$/));
      await waitSpoken(kiosk, /^카페라떼 1개를 담았습니다\.$/);
      // the focus came back to the item's card: its name with the price
      await waitSpoken(kiosk, /^카페라떼 4,500원$/);
    });

    await step(t, 'to the checkout by arrows; take-out by 2; the counter by 3', [kiosk], async () => {
      await moveTo(kiosk, 'ArrowRight', /^주문 확인하기$/);
      await kiosk.keyboard.press('Enter');
      await see(kiosk.getByRole('heading', { level: 1, name: '드시고 가세요, 가지고 가세요?' }));
      order.push(await waitSpoken(kiosk, /^드시고 가세요, 가지고 가세요\? 1번 매장에서 먹어요, 2번 가지고 가요\.$/));
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the dining question in voice mode');
      await kiosk.keyboard.press('2');
      await see(kiosk.getByRole('heading', { level: 1, name: '주문 확인' }));
      order.push(
        await waitSpoken(
          kiosk,
          /^주문 확인 화면입니다\. 카페라떼 1개, 사이즈: 그란데 \(\+500원\)\. 합계 5,000원\. 결제 방법을 골라 주세요: 1번 카드 결제 \(지금은 쓸 수 없음\), 2번 모바일 결제 \(QR\), 3번 카운터 결제\./,
        ),
      );
      await kiosk.keyboard.press('3');
      assert.equal(await kiosk.getByRole('radio', { name: /카운터 결제/ }).isChecked(), true);
      await waitSpoken(kiosk, /^카운터 결제 현금 또는 다른 방법, 선택됨$/);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the checkout in voice mode');
    });

    await step(t, 'a burst of Enter on 이대로 주문하기 places one order; the receipt and its number are said, and again with *', [kiosk], async () => {
      await moveTo(kiosk, 'ArrowRight', /^이대로 주문하기$/);
      for (let press = 0; press < 4; press++) await kiosk.keyboard.press('Enter');
      await kiosk.waitForTimeout(400);
      for (let press = 0; press < 4; press++) await kiosk.keyboard.press('Enter');
      const heading = kiosk.getByRole('heading', { level: 1, name: /주문번호/ });
      await see(heading);
      const number = Number(((await heading.textContent()) ?? '').replace(/\D+/g, ''));
      const receipt = new RegExp(`^주문이 접수되었습니다\\. 주문번호는 ${number}번입니다\\. 결제는 카운터에서 카운터 결제로 해 주세요\\. 합계 5,000원\\.`);
      order.push(await waitSpoken(kiosk, receipt));
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the receipt in voice mode');
      const before = (await spoken(kiosk)).length;
      await kiosk.keyboard.press('*');
      await waitSpoken(kiosk, receipt, before);

      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const listed = await server.api('GET', `/api/stores/${store.storeId}/orders?from=${day(-1)}&to=${day(1)}`, { token: store.ownerToken });
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      assert.equal(listed.body.total, 1, 'one order for the burst of Enter');
      const [placed] = listed.body.orders;
      assert.equal(placed.number, number);
      assert.equal(placed.dining, 'take_out');
      assert.equal(placed.paymentMethod, 'counter');
      assert.equal(placed.total, 5000);
    });

    await step(t, 'the phrases came in the order of the screens', [kiosk], async () => {
      const sorted = [...order].sort((a, b) => a - b);
      assert.deepEqual(order, sorted, JSON.stringify(await spoken(kiosk), null, 1));
      const log = (await kiosk.evaluate('window.__pinokioSpoken')) as { via: string; lang: string }[];
      assert.ok(
        log.every((phrase) => phrase.via === 'server' && phrase.lang === 'ko'),
        'headless Chromium has no voice: the server spoke, in Korean',
      );
      // the log is the kiosk's, not the page's to change
      assert.equal(await kiosk.evaluate('Object.isFrozen(window.__pinokioSpoken)'), true);
    });

    await step(t, "the server's audio for what was said is speech: 16-bit PCM, seconds long, far from silence", [kiosk], async () => {
      const said = await spoken(kiosk);
      const heard = audio.filter((each) => said.some((text) => text.includes(each.body.text)));
      assert.ok(heard.length >= 8, `audio for the phrases said (${heard.length} of ${audio.length})`);
      assert.ok(
        heard.every((each) => each.status === 200),
        JSON.stringify(heard.filter((each) => each.status !== 200)),
      );
      // the same requests again, as the kiosk: the server's (now cached) audio for each phrase
      const login = await server.api('POST', '/api/auth/kiosk-login', { body: store.kiosk });
      assert.equal(login.status, 200, JSON.stringify(login.body));
      for (const { body } of heard) {
        const response = await fetch(`${server.url}/api/stores/${store.storeId}/speech`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${login.body.accessToken}` },
          body: JSON.stringify(body),
        });
        assert.equal(response.status, 200, body.text);
        assert.match(response.headers.get('content-type') ?? '', /^audio\/wav/, body.text);
        const wav = decodeWav(Buffer.from(await response.arrayBuffer()));
        assert.ok(wav.sampleRate >= 8000, `${body.text}: sample rate ${wav.sampleRate}`);
        const seconds = wav.samples.length / wav.sampleRate;
        assert.ok(seconds > 0.3, `${body.text}: ${seconds.toFixed(2)} s`);
        let sum = 0;
        let peak = 0;
        let loud = 0;
        for (const sample of wav.samples) {
          sum += sample * sample;
          peak = Math.max(peak, Math.abs(sample));
          if (Math.abs(sample) > 500) loud++;
        }
        const rms = Math.sqrt(sum / wav.samples.length);
        assert.ok(rms > 300 && peak > 3000 && loud / wav.samples.length > 0.1, `${body.text}: rms ${rms.toFixed(0)}, peak ${peak}, loud ${loud}`);
      }
    });

    await step(t, 'a phone number typed on the lookup keypad in voice mode is never spoken', [kiosk], async () => {
      await kiosk.getByRole('button', { name: '처음으로' }).first().click();
      const lookup = kiosk.getByRole('button', { name: '전화번호로 찾기' });
      await see(lookup);
      // Enter on the control the customer is on: voice mode starts, and the control is pressed
      await lookup.focus();
      const before = (await spoken(kiosk)).length;
      await kiosk.keyboard.press('Enter');
      await see(kiosk.getByRole('heading', { level: 1, name: '전화번호로 찾기' }));
      await waitSpoken(kiosk, /^음성 안내를 시작합니다\./, before);
      await pressPhone(kiosk, '01098765432');
      await see(kiosk.getByText('010-9876-5432'));
      await kiosk.getByRole('button', { name: '찾기', exact: true }).click();
      await waitSpoken(kiosk, /등록된 회원이 없습니다/, before);
      const said = await spoken(kiosk);
      const leaked = said.filter((text) => /010|9876|5432/.test(text));
      assert.deepEqual(leaked, [], 'phone digits spoken');
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the phone lookup in voice mode');
    });

    await step(t, "the help key (F1, and ?) asks for a member of staff: the staff call's event", [kiosk], async () => {
      await kiosk.evaluate(`(() => {
        window.staffCallsAsked = 0;
        window.addEventListener('pinokio:staff-call-requested', () => window.staffCallsAsked++);
      })()`);
      await kiosk.keyboard.press('F1');
      await kiosk.keyboard.press('Shift+Slash');
      assert.equal(await kiosk.evaluate('window.staffCallsAsked'), 2);
    });
  });

  test('no voice in the browser and the server cannot speak: a quiet notice, the order goes on, the POS is told', async (t) => {
    // a cloud voice at an address where nothing listens: every synthesis fails
    const mute = await startServer({ env: { TTS_URL: 'http://127.0.0.1:9/v1/text:synthesize', TTS_TIMEOUT_MS: '1000' } });
    try {
      const store = await newStore(mute, '조용한 카페', ['아메리카노', '카페라떼', '바닐라라떼', '카푸치노', '모카', '콜드브루', '녹차라떼']);
      const kiosk = await pages.open(KIOSK_VIEWPORT);
      await kioskLogsIn(kiosk, store);

      await step(t, 'a key starts voice mode; speech fails: the notice, and the menu works', [kiosk], async () => {
        await kiosk.keyboard.press('Enter');
        await see(kiosk.getByText('지금은 음성을 낼 수 없습니다. 화면을 보고 주문해 주세요.'));
        // in the grid of items, down goes to the card straight below and up back; right to the next
        const cards = kiosk.locator('.menu-grid .menu-item');
        await see(cards.nth(6));
        const boxes = await Promise.all([0, 1, 2, 3, 4, 5, 6].map(async (index) => (await cards.nth(index).boundingBox())!));
        const below = boxes.findIndex((box) => box.y > boxes[0]!.y + boxes[0]!.height / 2 && Math.abs(box.x - boxes[0]!.x) < 4);
        assert.ok(below > 1, `a second row of cards: ${JSON.stringify(boxes)}`);
        await cards.nth(0).focus();
        await kiosk.keyboard.press('ArrowDown');
        assert.match(await focused(kiosk), new RegExp(`^${(await cards.nth(below).textContent())!.trim()}`));
        await kiosk.keyboard.press('ArrowUp');
        assert.match(await focused(kiosk), /^아메리카노/);
        await kiosk.keyboard.press('ArrowRight');
        assert.match(await focused(kiosk), /^카페라떼/);
        await kiosk.keyboard.press('1');
        const dialog = kiosk.getByRole('dialog', { name: '아메리카노' });
        await see(dialog);
        await dialog.getByRole('button', { name: /담기$/ }).click();
        await see(kiosk.getByText('아메리카노 1개를 담았습니다.'));
        assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the menu with the notice');
      });

      await step(t, "the kiosk reported it once: the POS's kiosk list says it cannot speak", [kiosk], async () => {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const listed = await mute.api('GET', `/api/stores/${store.storeId}/kiosks`, { token: store.ownerToken });
          assert.equal(listed.status, 200, JSON.stringify(listed.body));
          const kiosks = listed.body.kiosks as { speechAvailable: boolean }[];
          if (kiosks[0]?.speechAvailable === false) break;
          if (Date.now() > deadline) assert.fail(`still listed as able to speak: ${JSON.stringify(listed.body)}`);
          await kiosk.waitForTimeout(100);
        }
      });
    } finally {
      await pages.closeAll();
      await mute.close();
    }
  });
});
