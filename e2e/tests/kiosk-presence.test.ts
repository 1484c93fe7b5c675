// The kiosk's screen with a device, in real Chromium against the real server: a device (the real
// gRPC client, device credentials in the call metadata) reports someone at 50 cm and sends frames
// of a fixture photo; the page shows the camera prompt, recognises a guest, who orders and then
// registers (privacy notice, unticked consent, a phone number on the on-screen keypad); the same
// face comes back and is asked for the last 4 digits of the phone: before they agree, neither the
// page nor the live events it received hold anything of the member; wrong digits are refused,
// the right ones greet the member, with the recommendations and "지난번과 같은 걸로"; the order
// carries the member; the member deletes their face; phone lookup still finds the membership;
// walking away resets the screen. "지난번과 같은 걸로" places the same lines (options, notes) as the
// member's previous order, leaving out what is off the menu. And the senior path: with a low age
// threshold the kiosk offers large type first, four items a page, and the way back.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { DeviceClient, type CommandStream } from '../../server/test/support/device-client.js';
import { roomyLimits } from '../../server/test/support/test-server.js';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { CONSENT_TEXT_VERSION, KIOSK_VIEWPORT, kioskLogsIn, newStore, orderAtCounter, pressPhone, seenStatus, type Store } from '../support/kiosk.js';
import { Pages, see, step } from '../support/pages.js';
import { startServer, type TestServer } from '../support/server.js';

const faces = fileURLToPath(new URL('../../fixtures/faces/', import.meta.url));
const photo = (name: string) => fs.readFileSync(`${faces}${name}`);
/** one worker is plenty for a test and keeps the shared machine calm */
const serverEnv = { ...roomyLimits, FACE_WORKERS: '1', FACE_ANALYSIS_TIMEOUT_MS: '60000' };

let browser: Browser;
const pages = new Pages(() => browser);
const devices: DeviceClient[] = [];
const servers: TestServer[] = [];
const streams: CommandStream[] = [];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  for (const timer of standing.values()) clearInterval(timer);
  await pages.closeAll();
  for (const stream of streams) stream.cancel();
  for (const device of devices) device.close();
  await browser?.close();
  for (const server of servers) await server.close();
});

async function serverWith(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startServer({ env: { ...serverEnv, ...env } });
  servers.push(server);
  return server;
}

/** the device of the store's kiosk, connected, with the store's settings received */
async function connectDevice(store: Store): Promise<{ device: DeviceClient; commands: CommandStream }> {
  const device = new DeviceClient(store.server.deviceAddress, store.kiosk);
  devices.push(device);
  const commands = device.connect();
  streams.push(commands);
  await commands.next((command) => command.kind === 'settings', 'settings');
  return { device, commands };
}

/**
 * Records the data of every server-sent event the page's code listens to (window.liveEvents), from
 * the first script on: what reached the page, whatever the screen made of it.
 */
async function recordLiveEvents(page: Page): Promise<void> {
  // a string: tsx would wrap named functions in a helper the page does not have
  await page.addInitScript(`(() => {
    window.liveEvents = [];
    const add = EventSource.prototype.addEventListener;
    EventSource.prototype.addEventListener = function (type, listener, options) {
      const recording = function (event) {
        window.liveEvents.push({ type: event.type, data: String(event.data) });
        return typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event);
      };
      return add.call(this, type, recording, options);
    };
  })()`);
}

async function liveEventsOf(page: Page): Promise<Array<{ type: string; data: string }>> {
  return page.evaluate(() => (window as unknown as { liveEvents: Array<{ type: string; data: string }> }).liveEvents);
}

/** a person standing in front of the sensor: a reading at 50 cm every 300 ms, as a device would send */
const standing = new Map<DeviceClient, NodeJS.Timeout>();

/** someone steps up: five readings at 50 cm, then the capture the server asks for, with these frames */
async function customerArrives(page: Page, device: DeviceClient, commands: CommandStream, frames: Buffer[]): Promise<string> {
  const capturesBefore = commands.commands.filter((command) => command.kind === 'capture').length;
  const ack = await device.reportDistance([50, 50, 50, 50, 50]);
  assert.equal(ack.present, true);
  standing.set(
    device,
    setInterval(() => void device.reportDistance([50]).catch(() => undefined), 300),
  );
  await see(page.getByRole('status').getByText('카메라를 봐 주세요'));
  const capture = await commands.next(
    (command) => command.kind === 'capture' && commands.commands.filter((each) => each.kind === 'capture').indexOf(command) >= capturesBefore,
    'a new capture',
  );
  const sent = await device.sendFrames(frames, capture.capture!.captureId);
  assert.equal(sent.accepted, frames.length);
  return sent.analysisId;
}

/** the person walks away: far readings until the server decides they left (leaveAfterMs later) */
async function customerLeaves(device: DeviceClient, commands: CommandStream): Promise<void> {
  clearInterval(standing.get(device));
  standing.delete(device);
  const resetsBefore = commands.commands.filter((command) => command.kind === 'reset').length;
  await device.reportDistance([150]);
  await commands.next(
    (command) => command.kind === 'reset' && commands.commands.filter((each) => each.kind === 'reset').indexOf(command) >= resetsBefore,
    'a reset after the departure',
  );
}

describe('the kiosk with a device', () => {
  test('a guest is recognised, orders and registers; the same face returns as a member; walking away resets', async (t) => {
    const server = await serverWith();
    const store = await newStore(server, '얼굴 테스트 강남점', ['아메리카노', '카페 라떼']);
    const kiosk = await pages.open(KIOSK_VIEWPORT);
    const { device, commands } = await connectDevice(store);
    const face = [photo('bearded_man.jpg'), photo('bearded_man.jpg'), photo('bearded_man.jpg')];
    let customerId = '';

    await step(t, 'the attract screen shows the promotion and still starts by touch', [kiosk], async () => {
      await recordLiveEvents(kiosk);
      await kioskLogsIn(kiosk, store);
      const carousel = kiosk.getByRole('region', { name: '오늘의 메뉴' });
      await see(carousel.getByText('아메리카노'));
      await carousel.locator('.promo-viewport').click();
      await see(carousel.getByRole('button', { name: '다시 넘기기' }), 5_000);
      await see(kiosk.getByRole('button', { name: /큰 글씨 모드/ }));
      await see(kiosk.getByRole('button', { name: '전화번호로 찾기' }));
      await see(kiosk.getByRole('button', { name: /주문하기/ }));
    });

    await step(t, 'someone arrives: the camera prompt, then the analysis of a guest leads to the menu', [kiosk], async () => {
      await customerArrives(kiosk, device, commands, face);
      await see(kiosk.getByRole('tab', { name: '커피', selected: true }));
      const statuses = await seenStatus(kiosk);
      assert.ok(
        statuses.some((text) => text.includes('카메라를 봐 주세요')),
        JSON.stringify(statuses),
      );
      assert.ok(
        statuses.some((text) => text.includes('알아보는 중')),
        JSON.stringify(statuses),
      );
      assert.equal(await kiosk.getByText(/다시 오셔서 반가워요/).count(), 0, 'a guest is not greeted as a member');
    });

    await step(t, 'the guest orders; the receipt offers registration', [kiosk], async () => {
      await orderAtCounter(kiosk, '아메리카노');
      await see(kiosk.getByRole('heading', { level: 2, name: '다음에는 얼굴로 더 빠르게' }));
      // stepping back from the receipt while deciding: nothing resets while registering (checked below)
      await kiosk.getByRole('button', { name: '회원 등록하기' }).click();
    });

    await step(t, 'the privacy notice, consent not pre-selected and required, then the phone on the keypad', [kiosk], async () => {
      await see(kiosk.getByRole('heading', { level: 1, name: '회원 등록' }));
      await see(kiosk.getByText('무엇을 저장하나요?'));
      await see(kiosk.getByText('얼마나 보관하나요?'));
      await see(kiosk.getByText('어떻게 지우나요?'));
      const consent = kiosk.getByRole('checkbox', { name: /동의합니다/ });
      assert.equal(await consent.isChecked(), false);
      // the "your order is ready" message: a separate consent, not pre-selected either (docs/messaging.md)
      const readyNotice = kiosk.getByRole('checkbox', { name: '메뉴가 준비되면 문자로 알려 주세요.' });
      assert.equal(await readyNotice.isChecked(), false);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the privacy notice with both consents');
      await kiosk.getByRole('button', { name: '다음', exact: true }).click();
      await see(kiosk.getByRole('alert').getByText('등록하시려면 먼저 동의에 표시해 주세요.'));
      await consent.check();
      await readyNotice.focus(); // by keypad: focus and Space
      await kiosk.keyboard.press('Space');
      assert.equal(await readyNotice.isChecked(), true);
      await kiosk.getByRole('button', { name: '다음', exact: true }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: '휴대전화 번호를 눌러 주세요' }));
      // a number cut short is refused on the screen
      await pressPhone(kiosk, '0101234');
      await kiosk.getByRole('button', { name: '등록하기' }).click();
      await see(kiosk.getByText(/끝까지 눌러 주세요/));
      await pressPhone(kiosk, '5678');
      await see(kiosk.getByText('010-1234-5678'));
      // the customer steps away for a moment while typing: the registration stays
      await customerLeaves(device, commands);
      await see(kiosk.getByText('010-1234-5678'));
      await kiosk.getByRole('button', { name: '등록하기' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: '등록했습니다' }));
      const listed = await server.api('GET', `/api/stores/${store.storeId}/customers`, { token: store.ownerToken });
      assert.equal(listed.status, 200);
      assert.equal(listed.body.customers.length, 1);
      assert.equal(listed.body.customers[0].maskedPhone, '010-****-5678');
      assert.equal(listed.body.customers[0].consentVersion, CONSENT_TEXT_VERSION);
      assert.equal(listed.body.customers[0].hasFace, true);
      assert.equal(listed.body.customers[0].readyNotice, true);
      customerId = listed.body.customers[0].id;
      await kiosk.getByRole('button', { name: '처음으로' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }));
    });

    await step(t, 'the same face again: nothing of the member on the page or its live events until the last 4 digits agree', [kiosk], async () => {
      const eventsBefore = (await liveEventsOf(kiosk)).length;
      await customerArrives(kiosk, device, commands, face);
      await see(kiosk.getByRole('heading', { level: 1, name: '회원이시면 번호를 눌러 주세요' }));
      const received = (await liveEventsOf(kiosk)).slice(eventsBefore);
      const analysis = received.find((event) => event.type === 'analysis');
      assert.ok(analysis, `the analysis reached the page: ${JSON.stringify(received)}`);
      assert.equal(typeof JSON.parse(analysis.data).confirmationId, 'string', 'a pending confirmation, by its id only');
      for (const event of received) {
        assert.ok(!event.data.includes(customerId), `no customer id in ${event.type}: ${event.data}`);
        assert.ok(!event.data.includes('5678'), `no phone digits in ${event.type}: ${event.data}`);
        assert.doesNotMatch(event.data, /maskedName|phoneLast4|member|recommendations/, `nothing of the member in ${event.type}`);
      }
      // what a person sees (innerText: the keypad's keys one per line, not run together into "1234567890")
      const text = await kiosk.locator('body').evaluate((body) => (body as HTMLElement).innerText);
      assert.ok(!text.includes('5678') && !text.includes('반가워요'), `the page shows nothing of the member: ${text}`);
      assert.ok(!(await kiosk.content()).includes(customerId), 'nor holds their id');
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the digits question');
      // a slip of the finger: refused, with the tries left, and still nothing of the member
      await pressPhone(kiosk, '1234');
      await see(kiosk.getByText('1 2 3 4'));
      await kiosk.getByRole('button', { name: '확인', exact: true }).click();
      await see(kiosk.getByRole('alert').getByText('번호가 맞지 않습니다. 2번 더 누르실 수 있습니다.'));
      assert.equal(await kiosk.getByText(/반가워요/).count(), 0);
      await pressPhone(kiosk, '5678');
      await kiosk.getByRole('button', { name: '확인', exact: true }).click();
      await see(kiosk.getByText(/다시 오셔서 반가워요/));
      // the order placed just before registering became the member's: it is recommended
      await see(kiosk.getByRole('tab', { name: '추천 메뉴', selected: true }));
      await see(kiosk.getByRole('tabpanel').getByRole('button', { name: /아메리카노/ }));
    });

    await step(t, "the member's order carries the member; the member deletes their face", [kiosk], async () => {
      await kiosk.getByRole('tab', { name: '커피' }).click();
      const number = await orderAtCounter(kiosk, '카페 라떼');
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const orders = await server.api('GET', `/api/stores/${store.storeId}/orders?from=${day(-1)}&to=${day(1)}`, { token: store.ownerToken });
      const placed = orders.body.orders.find((order: { number: number }) => order.number === number);
      assert.equal(placed?.customerId, customerId);
      // the member agreed to the ready message: the receipt says so, and readying the order sends one
      await see(kiosk.getByText('메뉴가 준비되면 문자로 알려 드려요.'));
      const ready = await server.api('POST', `/api/stores/${store.storeId}/orders/${placed.id}/status`, { token: store.ownerToken, body: { status: 'ready' } });
      assert.equal(ready.status, 200);
      const messagesOf = async () =>
        ((await server.api('GET', '/dev/messages')).body.messages as Array<{ to: string; idempotencyKey: string }>).filter(
          (message) => message.idempotencyKey === `order_ready:${placed.id}`,
        );
      for (let waited = 0; (await messagesOf()).length === 0 && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(
        (await messagesOf()).map((message) => message.to),
        ['010-****-5678'],
      );
      await kiosk.getByRole('button', { name: '준비 알림 끄기' }).click();
      await see(kiosk.getByText(/준비 알림을 껐습니다/));
      assert.deepEqual((await server.api('GET', `/api/stores/${store.storeId}/customers`, { token: store.ownerToken })).body.customers[0].readyNotice, false);
      await kiosk.getByRole('button', { name: '얼굴 정보 지우기' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: '얼굴 정보를 지울까요?' }));
      await kiosk.getByRole('button', { name: '네, 지웁니다' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: /얼굴 정보를 지웠습니다/ }));
      const listed = await server.api('GET', `/api/stores/${store.storeId}/customers`, { token: store.ownerToken });
      assert.equal(listed.body.customers[0].hasFace, false);
      await kiosk.getByRole('button', { name: '처음으로' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }));
    });

    await step(t, 'the phone number still finds the membership', [kiosk], async () => {
      await kiosk.getByRole('button', { name: '전화번호로 찾기' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: '전화번호로 찾기' }));
      await pressPhone(kiosk, '01099998888');
      await kiosk.getByRole('button', { name: '찾기', exact: true }).click();
      await see(kiosk.getByText('이 번호로 등록된 회원이 없습니다. 번호를 확인해 주세요.'));
      await kiosk.getByRole('button', { name: '모두 지우기' }).click();
      await pressPhone(kiosk, '01012345678');
      await kiosk.getByRole('button', { name: '찾기', exact: true }).click();
      await see(kiosk.getByText(/다시 오셔서 반가워요/));
      // the member's orders: recommendations first, and the last order again
      await see(kiosk.getByRole('tab', { name: '추천 메뉴', selected: true }));
      await see(kiosk.getByRole('tabpanel').getByRole('button', { name: /카페 라떼/ }));
      await kiosk.getByRole('button', { name: '지난번과 같은 걸로' }).click();
      const dialog = kiosk.getByRole('dialog', { name: '지난번과 같은 걸로 담을까요?' });
      await see(dialog.getByText('카페 라떼 1개'));
      await see(dialog.getByText('4,500원').first());
      await dialog.getByRole('button', { name: '장바구니에 담기' }).click();
      await see(kiosk.getByText('지난번과 같은 메뉴 1가지를 장바구니에 담았습니다.'));
      await see(kiosk.getByRole('complementary', { name: /장바구니/ }).getByRole('listitem', { name: '카페 라떼' }));
      await kiosk.getByRole('button', { name: /처음으로/ }).click();
      await kiosk.getByRole('dialog', { name: '처음으로 돌아갈까요?' }).getByRole('button', { name: '네, 처음으로' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }));
    });

    await step(t, 'a customer who walks away from the menu resets the kiosk to the attract screen', [kiosk], async () => {
      // the device still sees the member standing there: nobody first, then a new arrival
      await customerLeaves(device, commands);
      await customerArrives(kiosk, device, commands, face);
      // the face was forgotten: a guest now, straight to the menu
      await see(kiosk.getByRole('tab', { name: '커피', selected: true }));
      await customerLeaves(device, commands);
      await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }));
      await see(kiosk.getByRole('region', { name: '오늘의 메뉴' }));
    });

    // this server's face workers are not needed any more: a calmer machine for the next test (the
    // page and the device go first: their streams and sockets would hold the server open)
    await kiosk.context().close();
    commands.cancel();
    device.close();
    servers.splice(servers.indexOf(server), 1);
    await server.close();
  });

  test('in voice mode, a face matched after the order began by keypad: the digits question is spoken, the digits never', async (t) => {
    const server = await serverWith();
    const store = await newStore(server, '음성 확인 테스트점', ['아메리카노', '카페 라떼']);
    const face = [photo('bearded_man.jpg'), photo('bearded_man.jpg'), photo('bearded_man.jpg')];
    const { device } = await connectDevice(store);
    // the member: this face, registered at this kiosk with a number ending in 2468
    const login = await server.api('POST', '/api/auth/kiosk-login', { body: store.kiosk });
    const enrolled = await device.sendFrames(face, 'enrol');
    const registered = await server.api('POST', `/api/stores/${store.storeId}/customers`, {
      token: login.body.accessToken,
      body: { analysisId: enrolled.analysisId, phone: '010-1357-2468', consent: { accepted: true, version: CONSENT_TEXT_VERSION } },
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const kiosk = await pages.open(KIOSK_VIEWPORT);
    const spoken = async () => (await kiosk.evaluate('(window.__pinokioSpoken || []).map((phrase) => phrase.text)')) as string[];
    const waitSpoken = async (pattern: RegExp) => {
      for (let waited = 0; !(await spoken()).some((text) => pattern.test(text)); waited++) {
        if (waited > 300) assert.fail(`never said ${pattern}: ${JSON.stringify(await spoken())}`);
        await kiosk.waitForTimeout(100);
      }
    };

    await step(t, 'a keypad key starts voice mode and the order; the face then matches: the question is asked and said', [kiosk], async () => {
      await kioskLogsIn(kiosk, store);
      await kiosk.keyboard.press('5');
      await see(kiosk.getByRole('tab', { name: '커피', selected: true }));
      await device.sendFrames(face, 'late');
      const dialog = kiosk.getByRole('dialog', { name: '회원이신가요?' });
      await see(dialog);
      await waitSpoken(/회원이신가요\?\. 등록하신 휴대전화 번호의 마지막 4자리를 눌러 주세요/);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the digits question in voice mode');
    });

    await step(t, 'the digits typed are shown, never said; the member is greeted once they agree', [kiosk], async () => {
      const dialog = kiosk.getByRole('dialog', { name: '회원이신가요?' });
      const saidBefore = (await spoken()).length;
      await pressPhone(kiosk, '2468');
      await see(dialog.getByText('2 4 6 8'));
      await dialog.getByRole('button', { name: '확인', exact: true }).click();
      await see(kiosk.getByText(/다시 오셔서 반가워요/));
      // neither the number as typed nor a touched key's digit is said
      const said = await spoken();
      const leaked = [...said.filter((text) => /2\s*4\s*6\s*8|1357|2468/.test(text)), ...said.slice(saidBefore).filter((text) => /^\s*\d\s*$/.test(text))];
      assert.deepEqual(leaked, [], 'phone digits spoken');
    });
  });

  test('"지난번과 같은 걸로" places the same lines as the previous order, with their options and notes, leaving out what is off the menu', async (t) => {
    const server = await serverWith();
    const store = await newStore(server, '다시 주문 테스트점', ['아메리카노', '카페 라떼', '유자차']);
    const token = store.ownerToken;
    const latte = await server.api('PATCH', `/api/stores/${store.storeId}/items/${store.items['카페 라떼']}`, {
      token,
      body: {
        optionGroups: [
          { name: '크기', kind: 'single', required: true, options: [{ name: '보통' }, { name: '큰 컵', priceDelta: 500 }] },
          { name: '추가', kind: 'multiple', options: [{ name: '샷 추가', priceDelta: 500 }, { name: '시럽' }] },
        ],
      },
    });
    assert.equal(latte.status, 200, JSON.stringify(latte.body));
    const option = (group: string, name: string) =>
      (latte.body.optionGroups as Array<{ name: string; options: Array<{ id: string; name: string }> }>)
        .find((each) => each.name === group)!
        .options.find((each) => each.name === name)!.id;
    const login = await server.api('POST', '/api/auth/kiosk-login', { body: store.kiosk });
    const kioskToken = login.body.accessToken as string;
    const analysisId = await server.app.services.customers.holdAnalysis({
      kioskId: login.body.kioskId,
      storeId: store.storeId,
      embedding: Float32Array.from({ length: 128 }, (_, index) => Math.sin(index + 1)),
      age: 40,
      gender: 'female',
    });
    const registered = await server.api('POST', `/api/stores/${store.storeId}/customers`, {
      token: kioskToken,
      body: { analysisId, phone: '010-4321-8765', consent: { accepted: true, version: CONSENT_TEXT_VERSION } },
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const customerId = registered.body.customerId as string;
    const previous = await server.api('POST', `/api/stores/${store.storeId}/orders`, {
      token: kioskToken,
      body: {
        lines: [
          { itemId: store.items['카페 라떼'], quantity: 2, optionIds: [option('크기', '큰 컵'), option('추가', '샷 추가')], note: '덜 달게' },
          { itemId: store.items.아메리카노, quantity: 1 },
          { itemId: store.items.유자차, quantity: 1 },
        ],
        paymentMethod: 'counter',
        dining: 'take_out',
        customerId,
      },
    });
    assert.equal(previous.status, 201, JSON.stringify(previous.body));
    // 유자차 is off the menu by the next visit
    const hidden = await server.api('PATCH', `/api/stores/${store.storeId}/items/${store.items.유자차}`, { token, body: { shownOnKiosk: false } });
    assert.equal(hidden.status, 200, JSON.stringify(hidden.body));
    const kiosk = await pages.open(KIOSK_VIEWPORT);
    const sameLines = (order: { lines: Array<{ itemId: string; quantity: number; options: Array<{ group: string; name: string }>; note: string | null }> }) =>
      order.lines
        .map((line) => ({
          itemId: line.itemId,
          quantity: line.quantity,
          options: line.options.map((each) => `${each.group}:${each.name}`).sort(),
          note: line.note,
        }))
        .sort((a, b) => a.itemId.localeCompare(b.itemId));

    await step(t, "the member, found by phone, sees the last order in a dialog with today's total and what is left out", [kiosk], async () => {
      await kioskLogsIn(kiosk, store);
      await kiosk.getByRole('button', { name: '전화번호로 찾기' }).click();
      await pressPhone(kiosk, '01043218765');
      await kiosk.getByRole('button', { name: '찾기', exact: true }).click();
      await see(kiosk.getByText(/다시 오셔서 반가워요/));
      // their usual items come first
      await see(kiosk.getByRole('tab', { name: '추천 메뉴', selected: true }));
      await kiosk.getByRole('button', { name: '지난번과 같은 걸로' }).click();
      const dialog = kiosk.getByRole('dialog', { name: '지난번과 같은 걸로 담을까요?' });
      await see(dialog.getByText('카페 라떼 2개'));
      await see(dialog.getByText('큰 컵, 샷 추가'));
      await see(dialog.getByText('덜 달게'));
      await see(dialog.getByText('아메리카노 1개'));
      await see(dialog.getByText('지금은 주문할 수 없어 빼고 담습니다: 유자차'));
      // (4,500 + 500 + 500) x 2 + 4,000
      await see(dialog.getByText('15,000원'));
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the last order dialog');
      await dialog.getByRole('button', { name: '장바구니에 담기' }).click();
      await see(kiosk.getByText(/지난번과 같은 메뉴 2가지를 장바구니에 담았습니다\. 지금은 주문할 수 없어 빼고 담습니다: 유자차/));
    });

    await step(t, 'ordered: the same lines as the previous order, without what is off the menu (through the orders API)', [kiosk], async () => {
      const number = await orderAtCounter(kiosk, undefined, 'take_out');
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const orders = await server.api('GET', `/api/stores/${store.storeId}/orders?from=${day(-1)}&to=${day(1)}`, { token });
      const placed = orders.body.orders.find((order: { number: number }) => order.number === number);
      assert.equal(placed.customerId, customerId);
      const expected = sameLines({ lines: previous.body.order.lines.filter((line: { itemId: string }) => line.itemId !== store.items.유자차) });
      assert.deepEqual(sameLines(placed), expected);
      assert.equal(placed.total, 15_000);
    });
  });

  test('a senior is offered large type first: four items a page, and an obvious way back', async (t) => {
    const server = await serverWith({ SENIOR_AGE_THRESHOLD: '20' });
    const names = ['아메리카노', '카페 라떼', '카푸치노', '바닐라 라떼', '유자차', '녹차'];
    const store = await newStore(server, '큰 글씨 테스트점', names);
    const kiosk = await pages.open(KIOSK_VIEWPORT);
    const { device, commands } = await connectDevice(store);

    await step(t, 'the analysis says senior: the offer comes before the menu', [kiosk], async () => {
      await kioskLogsIn(kiosk, store);
      await customerArrives(kiosk, device, commands, [photo('bearded_man.jpg'), photo('bearded_man.jpg')]);
      await see(kiosk.getByRole('heading', { level: 1, name: '큰 글씨로 보시겠어요?' }));
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the senior offer');
      await kiosk.getByRole('button', { name: '큰 글씨로 주문하기' }).click();
    });

    await step(t, 'senior mode: four items a page with big previous/next', [kiosk], async () => {
      const grid = kiosk.getByRole('list', { name: '커피' });
      await see(grid);
      assert.equal(await grid.getByRole('listitem').count(), 4);
      await see(kiosk.getByText('2쪽 중 1쪽'));
      await kiosk.getByRole('button', { name: /다음 메뉴/ }).click();
      await see(kiosk.getByText('2쪽 중 2쪽'));
      assert.equal(await grid.getByRole('listitem').count(), 2);
      const fontSize = await kiosk.locator('.kiosk-screen').evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
      assert.ok(fontSize >= 30, `large type: ${fontSize}px`);
    });

    await step(t, 'an order in senior mode goes through', [kiosk], async () => {
      await kiosk.getByRole('button', { name: /녹차/ }).click();
      await kiosk.getByRole('dialog', { name: '녹차' }).getByRole('button', { name: /담기$/ }).click();
      await see(kiosk.getByRole('complementary', { name: /장바구니/ }).getByRole('listitem', { name: '녹차' }));
    });

    await step(t, '"보통 화면으로" goes back to the usual menu; "큰 글씨 모드" returns to large type', [kiosk], async () => {
      await kiosk.getByRole('button', { name: /보통 화면으로/ }).click();
      await see(kiosk.getByRole('tab', { name: '커피', selected: true }));
      assert.equal(await kiosk.getByText('2쪽 중 1쪽').count(), 0);
      await kiosk.getByRole('button', { name: /큰 글씨 모드/ }).click();
      await see(kiosk.getByText('2쪽 중 1쪽'));
      // the cart is the same customer's throughout
      await see(kiosk.getByRole('complementary', { name: /장바구니/ }).getByRole('listitem', { name: '녹차' }));
      const number = await orderAtCounter(kiosk, undefined);
      assert.ok(number >= 1);
    });
  });
});
