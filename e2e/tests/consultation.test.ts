// Video consultation in real Chromium with a fake camera and microphone, through the real server's
// signalling: one counselor and three kiosks (each its own browser context) connect, the counselor
// accepts all three and media flows both ways on every connection (getStats); a fourth kiosk is
// told that nobody is free and never reaches the full counselor; the counselor switches seats,
// sees the active kiosk's screen and cart and suggests an item that the customer puts in the
// cart; a kiosk ends its call and the seat frees (the fourth kiosk gets in); the counselor's
// "today" and the store owner's POS list the consultations.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { menuItem } from '../../server/test/support/factories.js';
import { roomyLimits } from '../../server/test/support/test-server.js';
import { launchBrowser } from '../support/browser.js';
import { Pages, see, step, signIn } from '../support/pages.js';
import { createBrand, signUp, startServer, type TestServer } from '../support/server.js';

const KIOSK_VIEWPORT = { width: 900, height: 1200 };
const STORE_NAME = '상담 테스트 을지로점';
const KIOSK_NAMES = ['창가 1번', '창가 2번', '창가 3번', '입구 4번'];

let server: TestServer;
let browser: Browser;
const pages = new Pages(() => browser);

before(async () => {
  server = await startServer({ env: { ...roomyLimits, CONSULTATION_REQUEST_TIMEOUT_SECONDS: '120' } });
  browser = await launchBrowser();
});

after(async () => {
  await pages.closeAll();
  await browser?.close();
  await server?.close();
});

declare global {
  interface Window {
    /** the app's peer connections by id, when a test asks for them (web/src/consultation/media.ts) */
    __pinokioPeers?: Record<string, RTCPeerConnection>;
  }
}

/** a page whose app lists its peer connections in window.__pinokioPeers (see web/src/consultation/media.ts) */
async function pageWithPeers(viewport?: { width: number; height: number }): Promise<Page> {
  const page = await pages.open(viewport);
  await page.addInitScript(() => {
    window.__pinokioPeers = {};
    // small, slow fake video: five pages encode and decode it on a shared machine
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (constraints) =>
      getUserMedia(constraints?.video ? { ...constraints, video: { width: 320, height: 240, frameRate: 10 } } : constraints);
  });
  return page;
}

/** bytes received so far on each peer connection of the page, by kind */
async function received(page: Page): Promise<Record<string, { audio: number; video: number }>> {
  return page.evaluate(async () => {
    const result: Record<string, { audio: number; video: number }> = {};
    for (const [id, pc] of Object.entries(window.__pinokioPeers ?? {})) {
      const entry = { audio: 0, video: 0 };
      (await pc.getStats()).forEach((report: { type: string; kind?: string; bytesReceived?: number }) => {
        if (report.type === 'inbound-rtp' && (report.kind === 'audio' || report.kind === 'video')) entry[report.kind] += report.bytesReceived ?? 0;
      });
      result[id] = entry;
    }
    return result;
  });
}

/** waits until the page has `count` peer connections, each receiving audio and video */
async function mediaFlows(page: Page, count: number, timeoutMs = 30_000): Promise<Record<string, { audio: number; video: number }>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await received(page);
    const entries = Object.values(stats);
    if (entries.length === count && entries.every((each) => each.audio > 0 && each.video > 0)) return stats;
    if (Date.now() > deadline) throw new Error(`media did not flow on ${count} connections: ${JSON.stringify(stats)}`);
    await page.waitForTimeout(500);
  }
}

/** on the menu screen (a kiosk left alone for a while has gone back to its start screen) */
async function toTheMenu(kiosk: Page): Promise<void> {
  const order = kiosk.getByRole('button', { name: /^주문하기/ });
  if (await order.isVisible()) await order.click();
  await see(kiosk.getByRole('button', { name: /바닐라 라떼/ }));
}

describe('video consultation in the browser', () => {
  test('one counselor, three kiosks with media both ways; a fourth is not offered; suggest, end, lists', async (t) => {
    // a brand with one store, its menu, four kiosks and one counselor (capacity 3 by default)
    const brand = await createBrand(server, 'Consult Coffee');
    const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName: STORE_NAME });
    const storeId = owner.profile.store.id as string;
    await menuItem(server, storeId, {
      name: '바닐라 라떼',
      price: 4500,
      groups: [
        {
          name: '사이즈',
          kind: 'single',
          required: true,
          options: [
            { name: '톨', priceDelta: 0 },
            { name: '그란데', priceDelta: 500 },
          ],
        },
      ],
    });
    const kioskLogins: Array<{ loginId: string; secret: string }> = [];
    for (const name of KIOSK_NAMES) {
      const provisioned = await server.api('POST', `/api/stores/${storeId}/kiosks`, { token: owner.accessToken, body: { name } });
      assert.equal(provisioned.status, 201, JSON.stringify(provisioned.body));
      kioskLogins.push(provisioned.body.credentials);
    }
    const counselorAccount = await signUp(server, 'counselor', { brandCode: brand.code });

    const counselor = await pageWithPeers();
    const kiosks: Page[] = [];
    for (let index = 0; index < KIOSK_NAMES.length; index += 1) kiosks.push(await pageWithPeers(KIOSK_VIEWPORT));
    const all = [counselor, ...kiosks];
    const seatOf = (name: string) => counselor.getByRole('button', { name: `${name}으로 전환` });
    const activeSeat = (name: string) => counselor.getByRole('article', { name: `${name} · ${STORE_NAME}` });
    const consultationIds: string[] = [];

    await step(t, 'the counselor logs in and goes online', [counselor], async () => {
      await signIn(counselor, server.url, 'counselor', counselorAccount);
      await see(counselor.getByText('서버와 연결됨'));
      assert.equal(await counselor.getByRole('radio', { name: '자리 비움' }).isChecked(), true);
      await counselor.getByRole('radio', { name: '상담 가능' }).check();
      await see(counselor.getByText('상담 중 0 / 3'));
      await see(counselor.getByText('기다리는 요청이 없습니다.'));
      await see(counselor.getByText('오늘은 아직 상담이 없습니다.'));
    });

    await step(t, 'four kiosks log in and start an order', kiosks, async () => {
      for (const [index, kiosk] of kiosks.entries()) {
        await kiosk.goto(`${server.url}/kiosk`);
        await kiosk.waitForURL('**/login?role=kiosk');
        await kiosk.getByLabel('키오스크 로그인 ID').fill(kioskLogins[index]!.loginId);
        await kiosk.getByLabel('비밀 키', { exact: true }).fill(kioskLogins[index]!.secret);
        await kiosk.getByRole('button', { name: '로그인', exact: true }).click();
        await kiosk.waitForURL('**/kiosk');
        // the longest idle time: this test leaves kiosks alone for a while on purpose
        await kiosk.goto(`${server.url}/kiosk?idle=600`);
        await kiosk.getByRole('button', { name: /^주문하기/ }).click();
        await see(kiosk.getByRole('button', { name: /바닐라 라떼/ }));
      }
    });

    await step(t, 'three kiosks ask for a counselor; the counselor accepts each', [counselor, ...kiosks.slice(0, 3)], async () => {
      for (const [index, kiosk] of kiosks.slice(0, 3).entries()) {
        const name = KIOSK_NAMES[index]!;
        await kiosk.getByRole('button', { name: '상담원 연결' }).click();
        await see(kiosk.getByRole('heading', { name: '상담원을 기다리고 있어요' }));
        const accept = counselor.getByRole('button', { name: `${name} 요청 수락` });
        await see(accept);
        await see(counselor.getByRole('listitem', { name }).getByText(`${STORE_NAME} · ${name}`));
        await accept.click();
        await accept.waitFor({ state: 'detached' });
        await see(kiosk.getByRole('heading', { name: /와\(과\) 연결되었습니다$/ }));
        await see(counselor.getByText(`상담 중 ${index + 1} / 3`));
      }
      // the first accepted is the active one; the others wait as thumbnails
      await see(activeSeat(KIOSK_NAMES[0]!));
      await see(seatOf(KIOSK_NAMES[1]!));
      await see(seatOf(KIOSK_NAMES[2]!));
      await see(counselor.getByText('자리가 모두 찼습니다. 상담이 끝나면 새 요청을 받습니다.'));
    });

    await step(t, 'media flows both ways: the counselor receives from each kiosk, each kiosk from the counselor', all.slice(0, 4), async () => {
      const atCounselor = await mediaFlows(counselor, 3);
      consultationIds.push(...Object.keys(atCounselor));
      for (const kiosk of kiosks.slice(0, 3)) {
        const atKiosk = await mediaFlows(kiosk, 1);
        assert.ok(consultationIds.includes(Object.keys(atKiosk)[0]!), 'the kiosk is in one of the counselor’s consultations');
      }
      // a star: each kiosk has one connection, to its counselor; none is in two consultations
      assert.equal(new Set(consultationIds).size, 3);
      // the active kiosk is heard; the waiting ones are muted
      const videos = await counselor.evaluate(() =>
        [...document.querySelectorAll('video')].map((video) => ({ label: video.getAttribute('aria-label'), muted: video.muted })),
      );
      assert.deepEqual(
        videos.filter((video) => video.label?.endsWith('손님 영상')).map((video) => [video.label, video.muted]),
        [
          [`${KIOSK_NAMES[0]} 손님 영상`, false],
          [`${KIOSK_NAMES[1]} 손님 영상`, true],
          [`${KIOSK_NAMES[2]} 손님 영상`, true],
        ],
      );
    });

    await step(t, 'a fourth kiosk is not offered to the full counselor: it may order alone or wait', [counselor, kiosks[3]!], async () => {
      const fourth = kiosks[3]!;
      await fourth.getByRole('button', { name: '상담원 연결' }).click();
      await see(fourth.getByRole('heading', { name: '지금은 연결할 수 있는 상담원이 없어요' }));
      await see(fourth.getByText('혼자 주문을 계속하거나 기다릴 수 있어요.'));
      await see(fourth.getByRole('button', { name: '혼자 주문하기' }));
      await see(fourth.getByRole('button', { name: '기다리기' }));
      await counselor.waitForTimeout(1000);
      assert.equal(await counselor.getByRole('button', { name: `${KIOSK_NAMES[3]} 요청 수락` }).count(), 0);
      await see(counselor.getByText('기다리는 요청이 없습니다.'));
      // ordering alone goes on
      await fourth.getByRole('button', { name: '혼자 주문하기' }).click();
      await see(fourth.getByRole('button', { name: '상담원 연결' }));
    });

    await step(t, 'the counselor switches to the second kiosk with one click; it is heard, the first waits muted', [counselor], async () => {
      await seatOf(KIOSK_NAMES[1]!).click();
      await see(activeSeat(KIOSK_NAMES[1]!));
      await see(seatOf(KIOSK_NAMES[0]!));
      const muted = await counselor.evaluate(() =>
        Object.fromEntries([...document.querySelectorAll('video')].map((video) => [video.getAttribute('aria-label'), video.muted])),
      );
      assert.equal(muted[`${KIOSK_NAMES[1]} 손님 영상`], false);
      assert.equal(muted[`${KIOSK_NAMES[0]} 손님 영상`], true);
      // the first kiosk is told that the counselor helps someone else for now
      await see(kiosks[0]!.getByText('상담원이 다른 손님을 돕고 있어요. 잠시만 기다려 주세요.'));
    });

    await step(t, 'the counselor sees the active kiosk’s screen and cart', [counselor, kiosks[1]!], async () => {
      const kiosk = kiosks[1]!;
      await kiosk.getByRole('button', { name: /바닐라 라떼/ }).click();
      const dialog = kiosk.getByRole('dialog', { name: '바닐라 라떼' });
      await see(dialog);
      await dialog.getByRole('radio', { name: /톨/ }).check();
      const screen = counselor.getByRole('region', { name: '손님 화면' });
      await see(screen.getByText('메뉴 고르기'));
      await see(screen.getByText('바닐라 라떼', { exact: true })); // the dialog open on the kiosk
      await dialog.getByRole('button', { name: '4,500원 담기' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await see(screen.getByRole('listitem', { name: '바닐라 라떼' }).getByText('사이즈: 톨'));
      await see(screen.getByText('4,500원').first());
    });

    await step(t, 'the counselor suggests an item; the customer confirms; it is in the kiosk’s cart', [counselor, kiosks[1]!], async () => {
      const kiosk = kiosks[1]!;
      const form = counselor.getByRole('region', { name: '장바구니에 담아 드리기' });
      await form.getByLabel('메뉴', { exact: true }).selectOption({ label: '바닐라 라떼 · 4,500원' });
      await form.getByLabel('사이즈 (필수)').selectOption({ label: '그란데 (+500원)' });
      await form.getByLabel('수량').fill('2');
      await form.getByLabel(/손님께 한마디/).fill('따뜻하게 드세요');
      await form.getByRole('button', { name: '손님께 보내기' }).click();
      await see(form.getByText('손님 확인을 기다리는 중'));

      const suggestion = kiosk.getByRole('dialog', { name: '상담원이 추천한 메뉴' });
      await see(suggestion);
      await see(suggestion.getByText('바닐라 라떼 2개'));
      await see(suggestion.getByText('사이즈: 그란데 (+500원)'));
      await see(suggestion.getByText('10,000원'));
      await see(suggestion.getByText('상담원: “따뜻하게 드세요”'));
      await suggestion.getByRole('button', { name: '장바구니에 담기' }).click();
      await suggestion.waitFor({ state: 'hidden' });

      const cart = kiosk.getByRole('complementary', { name: /장바구니/ });
      await see(cart.getByText('사이즈: 그란데 (+500원)'));
      await see(cart.getByRole('group', { name: '바닐라 라떼 2개' }));
      await see(form.getByText('손님이 담았습니다'));
      const screen = counselor.getByRole('region', { name: '손님 화면' });
      await see(screen.getByText('바닐라 라떼 × 2'));
      await see(screen.getByText('14,500원'));
    });

    await step(t, 'the customer declines a second suggestion; the counselor sees it', [counselor, kiosks[1]!], async () => {
      const form = counselor.getByRole('region', { name: '장바구니에 담아 드리기' });
      await form.getByLabel('메뉴', { exact: true }).selectOption({ label: '바닐라 라떼 · 4,500원' });
      await form.getByRole('button', { name: '손님께 보내기' }).click();
      const suggestion = kiosks[1]!.getByRole('dialog', { name: '상담원이 추천한 메뉴' });
      await suggestion.getByRole('button', { name: '괜찮아요' }).click();
      await suggestion.waitFor({ state: 'hidden' });
      await see(form.getByText('손님이 거절했습니다'));
    });

    await step(t, 'a kiosk ends its call: the counselor’s seat frees and the fourth kiosk gets in', [counselor, kiosks[2]!, kiosks[3]!], async () => {
      const third = kiosks[2]!;
      await third.getByRole('button', { name: '상담 끝내기' }).click();
      await see(third.getByRole('heading', { name: '상담이 끝났습니다' }));
      assert.deepEqual(await received(third), {}, 'the kiosk closed its connection');
      await see(counselor.getByText('상담 중 2 / 3'));
      await see(counselor.getByText(`${KIOSK_NAMES[2]} 상담이 끝났습니다 (손님).`));
      assert.equal(await seatOf(KIOSK_NAMES[2]!).count(), 0);
      await see(counselor.getByText('빈 자리'));
      await mediaFlows(counselor, 2, 5_000);

      const fourth = kiosks[3]!;
      await toTheMenu(fourth);
      await fourth.getByRole('button', { name: '상담원 연결' }).click();
      await see(fourth.getByRole('heading', { name: '상담원을 기다리고 있어요' }));
      await counselor.getByRole('button', { name: `${KIOSK_NAMES[3]} 요청 수락` }).click();
      await see(fourth.getByRole('heading', { name: /와\(과\) 연결되었습니다$/ }));
      await see(counselor.getByText('상담 중 3 / 3'));
      await mediaFlows(fourth, 1);
    });

    await step(t, 'the counselor ends a call from the console; the kiosk is told', [counselor, kiosks[0]!], async () => {
      // the first kiosk waits as a thumbnail: make it active, then end
      await seatOf(KIOSK_NAMES[0]!).click();
      await counselor.getByRole('button', { name: `${KIOSK_NAMES[0]} 상담 끝내기` }).click();
      await see(kiosks[0]!.getByRole('heading', { name: '상담이 끝났습니다' }));
      await see(counselor.getByText('상담 중 2 / 3'));
    });

    await step(t, 'the counselor’s today lists the consultations', [counselor], async () => {
      const today = counselor.getByRole('table', { name: '오늘의 상담' });
      await see(today);
      await see(today.getByRole('row', { name: new RegExp(KIOSK_NAMES[3]!) }));
      assert.equal(await today.getByRole('row').count(), 1 + 4);
      await see(today.getByRole('row', { name: new RegExp(KIOSK_NAMES[2]!) }).getByText('끝남'));
      await see(today.getByRole('row', { name: new RegExp(KIOSK_NAMES[1]!) }).getByText('상담 중'));
    });

    const ownerPage = await pages.open();
    await step(t, 'the store owner’s POS lists the store’s consultations', [ownerPage], async () => {
      await signIn(ownerPage, server.url, 'owner', owner);
      await ownerPage.getByRole('navigation', { name: '매장 관리 메뉴' }).getByRole('link', { name: '상담' }).click();
      await see(ownerPage.getByRole('heading', { level: 2, name: '상담' }));
      await see(ownerPage.getByText('상담 4건'));
      const table = ownerPage.getByRole('table', { name: '상담 목록' });
      for (const name of KIOSK_NAMES) await see(table.getByRole('row', { name: new RegExp(name) }));
      await see(table.getByRole('row', { name: new RegExp(KIOSK_NAMES[0]!) }).getByText('끝남'));
    });
  });
});
