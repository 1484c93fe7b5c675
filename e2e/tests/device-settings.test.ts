// In real Chromium at a counter's 1366x768: the owner sets the distance-sensor settings on the POS's
// 장치 설정 tab for the whole store and for one kiosk; the devices of two kiosks (the real gRPC
// client) receive what applies to each: the kiosk with its own values keeps them when the store's
// change, the other follows the store, and a reset gives the kiosk the store's again. axe-core finds
// nothing on these screens.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type CommandStream, DeviceClient, provisionKiosk } from '../../server/test/support/device-client.js';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { Pages, see, step, signIn } from '../support/pages.js';
import { createBrand, signUp, startServer, type TestServer } from '../support/server.js';

const COUNTER = { width: 1366, height: 768 };
let server: TestServer;
let browser: Browser;
const pages = new Pages(() => browser);
const devices: DeviceClient[] = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  for (const device of devices) device.close();
  await pages.closeAll();
  await browser?.close();
  await server?.close();
});

/** the newest Settings command a device has heard */
function latest(stream: CommandStream): Record<string, number> {
  const heard = stream.commands.filter((command) => command.kind === 'settings');
  return heard[heard.length - 1]!.settings!;
}

test('the owner sets the sensor settings for the store and for one kiosk; each connected device receives its own', async (t) => {
  const brand = await createBrand(server, 'Sensor Coffee');
  const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName: '센서 매장' });
  const storeId = owner.profile.store.id as string;
  const entrance = await provisionKiosk(server, storeId, owner.accessToken, '입구');
  const window = await provisionKiosk(server, storeId, owner.accessToken, '창가');
  const connect = async (kiosk: typeof entrance) => {
    const device = new DeviceClient(server.deviceAddress, kiosk);
    devices.push(device);
    const stream = device.connect();
    await stream.next((command) => command.kind === 'settings' && command.settings!.arriveBelowCm === 80, 'the default settings on connecting');
    return stream;
  };
  const entranceDevice = await connect(entrance);
  const windowDevice = await connect(window);

  const page: Page = await pages.open(COUNTER);
  const near = () => page.getByRole('textbox', { name: /손님으로 보는 거리/ });
  const frames = () => page.getByRole('textbox', { name: /한 번에 찍는 사진 수/ });
  const own = (field: RegExp) => page.getByRole('checkbox', { name: new RegExp(`이 키오스크만 따로 정하기\\s*:\\s*${field.source}`) });
  const target = () => page.getByRole('combobox', { name: '어느 키오스크의 설정인가요?' });

  await step(t, 'the owner opens 장치 설정: the whole store is chosen, with its settings', [page], async () => {
    await signIn(page, server.url, 'owner', owner);
    await page.goto(`${server.url}/pos/devices`);
    await see(page.getByRole('heading', { level: 2, name: '장치 설정' }));
    await see(near());
    assert.equal(await target().inputValue(), 'store');
    assert.equal(await near().inputValue(), '80');
    assert.deepEqual(await axeViolations(page), [], 'axe-core: the store settings');
  });

  await step(t, 'a store setting reaches both devices', [page], async () => {
    await near().fill('70');
    await page.getByRole('button', { name: '장치 설정 저장' }).click();
    await see(page.getByText('장치 설정을 저장했습니다.', { exact: false }));
    await entranceDevice.next((command) => command.kind === 'settings' && command.settings!.arriveBelowCm === 70, 'the store setting on 입구');
    await windowDevice.next((command) => command.kind === 'settings' && command.settings!.arriveBelowCm === 70, 'the store setting on 창가');
  });

  await step(t, 'for the kiosk 입구, every value shows that it follows the store', [page], async () => {
    await target().selectOption({ label: '키오스크: 입구' });
    await see(page.getByText('모든 값이 매장 설정을 따릅니다.'));
    assert.equal(await near().inputValue(), '70');
    assert.equal(await near().getAttribute('readonly'), '');
    await see(page.getByText('매장 설정을 따릅니다: 70'));
    assert.equal(await own(/손님으로 보는 거리/).isChecked(), false);
    assert.deepEqual(await axeViolations(page), [], 'axe-core: a kiosk that follows the store');
  });

  await step(t, "the owner gives 입구 its own distance and frames; only 입구's device receives them", [page], async () => {
    await own(/손님으로 보는 거리/).check();
    await near().fill('55');
    await own(/한 번에 찍는 사진 수/).check();
    await frames().fill('5');
    await page.getByRole('button', { name: '이 키오스크 설정 저장' }).click();
    await see(page.getByText('‘입구’ 키오스크 설정을 저장했습니다.', { exact: false }));
    await see(page.getByText('2개 값을 따로 정했습니다.'));
    await see(page.getByText('따로 정함 · 매장 설정은 70'));
    const pushed = await entranceDevice.next(
      (command) => command.kind === 'settings' && command.settings!.arriveBelowCm === 55 && command.settings!.framesPerCapture === 5,
      "입구's own settings",
    );
    assert.equal(pushed.settings!.leaveAfterMs, 5000, 'what 입구 does not set follows the store');
    assert.equal(latest(windowDevice).arriveBelowCm, 70, '창가 keeps the store’s');
    assert.equal(latest(windowDevice).framesPerCapture, 3);
    assert.deepEqual(await axeViolations(page), [], 'axe-core: a kiosk with its own values');
  });

  await step(t, 'a value out of range for the kiosk is refused beside the field, and nothing changes', [page], async () => {
    await near().fill('500');
    await page.getByRole('button', { name: '이 키오스크 설정 저장' }).click();
    await see(page.getByText('400 이하로 입력해 주세요.'));
    assert.equal(await near().getAttribute('aria-invalid'), 'true');
    const stored = await server.api('GET', `/api/stores/${storeId}/kiosks/${entrance.kioskId}/device-settings`, { token: owner.accessToken });
    assert.equal(stored.body.overrides.arriveBelowCm, 55);
    await near().fill('55');
  });

  await step(t, "the store's distance changes: 창가 follows it, 입구 keeps its own", [page], async () => {
    const heardBefore = Math.max(...entranceDevice.commands.map((command) => command.sequence));
    await target().selectOption({ label: '매장 전체 (모든 키오스크)' });
    await see(page.getByRole('button', { name: '장치 설정 저장' }));
    await near().fill('90');
    await page.getByRole('button', { name: '장치 설정 저장' }).click();
    await see(page.getByText('장치 설정을 저장했습니다.', { exact: false }));
    await windowDevice.next((command) => command.kind === 'settings' && command.settings!.arriveBelowCm === 90, 'the store change on 창가');
    // 입구 hears the store's change too (a new Settings), with its own distance and frames on top
    const entranceHeard = await entranceDevice.next(
      (command) => command.kind === 'settings' && command.sequence > heardBefore && command.settings!.arriveBelowCm === 55,
      'the store change on 입구',
    );
    assert.equal(entranceHeard.settings!.framesPerCapture, 5);
  });

  await step(t, "reset to the store's: 입구's device receives the store's settings", [page], async () => {
    await target().selectOption({ label: '키오스크: 입구' });
    await see(page.getByText('2개 값을 따로 정했습니다.'));
    await page.getByRole('button', { name: '모두 매장 설정으로 되돌리기' }).click();
    await see(page.getByText('‘입구’ 키오스크가 다시 매장 설정을 따릅니다.'));
    await see(page.getByText('모든 값이 매장 설정을 따릅니다.'));
    assert.equal(await near().inputValue(), '90');
    await entranceDevice.next(
      (command) => command.kind === 'settings' && command.settings!.arriveBelowCm === 90 && command.settings!.framesPerCapture === 3,
      "the store's settings again on 입구",
    );
  });
  entranceDevice.cancel();
  windowDevice.cancel();
});
