// In real Chromium against the real server: a store owner signs up, adds a kiosk and reads its
// one-time credentials; the kiosk logs in with them, sees its store, logs out; the owner deletes the
// kiosk and its old credentials are refused. What is asserted is what a person sees.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { codeIn, createBrand, startServer, uniqueEmail, type TestServer } from '../support/server.js';

const resultsDir = new URL('../test-results/', import.meta.url);

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return context.newPage();
}

/** runs a step; on failure keeps a screenshot of each page in e2e/test-results/ */
async function step(t: TestContext, name: string, pages: Page[], body: () => Promise<void>): Promise<void> {
  await t.test(name, async () => {
    try {
      await body();
    } catch (error) {
      fs.mkdirSync(resultsDir, { recursive: true });
      await Promise.all(
        pages.map((page, index) =>
          page.screenshot({ path: new URL(`${name.replace(/\W+/g, '-')}-${index}.png`, resultsDir).pathname, fullPage: true }).catch(() => undefined),
        ),
      );
      throw error;
    }
  });
}

/** waits until the locator is visible (fails the test if it never is) */
async function see(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

async function mailedCode(email: string): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const mail = await server.lastMailTo(email);
    if (mail) return codeIn(mail.text);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${email}`);
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
});

describe('accounts in the browser', () => {
  test('an owner signs up and provisions a kiosk; the kiosk logs in, out, and is deleted', async (t) => {
    const brand = await createBrand(server, 'E2E Coffee');
    const email = uniqueEmail('owner-e2e');
    const password = 'warm latte 2024';
    const storeName = '테스트 종로점';
    const kioskName = '입구 1번';
    const owner = await newPage();
    const kiosk = await newPage();
    let credentials = { loginId: '', secret: '' };

    await step(t, 'sign up as a store owner', [owner], async () => {
      await owner.goto(`${server.url}/`);
      await see(owner.getByRole('heading', { level: 1, name: 'Pinokio에 오신 것을 환영합니다' }));
      await owner.getByRole('link', { name: '회원가입 (점주·상담원)' }).click();
      await see(owner.getByRole('heading', { level: 1, name: '회원가입' }));
      assert.equal(await owner.getByRole('radio', { name: '점주(POS)' }).isChecked(), true);

      await owner.getByLabel('이메일').fill(email);
      await owner.getByRole('button', { name: '인증번호 보내기' }).click();
      await see(owner.getByRole('heading', { name: '인증번호 입력' }));
      await see(owner.getByText(`${email} 주소로 인증번호를 보냈습니다`));

      await owner.getByLabel('인증번호 (숫자 6자리)').fill(await mailedCode(email));
      await owner.getByRole('button', { name: '확인', exact: true }).click();
      await see(owner.getByRole('heading', { name: '계정 정보' }));

      await owner.getByLabel('브랜드 코드').fill(brand.code);
      await see(owner.getByText(`브랜드: ${brand.name}`));
      await owner.getByLabel('매장 이름').fill(storeName);
      await owner.getByLabel('비밀번호', { exact: true }).fill(password);
      await owner.getByLabel('비밀번호 확인', { exact: true }).fill(password);
      await owner.getByRole('button', { name: '가입하기' }).click();

      await owner.waitForURL('**/pos/**');
      await see(owner.getByRole('heading', { level: 1, name: storeName }));
      await see(owner.getByText(`${brand.name} 가맹점`));
      await see(owner.getByRole('navigation', { name: '매장 관리 메뉴' }).getByRole('link', { name: '키오스크' }));
      await see(owner.getByText('아직 키오스크가 없습니다.'));
    });

    await step(t, 'switch the language to English and back', [owner], async () => {
      await owner.getByRole('button', { name: 'English' }).click();
      await see(owner.getByRole('heading', { level: 2, name: 'Kiosks' }));
      await see(owner.getByLabel('Kiosk name'));
      await see(owner.getByRole('button', { name: 'Add kiosk' }));
      // remembered across a reload
      await owner.reload();
      await see(owner.getByRole('heading', { level: 2, name: 'Kiosks' }));
      assert.equal(await owner.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
      assert.equal(await owner.locator('html').getAttribute('lang'), 'en');
      await owner.getByRole('button', { name: '한국어' }).click();
      await see(owner.getByRole('heading', { level: 2, name: '키오스크' }));
    });

    await step(t, 'add a kiosk and read its one-time credentials', [owner], async () => {
      await owner.getByLabel('키오스크 이름').fill(kioskName);
      await owner.getByRole('button', { name: '추가하기' }).click();
      const dialog = owner.getByRole('dialog', { name: '키오스크를 추가했습니다' });
      await see(dialog);
      await see(dialog.getByText('지금만 표시됩니다'));
      credentials = {
        loginId: await dialog.getByLabel('로그인 ID', { exact: true }).inputValue(),
        secret: await dialog.getByLabel('비밀 키', { exact: true }).inputValue(),
      };
      assert.ok(credentials.loginId.length > 0, 'a login id is shown');
      assert.ok(credentials.secret.length >= 16, 'a secret is shown');
      await dialog.getByRole('button', { name: '적어 두었습니다. 닫기' }).click();
      await dialog.waitFor({ state: 'hidden' });

      const item = owner.getByRole('listitem', { name: kioskName });
      await see(item);
      await see(item.getByText(credentials.loginId));
      // the secret is never shown again
      assert.equal(await owner.getByText(credentials.secret).count(), 0);
      await see(owner.getByText('키오스크 1대'));
    });

    await step(t, 'the kiosk logs in with those credentials and sees its store', [kiosk], async () => {
      await kiosk.goto(`${server.url}/kiosk`);
      await kiosk.waitForURL('**/login?role=kiosk');
      await see(kiosk.getByRole('heading', { level: 1, name: '로그인' }));
      assert.equal(await kiosk.getByRole('radio', { name: '키오스크' }).isChecked(), true);
      await kiosk.getByLabel('키오스크 로그인 ID').fill(credentials.loginId);
      await kiosk.getByLabel('비밀 키', { exact: true }).fill(credentials.secret);
      await kiosk.getByRole('button', { name: '로그인', exact: true }).click();

      await kiosk.waitForURL('**/kiosk');
      await see(kiosk.getByRole('heading', { level: 1, name: storeName }));
      await see(kiosk.getByText('어서 오세요'));
      await see(kiosk.getByText(brand.name));
      await see(kiosk.getByRole('button', { name: /주문하기/ }));
      // its Korean is drawn in the app's own font, whatever fonts the kiosk's system has
      const drawnInAppFont = await kiosk.evaluate(async () => {
        await document.fonts.ready;
        const heading = document.querySelector('h1')!;
        const loaded = [...document.fonts].filter((font) => font.family.includes('Noto Sans KR Variable') && font.status === 'loaded');
        return loaded.length > 0 && document.fonts.check(`${getComputedStyle(heading).fontSize} "Noto Sans KR Variable"`, heading.textContent ?? '');
      });
      assert.equal(drawnInAppFont, true);
    });

    await step(t, 'the kiosk logs out (staff only, confirmed)', [kiosk], async () => {
      await kiosk.getByRole('button', { name: '직원용 로그아웃' }).click();
      const dialog = kiosk.getByRole('dialog', { name: '키오스크 로그아웃' });
      await see(dialog);
      await dialog.getByRole('button', { name: '로그아웃', exact: true }).click();
      await kiosk.waitForURL('**/login?role=kiosk');
      await see(kiosk.getByRole('status').getByText('로그아웃했습니다.'));
      // the session is gone: the kiosk page sends back to the login
      await kiosk.goto(`${server.url}/kiosk`);
      await kiosk.waitForURL('**/login?role=kiosk');
    });

    await step(t, 'the owner deletes the kiosk', [owner], async () => {
      const item = owner.getByRole('listitem', { name: kioskName });
      await item.getByRole('button', { name: /삭제/ }).click();
      const dialog = owner.getByRole('dialog', { name: '키오스크 삭제' });
      await see(dialog);
      await see(dialog.getByText(`‘${kioskName}’ 키오스크를 삭제할까요?`));
      await dialog.getByRole('button', { name: '삭제하기' }).click();
      await see(owner.getByRole('status').getByText(`‘${kioskName}’ 키오스크를 삭제했습니다.`));
      await item.waitFor({ state: 'detached' });
      await see(owner.getByText('아직 키오스크가 없습니다.'));
    });

    await step(t, "the deleted kiosk's credentials are refused", [kiosk], async () => {
      await kiosk.getByLabel('키오스크 로그인 ID').fill(credentials.loginId);
      await kiosk.getByLabel('비밀 키', { exact: true }).fill(credentials.secret);
      await kiosk.getByRole('button', { name: '로그인', exact: true }).click();
      await see(kiosk.getByRole('alert').getByText('로그인 ID 또는 비밀 키가 맞지 않습니다.'));
      assert.match(kiosk.url(), /\/login\?role=kiosk$/);
    });
  });
});
