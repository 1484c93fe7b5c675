// In real Chromium: a kiosk that cannot speak (no voice in its browser and the server's text to
// speech failing) reports it, and the store owner's POS kiosk list shows '음성 안내 불가' on that
// kiosk, in English 'Speech unavailable', until the kiosk can speak again. axe-core finds nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { provisionKiosk } from '../../server/test/support/device-client.js';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { Pages, see, step, signIn } from '../support/pages.js';
import { createBrand, signUp, startServer, type TestServer } from '../support/server.js';

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

test('the POS kiosk list says which kiosk cannot speak, until it can again', async (t) => {
  const brand = await createBrand(server, 'Voice Coffee');
  const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName: '음성 매장' });
  const storeId = owner.profile.store.id as string;
  const entrance = await provisionKiosk(server, storeId, owner.accessToken, '입구');
  await provisionKiosk(server, storeId, owner.accessToken, '창가');
  const report = async (available: boolean) => {
    const answer = await server.api('PUT', `/api/stores/${storeId}/kiosks/${entrance.kioskId}/speech-status`, {
      token: entrance.token,
      body: { available },
    });
    assert.equal(answer.status, 204, JSON.stringify(answer.body));
  };
  const page = await pages.open({ width: 1366, height: 768 });
  const card = (name: string) => page.getByRole('listitem', { name });

  await step(t, 'the owner sees both kiosks, neither marked', [page], async () => {
    await signIn(page, server.url, 'owner', owner);
    await see(card('입구'));
    await see(card('창가'));
    assert.equal(await page.getByText('음성 안내 불가').count(), 0);
  });

  await step(t, 'the kiosk 입구 reports that it cannot speak: the list shows it on 입구 only', [page], async () => {
    await report(false);
    await page.reload();
    await see(card('입구').getByText('음성 안내 불가'));
    assert.equal(await card('창가').getByText('음성 안내 불가').count(), 0);
    assert.deepEqual(await axeViolations(page), [], 'axe-core: the kiosk list with a kiosk that cannot speak');
  });

  await step(t, 'in English', [page], async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await see(card('입구').getByText('Speech unavailable'));
    await page.getByRole('button', { name: '한국어' }).click();
    await see(card('입구').getByText('음성 안내 불가'));
  });

  await step(t, 'it can speak again: the mark is gone', [page], async () => {
    await report(true);
    await page.reload();
    await see(card('입구'));
    assert.equal(await page.getByText('음성 안내 불가').count(), 0);
  });
});
