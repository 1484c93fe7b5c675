// In real Chromium: the store owner's 고객 tab lists the members registered at the store's kiosk
// with masked name and phone only, forgets one member's face and deletes another, each through
// the confirmation dialog; the server agrees afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { Pages, see, step, signIn } from '../support/pages.js';
import { createBrand, signUp, startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: Browser;
const pages = new Pages(() => browser);

before(async () => {
  // not the default 365 days: the screen is seen to say what the server is configured with
  server = await startServer({ env: { FACE_RETENTION_DAYS: '730' } });
  browser = await launchBrowser();
});

after(async () => {
  await pages.closeAll();
  await browser?.close();
  await server?.close();
});

function someFace(): Float32Array {
  return Float32Array.from({ length: 128 }, () => Math.random() - 0.5);
}

test('the owner sees masked members, forgets a face and deletes a member', async (t) => {
  const brand = await createBrand(server, 'Member Coffee');
  const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName: '회원 매장' });
  const storeId = owner.profile.store.id as string;
  const provisioned = await server.api('POST', `/api/stores/${storeId}/kiosks`, { token: owner.accessToken, body: { name: '입구' } });
  const kiosk = await server.api('POST', '/api/auth/kiosk-login', { body: provisioned.body.credentials });
  const register = async (phone: string, name: string) => {
    const analysisId = await server.app.services.customers.holdAnalysis({ kioskId: kiosk.body.kioskId, storeId, embedding: someFace(), age: 40, gender: null });
    const response = await server.api('POST', `/api/stores/${storeId}/customers`, {
      token: kiosk.body.accessToken,
      body: { analysisId, phone, name, consent: { accepted: true, version: 'kiosk-face-2025-01' } },
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.customerId as string;
  };
  const kimId = await register('010-1234-5678', '김민수');
  await register('010-2222-9876', '이영희');

  const page = await pages.open();
  await step(t, 'the owner opens the 고객 tab', [page], async () => {
    await signIn(page, server.url, 'owner', owner);
    await page.getByRole('link', { name: '고객' }).click();
    await page.waitForURL('**/pos/customers');
    await see(page.getByRole('heading', { level: 2, name: '고객' }));
    await see(page.getByText('회원 2명'));
    await see(page.getByText(/2년 동안 쓰이지 않은 얼굴 정보는 자동으로 지워집니다/));
    const table = page.getByRole('table', { name: '회원 목록' });
    await see(table.getByRole('rowheader', { name: '김*수' }));
    await see(table.getByText('010-****-5678'));
    await see(table.getByRole('rowheader', { name: '이*희' }));
    const text = await table.innerText();
    assert.ok(!text.includes('김민수') && !text.includes('1234'), 'nothing unmasked on the screen');
  });

  await step(t, "forgets 김*수's face through the dialog", [page], async () => {
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '김*수' }) });
    await row.getByRole('button', { name: /얼굴 정보 지우기/ }).click();
    const dialog = page.getByRole('dialog', { name: '얼굴 정보를 지울까요?' });
    await see(dialog);
    await dialog.getByRole('button', { name: '얼굴 정보 지우기' }).click();
    await see(page.getByText('김*수 회원의 얼굴 정보를 지웠습니다.'));
    await see(row.getByRole('cell', { name: '없음', exact: true }).first());
    assert.equal(await row.getByRole('button', { name: /얼굴 정보 지우기/ }).count(), 0);
    const listed = await server.api('GET', `/api/stores/${storeId}/customers`, { token: owner.accessToken });
    assert.equal(listed.body.customers.find((c: { id: string }) => c.id === kimId).hasFace, false);
  });

  await step(t, 'deletes 이*희 through the dialog', [page], async () => {
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '이*희' }) });
    await row.getByRole('button', { name: /회원 삭제/ }).click();
    const dialog = page.getByRole('dialog', { name: '회원을 삭제할까요?' });
    await dialog.getByRole('button', { name: '회원 삭제' }).click();
    await see(page.getByText('이*희 회원을 삭제했습니다.'));
    await page.getByRole('rowheader', { name: '이*희' }).waitFor({ state: 'detached' });
    const listed = await server.api('GET', `/api/stores/${storeId}/customers`, { token: owner.accessToken });
    assert.deepEqual(
      listed.body.customers.map((c: { id: string }) => c.id),
      [kimId],
    );
  });
});
