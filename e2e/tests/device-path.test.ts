// The whole kiosk, nothing faked but the hardware: a fake Arduino on a pseudo-terminal (socat)
// speaks the firmware's line protocol to the real `pinokio-agent` process; the agent reports the
// distances and sends a folder camera's photo over gRPC; the server decides who arrived and
// analyses the face; the kiosk's page in Chromium shows it. Someone at 50 cm is offered large type
// (the senior threshold is 20 for this test), orders and registers; they walk away and come back,
// and the same face is asked for the last 4 digits of the phone, and greeted as the member once they
// agree; walking away from the menu resets the screen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { AgentProcess } from '../../agent/test/support/agent-process.js';
import { FakeArduino } from '../../agent/test/support/fake-arduino.js';
import { cameraFolder, startAgent, temporaryDirectory } from '../../agent/test/support/setup.js';
import { roomyLimits } from '../../server/test/support/test-server.js';
import { launchBrowser } from '../support/browser.js';
import { CONSENT_TEXT_VERSION, KIOSK_VIEWPORT, kioskLogsIn, newStore, orderAtCounter, pressPhone, registerAfterOrder, seenStatus } from '../support/kiosk.js';
import { Pages, see, step } from '../support/pages.js';
import { startServer, type TestServer } from '../support/server.js';

const NEAR = { distanceCm: 50 };
const NOBODY = { distanceCm: 250 };

let browser: Browser;
let server: TestServer | undefined;
const pages = new Pages(() => browser);
const cleanups: Array<() => Promise<unknown> | void> = [];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await pages.closeAll();
  for (const cleanup of cleanups.reverse()) await cleanup();
  await browser?.close();
  await server?.close();
});

test('a fake Arduino and the real agent drive the kiosk page: senior offer, registration, the member again, walking away', async (t) => {
  // one face worker keeps the machine calm; everyone counts as a senior from 20
  server = await startServer({ env: { ...roomyLimits, FACE_WORKERS: '1', FACE_ANALYSIS_TIMEOUT_MS: '90000', SENIOR_AGE_THRESHOLD: '20' } });
  const store = await newStore(server, '장치 테스트점', ['아메리카노', '카페 라떼']);
  const kiosk = await pages.open(KIOSK_VIEWPORT);

  const directory = temporaryDirectory('e2e');
  const arduino = new FakeArduino(directory);
  await arduino.start();
  cleanups.push(() => arduino.unplug());
  arduino.answer = NOBODY;
  const agent: AgentProcess = startAgent(store.kiosk, [
    '--server',
    server.deviceAddress,
    '--serial-port',
    arduino.agentPath,
    '--camera',
    `folder:${cameraFolder(directory, 'bearded_man.jpg')}`,
  ]);
  cleanups.push(() => agent.stop());
  const failWithAgentLog = async (body: () => Promise<void>) => {
    try {
      await body();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- the agent said:\n${agent.summary()}`, { cause: error });
    }
  };

  /** the agent's log from here on: each visit is told apart from the ones before */
  let visitFrom = 0;
  const arrives = async () => {
    visitFrom = agent.logs.length;
    arduino.answer = NEAR;
  };
  const leaves = async () => {
    const from = agent.logs.length;
    arduino.answer = NOBODY;
    await agent.waitFor('command.reset', {}, { from, timeoutMs: 30_000 });
  };

  await step(t, 'the kiosk logs in; the agent connects and gets the store’s settings', [kiosk], () =>
    failWithAgentLog(async () => {
      await kioskLogsIn(kiosk, store);
      await agent.waitFor('camera.ready');
      const settings = await agent.waitFor('command.settings');
      assert.equal(settings.framesPerCapture, 3);
      await arduino.waitForRequests(5);
      await see(kiosk.getByRole('region', { name: '오늘의 메뉴' }));
    }),
  );

  await step(t, 'someone at 50 cm: the camera prompt, the agent’s photos, then large type offered first', [kiosk], () =>
    failWithAgentLog(async () => {
      await arrives();
      const capture = await agent.waitFor('command.capture', {}, { from: visitFrom });
      const sent = await agent.waitFor('frames.sent', { captureId: capture.captureId }, { timeoutMs: 100_000 });
      assert.equal(sent.accepted, 3);
      assert.equal(sent.faceFound, true);
      await see(kiosk.getByRole('heading', { level: 1, name: '큰 글씨로 보시겠어요?' }), 60_000);
      // the prompts are brief with a quick camera: the page's record of its status line has them
      const statuses = await seenStatus(kiosk);
      assert.ok(
        statuses.some((text) => text.includes('카메라를 봐 주세요')),
        JSON.stringify(statuses),
      );
      assert.ok(
        statuses.some((text) => text.includes('알아보는 중')),
        JSON.stringify(statuses),
      );
      assert.equal(await kiosk.getByText('회원이시면 번호를 눌러 주세요').count(), 0, 'nobody is registered yet: a guest');
      await kiosk.getByRole('button', { name: '큰 글씨로 주문하기' }).click();
      await see(kiosk.getByRole('list', { name: '커피' }));
      const fontSize = await kiosk.locator('.kiosk-screen').evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
      assert.ok(fontSize >= 30, `large type: ${fontSize}px`);
    }),
  );

  await step(t, 'the guest orders in large type and registers: consent, then a phone number', [kiosk], () =>
    failWithAgentLog(async () => {
      await orderAtCounter(kiosk, '아메리카노');
      await registerAfterOrder(kiosk, '01024681357');
      const listed = await store.server.api('GET', `/api/stores/${store.storeId}/customers`, { token: store.ownerToken });
      assert.equal(listed.status, 200);
      assert.equal(listed.body.customers.length, 1);
      assert.equal(listed.body.customers[0].maskedPhone, '010-****-1357');
      assert.equal(listed.body.customers[0].consentVersion, CONSENT_TEXT_VERSION);
      assert.equal(listed.body.customers[0].hasFace, true, "the face from the agent's photos");
      await kiosk.getByRole('button', { name: '처음으로' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }));
    }),
  );

  await step(t, 'they walk away and come back: the same face is asked for the last 4 digits, and greeted as the member once they agree', [kiosk], () =>
    failWithAgentLog(async () => {
      await leaves();
      await arrives();
      await agent.waitFor('frames.sent', { faceFound: true }, { from: visitFrom, timeoutMs: 100_000 });
      await see(kiosk.getByRole('heading', { level: 1, name: '회원이시면 번호를 눌러 주세요' }), 60_000);
      // nothing of the member before the digits agree
      // what a person sees (innerText: the keypad's keys one per line, not run together into "1234567890")
      const text = await kiosk.locator('body').evaluate((body) => (body as HTMLElement).innerText);
      assert.ok(!text.includes('1357') && !text.includes('반가워요'), text);
      await pressPhone(kiosk, '1357');
      await kiosk.getByRole('button', { name: '확인', exact: true }).click();
      // still a senior by this test's threshold: asked again, and the usual screen chosen this time
      await see(kiosk.getByRole('heading', { level: 1, name: '큰 글씨로 보시겠어요?' }));
      await kiosk.getByRole('button', { name: '보통 화면으로 주문하기' }).click();
      await see(kiosk.getByText(/다시 오셔서 반가워요/));
      // the order placed before registering is theirs: recommended first
      await see(kiosk.getByRole('tab', { name: '추천 메뉴', selected: true }));
      await see(kiosk.getByRole('tabpanel').getByRole('button', { name: /아메리카노/ }));
    }),
  );

  await step(t, 'walking away from the menu resets the kiosk to the attract screen', [kiosk], () =>
    failWithAgentLog(async () => {
      await leaves();
      await agent.waitFor('display.brightness', { reason: 'reset' }, { from: visitFrom });
      await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }));
      await see(kiosk.getByRole('region', { name: '오늘의 메뉴' }));
      assert.equal(await kiosk.getByText(/다시 오셔서 반가워요/).count(), 0, 'the member is gone from the screen');
      assert.ok(agent.running);
    }),
  );
});
