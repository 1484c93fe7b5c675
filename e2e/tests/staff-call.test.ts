// In real Chromium: a customer taps 직원 호출 on the kiosk; the owner's POS, on another tab than the
// list, shows the alert with the kiosk's name and plays its sound (Web Audio, observed through the
// page's record of sounds it really played); axe-core finds nothing on the POS with the alert up;
// the owner acknowledges with the big button; the kiosk then shows and speaks that someone is
// coming (its record of phrases spoken); the 직원 호출 tab lists the call as acknowledged.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { KIOSK_VIEWPORT, kioskLogsIn, newStore, type Store } from '../support/kiosk.js';
import { Pages, see, step, signIn } from '../support/pages.js';
import { startServer, type TestServer } from '../support/server.js';

const COMING = '직원이 곧 갑니다. 그 자리에서 조금만 기다려 주세요.';

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

async function soundsPlayed(page: Page): Promise<string[]> {
  return (await page.evaluate('(window.__pinokioSounds || []).map((sound) => sound.name)')) as string[];
}

async function spoken(page: Page): Promise<string[]> {
  return (await page.evaluate('(window.__pinokioSpoken || []).map((phrase) => phrase.text)')) as string[];
}

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('직원 호출: the POS shows the alert and sounds it; acknowledging makes the kiosk say someone is coming', async (t) => {
  const store = await newStore(server, '호출 매장', ['아메리카노', '카페 라떼']);
  const pos = await pages.open({ width: 1366, height: 768 });
  const kiosk = await pages.open(KIOSK_VIEWPORT);

  await step(t, 'the owner has the POS open on the orders tab, the kiosk its start screen', [pos, kiosk], async () => {
    await signIn(pos, server.url, 'owner', store.owner);
    await pos.goto(`${server.url}/pos/orders`);
    await see(pos.getByRole('heading', { level: 2, name: '주문' }));
    // the owner's first touch on the page lets it make sounds (the browser's rule)
    await pos.getByRole('link', { name: '주문', exact: true }).click();
    await kioskLogsIn(kiosk, store);
  });

  await step(t, 'the customer taps 직원 호출: the POS shows the kiosk by name and plays the alert', [pos, kiosk], async () => {
    await kiosk.getByRole('button', { name: '직원 호출' }).click();
    await see(kiosk.getByRole('status').filter({ hasText: '직원을 불렀습니다' }));
    const alert = pos.getByRole('alert').filter({ has: pos.getByRole('heading', { name: '직원 호출 · 입구' }) });
    await see(alert);
    await see(alert.getByText('손님이 직원을 불렀습니다.'));
    await until(
      'the staff-call sound',
      () => soundsPlayed(pos),
      (sounds) => sounds.includes('staff-call'),
    );
    assert.deepEqual(await axeViolations(pos), [], 'axe-core on the POS with the alert');
  });

  await step(t, 'the owner acknowledges: the alert goes, and the kiosk shows and says someone is coming', [pos, kiosk], async () => {
    await pos.getByRole('button', { name: '확인 · 지금 갑니다' }).click();
    await pos.getByRole('heading', { name: '직원 호출 · 입구' }).waitFor({ state: 'detached' });
    await see(kiosk.getByRole('status').filter({ hasText: COMING }));
    await until(
      'the kiosk speaking',
      () => spoken(kiosk),
      (phrases) => phrases.includes(COMING),
    );
    assert.deepEqual(await axeViolations(kiosk), [], 'axe-core on the kiosk with the notice');
  });

  await step(t, "the 직원 호출 tab lists the day's call as acknowledged", [pos], async () => {
    await pos.getByRole('link', { name: '직원 호출', exact: true }).click();
    const table = pos.getByRole('table', { name: '직원 호출 목록' });
    await see(table);
    const row = table.getByRole('row').filter({ hasText: '입구' });
    await see(row);
    await see(row.getByText('직접 호출'));
    await see(row.getByText(/확인$/));
    assert.deepEqual(await axeViolations(pos), [], 'axe-core on the 직원 호출 tab');
  });
});

test('the help key, the offer when no counselor is free, and the stall alert in large type each reach the POS', async (t) => {
  const store = await newStore(server, '도움 매장', ['아메리카노', '카페 라떼']);
  // the shortest stall time the store may set
  const set = await server.api('PUT', `/api/stores/${store.storeId}/staff-calls/settings`, { token: store.ownerToken, body: { stallAlertSeconds: 30 } });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const pos = await pages.open({ width: 1366, height: 768 });
  const kiosk = await pages.open(KIOSK_VIEWPORT);
  const alertOf = (text: string | RegExp) => pos.getByRole('alert').filter({ hasText: text });
  const acknowledge = async () => {
    await pos.getByRole('button', { name: '확인 · 지금 갑니다' }).click();
    await pos.getByRole('heading', { name: '직원 호출 · 입구' }).waitFor({ state: 'detached' });
    await see(kiosk.getByRole('status').filter({ hasText: COMING }));
  };

  await step(t, 'the POS is open; the customer starts an order', [pos, kiosk], async () => {
    await signIn(pos, server.url, 'owner', store.owner);
    await pos.goto(`${server.url}/pos/staff-calls`);
    await see(pos.getByRole('heading', { level: 2, name: '직원 호출' }));
    await kioskLogsIn(kiosk, store);
    await kiosk
      .getByRole('button', { name: /주문하기/ })
      .first()
      .click();
    await see(kiosk.getByRole('button', { name: '주문 확인하기' }));
  });

  await step(t, "the keypad's help key calls", [pos, kiosk], async () => {
    await kiosk.keyboard.press('F1');
    await see(alertOf('손님이 직원을 불렀습니다.'));
    await acknowledge();
  });

  await step(t, 'no counselor is free: the kiosk offers a member of staff instead, and that calls', [pos, kiosk], async () => {
    await kiosk.getByRole('button', { name: '상담원 연결' }).click();
    await see(kiosk.getByText('지금은 상담원이 모두 상담 중입니다. 매장 직원을 불러 드릴까요?'));
    await until(
      'the offer spoken',
      () => spoken(kiosk),
      (phrases) => phrases.some((phrase) => phrase.includes('매장 직원을 불러 드릴까요')),
    );
    await kiosk.getByRole('button', { name: '직원 부르기' }).click();
    await see(alertOf('손님이 직원을 불렀습니다.'));
    await acknowledge();
  });

  await step(t, 'in large type, 30 s without progress calls for the customer', [pos, kiosk], async () => {
    // a new customer: back to the start, an order again, large type
    await kiosk.getByRole('button', { name: /처음으로/ }).click();
    await kiosk
      .getByRole('button', { name: /주문하기/ })
      .first()
      .click();
    await kiosk.getByRole('button', { name: /큰 글씨 모드/ }).click();
    const stalled = alertOf('주문을 이어 가지 못하고 있습니다');
    await see(stalled, 45_000);
    await see(stalled.getByText('큰 글씨 모드 손님이 30초 넘게 주문을 이어 가지 못하고 있습니다.'));
    await see(kiosk.getByRole('status').filter({ hasText: '도움이 필요하신 것 같아 직원을 불렀습니다' }));
    await acknowledge();
    const day = await server.api('GET', `/api/stores/${store.storeId}/staff-calls`, { token: store.ownerToken });
    assert.deepEqual(
      day.body.calls.map((call: { reason: string; mode: string }) => `${call.reason}/${call.mode}`),
      ['stalled/large', 'requested/standard', 'requested/standard'],
    );
  });
});
